"""Pilot tests of the explorer app on the bundled story."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from coup_explorer.db import connect, paths
from coup_explorer.db.models import Actor, Event, Quote
from coup_explorer.tui.app import ExplorerApp
from coup_explorer.tui.commands import MAIN_COMMANDS
from coup_explorer.tui.screens.export import ConfirmScreen, ExportScreen
from coup_explorer.tui.screens.help import HelpScreen
from coup_explorer.tui.screens.source import SourceScreen
from coup_explorer.tui.widgets.item_list import ItemList
from coup_explorer.tui.widgets.key_bar import KeyBar
from rich.text import Text
from textual.app import App

pytestmark = pytest.mark.asyncio
SIZE = (160, 45)
BRACKETED = "He [Mamani] doesn’t need much of an introduction."


async def settle(pilot) -> None:
    """Let every worker finish and every message land."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(pilot, condition, tries: int = 60) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never became true")


def record_notes(app) -> list[tuple[str, str]]:
    """Every notification the app shows from now on, as (message, severity)."""
    notes: list[tuple[str, str]] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        notes.append((str(message), kwargs.get("severity", "information")))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return notes


def shown(widget) -> str:
    """The text a Static shows, as plain text."""
    visual = widget.render()
    return visual.plain if isinstance(visual, Text) else str(visual)


def pane(app, name: str) -> ItemList:
    return app.screen.query_one(f"#{name}", ItemList)


async def search(pilot, text: str) -> None:
    await pilot.press("slash", *text)
    await settle(pilot)


def made_up_actors(total: int, *, calls: list[int] | None = None,
                   gate: threading.Event | None = None):
    """A pane's fetch over ``total`` made-up actors; it notes each offset in ``calls`` and
    waits for ``gate`` (when given) before answering."""
    from coup_explorer.tui.explorer import PAGE_SIZE, Page

    def fetch(kind, flt, offset):
        if calls is not None:
            calls.append(offset)
        if gate is not None:
            gate.wait(10)
        items = tuple(Actor(i, f"a{i}", f"Actor {i}", "person", None, (), 0, 0)
                      for i in range(offset, min(offset + PAGE_SIZE, total)))
        return Page(offset, items, frozenset())

    return fetch


class OneList(App):
    """An app holding nothing but one ItemList of actors."""

    def __init__(self, fetch, count) -> None:
        super().__init__()
        self.fetch, self.count = fetch, count

    def compose(self):
        yield ItemList("actor", "Actors", self.fetch, self.count, id="list")


