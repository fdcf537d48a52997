"""JSON Lines in UTF-8 is read line by line: any size, a line at a time, all or nothing."""

from __future__ import annotations

import codecs
import gc
import json
import sys
import threading
from pathlib import Path

import pytest

from coup_explorer.db import Library, connect, create_empty
from coup_explorer.db.errors import InvalidInput
from coup_explorer.db.importers import files, import_paths, lines
from coup_explorer.db.importers.files import decode, read_bytes
from coup_explorer.db.importers.jsonlines import (BLANK, ITEM, OTHER, JsonLinesFile,
                                                  json_problem, record)
from coup_explorer.db.interpreter import SWITCH_INTERVAL
from coup_explorer.db.writer import content_hash

from .hostile.support import cli, fingerprint, one_error_line
from .libcheck import problems
from .test_import_datasets import export, rows_and_index, run

TEXT = "Juan Lechín said: we strike.\n\nThe COB agreed."


def records(quotes: int = 3) -> list[dict]:
    out = [{"type": "actor", "id": "a1", "name": "Juan Lechín", "kind": "person",
            "aliases": ["Lechín"]},
           {"type": "source", "id": "s1", "title": "T", "text": TEXT}]
    out += [{"type": "quote", "id": f"q{i}", "text": "we strike", "speaker_id": "a1",
             "source_id": "s1", "paragraph": 1, "char_start": 18, "char_end": 27}
            for i in range(quotes)]
    return out


def write(path: Path, rows: list[dict], *, end: str = "\n", encoding: str = "utf-8") -> Path:
    path.write_bytes(end.join(json.dumps(r, ensure_ascii=False) for r in rows).encode(encoding))
    return path


