"""The main view: search bar, filters, histogram and the three linked panes, with a detail view.

State (the links, the search text and its scope) lives here and flows down: every
change goes through ``_apply``, which reloads the panes with their filters.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from ...db.errors import LibraryError
from ...db.models import Actor, Context, Event, Facet, Filter, Item, Quote
from ..commands import MAIN_COMMANDS
from ..display import clean
from ..explorer import Explorer, Kind, Scope, pane_filter
from ..widgets.detail import Detail
from ..widgets.filter_bar import Chips, FilterBar
from ..widgets.histogram import Histogram
from ..widgets.item_list import ItemList
from ..widgets.key_bar import KeyBar

PANES: tuple[str, ...] = ("timeline", "actors", "quotes")
TITLES = {"timeline": "1 Timeline", "actors": "2 Actors", "quotes": "3 Quotes"}
NARROW = 110
FIRST_FRAME_WAIT = 0.25  # seconds the first frame waits at most for the panes' first rows
FIRST_ROWS_WAIT = 1.0  # seconds after which start-up reads the rest even without every pane's rows
PANE_ACTIONS = {"open_source", "choose", "toggle_mark", "mark_shown"}


class MainScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [command.binding() for command in MAIN_COMMANDS]
    AUTO_FOCUS = ""  # on_mount focuses the active pane (the search bar is one "/" away)

    @dataclass
    class _Histogram(Message):
        facets: list[Facet]

    @dataclass
    class _Detail(Message):
        item: Item
        context: Context | None

    @dataclass
    class _Marks(Message):
        count: int
        note: str = ""

    def __init__(self, explorer: Explorer) -> None:
        super().__init__()
        self.explorer = explorer
        self.links = Filter()
        self.query_text = ""
        self.scope: Scope = "quotes"
        self.active = "quotes"
        self.marks = 0
        self.chosen_actor: str | None = None
        self.chosen_event: str | None = None
        self._histogram_filter: Filter | None = None
        self._chips: Chips | None = None
        self._info_text = ""
        # the panes whose first rows start-up still waits for (None: all came; see _first_rows)
        self._awaiting: set[str] | None = set(PANES)

    def compose(self) -> ComposeResult:
        explorer = self.explorer
        fetch, count, stop = explorer.page, explorer.count, explorer.interrupt
        yield Header()
        with Horizontal(id="search-row"):
            yield Input(placeholder="Search quotes  (/ to focus, Enter: results, Esc: clear)",
                        id="search")
            yield Static(id="search-info")
        yield FilterBar(id="filters")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Histogram(id="histogram")
                yield ItemList("event", TITLES["timeline"], fetch, count, interrupt=stop,
                               id="timeline")
            yield ItemList("actor", TITLES["actors"], fetch, count, interrupt=stop,
                           id="actors")
            yield ItemList("quote", TITLES["quotes"], fetch, count, interrupt=stop,
                           id="quotes")
        yield Detail(id="detail")
        yield KeyBar()

    async def on_mount(self) -> None:
        self._apply(force=True)
        self._layout(self.size.width)
        self.pane(self.active).focus()
        self.set_timer(FIRST_ROWS_WAIT, self._after_first_rows)  # should a pane never answer
        await self._rows_before_the_first_frame()

    async def _rows_before_the_first_frame(self) -> None:
        """Give the panes up to FIRST_FRAME_WAIT seconds to fetch their first rows.

        A screen is laid out and drawn only once its on_mount has returned, and a first
        frame of empty panes costs about as much to draw as the frame with their rows,
        which it would hold back. The panes' own tasks take their rows in meanwhile."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + FIRST_FRAME_WAIT
        panes = [self.pane(name) for name in PANES]
        while any(pane.pending for pane in panes) and loop.time() < deadline:
            await asyncio.sleep(0.002)

    def _first_rows(self, pane: str) -> None:
        """A pane has its first rows; once all three have them, the rest is read."""
        if self._awaiting is not None:
            self._awaiting.discard(pane)
            if not self._awaiting:  # once they are drawn
                self.call_after_refresh(self._after_first_rows)

    def _after_first_rows(self) -> None:
        """What start-up leaves until the rows are drawn: the histogram, the detail of the
        item under the cursor, the number of marks and the header's counts. Read sooner, they
        would only hold the rows back (their reads and messages compete with the panes')."""
        if self._awaiting is None:
            return
        self._awaiting = None
        self._apply()
        self._show_detail(self.pane(self.active).item)
        self._count_marks()
        self.app.show_stats()  # type: ignore[attr-defined]

    def on_resize(self, event) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        self.query_one(KeyBar).compact = narrow
        for name in PANES:
            pane = self.pane(name)
            pane.set_class(name == self.active, "-active")
            others = " · ".join(TITLES[n] for n in PANES if n != name)
            pane.border_title = f"{TITLES[name]}   (tab: {others})" if narrow else TITLES[name]
        self.query_one("#left").set_class(self.active == "timeline", "-active")

    # -- state flowing down -------------------------------------------------------------

    def pane(self, name: str) -> ItemList:
        return self.query_one(f"#{name}", ItemList)

    def _filter(self, kind: Kind) -> Filter:
        return pane_filter(kind, self.links, self.query_text, self.scope)

    def _apply(self, *, force: bool = False) -> None:
        """Reload the panes whose filter changed (``force``: all of them)."""
        for name in PANES:
            pane = self.pane(name)
            flt = self._filter(pane.kind)
            if force or flt != pane.filter:
                pane.load(flt)
        events = self._filter("event")
        starting = self._awaiting is not None  # the histogram comes after the first rows
        if not starting and (force or events != self._histogram_filter):
            self._histogram_filter = events
            self._load_histogram(events)
        self._show_chips()
        self.refresh_bindings()  # the key bar repaints only if a key came or went

    def _show_chips(self) -> None:
        chips = Chips(self.chosen_actor, self.chosen_event, self.query_text, self.scope, self.marks)
        if chips == self._chips:
            return
        self._chips = chips
        self.query_one(FilterBar).show(chips)
        where = "quotes" if self.scope == "quotes" else "everything"
        self.query_one("#search").placeholder = (
            f"Search {where}  (/ to focus, Enter: results, Esc: clear, s: scope)")

    @work(thread=True, exclusive=True, group="histogram", exit_on_error=False)
    def _load_histogram(self, flt: Filter) -> None:
        facets = self.explorer.histogram(flt)
        if not get_current_worker().is_cancelled:
            self.post_message(self._Histogram(facets))

    def on_main_screen__histogram(self, message: _Histogram) -> None:
        self.query_one(Histogram).show(message.facets)

    @on(ItemList.Counted)
    def _counted(self, message: ItemList.Counted) -> None:
        if not self.query_text.strip():
            self._info("")
            return
        counts = [_count(self.pane(n).count, n) for n in ("quotes", "timeline", "actors")
                  if n == "quotes" or self.scope == "all"]
        self._info(" · ".join(counts))

    def _info(self, text: str) -> None:
        """The counts beside the search bar; re-laid out only when their width changes."""
        info = self.query_one("#search-info", Static)
        if text != self._info_text:
            info.update(Text(text), layout=len(text) != len(self._info_text))
            self._info_text = text

    # -- detail ---------------------------------------------------------------------------

    @on(ItemList.Highlighted)
    def _highlighted(self, message: ItemList.Highlighted) -> None:
        if self._awaiting is not None:
            self._first_rows(message.item_list.id or "")
        elif message.item_list.id == self.active:
            self._show_detail(message.item)
        self.refresh_bindings()

    def _show_detail(self, item: Item | None) -> None:
        if item is None:
            self.query_one(Detail).show(None, None, "")
        else:
            self._load_detail(item)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _load_detail(self, item: Item) -> None:
        context = self.explorer.context(item)
        if not get_current_worker().is_cancelled:
            self.post_message(self._Detail(item, context))

    def on_main_screen__detail(self, message: _Detail) -> None:
        current = self.pane(self.active).item
        if current is not None and current == message.item:
            self.query_one(Detail).show(message.item, message.context, self.query_text)

    # -- search ---------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._apply()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        """Go to the first result: in Quotes, or when searching everything, in the first
        pane that has any (quotes, then events, then actors)."""
        order = ("quotes", "timeline", "actors") if self.scope == "all" else ("quotes",)
        name = next((n for n in order if self.pane(n).count), "quotes")
        self.action_show_pane(name)
        self.pane(name).move_to(0)

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#search", Input))  # now: the next keys are typed

    def action_leave_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        if search.has_focus:
            self.action_show_pane(self.active)

    def action_toggle_scope(self) -> None:
        self.scope = "all" if self.scope == "quotes" else "quotes"
        self._apply()
        self.notify(f"Search looks in {'quotes, events and actors' if self.scope == 'all' else 'quotes only'}")

    # -- panes ----------------------------------------------------------------------------

    def on_descendant_focus(self, event) -> None:
        if isinstance(event.widget, ItemList):
            if event.widget.id != self.active:
                self.active = event.widget.id or self.active
                self._layout(self.size.width)
            if self._awaiting is None:
                self._show_detail(event.widget.item)
        self.refresh_bindings()

    def action_show_pane(self, name: str) -> None:
        self.active = name
        self._layout(self.size.width)
        self.set_focus(self.pane(name))  # now, so that the next key already lands there

    def _step(self, delta: int) -> None:
        if not isinstance(self.focused, ItemList):
            self.action_show_pane(self.active)
            return
        self.action_show_pane(PANES[(PANES.index(self.active) + delta) % len(PANES)])

    def action_next_pane(self) -> None:
        self._step(1)

    def action_previous_pane(self) -> None:
        self._step(-1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PANE_ACTIONS:
            return True if isinstance(self.focused, ItemList) and self.focused.item else None
        # keys that cannot apply now leave the key bar (it is short at 80 columns)
        if action == "clear_filters":
            return not self.links.empty or bool(self.query_text)
        if action == "clear_marks" or action == "copy_marked":
            return bool(self.marks)
        if action == "leave_search":
            return isinstance(self.focused, Input) or bool(self.query_text)
        return True

    # -- linking ---------------------------------------------------------------------------

    def action_choose(self) -> None:
        pane = self.focused
        item = pane.item if isinstance(pane, ItemList) else None
        if item is not None:
            self.choose(item)

    def choose(self, item: Item) -> None:
        if isinstance(item, Actor):
            self.links = replace(self.links, actor=item.id)
            self.chosen_actor = item.name
        elif isinstance(item, Event):
            self.links = replace(self.links, event=item.id)
            self.chosen_event = f"{item.date_label}: {item.summary}"
        elif isinstance(item, Quote):
            if item.speaker_id is None:
                self.notify("This quote names no speaker", severity="warning")
                return
            self.links = replace(self.links, actor=item.speaker_id)
            self.chosen_actor = item.speaker
        self._apply()

    def action_reload(self) -> None:
        """Read everything again: another process (an import) may have changed the library."""
        self._apply(force=True)
        self._count_marks()
        self.app.show_stats()  # type: ignore[attr-defined]
        self.notify("Reloaded the library")

    def action_clear_filters(self) -> None:
        self.links = Filter()
        self.chosen_actor = self.chosen_event = None
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""  # its Changed message reloads the panes
        self.query_text = ""
        self._apply()

    def jump_to(self, item: Item) -> None:
        """From the palette: narrow to an actor or event and put the cursor on it."""
        self.choose(item)
        name = "actors" if isinstance(item, Actor) else "timeline"
        self.action_show_pane(name)
        self._locate(name, item)

    @work(thread=True, exclusive=True, group="locate", exit_on_error=False)
    def _locate(self, name: str, item: Item) -> None:
        pane = self.pane(name)
        row = self.explorer.locate(pane.kind, self._filter(pane.kind), item.id)
        if row is not None and not get_current_worker().is_cancelled:
            self.app.call_from_thread(pane.load, pane.filter, cursor=row)

    # -- marks -------------------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        pane = self.focused
        if isinstance(pane, ItemList) and pane.item is not None:
            item = pane.item
            shown = not pane.is_marked(item.id)
            pane.set_marked(item.id, shown)
            self._toggle(pane, item, shown)

    @work(thread=True, group="marks", exit_on_error=False)
    def _toggle(self, pane: ItemList, item: Item, shown: bool) -> None:
        try:
            marked = self.explorer.toggle_mark(item)
        except LibraryError as exc:
            self.app.call_from_thread(pane.set_marked, item.id, not shown)  # as it was
            self._cannot_write(exc)
            return
        self.app.call_from_thread(pane.set_marked, item.id, marked)
        self.post_message(self._Marks(self.explorer.count_marks()))

    def _cannot_write(self, exc: LibraryError) -> None:
        """From a worker: say why a mark was not saved."""
        self.app.call_from_thread(self.notify, clean(str(exc)), title="Marks not saved",
                                  severity="error", markup=False)

    def action_mark_shown(self) -> None:
        pane = self.focused
        if isinstance(pane, ItemList):
            self._mark_all(pane.kind, pane.filter)

    @work(thread=True, group="marks", exit_on_error=False)
    def _mark_all(self, kind: Kind, flt: Filter) -> None:
        try:
            added = self.explorer.mark_all(kind, flt)
        except LibraryError as exc:
            self._cannot_write(exc)
            return
        self.post_message(self._Marks(self.explorer.count_marks(), f"Marked {added:,} more {kind}s"))

    def action_clear_marks(self) -> None:
        self._clear_marks()

    @work(thread=True, group="marks", exit_on_error=False)
    def _clear_marks(self) -> None:
        try:
            cleared = self.explorer.clear_marks()
        except LibraryError as exc:
            self._cannot_write(exc)
            return
        self.post_message(self._Marks(0, f"Cleared {cleared:,} marks"))

    @work(thread=True, group="marks", exit_on_error=False)
    def _count_marks(self) -> None:
        self.post_message(self._Marks(self.explorer.count_marks()))

    def on_main_screen__marks(self, message: _Marks) -> None:
        self.marks = message.count
        self._show_chips()
        self.refresh_bindings()
        if message.note:
            self.notify(message.note)
            for name in PANES:
                self.pane(name).load(self.pane(name).filter, keep_cursor=True)

    # -- export, source, help -------------------------------------------------------------------
    # (their screens are imported when first opened: the first screen does not need them)

    @work(exclusive=True, group="export")
    async def action_export(self) -> None:
        from ...db.exporters import Selection, write_file
        from .export import ConfirmScreen, ExportScreen, default_export_path

        if self.marks:
            selection, note = Selection(marked=True), f"Exporting the {self.marks:,} marked items."
        else:
            only = frozenset({"quote"}) if self.query_text.strip() and self.scope == "quotes" \
                else frozenset()
            flt = replace(self.links, text=self.query_text)
            selection = Selection(filter=flt, only=only)
            note = "Nothing is marked: exporting what the panes show."
        path = await self.app.push_screen_wait(
            ExportScreen(default_export_path(Path.cwd(), self.app.title), note))
        if path is None:
            return
        if path.exists() and not await self.app.push_screen_wait(
                ConfirmScreen(Text.assemble(f"{path.name} exists. Overwrite it?"))):
            return
        try:
            summary = await asyncio.to_thread(write_file, self.explorer.library, selection,
                                              path, force=True)
        except (LibraryError, OSError) as exc:
            self.notify(clean(str(exc)), title="Export failed", severity="error", markup=False)
            return
        self.notify(clean(f"Wrote {_summary(summary)} to {path}"), title="Exported", markup=False)

    @work(thread=True, exclusive=True, group="copy", exit_on_error=False)
    def action_copy_marked(self) -> None:
        text = self.explorer.marked_markdown()
        self.app.call_from_thread(self.app.copy_to_clipboard, text)
        self.app.call_from_thread(self.notify, f"Copied {self.marks:,} marked items as Markdown")

    def action_open_source(self) -> None:
        pane = self.focused
        if isinstance(pane, ItemList) and pane.item is not None:
            from .source import SourceScreen

            self.app.push_screen(SourceScreen(self.explorer, pane.item, self.query_text))

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(MAIN_COMMANDS))


def _count(count: int, pane: str) -> str:
    word = {"quotes": "quote", "timeline": "event", "actors": "actor"}[pane]
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _summary(summary: object) -> str:
    describe = getattr(summary, "describe", None)
    return describe() if callable(describe) else "the selection"
