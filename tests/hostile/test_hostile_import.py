"""The hostile corpus (``corpus.CASES``) through ``coup-explorer import``.

Rejected: exactly one stderr line naming the file and the problem, exit status 1,
no traceback, the library unchanged (row counts and a hash of every row).
Imported: the quote is held exactly, shown literally by the app's display
functions, and exported literally to JSON, CSV and Markdown.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from .corpus import BY_NAME, CASES, HOSTILE_QUOTE, MARKDOWN, MARKUP, Case, write
from .literal import assert_exported_literally, assert_shown_literally
from .support import cli, fingerprint, one_error_line

from coup_explorer.db import connect
from coup_explorer.db.importers.files import decode

REJECTED = [c for c in CASES if c.outcome == "rejected"]
IMPORTED = [c for c in CASES if c.outcome == "imported"]


def test_every_case_says_what_it_expects() -> None:
    assert len(BY_NAME) == len(CASES)
    assert all(c.outcome in ("rejected", "imported") for c in CASES)
    assert all(c.expect for c in REJECTED)
    assert len(REJECTED) >= 40 and len(IMPORTED) >= 8


@pytest.mark.parametrize("case", REJECTED, ids=str)
def test_rejected_in_one_line_and_the_library_is_unchanged(case: Case, library: Path,
                                                          tmp_path: Path) -> None:
    path = write(case, tmp_path)
    before = fingerprint(library)
    line = one_error_line(cli("import", "--db", str(library), "--", str(path)))
    assert line.startswith(f"coup-explorer: error: {path}: "), line
    assert case.expect in line, line
    assert fingerprint(library) == before


def _exports(library: Path) -> dict[str, str]:
    found = {}
    for fmt in ("json", "csv", "md"):
        result = cli("export", "--marked", "--only", "quotes", "--format", fmt, "--db", str(library))
        assert result.exit_code == 0, result.output
        found[fmt] = result.stdout
    return found


@pytest.mark.parametrize("case", IMPORTED, ids=str)
def test_imported_then_shown_and_exported_literally(case: Case, library: Path, tmp_path: Path) -> None:
    path = write(case, tmp_path)
    result = cli("import", "--db", str(library), "--", str(path))
    assert result.exit_code == 0 and result.stderr == "", result.output
    assert "added" in result.stdout
    with connect(library, write=True) as lib:
        [newest] = lib.conn.execute("SELECT id, text FROM sources ORDER BY id DESC LIMIT 1").fetchall()
        assert lib.source_text(newest[0]) == newest[1]
        if case.expect is None:  # no quote: the text itself is kept exactly
            assert newest[1] == decode(path.read_bytes()).strip("\n")
            assert lib.conn.execute("SELECT count(*) FROM quotes WHERE source_id = ?",
                                    (newest[0],)).fetchone()[0] == 0
            assert_shown_literally(newest[1][:2000])
            return
        row = lib.conn.execute("SELECT id FROM quotes WHERE text = ? AND source_id = ?",
                               (case.expect, newest[0])).fetchone()
        assert row is not None, lib.conn.execute(
            "SELECT text FROM quotes WHERE source_id = ?", (newest[0],)).fetchall()
        lib.mark("quote", row[0])
    assert_shown_literally(case.expect)
    assert_exported_literally(case.expect, _exports(library))


@pytest.mark.parametrize("form", ["after --", "as ./-rf.txt"])
def test_a_file_named_like_an_option(form: str, library: Path, tmp_path: Path, monkeypatch) -> None:
    write(BY_NAME["-rf.txt"], tmp_path)
    monkeypatch.chdir(tmp_path)
    args = ["--", "-rf.txt"] if form == "after --" else ["./-rf.txt"]
    result = cli("import", "--db", str(library), *args)
    assert result.exit_code == 0 and "added" in result.stdout, result.output
    assert (tmp_path / "-rf.txt").exists()
    bare = cli("import", "--db", str(library), "-rf.txt")  # without --: an unknown option
    assert bare.exit_code == 2 and "Traceback" not in bare.output


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "2019-02-30"], "date: not a date: '2019-02-30' (day 30 does not exist in that month)"),
    (["--date", "0000-01-01"], "(there is no year 0)"),
    (["--date", "99999-01-01"], "is not a date written YYYY-MM-DD"),
    (["--title", "Red \x1b[31mtitle"], "title: control character 0x1b (ESC) at character 4"),
    (["--author", "x\udcff"], "author: not valid Unicode (lone surrogate 0xdcff)"),
])
def test_bad_options_are_one_line_before_any_file(library: Path, tmp_path: Path, args: list[str],
                                                  message: str) -> None:
    path = write(BY_NAME["-rf.txt"], tmp_path)
    before = fingerprint(library)
    line = one_error_line(cli("import", "--db", str(library), *args, "--", str(path)))
    assert message in line
    assert fingerprint(library) == before


def test_a_folder_of_the_whole_corpus_fails_file_by_file(library: Path, tmp_path: Path) -> None:
    """Every rejected file gets its own line; the imported ones are added all the same."""
    small = [c for c in CASES if c.name not in ("long-line.txt", "unclosed-quote.txt")]
    for case in small:
        write(case, tmp_path)
    result = cli("import", "--db", str(library), str(tmp_path))
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert all(line.startswith("coup-explorer: error: ") for line in errors), result.stderr
    failed = {Path(line.split(": ")[2]).name for line in errors}
    assert failed == {c.name for c in small if c.outcome == "rejected"}
    with connect(library) as lib:
        held = {r[0] for r in lib.conn.execute("SELECT text FROM quotes")}
    assert {c.expect for c in small if c.outcome == "imported"} <= held


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_hostile_text_in_csv_and_jsonl_is_kept_literally(fmt: str, library: Path, tmp_path: Path) -> None:
    text = HOSTILE_QUOTE + "\n\n" + MARKDOWN
    src = {"id": f"src-{fmt}", "title": MARKUP, "text": text}
    quote = {"id": f"q-{fmt}", "text": HOSTILE_QUOTE, "source_id": src["id"], "paragraph": 1,
             "char_start": 0, "char_end": len(HOSTILE_QUOTE)}
    if fmt == "csv":
        (tmp_path / "sources.csv").write_text(_csv([src]), encoding="utf-8", newline="")
        path = tmp_path / "quotes.csv"
        path.write_text(_csv([quote]), encoding="utf-8", newline="")
    else:
        path = tmp_path / "data.jsonl"
        path.write_text("\n".join(json.dumps({"type": t, **r}) for t, r in
                                  (("source", src), ("quote", quote))), encoding="utf-8")
    result = cli("import", "--db", str(library), str(path))
    assert result.exit_code == 0 and result.stderr == "", result.output
    with connect(library, write=True) as lib:
        row = lib.conn.execute("SELECT q.id, s.title, s.text FROM quotes q JOIN sources s "
                               "ON s.id = q.source_id WHERE q.uid = ?", (quote["id"],)).fetchone()
        assert row[1:] == (MARKUP, text)
        lib.mark("quote", row[0])
    assert_shown_literally(HOSTILE_QUOTE)
    assert_exported_literally(HOSTILE_QUOTE, _exports(library))