@pytest.fixture
def library(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    create_empty(path).close()
    return path


def test_a_jsonl_file_over_the_file_limit_is_imported_a_line_at_a_time(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_BYTES", 2_000)
    big = write(tmp_path / "big.jsonl", records(40))
    assert big.stat().st_size > 2_000
    whole = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: pytest.fail(f"{p} read whole")
                        if p == big else whole(p))
    result = cli("import", "--db", str(library), str(big))
    assert result.exit_code == 0, result.output
    with connect(library) as lib:
        assert lib.scalar("SELECT count(*) FROM quotes") == 40
        assert lib.scalar("SELECT quote_count FROM actors WHERE uid = 'a1'") == 40
    monkeypatch.setattr(Path, "read_bytes", whole)
    other = tmp_path / "big.json"  # a JSON document is still read whole, under the limit
    other.write_text(json.dumps({"format": "coup-explorer/1", "quotes": records(40)[2:]}))
    line = one_error_line(cli("import", "--db", str(library), str(other)))
    assert f"{other}: file is too large" in line


def test_a_line_over_the_line_limit_is_refused_and_nothing_is_added(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lines, "MAX_LINE_BYTES", 300)
    rows = records(3)
    rows[3]["text"], rows[3]["char_end"] = "we strike" + " " * 400, 400  # line 4
    path = write(tmp_path / "long.jsonl", rows)
    before = fingerprint(library)
    line = one_error_line(cli("import", "--db", str(library), str(path)))
    assert line.startswith(f"coup-explorer: error: {path}: line 4: too long (more than 300 bytes")
    assert fingerprint(library) == before


@pytest.mark.parametrize("damage, said", [
    (b'{"type": "quote", "id": "q9", "text": 1}', "line 6: text: missing or not text"),
    (b'{"type": "quote", "id": "q9"', "line 6: invalid JSON: Expecting ',' delimiter"),
    (b'{"type": "quote", "id": "\x93"}', "not UTF-8 text: byte 0x93 at offset"),
    (b'{"type": "quote", "id": "\xc2\x9b"}', "control character 0x9b at character"),
    (b'{"type": "quote", "id": "q9", "text": "x", "source_id": "nowhere", "paragraph": 1, '
     b'"char_start": 0, "char_end": 1}', "line 6: source_id: no source 'nowhere'"),
])
def test_a_bad_line_far_down_names_itself_and_changes_nothing(
        library: Path, tmp_path: Path, damage: bytes, said: str) -> None:
    path = write(tmp_path / "bad.jsonl", records(3))
    data = path.read_bytes() + b"\r\n" + damage + b"\n" + path.read_bytes().split(b"\n")[-1]
    assert data.count(b"\n") == 6  # the damage is line 6 of 7
    path.write_bytes(data.replace(b"\n", b"\r\n", 1))  # CRLF and LF: numbered as decode numbers
    before = fingerprint(library)
    line = one_error_line(cli("import", "--db", str(library), str(path)))
    assert said in line
    if "offset" in said or "character" in said:  # where a whole-file read says it is
        with pytest.raises(Exception) as whole:
            decode(read_bytes(path))
        assert line.endswith(str(whole.value))
    assert fingerprint(library) == before


def test_streamed_and_whole_readings_add_the_same_and_hash_the_same(story: Library,
                                                                    tmp_path: Path) -> None:
    text = export(story, tmp_path / "story.jsonl", "jsonl").read_text(encoding="utf-8")
    # Line ends of every kind, a byte-order mark, decomposed accents, a line separator in text.
    odd = "\ufeff" + text.replace("\n", "\r\n", 3).replace("Lechín", "Lechi\u0301n")
    odd += '{"type": "actor", "id": "x", "name": "A\u2028B", "kind": "person"}\n'
    utf8 = tmp_path / "utf8.jsonl"
    utf8.write_bytes(odd.encode("utf-8"))
    utf16 = tmp_path / "utf16.jsonl"  # not UTF-8: read whole, as before
    utf16.write_bytes(codecs.BOM_UTF16_LE + odd[1:].encode("utf-16-le"))
    streamed = JsonLinesFile(utf8)
    assert streamed.scan() == content_hash(decode(read_bytes(utf8)))
    said = [run(create_empty(), path)[0] for path in (utf8, utf16)]  # a line ends inside a string
    assert said[0].status == said[1].status == "failed"
    assert said[0].message == said[1].message and "invalid JSON" in said[0].message
    odd = odd.replace("\u2028", " ")
    utf8.write_bytes(odd.encode("utf-8"))
    utf16.write_bytes(codecs.BOM_UTF16_LE + odd[1:].encode("utf-16-le"))
    found = []
    for path in (utf8, utf16):
        lib = create_empty()
        [result] = run(lib, path)
        assert result.status == "added", result.message
        found.append(rows_and_index(lib))
        found[-1]["imports"] = lib.all("SELECT content_hash FROM imports")
    assert found[0] == found[1]
    assert found[0]["imports"] == [(content_hash(decode(read_bytes(utf8))),)]


def test_records_in_any_order_are_read_as_a_document_reads_them(tmp_path: Path) -> None:
    rows = records(2)
    path = write(tmp_path / "late.jsonl", rows[2:] + rows[1::-1])  # quotes, source, actor
    lib = create_empty()
    [result] = run(lib, path)
    assert result.status == "added", result.message
    in_order = create_empty()
    run(in_order, write(tmp_path / "ordered.jsonl", rows))
    assert rows_and_index(lib) == rows_and_index(in_order)
    odd_keys = tmp_path / "keys.jsonl"  # "type" last: read in the second reading, then the third
    odd_keys.write_text("\n".join(json.dumps({**{k: v for k, v in r.items() if k != "type"},
                                              "type": r["type"]}) for r in rows))
    again = create_empty()
    assert run(again, odd_keys)[0].status == "added"
    assert rows_and_index(again) == rows_and_index(in_order)


def test_a_bad_line_after_batches_leaves_the_library_and_its_triggers_as_they_were(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coup_explorer.db import bulk, exchange

    monkeypatch.setattr(exchange, "BATCH", 4)
    monkeypatch.setattr(bulk, "TOGETHER", 2)  # counted together, the trigger dropped
    rows = records(12)
    rows[-1]["char_end"] = 10_000
    path = write(tmp_path / "late.jsonl", rows)
    before = fingerprint(library)
    line = one_error_line(cli("import", "--db", str(library), str(path)))
    assert "line 14: quote 'q11': char_start/char_end 18..10000 lie outside the source" in line
    assert fingerprint(library) == before  # the triggers too: the dump holds them
    path = write(tmp_path / "good.jsonl", records(12))
    assert cli("import", "--db", str(library), str(path)).exit_code == 0
    assert problems(library) == []  # the quotes indexed in full text at the end, and only then
    strike = "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'strike'"
    with connect(library, write=True) as lib:
        assert lib.scalar("SELECT quote_count FROM actors WHERE uid = 'a1'") == 12
        assert lib.scalar(strike) == 12
        with lib.transaction():  # the triggers count and index a quote added by anyone else
            lib.add_quote(uid="q-more", text="we strike", kind="speech", source_id=1, paragraph=1,
                          char_start=18, char_end=27, speaker_id=1)
        assert lib.scalar("SELECT quote_count FROM actors WHERE uid = 'a1'") == 13
        assert lib.scalar(strike) == 13


def test_the_same_file_twice_is_already_imported_unread(library: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "data.jsonl", records(2))
    assert cli("import", "--db", str(library), str(path)).exit_code == 0
    result = cli("import", "--db", str(library), str(path))
    assert result.exit_code == 0 and "already imported" in result.output
    with connect(library) as lib:
        assert lib.scalar("SELECT count(*) FROM quotes") == 2


@pytest.mark.parametrize("line", [
    '{"type": "quote", "id": "q"}', '  {"type": "quote"}', '{"type": "quote"}  \t',
    '{"type": "quote"}{"a": 1}', '{"type": "quote"} x', '[1, 2]', '"text"', '5', 'true', 'nul',
    '{"type": "quote", "x": "a\x01b"}', '{', '}', '{"type": "quote",}', '\ufeff{"type": "quote"}',
    '{"type": "quote", "n": ' + "9" * 5000 + '}', "[" * 100_000 + "]" * 100_000,
    '{"type": "source", "type": "actor"}', '{"type": "quote", "t": "\\ud800 \\b"}',
])
def test_a_line_is_read_as_json_loads_reads_it(line: str) -> None:
    """``record`` reads a line's value with the decoder's scanner, not ``json.loads``, and
    must find what json.loads finds, or refuse the line as it would."""
    try:
        expected = json.loads(line)
    except (RecursionError, ValueError) as exc:
        with pytest.raises(InvalidInput) as refused:
            record(7, line)
        assert str(refused.value) == f"line 7: {json_problem(exc)}"
        return
    if not isinstance(expected, dict):
        with pytest.raises(InvalidInput, match="^line 7: expected a JSON object$"):
            record(7, line)
        return
    got = record(7, line)
    assert got is not None and got[1] == {k: v for k, v in expected.items() if k != "type"}
    assert got[0] == {"quote": "quotes", "actor": "actors"}[expected["type"]]


@pytest.mark.parametrize("collecting", [True, False])
def test_an_import_pauses_the_cycle_collector_and_switches_threads_often_then_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collecting: bool) -> None:
    """An import makes many short-lived rows and no cycles, for the collector to go over in
    vain, and writes in a thread that needs Python's lock after each statement: while a file
    is imported the collector is off and threads switch every millisecond; after it, whether
    the file was added or refused, both are as they were."""
    seen = []
    load = JsonLinesFile.load

    def spy(self: JsonLinesFile, lib: Library) -> object:
        seen.append((gc.isenabled(), sys.getswitchinterval()))
        return load(self, lib)

    monkeypatch.setattr(JsonLinesFile, "load", spy)
    good = write(tmp_path / "good.jsonl", records(2))
    bad = write(tmp_path / "bad.jsonl", [*records(2), {"type": "quote", "id": "q9"}])
    interval = sys.getswitchinterval()
    (gc.enable if collecting else gc.disable)()
    try:
        results = list(import_paths(create_empty(), [good, bad]))
        after = gc.isenabled()
    finally:
        gc.enable()
    assert [r.status for r in results] == ["added", "failed"], results
    assert seen == [(False, SWITCH_INTERVAL)] * 2 and SWITCH_INTERVAL < interval
    assert after is collecting
    assert sys.getswitchinterval() == interval


@pytest.mark.parametrize(("change", "expected"), [
    (lambda rows: rows[2].update(text="we \u001b[2J"),
     "line 3: text: control character 0x1b (ESC) at character 3"),
    (lambda rows: rows[3].update(speaker_id=None, speaker="Juan\bLechín"),
     "line 4: speaker: control character 0x08 at character 4"),
    (lambda rows: rows[1].update(title="T\u009b"),
     "line 2: title: control character 0x9b at character 1"),
    (lambda rows: rows[0].update(aliases=["Lechín", "x\ud800"]),
     "line 1: aliases: not valid Unicode (lone surrogate 0xd800) at character 1"),
    (lambda rows: rows.append({"type": "event", "id": "e1", "date": "1952",
                               "date_precision": "year", "summary": "The COB\u0007",
                               "source_id": "s1", "paragraph": 2, "char_start": 30,
                               "char_end": 45}),
     "line 6: summary: control character 0x07 at character 7"),
])
def test_an_escape_that_makes_a_control_character_is_refused_and_nothing_is_added(
        library: Path, tmp_path: Path, change, expected: str) -> None:
    """A line of a checked file holds no control character itself, so most lines need no check
    of their fields; one with a \\u or \\b escape is checked field by field, as a document is."""
    rows = records(3)
    change(rows)
    path = tmp_path / "escaped.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")  # \u escapes
    before = fingerprint(library)
    assert expected in one_error_line(cli("import", "--db", str(library), str(path)))
    assert fingerprint(library) == before


