"""Reading one article: its text and its metadata, from ``.txt``, ``.md`` or ``.html``.

Plain text takes its metadata from the command line; Markdown from YAML front
matter (read with a safe loader); HTML through trafilatura, which finds the
main text and the metadata of a saved page. Options given on the command line
fill in what the file does not say.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..dates import check_date
from ..errors import InvalidInput
from .files import normalise, text_of

META_FIELDS = ("title", "date", "url", "outlet", "author")
MIN_HTML_WORDS = 5  # fewer is a menu or a cookie notice, not an article
MAX_ARTICLE_CHARS = 2_000_000  # a news article is far shorter; extraction cost grows with it
MAX_HTML_CHARS = 10_000_000  # a saved page, markup and all: its main text is then held to MAX_ARTICLE_CHARS
MAX_TITLE_CHARS = 500  # a longer title (from front matter, a page, --title) is cut


@dataclass(frozen=True)
class ArticleMeta:
    title: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None

    def filled_from(self, other: ArticleMeta) -> ArticleMeta:
        return ArticleMeta(*(getattr(self, f) or getattr(other, f) for f in META_FIELDS))


@dataclass(frozen=True)
class Article:
    text: str
    meta: ArticleMeta


def parse_article(kind: str, text: str, path: Path, defaults: ArticleMeta) -> Article:
    """The article in ``text`` (already decoded and normalised), with its metadata checked."""
    if kind == "html" and len(text) > MAX_HTML_CHARS:
        raise InvalidInput(f"too large for a saved page ({len(text):,} characters; "
                           f"at most {MAX_HTML_CHARS:,})")
    if kind == "md":
        body, meta = _markdown(text)
    elif kind == "html":
        body, meta = _html(text)
    else:
        body, meta = text, ArticleMeta()
    meta = meta.filled_from(defaults)
    body = body.strip("\n")
    if not body.strip():
        raise InvalidInput("no article text found")
    if len(body) > MAX_ARTICLE_CHARS:
        raise InvalidInput(f"too long for an article ({len(body):,} characters; "
                           f"at most {MAX_ARTICLE_CHARS:,})")
    title = meta.title or _first_line_title(body) or text_of(path.stem)
    date = _check_published(meta.date)
    title = " ".join(title.split())[:MAX_TITLE_CHARS]
    return Article(body, ArticleMeta(title, date, meta.url, meta.outlet, meta.author))


def _first_line_title(body: str) -> str | None:
    first = body.split("\n\n", 1)[0].strip()
    if "\n" in first or len(first) > 150 or first.endswith((".", ":", ",", "”", '"')):
        return None
    return first.lstrip("# ").strip() or None


def _check_published(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    match = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?$", value)
    if not match:
        raise InvalidInput(f"date: {value!r} is not a date written YYYY-MM-DD")
    try:
        check_date(match.group(1), "day")
    except InvalidInput as exc:
        raise InvalidInput(f"date: {exc}") from None
    return match.group(1)


_FRONT = re.compile(r"---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.S)


def _markdown(text: str) -> tuple[str, ArticleMeta]:
    match = _FRONT.match(text)
    if not match:
        return text, ArticleMeta()
    import yaml

    try:
        data = yaml.load(match.group(1), Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InvalidInput(f"front matter{where}: {problem}") from None
    except RecursionError:
        raise InvalidInput("front matter: nested too deeply") from None
    except ValueError as exc:  # a date that does not exist: "2019-02-30"
        raise InvalidInput(f"front matter: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInput("front matter: expected 'key: value' lines")
    values = {}
    for key in META_FIELDS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            value = value.date().isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise InvalidInput(f"front matter: {key}: expected text")
        values[key] = str(value).strip() or None
    return text[match.end():], ArticleMeta(**values)


def _loader() -> type:
    """PyYAML's SafeLoader, reading dates as text so that a bad one is reported by its field."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def _html(text: str) -> tuple[str, ArticleMeta]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True)
        if doc is None:  # precision first; recall when precision finds nothing
            doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                              favor_recall=True)
    except (ValueError, TypeError, RecursionError) as exc:
        raise InvalidInput(f"cannot read the HTML page: {exc}") from None
    if doc is None or len((doc.text or "").split()) < MIN_HTML_WORDS:
        raise InvalidInput("no article text found in the HTML page")
    lines = [" ".join(line.split()) for line in normalise(doc.text).split("\n")]
    body = "\n\n".join(line for line in lines if line)
    date = doc.date if doc.date and re.match(r"\d{4}-\d{2}-\d{2}$", doc.date) else None
    return body, ArticleMeta(doc.title or None, date, doc.url or None, doc.sitename or None,
                             doc.author or None)
