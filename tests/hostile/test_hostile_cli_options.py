"""Hostile values for the command line's search, its filters and the export path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from .support import cli, fingerprint, one_error_line

QUERIES = ['"', '""', '"unclosed phrase', "NEAR(a b)", "a OR b", "a AND NOT b", "col:x", "x*", "^x",
           "-x", "+", "(", ")", "{a b}", "[bold]x[/]", "[@click=app.quit]x[/]", "\x1b[31mred",
           "\x1b]52;c;eA==\x07", "\u202eevil", "\u200b", "\x00", "a" * 100_000, '"' * 1001,
           " ".join(["Mam"] * 500), "🙂", "Ǆ", "ﬁ", "İ", "ß", "Σ", "Mam\u0301"]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: ascii(q)[:30])
def test_search_takes_any_query(library: Path, query: str) -> None:
    as_json = cli("search", "--db", str(library), "--in", "all", "--format", "json", "--", query)
    assert as_json.exit_code == 0, as_json.output
    doc = json.loads(as_json.stdout)
    assert doc["query"] == query and doc["total"] >= len(doc["results"])
    as_text = cli("search", "--db", str(library), "--", query)
    if as_text.exit_code == 1:
        assert as_text.stderr.startswith("no quotes match ") and len(as_text.stderr.splitlines()) == 1
    else:
        assert as_text.exit_code == 0, as_text.output
    assert "\x1b" not in as_text.output and "\u202e" not in as_text.output


@pytest.mark.parametrize(("args", "code"), [
    (["--limit", "0"], 2), (["--limit", "-1"], 2), (["--limit", "99999999999999999999"], 2),
    (["--limit", "ten"], 2), (["--in", "everything"], 2), (["--format", "xml"], 2),
])
def test_bad_search_options_are_usage_errors(library: Path, args: list[str], code: int) -> None:
    result = cli("search", "x", "--db", str(library), *args)
    assert result.exit_code == code and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2019-02-30"], "not a date: '2019-02-30' (day 30 does not exist in that month)"),
    (["--until", "2019-13"], "(month 13 does not exist)"),
    (["--since", "0000"], "(there is no year 0)"),
    (["--since", "99999"], "not a date: '99999' (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    (["--since", "\x1b[31m2019"], "not a date: '\\x1b[31m2019'"),
    (["--since", "2020", "--until", "2019-12"], "--since 2020 is after --until 2019-12: nothing can match"),
    (["--actor", "[bold]Nobody[/bold]"], "no actor named '[bold]Nobody[/bold]'"),
    (["--actor", ""], "no actor named ''"),
    (["--only", "quotes", "--actor", "\u202eNobody"], "no actor named '\\u202eNobody'"),
])
def test_bad_export_filters_are_one_line(library: Path, args: list[str], message: str) -> None:
    before = fingerprint(library)
    line = one_error_line(cli("export", "--db", str(library), *args))
    assert message in line, line
    assert "\x1b" not in line
    assert fingerprint(library) == before


@pytest.mark.parametrize("query", ['"', "NEAR(", "[/]", "\x00", "a OR", "*"])
def test_export_query_takes_any_text(library: Path, query: str) -> None:
    result = cli("export", "--db", str(library), "--format", "json", "--query", query)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["format"] == "coup-explorer/1"


@pytest.mark.parametrize(("output", "message"), [
    ("", "no file name given"),
    ("   ", "no file name given"),
    (".", ". is a directory: give a file name"),
    ("{dir}", "is a directory: give a file name"),
    ("new-folder/", "new-folder/ is a directory: give a file name"),
    ("missing/deeper/x.md", "cannot write missing/deeper/x.md: no directory missing/deeper"),
    ("a-file.md/x.md", "cannot write a-file.md/x.md: not a directory: a-file.md"),
    ("nul\x00name.md", "the file name 'nul\\x00name.md' holds control character 0x00"),
    ("line\nbreak.md", "holds control character 0x0a"),
    ("\x1b[31mred.md", "holds control character 0x1b"),
    ("dossier.docx", "cannot tell the export format from 'dossier.docx'"),
    (".md", "cannot tell the export format from '.md'"),
    ("a-file.md", "a-file.md exists: use --force to overwrite"),
])
def test_the_export_path_is_checked_in_one_line(library: Path, tmp_path: Path, monkeypatch,
                                                output: str, message: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "a-file.md").write_text("keep me", encoding="utf-8")
    monkeypatch.chdir(work)
    before = sorted(p.name for p in work.iterdir())
    line = one_error_line(cli("export", "--db", str(library), "--output",
                              output.format(dir=work)))
    assert message in line, line
    assert "\x1b" not in line
    assert sorted(p.name for p in work.iterdir()) == before
    assert (work / "a-file.md").read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("output", ["-rf.md", "./-rf.md", "[bold]x[red].md", "ünï cödé.json"])
def test_odd_but_valid_export_names_are_written(library: Path, tmp_path: Path, monkeypatch,
                                                output: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("export", "--db", str(library), "--only", "actors", "--output", output)
    assert result.exit_code == 0, result.output
    assert (tmp_path / output).stat().st_size > 0
    assert f"to {output}" in result.stderr