def test_a_failure_while_the_full_text_is_written_beside_the_names_changes_nothing(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The full-text index of a bulk import is written in a thread while the sources' mentions
    are found: its error (here a full disk) is the command's, and the transaction is rolled
    back with the triggers it had dropped."""
    from coup_explorer.db import bulk

    monkeypatch.setattr(bulk, "TOGETHER", 2)
    real = bulk.Bulk._index_now
    threads = []

    def filling(self) -> None:
        if self._unindexed:
            threads.append(threading.current_thread().name)
            pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
            self.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here
        real(self)

    monkeypatch.setattr(bulk.Bulk, "_index_now", filling)
    before = fingerprint(library)
    line = one_error_line(cli("import", "--db", str(library),
                              str(write(tmp_path / "data.jsonl", records(200)))))
    assert line.startswith(f"coup-explorer: error: the disk holding {library} is full")
    assert threads == ["coup-explorer-write"]
    assert fingerprint(library) == before and problems(library) == []


def test_a_failure_while_a_batch_of_quotes_is_written_behind_the_reading_changes_nothing(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch of quotes is written in a thread while the next is read: its error is raised
    before anything else touches the library, and the whole import is rolled back."""
    from coup_explorer.db import exchange, writer

    monkeypatch.setattr(exchange, "BATCH", 4)
    real = writer.Writer._add_quotes
    threads = []

    def filling(self, rows: list[tuple]) -> int:
        threads.append(threading.current_thread().name)
        if len(threads) == 2:  # the disk is full from the second batch on
            pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
            self.conn.execute(f"PRAGMA max_page_count = {pages}")
        return real(self, rows)

    monkeypatch.setattr(writer.Writer, "_add_quotes", filling)
    before = fingerprint(library)
    line = one_error_line(cli("import", "--db", str(library),
                              str(write(tmp_path / "data.jsonl", records(400)))))
    assert line.startswith(f"coup-explorer: error: the disk holding {library} is full")
    assert set(threads) == {"coup-explorer-write"}
    assert 2 <= len(threads) < 100  # stopped at the batch that found the disk full
    assert fingerprint(library) == before and problems(library) == []


def test_an_sqlite_that_refuses_the_fts5_hash_size_still_indexes_the_quotes(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The larger FTS5 hash of a bulk import is a setting FTS5 reads but does not document: if
    it is refused (FTS5 refuses a size of 0 as it would an unknown key), the index is written
    all the same, only more slowly."""
    from coup_explorer.db import bulk

    monkeypatch.setattr(bulk, "TOGETHER", 2)
    monkeypatch.setattr(bulk, "BULK_HASH_BYTES", 0)
    assert cli("import", "--db", str(library),
               str(write(tmp_path / "data.jsonl", records(12)))).exit_code == 0
    assert problems(library) == []
    with connect(library) as lib:
        assert lib.scalar("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'strike'") == 12
        assert lib.scalar("SELECT count(*) FROM quotes_fts_config WHERE k = 'hashsize'") == 0


# Changes to the last of four quotes (the first ones fill what the quick path looks up: the
# source's text, the speaker's names, the date), each a value the quick path must either give
# the same row for or leave to the full checks.
_QUOTE_CHANGES = [
    {"id": ""}, {"id": "  "}, {"id": 5}, {"id": None}, {"id": ["q9"]}, {"id": "q0"},
    {"text": ""}, {"text": "   "}, {"text": 5}, {"text": None}, {"text": "we strike!"},
    {"text": ["we strike"]}, {"kind": None}, {"kind": ""}, {"kind": "term"}, {"kind": "bogus"},
    {"kind": 3}, {"kind": ["speech"]}, {"speaker_id": None}, {"speaker_id": "nobody"},
    {"speaker_id": 5}, {"speaker_id": ["a1"]}, {"speaker_id": "  "}, {"speaker_id": "Lechín"},
    {"speaker_id": "Juan Lechín"}, {"speaker": "a1"}, {"date": "2019-12"},
    {"date": "2019-13", "date_precision": "month"}, {"date": ""}, {"date": None},
    {"date": 2019}, {"date": ["2019"]}, {"date_precision": ""}, {"date_precision": None},
    {"date_precision": 5}, {"date_precision": ["year"]}, {"date_precision": "month"},
    {"source_id": "s9"}, {"source_id": 5}, {"source_id": ["s1"]}, {"source_id": None},
    {"paragraph": 2}, {"paragraph": 0}, {"paragraph": True}, {"paragraph": 1.0},
    {"paragraph": "1"}, {"paragraph": 2**70}, {"char_start": 27, "char_end": 18},
    {"char_start": -1}, {"char_end": 10**30}, {"char_start": 18.0}, {"char_end": True},
    {"origin": "curated"}, {"origin": "bogus"}, {"origin": 5}, {"origin": ["imported"]},
    {"origin": ""}, {"confidence": 0.5}, {"confidence": 1}, {"confidence": 0.0},
    {"confidence": True}, {"confidence": 1.5}, {"confidence": "0.5"}, {"confidence": None},
    {"confidence": float("nan")}, {"confidence": -0.0},
]


@pytest.mark.parametrize("change", _QUOTE_CHANGES, ids=lambda c: json.dumps(c)[:40])
def test_a_quote_read_by_the_quick_path_is_checked_as_a_document_checks_it(
        tmp_path: Path, change: dict) -> None:
    rows = records(4)
    for row in rows[2:]:
        row.update(date="2019", date_precision="year")
    rows[-1].update(change)
    as_lines = create_empty()
    [by_line] = run(as_lines, write(tmp_path / "q.jsonl", rows))
    document = {"format": "coup-explorer/1", "sources": [], "actors": [], "quotes": []}
    for row in rows:
        document[f"{row.pop('type')}s"].append(row)
    (tmp_path / "q.json").write_text(json.dumps(document), encoding="utf-8")
    as_document = create_empty()
    [by_document] = run(as_document, tmp_path / "q.json")
    assert by_line.status == by_document.status
    if by_line.status == "failed":  # the same words, but where: "line 6" and "quotes[3]"
        assert by_line.message.startswith("line 6: ")
        assert by_document.message.startswith("quotes[3]: ")
        assert by_line.message.split(": ", 1)[1] == by_document.message.split(": ", 1)[1]
    else:
        assert rows_and_index(as_lines) == rows_and_index(as_document)


def test_well_formed_quotes_take_the_quick_path(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from coup_explorer.db import exchange

    checked = []
    full = exchange.Loader._quote_row
    monkeypatch.setattr(exchange.Loader, "_quote_row",
                        lambda self, uid, r: checked.append(uid) or full(self, uid, r))
    rows = records(50)
    for i, row in enumerate(rows[2:]):
        row.update(date=f"2019-{i % 12 + 1:02}", date_precision="month", confidence=0.5)
    lib = create_empty()
    [result] = run(lib, write(tmp_path / "q.jsonl", rows))
    assert result.status == "added", result.message
    assert checked == ["q0"]  # the first fills the speaker's names
    quick = lib.all("SELECT uid, speaker_names, sort_date, confidence FROM quotes")
    assert quick == [(f"q{i}", "Juan Lechín Lechín", f"2019-{i % 12 + 1:02}", 0.5)
                     for i in range(50)]

def test_quotes_made_rows_before_their_speaker_gains_a_name_are_found_by_it(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A quote the quick path takes is made a row as it is read, once its speaker's names are
    known. A line read with the items may still add a name to the speaker of rows waiting (its
    "type" given twice: the last one counts, and the line begins as a quote's); those rows are
    then given the new name, as the quotes written before are by the triggers."""
    from coup_explorer.db import exchange

    monkeypatch.setattr(exchange, "BATCH", 2)  # q0 and q1, q2 and q3 written; q4 a row waiting
    rows = records(5)
    for row in rows[2:]:
        row.update(date="2019", date_precision="year")
    alias = '{"type": "quote", "type": "actor", "id": "a1", "name": "Juan Lechín", ' \
            '"kind": "person", "aliases": ["Lechín", "El Viejo"]}'
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + alias + "\n"
    path = tmp_path / "renamed.jsonl"
    path.write_text(text, encoding="utf-8")
    result = cli("import", "--db", str(library), str(path))
    assert result.exit_code == 0, result.output
    with connect(library) as lib:
        assert lib.all("SELECT DISTINCT speaker_names FROM quotes") == [
            ("Juan Lechín El Viejo | Lechín",)]
        assert lib.scalar("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'viejo'") == 5
    assert problems(library) == []


def test_items_of_a_source_no_longer_kept_read_it_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new source's text and paragraphs are kept for its items' checks as far as FACTS_KEPT
    allows, and read back from the library otherwise: the library is the same either way."""
    from coup_explorer.db import texts

    rows = records(3)
    other = {**rows[1], "id": "s2", "text": TEXT + " Again."}
    rows.insert(2, other)  # s1, then s2: only s2's facts are kept when a source's fill them
    rows.append({**rows[-1], "id": "q9", "source_id": "s2"})
    found = []
    for kept in (texts.FACTS_KEPT, 1):
        monkeypatch.setattr(texts, "FACTS_KEPT", kept)
        lib = create_empty()
        [result] = run(lib, write(tmp_path / "two.jsonl", rows))
        assert result.status == "added", result.message
        found.append(rows_and_index(lib))
    assert found[0] == found[1]
    assert len(found[0]["sources"]) == 2 and len(found[0]["quotes"]) == 4


def mixed_rows() -> list[dict | str]:
    """Actors, a source, quotes and events with accents, and blank lines (as strings)."""
    rows: list[dict | str] = [*records(10)]
    rows[1:1] = [{"type": "actor", "id": "a2", "name": "Jeanine Áñez", "kind": "person"}, "",
                 {"type": "actor", "id": "a3", "name": "Ñuflo Chávez", "kind": "person"}]
    rows[9:9] = ["  ", {"type": "event", "id": "e1", "date": "1952-04", "date_precision": "month",
                        "summary": "Áñez — the COB agreed", "source_id": "s1", "paragraph": 2,
                        "char_start": 30, "char_end": 45, "actor_ids": ["a2"]}]
    rows.insert(12, {"type": "actor", "id": "a4", "name": "Hernán Siles", "kind": "person"})
    return rows


def mixed_file(path: Path, rows: list[dict | str], *, plain: bool = False) -> Path:
    """``rows`` as JSON Lines. Unless ``plain``: behind a byte-order mark, with line ends of
    several kinds, and a name in decomposed form; read in blocks of 64 bytes, normalising then
    changes some blocks and leaves others (a \\r or U+2028 ends a line but not a block)."""
    ends = ["\n"] if plain else ["\n", "\r\n", "\n", "\n", "\r", "\n", "\u2028", "\n", "\n"]
    text = "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
                   + ends[i % len(ends)] for i, r in enumerate(rows))
    if not plain:
        text = "\ufeff" + text.replace("Ñuflo", "N\u0303uflo")
    path.write_bytes(text.encode("utf-8"))
    return path


def test_later_readings_number_and_decode_lines_as_the_whole_text_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second and third readings split a block that normalising leaves as it is at
    b"\\n" and decode only the lines they use; a block it changes is read whole. Either way
    a line is the one of that number in the whole file's text."""
    monkeypatch.setattr(lines, "BLOCK_BYTES", 64)
    rows = mixed_rows()
    path = mixed_file(tmp_path / "mixed.jsonl", rows)
    f = JsonLinesFile(path)
    f.scan()
    assert True in f.text._changed and False in f.text._changed  # both ways are taken
    assert not f.text._changed[0]  # (the first block, after the mark, is read as bytes)
    whole = decode(read_bytes(path)).split("\n")
    for kind in (OTHER, ITEM, BLANK):
        got = list(f._lines(kind))  # (the first reading sorts the lines)
        assert len(f.kinds) == len(rows) > path.read_bytes().count(b"\n")
        assert got == [(n, whole[n - 1]) for n in range(1, len(rows) + 1)
                       if f.kinds[n - 1] == kind]
        assert len(got) == sum((r if isinstance(r, str) else r["type"]) in
                               {OTHER: ("actor", "source"), ITEM: ("quote", "event"),
                                BLANK: ("", "  ")}[kind] for r in rows)


def test_a_line_of_white_space_beyond_ascii_is_passed_over_as_a_blank_one(
        library: Path, tmp_path: Path) -> None:
    """Lines are sorted by their bytes, where a no-break or ideographic space is not white
    space: such a line is read, and found blank then."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(2))
    path = tmp_path / "spaces.jsonl"
    path.write_text("\u00a0\u3000\n" + text + " \u2003 \n", encoding="utf-8")
    result = cli("import", "--db", str(library), str(path))
    assert result.exit_code == 0, result.output
    with connect(library) as lib:
        assert lib.scalar("SELECT count(*) FROM quotes") == 2


def test_a_file_in_blocks_of_mixed_line_ends_adds_what_plain_line_feeds_add(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lines, "BLOCK_BYTES", 64)
    found = []
    for plain in (True, False):
        lib = create_empty()
        [result] = run(lib, mixed_file(tmp_path / f"{plain}.jsonl", mixed_rows(), plain=plain))
        assert result.status == "added", result.message
        found.append(rows_and_index(lib))
    assert found[0] == found[1]
    assert "'Jeanine Áñez'" in str(found[1]["actors"]) and "'Ñuflo Chávez'" in str(found[1])
    assert "'Áñez — the COB agreed'" in str(found[1]["events"])


# Line 4 lies in a block that normalising changes; 12, 13 and 18 (after \r, U+2028) do not.
@pytest.mark.parametrize("bad", [4, 12, 13, 18])
def test_a_bad_line_after_blocks_of_mixed_line_ends_names_its_number(
        library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: int) -> None:
    monkeypatch.setattr(lines, "BLOCK_BYTES", 64)
    rows = mixed_rows()
    row = rows[bad - 1]
    assert isinstance(row, dict)
    if row["type"] == "quote":
        row["char_end"] = 10_000
        said = f"line {bad}: quote '{row['id']}': char_start/char_end 18..10000 lie outside"
    else:
        row["kind"] = "Áñez"
        said = f"line {bad}: actor '{row['id']}': kind 'Áñez' is not one of"
    path = mixed_file(tmp_path / "bad.jsonl", rows)
    before = fingerprint(library)
    line = one_error_line(cli("import", "--db", str(library), str(path)))
    assert said in line
    assert fingerprint(library) == before


@pytest.mark.parametrize("old, new, kind", [
    (b'"q4"', b'"\xff4"', ITEM), (b'"a4"', b'"\xff4"', OTHER),  # in blocks read as bytes,
    (b'"id": "a1"', b'"id": "\xff1"', OTHER),  # the first after the byte-order mark
    (b'"q8"', b'"\x1b8"', ITEM),  # in a block that normalising changes
])
def test_a_line_written_to_after_the_scan_is_refused_as_the_scan_would_refuse_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: bytes, new: bytes,
        kind: int) -> None:
    """Only a file written to after its scan can then hold what a scan refuses: a later
    reading refuses it with the same message (its offset, or its position in the text)."""
    monkeypatch.setattr(lines, "BLOCK_BYTES", 64)
    path = mixed_file(tmp_path / "mixed.jsonl", mixed_rows())
    f = JsonLinesFile(path)
    f.scan()
    data = path.read_bytes()
    assert data.count(old) == 1
    path.write_bytes(data.replace(old, new))
    with pytest.raises(InvalidInput) as scan:
        JsonLinesFile(path).scan()
    with pytest.raises(InvalidInput) as later:
        list(f._lines(kind))
    assert str(later.value) == str(scan.value)
    assert "not UTF-8" in str(scan.value) or "control character" in str(scan.value)
