"""The whole article, scrolled to the item's paragraph with its words highlighted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from ...db.models import Actor, Context, Item
from ..display import clean
from ..explorer import Article, Explorer
from ..widgets.detail import citation, marked_text
from ..widgets.key_bar import KeyBar

AROUND = 60  # paragraphs shown either side of the item's (a very long source is cut)


def _around(paragraphs: tuple[tuple[int, int, int], ...], target: int | None):
    index = next((i for i, p in enumerate(paragraphs) if p[0] == target), 0)
    return paragraphs[max(0, index - AROUND): index + AROUND + 1]


class SourceScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.quit", "Quit"),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

    @dataclass
    class _Loaded(Message):
        article: Article | None
        context: Context | None

    def __init__(self, explorer: Explorer, item: Item, query: str) -> None:
        super().__init__()
        self.explorer = explorer
        self.item = item
        self.query_text = query

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading the article…", style="dim"), id="source-title")
        yield VerticalScroll(id="article")
        yield KeyBar()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        context = self.explorer.context(self.item)
        source_id = context.source.id if context else getattr(self.item, "source_id", None)
        article = self.explorer.article(source_id) if source_id is not None else None
        if not get_current_worker().is_cancelled:
            self.post_message(self._Loaded(article, context))

    async def on_source_screen__loaded(self, message: _Loaded) -> None:
        article, context = message.article, message.context
        title = self.query_one("#source-title", Static)
        if article is None:
            title.update(Text("This item has no source to show.", style="bold"))
            return
        heading = Text(clean(article.source.title), style="bold")
        if article.source.author:
            heading.append(f" by {clean(article.source.author)}", style="dim")
        heading.append("\n")
        heading.append_text(citation(article.source, context.paragraph if context else 1))
        title.update(heading)
        start, end = self._span(context)
        target = context.paragraph if context else None
        widgets = []
        for number, p_start, p_end in _around(article.paragraphs, target):
            value = article.text[p_start:p_end]
            span = (max(start, p_start) - p_start, min(end, p_end) - p_start) \
                if start < p_end and end > p_start else None
            text = marked_text(value, span, self.query_text)
            paragraph = Static(text, id=f"p{number}", classes="paragraph")
            paragraph.set_class(number == target, "-target")
            widgets.append(paragraph)
        scroll = self.query_one("#article", VerticalScroll)
        await scroll.mount_all(widgets)
        if target is not None:
            self.call_after_refresh(self._scroll_to, target)

    def _scroll_to(self, number: int) -> None:
        paragraph = self.query_one(f"#p{number}")
        self.query_one("#article", VerticalScroll).scroll_to_widget(
            paragraph, animate=False, top=True)

    def _span(self, context: Context | None) -> tuple[int, int]:
        if context is None or context.span is None:
            return (0, 0)
        if isinstance(self.item, Actor):
            return (context.paragraph_start + context.span[0],
                    context.paragraph_start + context.span[1])
        return (self.item.char_start, self.item.char_end)  # type: ignore[union-attr]

    def action_scroll_home(self) -> None:
        self.query_one("#article", VerticalScroll).scroll_home()

    def action_scroll_end(self) -> None:
        self.query_one("#article", VerticalScroll).scroll_end()
