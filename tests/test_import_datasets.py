"""Importing datasets: the exchange JSON (round trip), JSON Lines, CSV and TimelineJS."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from coup_explorer.db import Library, connect, create_empty
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
    """Every row of every table (in rowid order) and every entry of the full-text indexes,
    which must hold exactly their tables' text (FTS5's integrity check)."""
    out = {}
    for (table,) in lib.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                            "'sqlite_%' AND name NOT LIKE '%_fts%' AND name != 'imports'"):
        columns = [c for (c,) in lib.all(f"SELECT name FROM pragma_table_info('{table}')")
                   if c != "added_at"]
        out[table] = lib.all(f"SELECT rowid, {', '.join(columns)} FROM [{table}] ORDER BY rowid")
    for table in ("quotes_fts", "events_fts", "actors_fts"):
        lib.conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        lib.conn.execute(f"CREATE VIRTUAL TABLE temp.v_{table} USING fts5vocab(main, {table}, "
                         "'instance')")
        out[table] = lib.all(f"SELECT term, doc, col, offset FROM temp.v_{table} "
                             "ORDER BY term, doc, col, offset")
        lib.conn.execute(f"DROP TABLE temp.v_{table}")
    out["schema"] = lib.all("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
    return out


def counted_again(lib: Library) -> list[tuple]:
    """Each actor's counts as the triggers keep them, and as counted from the rows."""
    return lib.all("SELECT id, event_count, quote_count, "
                   "(SELECT count(*) FROM event_actors WHERE actor_id = a.id), "
                   "(SELECT count(*) FROM quotes WHERE speaker_id = a.id) FROM actors a ORDER BY id")


def more_of_the_story(story: Library, path: Path) -> Path:
    """The story's export made into new items that meet the library's old ones: an old actor
    gains an alias (so its old quotes' speaker names change), a new actor speaks and takes part,
    events and quotes join the old source (the same text under another id) and a new one."""
    lines = [json.loads(line) for line in export(story, path, "jsonl").read_text().splitlines()]
    out = []
    for record in lines:
        kind = record["type"]
        if kind == "actor" and record["id"] == "michel-pablo":
            record["aliases"] = [*record["aliases"], "Pablo el Liquidador"]
        if kind == "source":
            out.append({**record, "id": "x-" + record["id"]})  # the same text: joins the old one
            record = {**record, "id": "new-source", "text": record["text"] + "\n\nMichel Pablo, "
                      "Zoila Quispe Nina and the COB met.",
                      "paragraphs": [*record["paragraphs"], [len(record["text"]) + 2,
                                                              len(record["text"]) + 49]]}
        if kind in ("event", "quote"):
            for source in ("x-" + record["source_id"], "new-source"):
                copy = {**record, "id": f"{source}/{record['id']}", "source_id": source}
                if kind == "event":
                    copy["actor_ids"] = [*copy["actor_ids"], "new-actor", "new-actor", "cob"]
                elif len(out) % 3 == 0:
                    copy["speaker_id"] = "new-actor"
                out.append(copy)
            continue
        out.append(record)
    out.insert(1, {"type": "actor", "id": "new-actor", "name": "Zoila Quispe Nina",
                   "kind": "person", "aliases": ["Quispe Nina", "Zoila"]})
    path.write_text("".join(json.dumps(r) + "\n" for r in out), encoding="utf-8")
    return path


@pytest.mark.parametrize("into", ["new library", "the story"])
def test_batched_import_writes_what_one_record_at_a_time_does(
        story: Library, story_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        into: str) -> None:
    from coup_explorer.db import bulk, exchange, writer

    if into == "new library":
        path, target = export(story, tmp_path / "story.jsonl", "jsonl"), create_empty
    else:
        path = more_of_the_story(story, tmp_path / "more.jsonl")

        def target() -> Library:
            copy = tmp_path / f"copy-{len(list(tmp_path.glob('copy-*')))}.db"
            copy.write_bytes(story_path.read_bytes())
            return connect(copy, write=True)

    found = {}
    for batch, per_statement in ((1, 1), (7, 3), (exchange.BATCH, writer.ROWS_PER_STATEMENT)):
        monkeypatch.setattr(exchange, "BATCH", batch)
        monkeypatch.setattr(writer, "ROWS_PER_STATEMENT", per_statement)
        # Batches count their quotes and events together; one at a time, the triggers do.
        monkeypatch.setattr(bulk, "TOGETHER", 2 if batch > 1 else 10**9)
        lib = target()
        assert run(lib, path)[0].status == "added"
        found[batch] = rows_and_index(lib)
        assert all(a[1:3] == a[3:] for a in counted_again(lib))
        if into == "the story":  # old quotes are found by the new alias, and new ones
            assert lib.scalar("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'liquidador' "
                              "AND rowid <= ?", (story.scalar("SELECT max(id) FROM quotes"),)) > 0
            assert lib.scalar("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'zoila'") > 0
    one = found.pop(1)
    assert one["quotes"] and one["quote_actors"] and one["mentions"] and one["event_actors"]
    for batched in found.values():
        assert batched == one