async def test_opens_with_three_panes_counts_and_histogram(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Áñez" in app.title
        assert "39 events" in app.sub_title and "17 quotes" in app.sub_title
        assert pane(app, "timeline").count == 39
        assert pane(app, "quotes").count == 17
        assert pane(app, "actors").count == app.screen.explorer.library.count_actors()
        assert app.focused is pane(app, "quotes")
        histogram = app.screen.query_one("Histogram")
        assert sum(f.count for f in histogram.facets) == 39
        assert "Quote" in str(app.screen.query_one("#detail").border_title)
        assert isinstance(pane(app, "timeline").item, Event)


async def test_start_up_reads_the_rows_first_and_the_rest_after(
        story_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The histogram, the detail, the number of marks and the header's counts are read only
    once every pane has its first rows."""
    from coup_explorer.db import Library
    from coup_explorer.tui.explorer import Explorer

    app = ExplorerApp(story_path)
    reads: list[tuple[str, list[bool]]] = []

    def recorded(name: str, original):
        def read(*args, **kwargs):
            panes = [pane(app, n) for n in ("timeline", "actors", "quotes")]
            reads.append((name, [p.pending for p in panes]))
            return original(*args, **kwargs)
        return read

    for cls, name in ((Explorer, "histogram"), (Explorer, "context"), (Explorer, "count_marks"),
                      (Library, "stats")):
        monkeypatch.setattr(cls, name, recorded(name, getattr(cls, name)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert {name for name, _ in reads} == {"histogram", "context", "count_marks", "stats"}
        assert all(pending == [False, False, False] for _, pending in reads)
        assert "17 quotes" in app.sub_title
        assert "Quote" in str(app.screen.query_one("#detail").border_title)


async def test_the_screen_is_first_laid_out_with_every_pane_showing_rows(
        story_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first frame is not one of empty panes: the screen waits for their first rows."""
    from coup_explorer.tui.screens.main import MainScreen

    app = ExplorerApp(story_path)
    layouts: list[list[bool]] = []
    made = MainScreen.__init__

    def watched(self, *args, **kwargs) -> None:
        made(self, *args, **kwargs)
        self.screen_layout_refresh_signal.subscribe(app, lambda screen: layouts.append(
            [pane(app, n).pending for n in ("timeline", "actors", "quotes")]), immediate=True)

    monkeypatch.setattr(MainScreen, "__init__", watched)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert layouts and layouts[0] == [False, False, False]


async def test_the_plain_launch_freezes_what_the_imports_made(
        story_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The garbage collector does not walk the modules' objects while the app runs."""
    import gc
    import sys

    from coup_explorer.tui import launch

    frozen: list[int] = []
    monkeypatch.setattr(ExplorerApp, "run", lambda self: frozen.append(gc.get_freeze_count()))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    try:
        assert launch.open_app(story_path) == 0
    finally:
        gc.unfreeze()
    assert frozen and frozen[0] > 10_000


async def test_the_first_screen_does_not_load_the_other_screens() -> None:
    """The source view, the help and the export dialog are imported when first opened."""
    import subprocess
    import sys

    probe = ("import sys, coup_explorer.tui.launch, coup_explorer.tui.app; "
             "print(sorted(m for m in sys.modules if m.startswith('coup_explorer.tui.screens.')))")
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                            text=True).stdout.strip()
    assert loaded == "['coup_explorer.tui.screens.main']"


async def test_search_is_accent_insensitive_and_prefix(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "vitaliano")  # the article's misspelling, an alias of Mamani
        quotes = pane(app, "quotes")
        assert quotes.count == 6
        assert all(isinstance(q, Quote) and q.speaker == "Vitalino Mamani"
                   for q in quotes.visible_items())
        assert "6 quotes" in shown(app.screen.query_one("#search-info"))
        await pilot.press(*["backspace"] * 9, *"mam")  # a prefix
        await settle(pilot)
        assert quotes.count == 7
        # events and actors only follow the search when the scope is "everything"
        assert pane(app, "timeline").count == 39
        await pilot.press("escape")  # clears and returns to the pane
        await settle(pilot)
        await pilot.press("s")
        await search(pilot, "anez")  # accents: Áñez
        assert pane(app, "quotes").count == 0
        assert pane(app, "timeline").count == 6
        assert any("Áñez" in a.name for a in pane(app, "actors").visible_items())


async def test_bracketed_quote_is_shown_literally(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "introduction")
        assert pane(app, "quotes").count == 1
        await pilot.press("enter")  # to the first result
        await settle(pilot)
        assert app.focused is pane(app, "quotes")
        detail = shown(app.screen.query_one("#detail-body"))
        assert BRACKETED in detail
        assert "Óscar Mercado" in detail
        lines = [pane(app, "quotes").render_line(y).text for y in range(3)]
        assert any("He [Mamani] doesn’t need" in line for line in lines)


async def test_typing_never_waits_and_escape_clears(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "quotation_mark", *"shake hands", "quotation_mark")
        # no settling: every keystroke landed in the bar at once
        assert app.screen.query_one("#search").value == '"shake hands"'
        await settle(pilot)
        assert pane(app, "quotes").count == 1  # the phrase
        assert "shake hands" in pane(app, "quotes").item.text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#search").value == ""
        assert pane(app, "quotes").count == 17
        assert isinstance(app.focused, ItemList)


async def test_choosing_an_actor_narrows_timeline_and_quotes(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.focused is pane(app, "actors")
        actors = pane(app, "actors").visible_items()
        row = next(i for i, a in enumerate(actors) if a.name == "Vitalino Mamani")
        pane(app, "actors").move_to(row)
        await pilot.press("f")
        await settle(pilot)
        assert pane(app, "timeline").count == 6
        assert pane(app, "quotes").count == app.screen.explorer.library.count_quotes(
            app.screen.links)
        assert all("Vitalino Mamani" in e.actors for e in pane(app, "timeline").visible_items())
        assert "actor: Vitalino Mamani" in shown(app.screen.query_one("#filters"))
        await pilot.press("c")
        await settle(pilot)
        assert pane(app, "timeline").count == 39
        assert "No filters" in shown(app.screen.query_one("#filters"))


async def test_choosing_an_event_shows_its_actors_and_quotes(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        event = pane(app, "timeline").item
        assert isinstance(event, Event)
        await pilot.press("f")
        await settle(pilot)
        names = {a.name for a in pane(app, "actors").visible_items()}
        assert names == set(event.actors)
        assert "event:" in shown(app.screen.query_one("#filters"))


async def test_tab_and_numbers_move_between_panes(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is pane(app, "quotes")
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is pane(app, "timeline")
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is pane(app, "actors")
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is pane(app, "timeline")
        await pilot.press("3")
        await pilot.pause()
        assert app.focused is pane(app, "quotes")


async def test_marks_survive_searches_and_restarts(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = pane(app, "quotes").item
        await pilot.press("space")
        await settle(pilot)
        assert pane(app, "quotes").is_marked(first.id)
        assert app.screen.marks == 1
        assert "1 marked" in shown(app.screen.query_one("#filters"))
        assert pane(app, "quotes").render_line(0).text.startswith("●")
        await search(pilot, "mam")
        await pilot.press("escape")
        await settle(pilot)
        assert pane(app, "quotes").is_marked(first.id)
        await pilot.press("1", "a")  # mark every event shown
        await settle(pilot)
        assert app.screen.marks == 40
    with connect(story_path, write=False) as lib:
        assert lib.count_marks("quote") == 1 and lib.count_marks("event") == 39
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.marks == 40
        assert pane(app, "quotes").is_marked(first.id)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.marks == 0
        assert not pane(app, "quotes").is_marked(first.id)


async def test_export_writes_the_marked_quote_as_a_blockquote(
        story_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "introduction")
        await pilot.press("enter", "space")
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        field = app.screen.query_one("#export-path")
        assert app.focused is field
        default = Path(field.value)
        assert default.parent == tmp_path and default.suffix == ".md"
        await pilot.press("enter")
        await wait_for(pilot, default.exists)
        text = default.read_text(encoding="utf-8")
        assert "> He \\[Mamani\\] doesn’t need much of an introduction." in text
        assert "— Óscar Mercado" in text and "World Socialist Web Site, ¶4" in text
        await wait_for(pilot, lambda: any("Wrote 1 quote" in n.message
                                          for n in app._notifications))
        # again, to the same file: it asks, and "n" leaves the file alone
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one("#export-path").value = str(default)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert default.read_text(encoding="utf-8") == text


async def test_export_chooses_the_format_by_extension_and_exports_shown(
        story_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert "Nothing is marked" in shown(app.screen.query_one("#export-note"))
        target = tmp_path / "all.json"
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, target.exists)
        data = json.loads(target.read_text(encoding="utf-8"))
        assert len(data["quotes"]) == 17 and len(data["events"]) == 39
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one("#export-path").value = str(tmp_path / "x.docx")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)  # an unknown extension is refused
        assert shown(app.screen.query_one("#export-error"))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)


async def test_copy_marked_as_markdown(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "introduction")
        await pilot.press("enter", "space")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert copied and "> He \\[Mamani\\] doesn’t need" in copied[0]


async def test_source_view_scrolls_to_the_paragraph_and_escape_returns(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "introduction")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SourceScreen))
        await settle(pilot)
        screen = app.screen
        target = screen.query_one("#p4")
        assert "-target" in target.classes
        assert BRACKETED in shown(target)
        assert len(screen.query(".paragraph")) == 26
        await pilot.pause(0.1)
        article = screen.query_one("#article")
        assert article.scroll_y > 0
        assert target.region.y >= article.region.y
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#search").value == "introduction"
        assert app.focused is pane(app, "quotes")


async def test_help_lists_every_key_and_quits(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


def bar_keys(app) -> dict[str, bool]:
    """The key bar's keys: description -> enabled."""
    return {key.description: key.enabled for key in app.screen.query_one(KeyBar).keys}


async def test_key_bar_shows_the_keys_that_apply_now(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = bar_keys(app)
        shown_commands = [c.label for c in MAIN_COMMANDS if c.footer and c.label in keys]
        assert list(keys) == shown_commands  # declared once, shown in the declared order
        assert {"Search", "Help", "Source", "Filter", "Mark", "Export", "Quit"} <= set(keys)
        assert not {"Clear filters", "Copy", "Clear marks"} & set(keys)
        line = app.screen.query_one(KeyBar).render().plain
        assert line.startswith(" / Search  ? Help ") and line.rstrip().endswith("▏^p palette")
        await search(pilot, "introduction")
        assert list(bar_keys(app)) == ["Search"]  # typing: the letters are the search's
        await pilot.press("enter")
        await settle(pilot)
        assert "Clear filters" in bar_keys(app)
        await pilot.press("space")
        await settle(pilot)
        assert {"Copy", "Clear marks"} <= set(bar_keys(app))
        await pilot.press("c")
        await settle(pilot)
        assert "Clear filters" not in bar_keys(app)


async def test_key_bar_disables_pane_keys_on_an_empty_pane(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert bar_keys(app)["Mark"] is True
        await search(pilot, "zzzzqqq")
        await pilot.press("enter")
        await settle(pilot)
        assert pane(app, "quotes").count == 0
        assert bar_keys(app)["Mark"] is False and bar_keys(app)["Source"] is False


async def test_clicking_a_key_in_the_key_bar_runs_it(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = app.screen.query_one(KeyBar).render().plain
        await pilot.click(KeyBar, offset=(line.index("? Help") + 2, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await pilot.pause()
        line = app.screen.query_one(KeyBar).render().plain
        await pilot.hover(KeyBar, offset=(line.index("e Export") + 2, 0))
        await pilot.pause()
        assert app.screen.query_one(KeyBar).tooltip == next(
            c.help for c in MAIN_COMMANDS if c.label == "Export")


async def test_palette_jumps_to_an_actor(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"lechin")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.chosen_actor == "Juan Lechín"
        assert app.focused is pane(app, "actors")
        assert pane(app, "actors").item.name == "Juan Lechín"


async def test_theme_is_remembered(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert json.loads(paths.config_file().read_text())["theme"] == "nord"
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "nord"


async def test_broken_settings_file_is_ignored(story_path: Path) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text("{not json")
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pane(app, "quotes").count == 17


async def test_control_characters_and_markup_in_data_are_shown_literally(
        story_path: Path) -> None:
    with connect(story_path, write=True) as lib:
        lib.conn.execute("UPDATE actors SET name = ? WHERE uid = 'cob'",
                         ("[bold]COB[/bold] \x1b[31mred\x1b[0m\x07",))
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        line = pane(app, "actors").render_line(0).text
        assert "[bold]COB[/bold] red" in line
        assert "\x1b" not in line and "\x07" not in line
        await pilot.press("f")
        await settle(pilot)
        assert "[bold]COB[/bold] red" in shown(app.screen.query_one("#filters"))


async def test_narrow_terminal_shows_one_pane_at_a_time(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-narrow")
        assert pane(app, "quotes").display and not pane(app, "actors").display
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        assert pane(app, "actors").display and not pane(app, "quotes").display
        assert app.focused is pane(app, "actors")


async def test_virtual_list_fetches_pages_on_demand(story_path: Path) -> None:
    """The list holds a few pages at a time and its count is the whole result; the last
    page is fetched after the count, so that `end` is instant."""
    from coup_explorer.tui.widgets.item_list import MAX_PAGES

    calls: list[int] = []
    app = OneList(made_up_actors(100_000, calls=calls), lambda kind, flt: 100_000)
    async with app.run_test(size=(60, 20)) as pilot:
        item_list = app.query_one(ItemList)
        item_list.load(item_list.filter)
        await settle(pilot)
        assert item_list.count == 100_000
        assert item_list.virtual_size.height == 100_000
        assert calls == [0, 99_900]
        item_list.focus()
        await pilot.press("end")
        await settle(pilot)
        assert item_list.item.name == "Actor 99999"
        assert calls == [0, 99_900]
        item_list.move_to(50_050)
        await settle(pilot)
        assert item_list.item.name == "Actor 50050"
        assert 50_000 in calls and len(calls) <= 4  # the pages in view there, no more
        for row in range(0, 100_000, 7_919):
            item_list.move_to(row)
            await settle(pilot)
            assert item_list.item.name == f"Actor {row}"
        assert len(item_list._pages) <= MAX_PAGES


async def test_a_jump_is_drawn_when_its_rows_come_and_placeholders_only_if_slow() -> None:
    """A frame of placeholders before the rows would cost as much as the rows' own."""
    from coup_explorer.tui.widgets.item_list import JUMP_GRACE

    release = threading.Event()
    release.set()
    app = OneList(made_up_actors(100_000, gate=release), lambda kind, flt: 100_000)
    async with app.run_test(size=(60, 20)) as pilot:
        item_list = app.query_one(ItemList)
        item_list.load(item_list.filter)
        await settle(pilot)
        release.clear()  # the rows will be slow
        item_list.move_to(50_000)
        await pilot.pause(JUMP_GRACE / 4)
        assert item_list.scroll_offset.y < 1_000  # still the old rows: no placeholders yet
        await pilot.pause(JUMP_GRACE * 2)
        assert item_list.scroll_offset.y > 49_000 and item_list.item is None  # placeholders
        release.set()
        await settle(pilot)
        assert item_list.item.name == "Actor 50000"
        release.set()  # quick rows: the jump is drawn with them, in one go
        item_list.move_to(20_000)
        assert item_list.scroll_offset.y > 49_000
        await settle(pilot)
        assert item_list.scroll_offset.y <= 20_000 < item_list.scroll_offset.y + 20
        assert item_list.item.name == "Actor 20000"


async def test_reload_shows_what_another_process_imported(story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pane(app, "quotes").count == 17
        with connect(story_path, write=True) as other:  # an import, from another connection
            text = "The minister said: “We will not negotiate.”"
            with other.transaction():
                source = other.add_source(uid="other", title="Another article", text=text)
                other.add_quote(uid="other-q", text="We will not negotiate.", kind="speech",
                                source_id=source, paragraph=1, char_start=20, char_end=42)
        await pilot.press("r")
        await settle(pilot)
        assert pane(app, "quotes").count == 18
        assert "18 quotes" in app.sub_title and "2 sources" in app.sub_title


async def test_enter_goes_to_the_first_pane_with_results_when_searching_everything(
        story_path: Path) -> None:
    app = ExplorerApp(story_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await search(pilot, "lechin")  # never quoted: events and an actor match
        assert pane(app, "quotes").count == 0 and pane(app, "timeline").count == 3
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is pane(app, "timeline")
        assert "Lech" in pane(app, "timeline").item.summary + " ".join(pane(app, "timeline").item.actors)


async def test_first_rows_are_shown_before_the_whole_result_is_counted() -> None:
    """Counting a million matches takes a while: the rows must not wait for it."""
    release = threading.Event()

    def count(kind, flt):
        release.wait(10)
        return 5_000

    app = OneList(made_up_actors(1_000_000), count)
    async with app.run_test(size=(60, 20)) as pilot:
        item_list = app.query_one(ItemList)
        item_list.load(item_list.filter)
        for _ in range(50):
            await pilot.pause(0.01)
            if not item_list.pending:
                break
        assert not item_list.pending and not item_list.counted
        assert item_list.item is not None and item_list.item.name == "Actor 0"
        assert item_list.border_subtitle == "100+ …"
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert item_list.counted and item_list.count == 5_000
        assert item_list.border_subtitle == "5,000"


async def test_a_newer_request_interrupts_the_stale_query_on_its_own_lane(story_path: Path) -> None:
    """Each pane reads on a connection of its own; interrupting one leaves the others alone."""
    from coup_explorer.db.models import Filter
    from coup_explorer.tui.explorer import Explorer, Interrupted

    with connect(story_path, write=True) as library:
        explorer = Explorer(library)
        lane = explorer.lane("quote")
        assert lane is not library and explorer.lane("event") is not lane
        started, outcome = threading.Event(), {}
        slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                "SELECT count(*) FROM n WHERE i < 0")  # runs until interrupted

        def stale_read(lane) -> int:
            started.set()
            return lane.scalar(slow)

        def run() -> None:
            try:
                outcome["value"] = explorer._on_lane("quote", stale_read)
            except Interrupted:
                outcome["interrupted"] = True

        worker = threading.Thread(target=run)
        worker.start()
        assert started.wait(5)
        threading.Event().wait(0.05)
        explorer.interrupt("quote")
        worker.join(5)
        assert not worker.is_alive() and outcome == {"interrupted": True}
        assert explorer.interrupted == 1
        # The lane and the other panes still answer; the library's own connection was untouched.
        assert explorer.count("quote", Filter()) == 17
        assert explorer.page("event", Filter(), 0).items
        assert library.count("quote", Filter()) == 17
        explorer.close()
