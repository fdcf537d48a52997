"""The item under the cursor in full: its words, who, when, where from, and its paragraph."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...db.models import Actor, Context, Event, Item, Quote, Source
from ...db.search import match_spans
from ..display import clean, cleaned_with_offsets, highlighted


def citation(source: Source, paragraph: int) -> Text:
    parts = [clean(source.title)]
    parts += [clean(v) for v in (source.outlet, source.published) if v]
    text = Text(", ".join(parts) + f", ¶{paragraph}", style="italic")
    if source.url:
        text.append(f"  {clean(source.url)}", style="dim")
    return text


RADIUS = 600  # characters shown either side of an item in a very long paragraph


def excerpt(value: str, span: tuple[int, int] | None, radius: int = RADIUS) -> tuple[str, int]:
    """A window of ``value`` around ``span`` (``…`` marks cuts) and where the window starts."""
    start, end = span or (0, 0)
    if len(value) <= 2 * radius + (end - start):
        return value, 0
    lo = max(0, start - radius)
    hi = min(len(value), max(end, start) + radius)
    head = "…" if lo > 0 else ""
    return head + value[lo:hi] + ("…" if hi < len(value) else ""), lo - len(head)


def marked_text(value: str, span: tuple[int, int] | None, query: str) -> Text:
    """``value`` (windowed if long) with the span underlined and search matches highlighted."""
    window, shift = excerpt(value, span)
    text = highlighted(window, match_spans(window, query) if query else (), "bold reverse")
    if span:
        _, to_shown = cleaned_with_offsets(window)  # the text shown has no control characters
        text.stylize("underline bold", to_shown(max(0, span[0] - shift)),
                     to_shown(max(0, span[1] - shift)))
    return text


def paragraph_text(context: Context, query: str) -> Text:
    """The paragraph with the item's span underlined and search matches highlighted."""
    return marked_text(context.paragraph_text, context.span, query)


def describe(item: Item, context: Context | None, query: str) -> Text:
    out = Text()
    if isinstance(item, Quote):
        out.append_text(highlighted(item.text, match_spans(item.text, query), "bold reverse"))
        out.append("\n— ")
        out.append(clean(item.speaker) if item.speaker else "no speaker named", style="bold")
        out.append(f", {item.date_label}" + (" (scare-quoted term)" if item.kind == "term" else ""))
    elif isinstance(item, Event):
        out.append(item.date_label, style="bold")
        if item.date_text:
            out.append(f"  (“{clean(item.date_text)}”)", style="dim")
        out.append("\n")
        out.append_text(highlighted(item.summary, match_spans(item.summary, query)))
        if item.actors:
            out.append("\nActors: ", style="dim")
            out.append(", ".join(clean(a) for a in item.actors))
    else:
        assert isinstance(item, Actor)
        out.append(clean(item.name), style="bold")
        out.append(f"  {item.kind}", style="dim")
        if item.role:
            out.append(f"\n{clean(item.role)}")
        if item.aliases:
            out.append("\nAlso: ", style="dim")
            out.append(", ".join(clean(a) for a in item.aliases))
        out.append(f"\n{item.events} events, {item.quotes} quotes", style="dim")
    if item.origin == "extracted":
        out.append("\n(found by automatic extraction)", style="dim italic")
    if context is not None:
        out.append("\n")
        out.append_text(citation(context.source, context.paragraph))
        out.append("\n\n")
        out.append_text(paragraph_text(context, query))
    return out


class Detail(VerticalScroll, can_focus=False):
    """Shows one item; the screen fetches its context in a worker and calls ``show``."""

    def compose(self):
        yield Static(Text("Move to an item to see it here.", style="dim"), id="detail-body")

    _lines = -1  # how many lines the body took last time

    def show(self, item: Item | None, context: Context | None, query: str) -> None:
        body = self.query_one("#detail-body", Static)
        if item is None:
            text = Text("Nothing here.", style="dim")
            self.border_title = "Detail"
        else:
            text = describe(item, context, query)
            self.border_title = {"quote": "Quote", "event": "Event", "actor": "Actor"}[
                item.item_kind]
        # A new item of the same height is only repainted: a re-layout costs a whole frame.
        width = body.content_region.width
        lines = len(text.wrap(self.app.console, width)) if width else -1
        body.update(text, layout=lines < 0 or lines != self._lines)
        self._lines = lines
        self.scroll_home(animate=False)
