"""A virtual list of events, actors or quotes: the whole result, one page at a time.

The list knows only how many rows there are (``count``); rows are fetched a page
at a time, from a thread worker, when they come into view, and at most
``MAX_PAGES`` pages are kept. Until its page arrives a row shows a placeholder.

A new result shows its first rows as soon as they are found; counting the
whole result (a million matches take a while) comes after, in the same worker,
and never holds the rows back. Once the count is drawn, the last page is
fetched too, so that ``end`` is instant (and the Explorer takes the list's
anchors on the way, so that a jump anywhere is as quick as one near the top).
A newer request interrupts the query still running for an older one
(``interrupt``), so typing never waits for a stale search.

The rows a move or a jump brings are drawn first: the item under the cursor is
announced (``Highlighted``, which the detail view follows) after that frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.worker import get_current_worker

from ...db.models import Filter, Item
from ..explorer import PAGE_SIZE, Interrupted, Kind, Page
from ..rows import ROW_HEIGHT, row_lines

class _FrameStyles(NamedTuple):
    """What every line of one frame of the list shares."""

    width: int
    base: Style
    dim: Style
    placeholder: Style
    cursor: Style
    match: Style  # the partial styles that row_lines layers over the line's own
    marker: Style
    dim_part: Style


MAX_PAGES = 4  # the pages in view, the one the cursor is on, and the last
JUMP_GRACE = 0.1  # seconds a jump waits for its rows before drawing placeholders
Fetch = Callable[[Kind, Filter, int], Page]
Count = Callable[[Kind, Filter], int]
Interrupt = Callable[[Kind], None]


class ItemList(ScrollView, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"item-list--cursor", "item-list--placeholder", "item-list--match",
                         "item-list--marker", "item-list--dim"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    @dataclass
    class Highlighted(Message):
        """The item under the cursor changed (``item`` is None when the list is empty)."""

        item_list: ItemList
        item: Item | None

        @property
        def control(self) -> ItemList:
            return self.item_list

    @dataclass
    class Counted(Message):
        """A new result was counted: ``count`` rows under ``filter``."""

        item_list: ItemList
        count: int
        filter: Filter

        @property
        def control(self) -> ItemList:
            return self.item_list

    @dataclass
    class _Loaded(Message):
        """Pages for a generation; with ``known`` rows, the first pages of a new result."""

        generation: int
        pages: list[Page]
        known: int | None = None  # rows known to exist so far (a new result)
        cursor: int | None = None
        prefetched: bool = False  # not asked for by a move: the last page, after the count

    @dataclass
    class _Total(Message):
        generation: int
        count: int

    def __init__(self, kind: Kind, title: str, fetch: Fetch, count: Count, *,
                 interrupt: Interrupt | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind: Kind = kind
        self.border_title = title
        self._title = title
        self._fetch = fetch
        self._count = count
        self._interrupt = interrupt
        self.count = 0
        self.cursor = 0
        self.filter = Filter()
        self._query = ""
        self._pages: dict[int, Page] = {}
        self._marked: set[int] = set()
        self._generation = 0
        self._loaded_generation = -1
        self._counted_generation = -1
        self._to_end = -1
        self._inflight: tuple[int, tuple[int, ...]] | None = None
        self._announced: tuple[int, int | None] | None = None
        self._frame: _FrameStyles | None = None
        self._jumping: Timer | None = None  # a jump waiting for its rows (see _cursor_moved)

    # -- what the screen calls ------------------------------------------------------

    def load(self, flt: Filter, *, keep_cursor: bool = False, cursor: int | None = None) -> None:
        """Show the rows under ``flt``: counted and first page fetched in a worker."""
        self._generation += 1
        self.filter = flt
        self._query = flt.text
        if self._interrupt is not None:
            self._interrupt(self.kind)  # the query still running for the old result
        target = self.cursor if keep_cursor else (cursor or 0)
        self._find(self._generation, flt, target)

    @property
    def item(self) -> Item | None:
        return self._item_at(self.cursor)

    @property
    def pending(self) -> bool:
        """A new result is being fetched (the old rows stay shown until it arrives)."""
        return self._loaded_generation != self._generation

    @property
    def counted(self) -> bool:
        """The whole of the current result has been counted (``count`` is exact)."""
        return self._counted_generation == self._generation

    def set_marked(self, item_id: int, marked: bool) -> None:
        (self._marked.add if marked else self._marked.discard)(item_id)
        self.refresh()

    def is_marked(self, item_id: int) -> bool:
        return item_id in self._marked

    def visible_items(self) -> list[Item]:
        """The loaded items (for tests and the palette; never the whole result)."""
        return [item for page in sorted(self._pages.values(), key=lambda p: p.offset)
                for item in page.items]

    def move_to(self, row: int) -> None:
        if self.count:
            self.cursor = max(0, min(row, self.count - 1))
            self._cursor_moved()

    # -- workers ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _find(self, generation: int, flt: Filter, cursor: int) -> None:
        """The rows around ``cursor`` first, then the count of the whole result."""
        worker = get_current_worker()
        offset = (cursor // PAGE_SIZE) * PAGE_SIZE
        try:
            page = self._fetch(self.kind, flt, offset)
            if not page.items and offset:  # the cursor is past the end: count, then look
                count = self._count(self.kind, flt)
                cursor = max(0, count - 1)
                page = self._fetch(self.kind, flt, (cursor // PAGE_SIZE) * PAGE_SIZE)
            if worker.is_cancelled:
                return
            known = page.offset + len(page.items)
            cursor = max(0, min(cursor, known - 1))
            self.post_message(self._Loaded(generation, [page], known, cursor))
            if len(page.items) < PAGE_SIZE:  # the last page: the count is known already
                count = known
            else:
                count = self._count(self.kind, flt)
        except Interrupted:  # a newer request replaced this one: nothing to show
            return
        if not worker.is_cancelled:
            self.post_message(self._Total(generation, count))

    @work(thread=True, exclusive=True, group="tail", exit_on_error=False)
    def _fetch_tail(self, generation: int, flt: Filter, offset: int) -> None:
        """The last page, fetched once the count is drawn (not to slow that frame down)."""
        worker = get_current_worker()
        try:
            tail = self._fetch(self.kind, flt, offset)
        except Interrupted:
            return
        if not worker.is_cancelled:
            self.post_message(self._Loaded(generation, [tail], prefetched=True))

    @work(thread=True, exclusive=True, group="pages", exit_on_error=False)
    def _load_pages(self, generation: int, flt: Filter, numbers: tuple[int, ...]) -> None:
        worker = get_current_worker()
        pages = []
        try:
            for number in numbers:
                if worker.is_cancelled:
                    return
                pages.append(self._fetch(self.kind, flt, number * PAGE_SIZE))
        except Interrupted:
            return
        if not worker.is_cancelled:
            self.post_message(self._Loaded(generation, pages))

    def on_item_list__loaded(self, message: _Loaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        if message.known is not None:
            self._pages.clear()
            self._marked.clear()
            self._loaded_generation = message.generation
            self._resize(max(message.known, self.count if self._counted_generation ==
                             message.generation else 0))
            self.cursor = message.cursor or 0
            self._announced = None
        elif not message.prefetched:
            self._inflight = None
        for page in message.pages:
            self._pages[page.offset // PAGE_SIZE] = page
            self._marked.difference_update(item.id for item in page.items)
            self._marked.update(page.marked)
        self._evict()
        if message.known is not None:
            self._scroll_to_cursor()
        if self._jumping is not None and not message.prefetched:
            self._show_cursor()  # the rows of a jump have come
            return
        self.refresh()
        self.call_after_refresh(self._announce)

    def on_item_list__total(self, message: _Total) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._counted_generation = message.generation
        self._resize(message.count)
        self.post_message(self.Counted(self, self.count, self.filter))
        if self._to_end == message.generation:
            self.move_to(self.count - 1)
        self.refresh()
        last = (max(0, self.count - 1) // PAGE_SIZE) * PAGE_SIZE
        if last // PAGE_SIZE not in self._pages:
            self.call_after_refresh(self._fetch_tail, message.generation, self.filter, last)

    def _resize(self, count: int) -> None:
        """Show ``count`` rows: exact once counted, else the rows known so far and a "+"."""
        self.count = count
        self.virtual_size = Size(self.size.width, count * ROW_HEIGHT[self.kind])
        self.border_subtitle = f"{count:,}" if self.counted else f"{count:,}+ …"

    def _evict(self) -> None:
        here = self.cursor // PAGE_SIZE
        while len(self._pages) > MAX_PAGES:
            del self._pages[max(self._pages, key=lambda n: abs(n - here))]

    def _request(self, numbers: set[int]) -> None:
        wanted = tuple(sorted(numbers))
        if not wanted or self.pending or self._inflight == (self._generation, wanted):
            return
        self._inflight = (self._generation, wanted)
        self._load_pages(self._generation, self.filter, wanted)

    # -- cursor -------------------------------------------------------------------------

    def _item_at(self, row: int) -> Item | None:
        page = self._pages.get(row // PAGE_SIZE)
        if page is None:
            return None
        index = row - page.offset
        return page.items[index] if 0 <= index < len(page.items) else None

    def _cursor_moved(self) -> None:
        if self._item_at(self.cursor) is not None or self.pending:
            self._show_cursor()
            return
        # A jump to rows not fetched yet: fetch every page the view will show there, and
        # draw the jump when they arrive (in a few milliseconds, typically), not a frame of
        # placeholders first, which would cost as long as drawing the rows and then delay
        # them; placeholders are drawn if the rows take longer than JUMP_GRACE.
        span = self._rows_per_page()
        self._request({row // PAGE_SIZE for row in range(max(0, self.cursor - span),
                                                         min(self.count, self.cursor + span + 1))})
        if self._jumping is None:
            self._jumping = self.set_timer(JUMP_GRACE, self._show_cursor)

    def _show_cursor(self) -> None:
        if self._jumping is not None:
            self._jumping.stop()
            self._jumping = None
        self._scroll_to_cursor()
        self.refresh()
        self.call_after_refresh(self._announce)

    def _announce(self) -> None:
        item = self._item_at(self.cursor) if self.count else None
        if self.count and item is None:
            return
        key = (self._generation, None if item is None else item.id)
        if key != self._announced:
            self._announced = key
            self.post_message(self.Highlighted(self, item))

    def _scroll_to_cursor(self) -> None:
        height = ROW_HEIGHT[self.kind]
        self.scroll_to_region(Region(0, self.cursor * height, 1, height), animate=False,
                              force=True, immediate=True)

    def _rows_per_page(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT[self.kind])

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._rows_per_page())

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._rows_per_page())

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        if not self.counted:
            self._to_end = self._generation  # the count is on its way: go there when it lands
        self.move_to(self.count - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.move_to((offset.y + self.scroll_offset.y) // ROW_HEIGHT[self.kind])

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.count * ROW_HEIGHT[self.kind])

    # -- drawing -------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of a frame shares is looked up once per frame, not once per line
        # (the content region and the styles walk the DOM: most of a line's cost otherwise).
        self._frame = self._frame_styles()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _frame_styles(self) -> _FrameStyles:
        base = self.rich_style
        return _FrameStyles(
            self.scrollable_content_region.width, base, base + self._style("dim"),
            base + self._style("placeholder"), base + self._style("cursor"),
            self._style("match", partial=True), self._style("marker", partial=True),
            self._style("dim", partial=True))

    def render_line(self, y: int) -> Strip:
        frame = self._frame or self._frame_styles()
        width = frame.width
        row, line = divmod(self.scroll_offset.y + y, ROW_HEIGHT[self.kind])
        if row >= self.count:
            if row == 0 and line == 0 and not self.pending:
                return self._strip(Text("  (nothing here)"), width, frame.dim)
            return Strip.blank(width, frame.base)
        item = self._item_at(row)
        if item is None:
            self.call_later(self._request_visible)
            text = Text("  …" if line == 0 else "")
            return self._strip(text, width, frame.placeholder)
        lines = row_lines(item, width, marked=item.id in self._marked, query=self._query,
                          match=frame.match, marker=frame.marker, dim=frame.dim_part)
        style = frame.cursor if row == self.cursor else frame.base
        return self._strip(lines[line] if line < len(lines) else Text(""), width, style)

    def _request_visible(self) -> None:
        height = ROW_HEIGHT[self.kind]
        top = self.scroll_offset.y // height
        bottom = (self.scroll_offset.y + self.scrollable_content_region.height) // height
        needed = {row // PAGE_SIZE for row in range(top, min(bottom + 1, self.count))
                  if self._item_at(row) is None}
        self._request(needed)

    def _style(self, name: str, partial: bool = False) -> Style:
        return self.get_component_rich_style(f"item-list--{name}", partial=partial)

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
        segments = [Segment(s.text, style + s.style if s.style else style)
                    for s in text.render(self.app.console) if s.text != "\n"]
        return Strip(segments).crop_extend(0, width, style)

    def watch_has_focus(self, focused: bool) -> None:
        super().watch_has_focus(focused)  # keeps :focus styles right
        self.refresh()
