"""How one event, actor or quote looks as a row of a pane (literal text, fixed height)."""

from __future__ import annotations

import io
from functools import lru_cache

from rich.console import Console
from rich.style import Style
from rich.text import Text

from ..db.dates import short_date
from ..db.models import Actor, Event, Item, Quote
from ..db.search import match_spans
from .display import clean, highlighted

ROW_HEIGHT = {"event": 1, "actor": 1, "quote": 3}
MARK = "●"
_console = Console(file=io.StringIO(), width=200, color_system=None, legacy_windows=False)


def compact(count: int) -> str:
    """A count in at most four characters: ``999``, ``20k``, ``1.2M``."""
    if count < 10_000:
        return str(count)
    if count < 1_000_000:
        return f"{count // 1000}k"
    return f"{count / 1_000_000:.1f}M"


def marker(marked: bool, style: Style) -> Text:
    return Text(f"{MARK} " if marked else "  ", style=style)


def with_matches(value: str, query: str, style: Style) -> Text:
    value = clean(value)
    return highlighted(value, match_spans(value, query) if query else (), style)


@lru_cache(maxsize=256)  # the rows of three panes in view, several times over
def row_lines(item: Item, width: int, *, marked: bool, query: str, match: Style,
              marker: Style, dim: Style) -> list[Text]:
    mark = _marker(marked, marker)
    if isinstance(item, Event):
        date = Text(f"{short_date(item.date, item.date_precision):<13} ", style=dim)
        return [Text.assemble(mark, date, with_matches(item.summary, query, match))]
    if isinstance(item, Actor):
        events, quotes = compact(item.events), compact(item.quotes)
        if width >= 48:
            counts = f" {item.kind:<12} {events:>4} ev {quotes:>4} q"
        else:
            counts = f" {item.kind[:3]} {events:>4}e {quotes:>4}q"
        room = max(4, width - 2 - len(counts))
        name = with_matches(item.name, query, match)
        name.truncate(room, overflow="ellipsis", pad=True)
        return [Text.assemble(mark, name, Text(counts, style=dim))]
    assert isinstance(item, Quote)
    speaker = Text(clean(item.speaker), style="bold") if item.speaker else Text(
        "(no speaker)", style=dim)
    head = Text.assemble(mark, speaker, Text(f" · {item.date_label}", style=dim))
    if item.kind == "term":
        head.append(" · term", style=dim)
    body = Text.assemble("“", with_matches(item.flat_text, query, match), "”")
    lines = body.wrap(_console, max(8, width - 2), overflow="fold") if width > 2 else [body]
    shown = list(lines)[:2]
    if len(lines) > 2:
        last = shown[-1]
        last.rstrip()
        last.append(" …")
        last.truncate(max(8, width - 2), overflow="ellipsis")
    out = [head] + [Text.assemble("  ", line) for line in shown]
    while len(out) < 3:
        out.append(Text(""))
    return out


def _marker(marked: bool, style: Style) -> Text:
    return marker(marked, style)
