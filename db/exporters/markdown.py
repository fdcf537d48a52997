"""The Markdown dossier: front matter, a timeline, the actors, the quotes and the sources.

It is valid CommonMark whatever the data holds. Every piece of text taken from
the library goes through ``inline`` (and, where it may start a line, through
the line-start escapes of ``block_line``), so that ``#``, ``>``, ``*``, ``1.``,
``---``, backticks, ``[x](y)`` or ``<script>`` in a quote render as those
characters and never as structure. Backslash escapes are used rather than
entities, so the source stays readable. Each quote is one blockquote: its line
breaks are hard breaks, and its blank lines are ``>`` lines, which start a new
paragraph without leaving the blockquote.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote as percent

from ..dates import format_date
from ..models import Actor, Event, Quote, Source
from ._common import ExportSummary, Refs, Selection, generated_at, items, spool

if TYPE_CHECKING:
    from ..library import Library

_INLINE = re.compile(r"[\\`*_\[\]<|~]|&(?=#?\w+;)")
_LINE_START = re.compile(r"[#>+=-]|\d+(?=[.)])")
_HEADINGS = {"event": "Timeline", "actor": "Actors", "quote": "Quotes"}


def inline(text: str) -> str:
    """Text made literal inside a line: CommonMark punctuation escaped with backslashes."""
    return _INLINE.sub(lambda m: "\\" + m.group(), text)


def block_line(text: str) -> str:
    """One line of text made literal even at the start of a line (or of a blockquote line)."""
    line = inline(text.strip())
    m = _LINE_START.match(line)
    if m is None:
        return line
    if m.group()[0].isdigit():  # "1." or "1)": an ordered list
        return line[:m.end()] + "\\" + line[m.end():]
    return "\\" + line


def one_line(text: str | None) -> str:
    """A field shown inside a line: its whitespace (line breaks too) made single spaces."""
    return block_line(" ".join((text or "").split()))


def blockquote(text: str) -> str:
    """``text`` as one blockquote that renders to exactly its words."""
    paragraphs: list[list[str]] = [[]]
    for raw in text.splitlines():
        if raw.strip():
            paragraphs[-1].append(block_line(raw))
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return ">"
    return "\n>\n".join("\\\n".join("> " + line for line in p) for p in paragraphs)


def link(url: str | None) -> str:
    """A visible, clickable URL (only ``http``/``https``; anything else is shown as text)."""
    if not url or not url.strip():
        return ""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return one_line(url)
    target = percent(url, safe="".join(chr(c) for c in range(33, 127) if chr(c) not in "<>\\`\""))
    target = re.sub(r"[()&]", lambda m: "\\" + m.group(), target)
    return f"[{one_line(url)}]({target})"


_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax, with what YAML may not hold raw escaped."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _note(item: Event | Actor | Quote) -> str:
    if item.origin != "extracted":
        return ""
    if item.confidence is None:
        return " (extracted)"
    return f" (extracted, confidence {item.confidence:.2f})"


def _title(source: Source | None) -> str:
    return f"*{one_line(source.title)}*" if source else "unknown source"


def event_entry(refs: Refs, event: Event) -> str:
    date = format_date(event.date, event.date_precision, event.date_end)
    first = f"- **{date}** — {one_line(event.summary)}{_note(event)}"
    details = []
    if event.actors:
        details.append("Actors: " + ", ".join(one_line(a) for a in event.actors))
    if event.date_text:
        details.append(f"“{one_line(event.date_text)}”")
    details.append(f"{_title(refs.source(event.source_id))}, ¶{event.paragraph}")
    return f"{first}\\\n  " + " · ".join(details)


def actor_entry(actor: Actor) -> str:
    line = f"- **{one_line(actor.name)}** ({one_line(actor.kind)})"
    if actor.role:
        line += f": {one_line(actor.role)}"
    if actor.aliases:
        line += ". Also called " + ", ".join(one_line(a) for a in actor.aliases)
    return line + _note(actor)


def citation(source: Source | None, paragraph: int) -> str:
    """``*Title*, Outlet, ¶3, [url](url)``: where an item is, to find it again."""
    if source is None:
        return f"unknown source, ¶{paragraph}"
    title, rest = _cited(source)
    return f"{title}, ¶{paragraph}{rest}"


@functools.lru_cache(maxsize=256)
def _cited(source: Source) -> tuple[str, str]:
    """A source's title, and its outlet and link (worked out once per source)."""
    outlet = f", {one_line(source.outlet)}" if source.outlet and source.outlet.strip() else ""
    url = f", {link(source.url)}" if source.url and source.url.strip() else ""
    return _title(source) + outlet, url


def quote_entry(refs: Refs, quote: Quote) -> str:
    if quote.speaker:
        who = one_line(quote.speaker)
    else:
        who = "unattributed term" if quote.kind == "term" else "no speaker"
    if quote.date:
        who += ", " + format_date(quote.date, quote.date_precision)
    attribution = f"— {who}{_note(quote)}\\\n{citation(refs.source(quote.source_id), quote.paragraph)}"
    return f"{blockquote(quote.text)}\n\n{attribution}"


def source_entry(source: Source) -> str:
    parts = [_title(source)]
    parts += [one_line(v) for v in (source.author, source.outlet) if v and v.strip()]
    if source.published:
        parts.append(format_date(source.published, "day"))
    line = "- " + ", ".join(parts)
    return line + (f"\\\n  {link(source.url)}" if source.url and source.url.strip() else "")


def _entries(lib: Library, selection: Selection, refs: Refs, kind: str) -> Iterator[str]:
    for item in items(lib, selection, kind):
        refs.note(item)
        if isinstance(item, Event):
            yield event_entry(refs, item)
        elif isinstance(item, Quote):
            yield quote_entry(refs, item)
        else:
            yield actor_entry(item)  # type: ignore[arg-type]


def write_markdown(lib: Library, selection: Selection, out: TextIO, *,
                   title: str | None = None) -> ExportSummary:
    refs = Refs(lib)
    counts = dict.fromkeys(_HEADINGS, 0)
    with spool() as body:  # the front matter lists the sources: known once the items are walked
        for kind in selection.kinds:
            # list items stay together; blockquotes need a blank line between them
            gap = "\n\n" if kind == "quote" else "\n"
            for entry in _entries(lib, selection, refs, kind):
                body.write((f"\n## {_HEADINGS[kind]}\n\n" if not counts[kind] else gap) + entry)
                counts[kind] += 1
            if counts[kind]:
                body.write("\n")
        sources = refs.noted_sources()
        heading = title or lib.name
        out.write("---\n"
                  f"title: {yaml_str(heading)}\n"
                  f"generated: {yaml_str(generated_at())}\n"
                  f"library: {yaml_str(lib.name)}\n"
                  "sources:" + "".join(f"\n  - {yaml_str(s.title)}" for s in sources)
                  + (" []" if not sources else "") + "\n---\n\n"
                  f"# {inline(' '.join(heading.split())).replace('#', chr(92) + '#')}\n")
        body.seek(0)
        shutil.copyfileobj(body, out)
    if sources:
        out.write("\n## Sources\n\n" + "\n".join(source_entry(s) for s in sources) + "\n")
    return ExportSummary("md", events=counts["event"], actors=counts["actor"],
                         quotes=counts["quote"], sources=len(sources))
