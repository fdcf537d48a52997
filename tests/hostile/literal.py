"""Checks that text is shown literally (the app's display functions) and exported literally."""

from __future__ import annotations

import csv
import io
import json
import re

from rich.console import Console
from rich.text import Text

from coup_explorer.db.search import match_spans, tokens
from coup_explorer.tui.display import clean, highlighted
from ..test_exporters import MD, blockquotes, split_front_matter

SGR = re.compile(r"\x1b\[[0-9;]*m")  # the styles Rich itself writes
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def rendered(text: Text) -> str:
    """What a terminal receives when ``text`` is printed by Rich, as the app and the CLI do."""
    console = Console(file=io.StringIO(), width=100_000, force_terminal=True,
                      color_system="truecolor", legacy_windows=False, soft_wrap=True)
    console.print(text, end="")
    return console.file.getvalue()  # type: ignore[attr-defined]


def squash(value: str) -> str:
    return re.sub(r"[ \t]+", " ", value)


def assert_shown_literally(value: str) -> None:
    """The display keeps every visible character of ``value``, emits no control sequence of its
    own making, and leaves markup as the characters it is made of."""
    words = tokens(value)
    spans = match_spans(value, words[len(words) // 2]) if words else ()
    shown = highlighted(value, spans)
    assert shown.plain == clean(value)
    assert not FORBIDDEN.search(shown.plain)
    out = rendered(shown)
    visible = SGR.sub("", out)
    assert "\x1b" not in visible and not FORBIDDEN.search(visible)
    assert squash(visible) == squash(clean(value))
    if "[" in value:  # markup stays visible: "[bold]" is shown, not applied
        assert "[" in visible


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_exported_literally(value: str, exports: dict[str, str]) -> None:
    """JSON and CSV hold ``value`` exactly; the Markdown blockquote renders to its words."""
    doc = json.loads(exports["json"])
    assert [q["text"] for q in doc["quotes"]] == [value]
    source = next(s for s in doc["sources"] if s["id"] == doc["quotes"][0]["source_id"])
    assert source["text"][doc["quotes"][0]["char_start"]:doc["quotes"][0]["char_end"]] == value
    rows = list(csv.DictReader(io.StringIO(exports["csv"], newline="")))
    assert [r["text"] for r in rows] == [value]
    tokens_ = MD.parse(split_front_matter(exports["md"])[1])
    [(text, types, attribution)] = blockquotes(tokens_)
    assert flat(text) == flat(value)
    assert not {"html_inline", "link_open", "strong_open", "em_open", "code_inline"} & set(types)
    assert attribution.startswith("— ")
    assert [t.tag for t in tokens_ if t.type == "heading_open"] == ["h1", "h2", "h2"]  # Quotes, Sources
