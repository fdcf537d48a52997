"""Importing datasets: the exchange JSON (round trip), JSON Lines, CSV and TimelineJS."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from coup_explorer.db import Library, create_empty
from coup_explorer.db.importers import ImportOptions, import_paths

exporters = pytest.importorskip("coup_explorer.db.exporters")


def export(lib: Library, path: Path, fmt: str, only: frozenset[str] = frozenset()) -> Path:
    exporters.write_file(lib, exporters.Selection(only=only), path, fmt)
    return path


def run(lib: Library, *paths: Path, fmt: str = "auto") -> list:
    return list(import_paths(lib, list(paths), ImportOptions(format=fmt)))


def snapshot(lib: Library) -> dict:
    quotes = {q.uid: (q.text, q.speaker, q.kind, q.date, q.date_precision, q.paragraph,
                      q.char_start, q.char_end, q.origin) for q in lib.quotes(limit=10_000)}
    events = {e.uid: (e.date, e.date_precision, e.date_end, e.date_text, e.summary,
                      tuple(sorted(e.actors)), e.paragraph, e.char_start, e.char_end)
              for e in lib.timeline(limit=10_000)}
    actors = {a.uid: (a.name, a.kind, a.role, tuple(sorted(a.aliases)), a.events, a.quotes)
              for a in lib.actors(limit=10_000)}
    sources = {s.uid: (s.title, s.author, s.outlet, s.url, s.published, s.paragraphs,
                       lib.source_text(s.id)) for s in lib.sources()}
    return {"quotes": quotes, "events": events, "actors": actors, "sources": sources}


@pytest.mark.parametrize("fmt, name", [("json", "story.json"), ("jsonl", "story.jsonl")])
def test_an_export_imported_into_a_new_library_reproduces_it(story: Library, tmp_path: Path,
                                                             fmt: str, name: str) -> None:
    path = export(story, tmp_path / name, fmt)
    fresh = create_empty()
    [result] = run(fresh, path)
    assert result.status == "added", result.message
    assert result.format == fmt
    assert snapshot(fresh) == snapshot(story)
    [again] = run(fresh, path)
    assert (again.status, again.message) == ("skipped", "already imported")


def test_importing_an_export_into_its_own_library_adds_nothing(story: Library, tmp_path: Path) -> None:
    path = export(story, tmp_path / "story.json", "json")
    before = snapshot(story)
    [result] = run(story, path)
    assert (result.status, result.message) == ("skipped", "already imported")
    assert snapshot(story) == before


def test_extracted_items_keep_their_origin_through_a_round_trip(tmp_path: Path) -> None:
    lib = create_empty()
    article = tmp_path / "a.txt"
    article.write_text("“We will not give up the fight for our wages,” said Ana Quispe on Monday.",
                       encoding="utf-8")
    run(lib, article)
    path = export(lib, tmp_path / "x.json", "json")
    fresh = create_empty()
    run(fresh, path)
    [quote] = fresh.quotes()
    assert quote.origin == "extracted" and quote.confidence is not None
    assert quote.speaker == "Ana Quispe"


def test_csv_set_with_sources_beside_it(story: Library, tmp_path: Path) -> None:
    for kind in ("actors", "events", "quotes"):
        export(story, tmp_path / f"{kind}.csv", "csv", frozenset({kind}))
    with (tmp_path / "sources.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "title", "author", "outlet", "url", "published", "text", "paragraphs"])
        for s in story.sources():
            spans = [[a, b] for _, a, b in story.paragraph_spans(s.id)]
            writer.writerow([s.uid, s.title, s.author, s.outlet, s.url, s.published,
                             story.source_text(s.id), json.dumps(spans)])
    fresh = create_empty()
    results = run(fresh, tmp_path)
    assert all(r.status in ("added", "skipped") for r in results), [r.message for r in results]
    mine, theirs = snapshot(fresh), snapshot(story)
    assert mine["quotes"] == theirs["quotes"]
    assert mine["events"] == theirs["events"]
    assert set(mine["actors"]) == set(theirs["actors"])


def test_csv_quotes_without_their_source_name_it(story: Library, tmp_path: Path) -> None:
    export(story, tmp_path / "actors.csv", "csv", frozenset({"actors"}))
    path = export(story, tmp_path / "quotes.csv", "csv", frozenset({"quotes"}))
    [result] = run(create_empty(), path)
    assert result.status == "failed"
    assert "quotes.csv row 1: source_id: no source 'wsws-2019-12-17-bolivia-cob'" in result.message
    assert "sources.csv" in result.message


def test_timelinejs_import(story: Library, tmp_path: Path) -> None:
    path = export(story, tmp_path / "story.timeline.json", "timelinejs")
    fresh = create_empty()
    [result] = run(fresh, path)
    assert result.status == "added" and result.format == "timelinejs", result.message
    # TimelineJS has no weeks: a week's Monday comes back as a day
    mine = {e.uid: (e.date, e.date_precision.replace("week", "day"))
            for e in fresh.timeline(limit=1000)}
    theirs = {e.uid: (e.date, e.date_precision.replace("week", "day"))
              for e in story.timeline(limit=1000)}
    assert mine == theirs
    assert run(story, path)[0].message == "already imported"


@pytest.mark.parametrize("name, content, message", [
    ("bad.json", '{"format": "coup-explorer/1", "sources": [', "invalid JSON"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("wrong.json", '{"format": "coup-explorer/1", "sources": [{"id": "s", "title": "T", '
     '"text": "Some text.", "published": "2019-02-30"}]}', "sources[0]: source 's': published: not a date: '2019-02-30'"),
    ("noformat.json", '{"sources": []}', "format"),
    ("lines.jsonl", '{"type": "actor", "id": "a", "name": "A", "kind": "person"}\n'
     '{"type": "actor", "id": "b", "name": "B", "kind": "planet"}\n', "line 2: actor 'b': kind 'planet'"),
    ("type.jsonl", '{"type": "thing"}\n', "line 1: type"),
    ("tl.json", '{"events": [{"start_date": {"year": "twenty"}, "text": {"headline": "h"}}]}',
     "events[0].start_date.year"),
    ("actors.csv", "id,name,kind\na,A,person\nb,,person\n", "actors.csv row 2: name"),
])
def test_bad_datasets_name_the_field_and_change_nothing(story: Library, tmp_path: Path,
                                                        name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = snapshot(story)
    [result] = run(story, path)
    assert result.status == "failed"
    assert message in result.message, result.message
    assert snapshot(story) == before


def test_format_is_told_by_content_as_well_as_extension(story: Library, tmp_path: Path) -> None:
    data = export(story, tmp_path / "story.json", "json").read_text(encoding="utf-8")
    disguised = tmp_path / "export.data"
    disguised.write_text(data, encoding="utf-8")
    [result] = run(create_empty(), disguised)
    assert (result.status, result.format) == ("added", "json")
    html = tmp_path / "page.txt"
    html.write_text("<!DOCTYPE html><html><body><article><p>" + "Words of the article. " * 20 +
                    "</p></article></body></html>", encoding="utf-8")
    assert run(create_empty(), html)[0].format == "html"
    assert json.loads(data)["format"] == "coup-explorer/1"


def rows_and_index(lib: Library) -> dict:
    """Every row of every table (in rowid order) and every entry of the full-text indexes."""
    out = {}
    for (table,) in lib.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                            "'sqlite_%' AND name NOT LIKE '%_fts%' AND name != 'imports'"):
        columns = [c for (c,) in lib.all(f"SELECT name FROM pragma_table_info('{table}')")
                   if c != "added_at"]
        out[table] = lib.all(f"SELECT rowid, {', '.join(columns)} FROM [{table}] ORDER BY rowid")
    for table in ("quotes_fts", "events_fts", "actors_fts"):
        lib.conn.execute(f"CREATE VIRTUAL TABLE temp.v_{table} USING fts5vocab(main, {table}, "
                         "'instance')")
        out[table] = lib.all(f"SELECT term, doc, col, offset FROM temp.v_{table} "
                             "ORDER BY term, doc, col, offset")
    return out


def test_batched_import_writes_what_one_record_at_a_time_does(
        story: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coup_explorer.db import exchange

    path = export(story, tmp_path / "story.jsonl", "jsonl")
    monkeypatch.setattr(exchange, "QUOTE_BATCH", 1)
    one = create_empty()
    assert run(one, path)[0].status == "added"
    monkeypatch.setattr(exchange, "QUOTE_BATCH", 7)
    batched = create_empty()
    assert run(batched, path)[0].status == "added"
    expected, found = rows_and_index(one), rows_and_index(batched)
    assert found["quotes"] and found["quote_actors"] and found["mentions"]
    assert found == expected
