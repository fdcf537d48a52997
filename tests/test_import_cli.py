"""``coup-explorer import`` through typer's CliRunner, registered as the lead's cli.py does."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from coup_explorer.db import connect
from coup_explorer.tui.import_command import import_command

ARTICLE = "“We will not give up the fight for our wages,” said Ana Quispe on Monday.\n"


def make_app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = {}

    app.command("import")(import_command)
    return app


def invoke(*args: str):
    return CliRunner().invoke(make_app(), ["import", *args])


def test_help() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for option in ("--format", "--dry-run", "--title", "--date", "--url", "--outlet", "--author", "--db"):
        assert option in result.output


def test_import_then_again(tmp_path: Path, story_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    first = invoke(str(article), "--db", str(story_path), "--date", "2019-12-17", "--title", "Wages")
    assert first.exit_code == 0, first.output
    assert "added" in first.output and "1 sources" in first.output
    second = invoke(str(article), "--db", str(story_path))
    assert second.exit_code == 0
    assert "already imported" in second.output
    with connect(story_path, write=False) as lib:
        assert any(s.title == "Wages" and s.published == "2019-12-17" for s in lib.sources())


def test_failures_are_one_line_each_and_exit_1(tmp_path: Path, story_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\x00\x01binary")
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    result = invoke(str(tmp_path), str(tmp_path / "missing.txt"), "--db", str(story_path))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("coup-explorer: error:")]
    assert len(errors) == 4
    assert "Traceback" not in result.output + result.stderr
    assert any("missing.txt: no such file" in line for line in errors)
    assert "failed" in result.stdout and "added" in result.stdout


def test_dry_run_writes_nothing(tmp_path: Path, story_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with connect(story_path, write=False) as lib:
        before = lib.stats()
    result = invoke(str(tmp_path / "a.txt"), "--db", str(story_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would add" in result.output and "Ana Quispe" in result.output
    assert "nothing was written" in result.output
    with connect(story_path, write=False) as lib:
        assert lib.stats() == before


def test_bad_options_are_one_line(tmp_path: Path, story_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = invoke(str(tmp_path / "a.txt"), "--db", str(story_path), "--date", "2019-13-01")
    assert result.exit_code == 1
    assert result.stderr.startswith("coup-explorer: error: date:")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    bad_format = invoke(str(tmp_path / "a.txt"), "--format", "pdf")
    assert bad_format.exit_code == 2


def test_text_with_markup_is_shown_literally(tmp_path: Path, story_path: Path) -> None:
    (tmp_path / "[bold]x[red].txt").write_bytes(b"\xff")
    result = invoke(str(tmp_path / "[bold]x[red].txt"), "--db", str(story_path))
    assert "[bold]x[red].txt" in result.stderr
