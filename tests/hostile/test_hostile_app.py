"""The app with hostile data, hostile searches and hostile export paths (Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from .corpus import BIDI, BY_NAME, HOSTILE_QUOTE, MARKUP, write
from .literal import FORBIDDEN
from .support import cli
from ..test_app import SIZE, pane, settle, shown, wait_for
from textual.widgets import Input

from coup_explorer.tui.app import ExplorerApp
from coup_explorer.tui.display import clean
from coup_explorer.tui.screens.export import ExportScreen

pytestmark = pytest.mark.asyncio


async def test_hostile_quotes_are_shown_literally_and_any_search_is_safe(library: Path,
                                                                         tmp_path: Path) -> None:
    for name in ("hostile-quote.json", "bidi-zero-width.txt", "rich-markup.txt"):
        assert cli("import", "--db", str(library), str(write(BY_NAME[name], tmp_path))).exit_code == 0
    app = ExplorerApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.screen.query_one("#search", Input)
        for query in ('"', "NEAR(a b", "[/]", "[@click=app.quit]x", "\x1b[31m", "a:b*", '"' * 300,
                      "x" * 5000, "\u202e", "OR AND NOT"):
            search.value = query
            await settle(pilot)
            assert app.is_running and app.screen.is_current
        for quote, word in ((HOSTILE_QUOTE, "RLO"), (BIDI, "evil"), (MARKUP, "click")):
            search.value = word
            await settle(pilot)
            quotes = pane(app, "quotes")
            assert [q.text for q in quotes.visible_items()] == [quote]
            quotes.focus()
            await settle(pilot)
            detail = shown(app.screen.query_one("#detail-body"))
            assert clean(quote) in detail and not FORBIDDEN.search(detail)
            row = "".join(quotes.render_line(y).text for y in range(4))
            assert not FORBIDDEN.search(row) and "\x1b" not in row
            assert " ".join(clean(quote).split())[:12] in row  # markup as its characters


async def test_the_export_dialog_refuses_bad_paths_in_one_line(library: Path, tmp_path: Path,
                                                               monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file.md").write_text("x", encoding="utf-8")
    app = ExplorerApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        field = app.screen.query_one("#export-path", Input)
        for value, message in (("", "Give a file name."), ("   ", "Give a file name."),
                               (".", "is a directory"), ("sub/", "is a directory"),
                               ("missing/x.md", "no directory"),
                               ("a-file.md/x.md", "not a directory"),
                               ("a\x00b.md", "holds control character 0x00"),
                               ("\x1b[31mred.md", "holds control character 0x1b"),
                               ("x.docx", "cannot tell the export format"),
                               ("[bold]x[red]", "cannot tell the export format")):
            field.value = value
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen), value
            error = shown(app.screen.query_one("#export-error"))
            assert message in error and "\n" not in error and "\x1b" not in error, (value, error)
        assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".md") == ["a-file.md"]
        field.value = "[bold]x[red].md"
        await pilot.press("enter")
        await wait_for(pilot, (tmp_path / "[bold]x[red].md").exists)
        assert (tmp_path / "[bold]x[red].md").read_text(encoding="utf-8").startswith("---\n")
