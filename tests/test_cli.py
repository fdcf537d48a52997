"""Every command through typer's CliRunner: output, exit codes, and one-line errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from coup_explorer.db import connect, paths
from coup_explorer.tui.cli import app
from typer.main import get_command
from typer.testing import CliRunner

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def one_line_error(result) -> str:
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def command_paths() -> list[list[str]]:
    root = get_command(app)
    return [[name] for name in root.commands]  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", [[], *command_paths()], ids=lambda p: " ".join(p) or "root")
def test_every_command_has_help(path: list[str]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    summary = result.stdout.split("Usage:")[1]
    assert len(summary.strip().splitlines()) > 2  # a description, not just the usage line


def test_every_command_takes_db() -> None:
    for path in command_paths():
        assert "--db" in run(*path, "--help").stdout, path


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("coup-explorer ")


def test_search_shows_a_table_with_text_literally(story_path: Path) -> None:
    result = run("search", "introduction", "--db", str(story_path))
    assert result.exit_code == 0
    assert "He [Mamani] doesn’t need much" in result.stdout
    assert "Óscar Mercado" in result.stdout


def test_search_json_is_stable(story_path: Path) -> None:
    result = run("--db", str(story_path), "search", "lechin", "--in", "all", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["query"] == "lechin" and doc["in"] == "all" and doc["total"] >= 1
    first = doc["results"][0]
    assert set(first) >= {"type", "id", "rank", "matches"}
    quote = json.loads(run("search", "shake hands", "--format", "json", "--db",
                           str(story_path)).stdout)["results"][0]
    assert quote["speaker"] == "Bolivian Workers Central" and quote["date"] == "2019-11-15"
    assert quote["source_id"] == "wsws-2019-12-17-bolivia-cob"
    text = (Path(paths.bundled_story()).parent / "story.txt").read_text(encoding="utf-8")
    assert text[quote["char_start"]:quote["char_end"]] == quote["text"]


def test_search_with_no_result_says_so(story_path: Path) -> None:
    result = run("search", "zzzzqqq", "--db", str(story_path))
    assert result.exit_code == 1 and "no quotes match" in result.stderr


@pytest.mark.parametrize("query", ['"', "NEAR(", "a:b", "*", "[/bold]", "\x1b[31m"])
def test_search_never_fails_on_odd_input(story_path: Path, query: str) -> None:
    result = run("search", query, "--db", str(story_path), "--format", "json")
    assert result.exit_code == 0 and "results" in json.loads(result.stdout)


def test_search_limit_is_checked(story_path: Path) -> None:
    result = runner.invoke(app, ["search", "x", "--limit", "0", "--db", str(story_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_env_variable_chooses_the_library(story_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(paths.DB_ENV, str(story_path))
    assert run("search", "Mam").exit_code == 0
    assert not paths.default_library().exists()


def test_sources_lists_the_article(story_path: Path) -> None:
    result = run("sources", "--db", str(story_path))
    assert result.exit_code == 0
    assert "wsws-2019-12-17-bolivia-cob" in result.stdout
    assert "Bolivian" in result.stdout and "2019-12-17" in result.stdout


def test_paths_shows_where_files_go(tmp_path: Path) -> None:
    result = run("paths")
    assert result.exit_code == 0
    assert str(paths.default_library()) in result.stdout.replace("\n", "")
    assert "default" in result.stdout


def test_a_missing_library_is_created_from_the_story(tmp_path: Path) -> None:
    target = tmp_path / "new" / "lib.db"
    assert run("search", "COB", "--db", str(target)).exit_code == 0
    assert connect(target, write=False).stats().quotes == 17


@pytest.mark.parametrize(("content", "message"), [
    (b"not a database at all" * 50, "not a coup-explorer library"),
    (b"", "not a coup-explorer library"),
])
def test_a_bad_library_is_one_line_and_unchanged(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    result = runner.invoke(app, ["search", "x", "--db", str(bad)])
    assert message in one_line_error(result)
    assert bad.read_bytes() == content


def test_a_newer_library_is_refused(story_path: Path) -> None:
    sqlite3.connect(story_path).execute("PRAGMA user_version = 99").connection.close()
    result = runner.invoke(app, ["sources", "--db", str(story_path)])
    assert "newer coup-explorer" in one_line_error(result)


def test_reset_needs_yes_without_a_terminal(story_path: Path) -> None:
    with connect(story_path, write=True) as lib:
        lib.mark("quote", 1)
    result = runner.invoke(app, ["reset", "--db", str(story_path)])
    assert "--yes" in one_line_error(result)
    assert connect(story_path, write=False).count_marks() == 1
    result = run("reset", "--yes", "--db", str(story_path))
    assert result.exit_code == 0
    assert connect(story_path, write=False).count_marks() == 0


def test_reset_refuses_a_file_that_is_not_a_library(tmp_path: Path) -> None:
    other = tmp_path / "precious.db"
    other.write_text("my thesis")
    result = runner.invoke(app, ["reset", "--yes", "--db", str(other)])
    assert "not a coup-explorer library" in one_line_error(result)
    assert other.read_text() == "my thesis"


def test_the_bare_command_needs_a_terminal(story_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(story_path)])
    assert "needs a terminal" in one_line_error(result)


# -- export ----------------------------------------------------------------------------


def test_export_json_holds_the_whole_story(story_path: Path) -> None:
    doc = json.loads(run("export", "--format", "json", "--db", str(story_path)).stdout)
    assert doc["format"] == "coup-explorer/1"
    assert len(doc["quotes"]) == 17 and len(doc["events"]) == 39 and len(doc["actors"]) == 41
    text = doc["sources"][0]["text"]
    for quote in doc["quotes"]:
        assert text[quote["char_start"]:quote["char_end"]] == quote["text"]
    speakers = {q["text"]: q["speaker"] for q in doc["quotes"]}
    assert speakers["violent"] == "Vitalino Mamani" and speakers["civilian"] is None
    mamani = next(a for a in doc["actors"] if a["name"] == "Vitalino Mamani")
    assert set(mamani["aliases"]) == {"Mamani", "Vitaliano Mamani"}
    precisions = {e["date_text"]: (e["date"], e["date_precision"]) for e in doc["events"]}
    assert precisions["In April 1952"] == ("1952-04", "month")


def test_export_markdown_to_stdout_by_default(story_path: Path) -> None:
    result = run("export", "--only", "quotes", "--actor", "Mercado", "--db", str(story_path))
    assert result.exit_code == 0
    assert "> He \\[Mamani\\] doesn’t need much of an introduction." in result.stdout
    assert "Óscar Mercado" in result.stdout and "## Timeline" not in result.stdout


def test_export_marked_only(story_path: Path) -> None:
    with connect(story_path, write=True) as lib:
        [quote] = [q for q in lib.quotes() if q.text == "violent"]
        lib.mark("quote", quote.id)
    doc = json.loads(run("export", "--marked", "--format", "json", "--db", str(story_path)).stdout)
    assert [q["text"] for q in doc["quotes"]] == ["violent"] and doc["events"] == []


def test_export_filters_by_date_and_query(story_path: Path) -> None:
    doc = json.loads(run("export", "--format", "json", "--only", "events", "--since", "1951",
                         "--until", "1953", "--db", str(story_path)).stdout)
    assert doc["events"] and all("1951" <= e["date"][:4] <= "1953" for e in doc["events"])
    doc = json.loads(run("export", "--format", "json", "--query", "lechin", "--only", "events",
                         "--db", str(story_path)).stdout)
    assert doc["events"] and all("Lech" in " ".join(e["actors"]) + e["summary"] for e in doc["events"])


def test_export_to_a_file_never_overwrites_without_force(story_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "dossier.md"
    result = run("export", "--output", str(target), "--db", str(story_path))
    assert result.exit_code == 0 and "wrote" in result.stderr and str(target) in result.stderr
    first = target.read_text(encoding="utf-8")
    assert first.startswith("---\n") and "## Quotes" in first
    target.write_text("keep me")
    assert "--force" in one_line_error(runner.invoke(
        app, ["export", "--output", str(target), "--db", str(story_path)]))
    assert target.read_text() == "keep me"
    assert run("export", "-o", str(target), "--force", "--db", str(story_path)).exit_code == 0
    assert target.read_text(encoding="utf-8") != "keep me"


def test_export_format_follows_the_extension(story_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "story.timeline.json"
    run("export", "-o", str(target), "--db", str(story_path))
    assert "events" in json.loads(target.read_text(encoding="utf-8"))
    csv_file = tmp_path / "quotes.csv"
    run("export", "-o", str(csv_file), "--db", str(story_path))
    assert csv_file.read_text(encoding="utf-8").startswith("id,text,speaker")


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "last week"], "not a date"),
    (["--until", "2019-02-30"], "does not exist"),
    (["--actor", "Nobody Atall"], "no actor named"),
    (["--output", "dossier.docx"], "cannot tell the export format"),
])
def test_export_mistakes_are_one_line(story_path: Path, tmp_path: Path, args: list[str],
                                      message: str, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["export", *args, "--db", str(story_path)])
    assert message in one_line_error(result)
    assert not (tmp_path / "dossier.docx").exists()


@pytest.mark.parametrize(("argv", "expected"), [
    ([], (True, None)),
    (["--db", "lib.db"], (True, "lib.db")),
    (["--db=lib.db"], (True, "lib.db")),
    (["--db"], (False, None)),
    (["--db", "--help"], (False, None)),
    (["--help"], (False, None)),
    (["--version"], (False, None)),
    (["search", "x"], (False, None)),
    (["--db", "lib.db", "search", "x"], (False, None)),
])
def test_only_a_plain_launch_skips_the_batch_command_line(argv, expected) -> None:
    from coup_explorer.tui.launch import app_arguments

    assert app_arguments(argv) == expected


def test_the_app_opens_without_loading_the_batch_command_line() -> None:
    """typer, sqlite-utils, the importers and exporters stay off the path to the first screen."""
    import subprocess
    import sys

    probe = ("import sys, coup_explorer.tui.launch, coup_explorer.tui.app; "
             "print(sorted(m for m in ('typer', 'sqlite_utils', 'coup_explorer.db.importers', "
             "'coup_explorer.db.exporters', 'coup_explorer.tui.cli') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                            text=True).stdout.strip()
    assert loaded == "[]"


def test_the_entry_point_without_a_terminal_says_so_in_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "coup_explorer.tui.launch", "--db",
                           str(tmp_path / "lib.db")], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "coup-explorer: error: the app needs a terminal (see 'coup-explorer --help' for the "
        "batch commands)"]
