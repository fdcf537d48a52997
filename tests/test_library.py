"""The data layer on a fresh library per test: opening, queries, search, marks."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from coup_explorer.db import (
    Filter,
    InvalidInput,
    Library,
    LibraryError,
    connect,
    create_empty,
    open_library,
    paths,
)
from coup_explorer.db.models import Actor, Event, Quote
from coup_explorer.db.schema import FTS_COLUMNS, PREFIXES, SCHEMA_VERSION

BRACKETED = "He [Mamani] doesn’t need much of an introduction."


# -- where the library lives, and what may be opened ---------------------------


def test_first_use_copies_the_bundled_story_to_the_data_directory() -> None:
    target = paths.default_library()
    assert not target.exists()
    with open_library() as lib:
        assert lib.path == target and lib.stats().quotes == 17
    assert target.exists() and target.read_bytes() == paths.bundled_story().read_bytes()


def test_env_and_explicit_path_choose_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DB_ENV, str(tmp_path / "env.db"))
    with open_library() as lib:
        assert lib.path == tmp_path / "env.db"
    with open_library(tmp_path / "given.db") as lib:
        assert lib.path == tmp_path / "given.db"
    assert not paths.default_library().exists()


def test_readers_cannot_write_and_writers_use_wal(story_path: Path) -> None:
    with connect(story_path, write=False) as reader:
        with pytest.raises(LibraryError, match="read-only"):
            reader.mark("quote", 1)
    with connect(story_path, write=True) as writer:
        assert writer.one("PRAGMA journal_mode")[0] == "wal"
        assert writer.one("PRAGMA busy_timeout")[0] >= 5000


def test_bundled_file_is_never_written() -> None:
    before = paths.bundled_story().read_bytes()
    with connect(paths.bundled_story(), write=False) as lib:
        lib.search("Mamani")
    assert paths.bundled_story().read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"hello, not a database" * 100])
def test_a_file_that_is_not_a_library_gets_a_clear_message(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(content)
    with pytest.raises(LibraryError, match="not a coup-explorer library"):
        open_library(bad)


def test_another_sqlite_file_is_not_a_library(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.close()
    with pytest.raises(LibraryError, match="not a coup-explorer library"):
        open_library(other, write=True)


def test_a_library_from_a_newer_version_is_refused(story_path: Path) -> None:
    conn = sqlite3.connect(story_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryError, match="newer coup-explorer"):
        open_library(story_path)


def test_a_directory_is_not_a_library(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="directory"):
        open_library(tmp_path)


def test_the_data_layer_never_imports_textual_or_rich() -> None:
    code = ("import sys, coup_explorer.db, coup_explorer.db.exporters, coup_explorer.db.build, "
            "coup_explorer.db.importers; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# -- lists, filters and paging ------------------------------------------------------


def test_lists_are_pages_of_frozen_dataclasses(story: Library) -> None:
    first, second = story.quotes(limit=5), story.quotes(limit=5, offset=5)
    assert all(isinstance(q, Quote) for q in first + second)
    assert {q.id for q in first}.isdisjoint(q.id for q in second)
    assert all(isinstance(e, Event) for e in story.timeline(limit=3))
    assert all(isinstance(a, Actor) for a in story.actors(limit=3))
    with pytest.raises(AttributeError):
        first[0].text = "changed"  # type: ignore[misc]


def test_choosing_an_actor_narrows_events_and_quotes(story: Library) -> None:
    cob = story.find_actor("COB")
    assert cob is not None and cob.events >= 10 and cob.quotes == 3
    flt = Filter(actor=cob.id)
    assert all(cob.id in e.actor_ids for e in story.timeline(flt))
    assert story.count_events(flt) == cob.events
    said = story.quotes(Filter(speaker=cob.id))
    assert {q.speaker for q in said} == {"Bolivian Workers Central"} and len(said) == 3


def test_choosing_an_event_shows_its_actors_and_quotes_around_it(story: Library) -> None:
    [event] = [e for e in story.timeline(limit=100) if e.date == "2019-11-15"]
    assert {a.name for a in story.actors(Filter(event=event.id))} == set(event.actors)
    around = {q.text for q in story.quotes(Filter(event=event.id))}
    assert "those in power and in the opposition shake hands." in around
    assert "civilian" in around  # the same paragraph


def test_date_range_filters_are_inclusive_and_checked(story: Library) -> None:
    events = story.timeline(Filter(since="1951", until="1953"))
    assert {e.date[:4] for e in events} == {"1951", "1952", "1953"}
    with pytest.raises(InvalidInput, match="not a date"):
        story.timeline(Filter(since="last tuesday"))
    with pytest.raises(InvalidInput, match="does not exist"):
        story.timeline(Filter(until="2019-02-30"))


def test_one_item_comes_with_its_paragraph(story: Library) -> None:
    [quote] = story.quotes(Filter(text='"need much of an introduction"'))
    context = story.context(quote)
    assert context is not None and context.paragraph == quote.paragraph
    assert context.paragraph_text[slice(*context.span)] == quote.text
    assert context.paragraph_text.startswith("The “provisional” minister of labor")
    assert context.source.title.startswith("Bolivian trade union confederation")


def test_facets_count_from_the_database(story: Library) -> None:
    speakers = {f.value: f.count for f in story.facets("speaker")}
    assert speakers["Vitalino Mamani"] == 6 and speakers["(no speaker)"] == 5
    assert {f.value: f.count for f in story.facets("kind")} == {"speech": 12, "term": 5}
    with pytest.raises(InvalidInput):
        story.facets("colour")


# -- search ---------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("anez", "Jeanine Áñez"),
    ("ANEZ", "Jeanine Áñez"),
    ("lechin", "Juan Lechín"),
    ("Lechín", "Juan Lechín"),
    ("Mam", "Vitalino Mamani"),
    ("vitaliano", "Vitalino Mamani"),
])
def test_search_ignores_case_and_accents_and_completes_the_last_word(
        story: Library, query: str, expected: str) -> None:
    names = [h.item.name for h in story.search(query, within="actors")]
    assert expected in names


def test_a_phrase_is_a_phrase_and_all_words_are_required(story: Library) -> None:
    assert [h.item.text for h in story.search('"shake hands"')] == [
        "those in power and in the opposition shake hands."]
    assert story.search('"hands shake"') == []
    assert len(story.search("independence government")) == 1


def test_a_speakers_name_or_alias_finds_their_quotes(story: Library) -> None:
    by_alias = {h.item.text for h in story.search("COB")}
    assert by_alias == {q.text for q in story.quotes(Filter(speaker=story.find_actor("COB").id))}
    assert {h.item.speaker for h in story.search("Mercado")} == {"Óscar Mercado"}


def test_search_returns_the_spans_to_highlight(story: Library) -> None:
    [hit] = story.search("introduction")
    assert hit.item.text.startswith(BRACKETED)
    assert [hit.item.text[s:e] for s, e in hit.spans] == ["introduction"]
    hits = story.search("Mam", within="all")
    quote = next(h for h in hits if isinstance(h.item, Quote) and "[Mamani]" in h.item.text)
    assert [quote.item.text[s:e] for s, e in quote.spans] == ["Mamani"]


def test_search_is_ranked(story: Library) -> None:
    ranks = [h.rank for h in story.search("COB", within="all", limit=50)]
    assert ranks == sorted(ranks)


HOSTILE = ['"', '""', '"""', "'", "(", ")", "*", "a*b", "NEAR(a b)", "a OR b", "a AND NOT b",
           "-", "^", ":", "col:word", "quotes_fts:x", "{a b}", "[Mamani]", "\\", "\x00", "%_",
           "'; DROP TABLE quotes; --", "x" * 10_000, "Mam" * 3000, "é" * 500, "🙂", "\u200b",
           " ".join(["a"] * 500), '"unclosed phrase', "+", "AND", "OR", "NOT"]

def with_prefixes(path: Path, prefixes: str) -> None:
    """Give a library's full-text indexes other prefix indexes, as older versions made them."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name GLOB '*_fts'",
                 (f"prefix='{PREFIXES}'", f"prefix='{prefixes}'"))
    conn.execute("PRAGMA writable_schema = OFF")
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    for table in FTS_COLUMNS:
        conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
    conn.close()


def test_a_library_made_before_three_letter_prefix_indexes_answers_the_same(
        story_path: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copyfile(story_path, old)
    with_prefixes(old, "1 2")
    with connect(story_path) as new, connect(old) as before:
        assert "prefix='1 2')" in before.one("SELECT sql FROM sqlite_master "
                                               "WHERE name = 'quotes_fts'")[0]
        for query in ("c", "co", "cob", "cobs", "the", "sha", "shake hands", "áñe", "mam",
                      "gov", "gove", "1952"):
            for kind in ("quote", "event", "actor"):
                flt = Filter(text=query)
                assert [i.id for i in before.page_of(kind, flt)] == \
                    [i.id for i in new.page_of(kind, flt)], (query, kind)
                assert before.count(kind, flt) == new.count(kind, flt)



@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("within", ["quotes", "events", "actors", "all"])
def test_no_search_string_raises(story: Library, query: str, within: str) -> None:
    hits = story.search(query, within=within)
    assert isinstance(hits, list)
    story.count_matches(query, within)
    assert story.count_quotes() == 17


def test_an_unknown_search_scope_is_a_clear_error(story: Library) -> None:
    with pytest.raises(InvalidInput, match="cannot search in"):
        story.search("x", within="everything")


# -- marks -------------------------------------------------------------------------


def test_marks_add_remove_list_clear_and_persist(story_path: Path) -> None:
    with connect(story_path, write=True) as lib:
        quote = lib.quotes(Filter(text="introduction"))[0]
        assert lib.toggle_mark("quote", quote.id) is True
        lib.mark("event", lib.timeline(limit=1)[0].id)
        lib.mark("event", lib.timeline(limit=1)[0].id)  # twice is once
        assert lib.count_marks() == 2
    with connect(story_path, write=False) as lib:
        assert [q.text for q in lib.marks("quote")] == [quote.text]
        assert lib.marked_among("quote", [quote.id, quote.id + 1]) == {quote.id}
    with connect(story_path, write=True) as lib:
        assert lib.toggle_mark("quote", quote.id) is False
        assert lib.mark_all("quote", Filter(speaker=lib.find_actor("Mamani").id)) == 6
        assert lib.count_marks("quote") == 6
        assert lib.clear_marks() == 7 and lib.count_marks() == 0


def test_a_mark_of_an_unknown_kind_is_refused(story: Library) -> None:
    with pytest.raises(InvalidInput):
        story.mark("paragraph", 1)


# -- writes are checked and atomic ---------------------------------------------------


def test_a_failed_write_changes_nothing(story: Library) -> None:
    before = story.stats()
    with pytest.raises(InvalidInput, match="paragraph 1 does not hold"):
        with story.transaction():
            story.add_actor(uid="new-person", name="New Person", kind="person")
            story.add_quote(uid="q-bad", text="Last", kind="speech", source_id=1, paragraph=1,
                            char_start=9000, char_end=9004)
    assert story.stats() == before
    assert story.find_actor("New Person") is None


def test_a_quote_must_be_its_span(story: Library) -> None:
    with pytest.raises(InvalidInput, match="not the source's characters"):
        with story.transaction():
            story.add_quote(uid="q-x", text="Not these words", kind="speech", source_id=1,
                            paragraph=1, char_start=110, char_end=125)


def test_alias_changes_reach_the_quote_index(story: Library) -> None:
    mercado = story.find_actor("Óscar Mercado")
    assert story.search("labourminister") == []
    with story.transaction():
        story.add_aliases(mercado.id, ["labourminister"])
    assert [h.item.speaker for h in story.search("labourminister")] == ["Óscar Mercado"]


def test_quotes_indexed_at_the_end_of_a_transaction_meet_alias_changes_in_it(
        story: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quotes added in bulk are put in the full-text index when the transaction ends; an alias
    added before then changes their speaker's names, which must reach the index too."""
    from coup_explorer.db import bulk

    monkeypatch.setattr(bulk, "TOGETHER", 2)
    mercado = story.find_actor("Óscar Mercado")
    quote = next(q for q in story.quotes(Filter(actor=mercado.id)) if q.speaker_id == mercado.id)

    def rows(numbers: range) -> list[tuple]:
        return [story._quote_row(uid=f"q-bulk-{n}", text=quote.text, kind="speech",
                                 source_id=quote.source_id, paragraph=quote.paragraph,
                                 char_start=quote.char_start, char_end=quote.char_end,
                                 speaker_id=mercado.id) for n in numbers]

    with story.transaction():
        story._add_quotes(rows(range(3)))
        assert story.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'quotes_ai'") == 0
        story.add_aliases(mercado.id, ["bulkminister"])  # indexes the new quotes first
        story._add_quotes(rows(range(3, 5)))
    assert story.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'quotes_ai'") == 1
    story.conn.execute("INSERT INTO quotes_fts(quotes_fts, rank) VALUES ('integrity-check', 1)")
    found = {h.item.uid for h in story.search("bulkminister", limit=100)}
    assert {f"q-bulk-{n}" for n in range(5)} <= found


def test_a_trigger_dropped_for_a_bulk_write_is_stood_in_for_until_the_transaction_ends(
        story: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large batch drops the counting triggers for the rest of the transaction; a quote, an
    event or an alias added one at a time after it is counted all the same, and the triggers
    are there again once it commits (or, rolled back, were never gone)."""
    from coup_explorer.db import bulk

    monkeypatch.setattr(bulk, "TOGETHER", 2)
    triggers = ("quotes_speaker_ai", "event_actors_ai", "aliases_ai")
    present = f"SELECT count(*) FROM sqlite_master WHERE name IN {triggers}"
    mercado = story.find_actor("Óscar Mercado")
    quote = next(q for q in story.quotes(Filter(actor=mercado.id)) if q.speaker_id == mercado.id)
    event = story.timeline()[0]
    counts = "SELECT quote_count, event_count, alias_text FROM actors WHERE id = ?"
    quotes, events, aliases = story.one(counts, (mercado.id,))

    def add_quote(n: int) -> None:
        story.add_quote(uid=f"q-one-{n}", text=quote.text, kind="speech",
                        source_id=quote.source_id, paragraph=quote.paragraph,
                        char_start=quote.char_start, char_end=quote.char_end,
                        speaker_id=mercado.id)

    def add_event(n: int, actors: list[int]) -> None:
        story.add_event(uid=f"e-one-{n}", date="2019", date_precision="year", summary="s",
                        source_id=event.source_id, paragraph=event.paragraph,
                        char_start=event.char_start, char_end=event.char_end, actor_ids=actors)

    with story.transaction():
        story.add_aliases(mercado.id, ["bulk one", "bulk two"])
        story._add_quotes([story._quote_row(
            uid=f"q-bulk-{n}", text=quote.text, kind="speech", source_id=quote.source_id,
            paragraph=quote.paragraph, char_start=quote.char_start, char_end=quote.char_end,
            speaker_id=mercado.id) for n in range(3)])
        add_event(0, [mercado.id, mercado.id, 1])  # two links: the trigger dropped
        assert story.scalar(present) == 0
        add_quote(0)
        add_event(1, [mercado.id])
        add_event(2, [])
        story.add_aliases(mercado.id, ["bulk three"])  # (alias changes bring them all back)
    assert story.scalar(present) == 3
    now = story.one(counts, (mercado.id,))
    assert now[:2] == (quotes + 4, events + 2)
    assert set(now[2].split(" | ")) == {*filter(None, aliases.split(" | ")), "bulk one",
                                        "bulk two", "bulk three"}
    assert story.one("SELECT actor_names FROM events WHERE uid = 'e-one-1'") == (mercado.name,)
    with pytest.raises(RuntimeError):
        with story.transaction():
            add_event(3, [mercado.id, 1])
            assert story.scalar(present) == 2
            raise RuntimeError
    assert story.scalar(present) == 3
    assert story.one(counts, (mercado.id,))[:2] == (quotes + 4, events + 2)


def test_an_interrupted_wait_for_a_write_in_a_thread_is_waited_for_again_before_the_rollback(
        tmp_path: Path) -> None:
    """Ctrl-C while the import waits for a batch being written in a thread: the rollback that
    follows must wait for it too, or the thread's next statement would run after the rollback,
    outside any transaction."""
    import threading

    lib = create_empty(tmp_path / "lib.db")
    release, joined = threading.Event(), []

    class Interrupted(threading.Thread):
        def join(self, timeout: float | None = None) -> None:
            joined.append(self)
            if len(joined) == 1:
                raise KeyboardInterrupt
            release.set()
            super().join(timeout)

    with pytest.raises(KeyboardInterrupt):
        with lib.transaction():
            lib._settle()
            thread = Interrupted(target=release.wait, args=(10,), daemon=True)
            thread.start()
            lib._behind = (thread, [])
            lib._settle()
    assert len(joined) == 2 and not thread.is_alive() and lib._behind is None
    assert not lib.conn.in_transaction


def test_an_empty_library_answers_every_query() -> None:
    lib = create_empty()
    assert lib.stats().quotes == 0
    assert lib.quotes() == [] and lib.timeline() == [] and lib.actors() == []
    assert lib.search("anything", within="all") == [] and lib.histogram() == []
    lib.close()


def test_an_actor_can_be_named_by_surname_when_that_is_unambiguous(story: Library) -> None:
    assert story.resolve_actor("Mercado").name == "Óscar Mercado"
    assert story.resolve_actor("cob").name == "Bolivian Workers Central"
    with pytest.raises(InvalidInput, match="could be several actors"):
        story.resolve_actor("Juan")
    with pytest.raises(InvalidInput, match="no actor named"):
        story.resolve_actor("Nobody Atall")


@pytest.mark.parametrize("kind", ["quote", "event", "actor"])
@pytest.mark.parametrize("page", [1, 2, 7, 1000])
def test_walking_a_whole_list_meets_every_item_once_in_list_order(
        story: Library, kind: str, page: int) -> None:
    listed = {"quote": lambda: story.quotes(limit=1000), "event": lambda: story.timeline(limit=1000),
              "actor": lambda: story.actors(limit=1000, order="name")}[kind]()
    walked = list(story.iter_items(kind, page=page))
    assert [i.id for i in walked] == [i.id for i in listed]
    mamani = story.find_actor("Mamani").id
    if kind != "actor":
        flt = Filter(actor=mamani)
        expected = (story.quotes if kind == "quote" else story.timeline)(flt, limit=1000)
        assert [i.id for i in story.iter_items(kind, flt, page=page)] == [i.id for i in expected]
    searched = list(story.iter_items(kind, Filter(text="COB"), page=page))
    assert len({i.id for i in searched}) == len(searched) > 0


@pytest.mark.parametrize("flt", [Filter(), Filter(actor=4), Filter(since="1985", until="2019-11"),
                                 Filter(event=1), Filter(marked=True)])
def test_position_is_the_row_of_an_item_in_its_list(story: Library, flt: Filter) -> None:
    with story.transaction():
        for kind in ("quote", "event", "actor"):
            story.mark_all(kind, Filter(since="2019") if kind != "actor" else Filter(actor_kind="person"))
    lists = {"quote": story.quotes(flt, limit=1000), "event": story.timeline(flt, limit=1000),
             "actor": story.actors(flt, limit=1000)}
    for kind, items in lists.items():
        assert [story.position(kind, i.id, flt) for i in items] == list(range(len(items)))
    outside = {q.id for q in story.quotes(limit=1000)} - {q.id for q in lists["quote"]}
    assert all(story.position("quote", i, flt) is None for i in outside)
    assert story.position("quote", lists["quote"][0].id if lists["quote"] else 1,
                          Filter(text="COB")) is None  # a ranked list: unknown without ranking


def test_a_new_sources_paragraphs_are_found_alike_kept_from_its_adding_or_read_back() -> None:
    """What checking items needs of a source is kept as it is added: the same, paragraphs out of
    order or starting together included, as reading it back from the library gives."""
    lib = create_empty()
    text = "First paragraph.\n\nSecond one here.\n\nThird."
    spans = [[18, 34], [0, 16], [36, 42], [36, 40]]  # out of order; two start at 36
    with lib.transaction():
        source_id = lib.add_source(uid="s", title="t", text=text, paragraphs=spans)
        kept = lib._facts[source_id]
        found = [lib.paragraph_at(source_id, at) for at in range(len(text) + 1)]
        lib._facts.clear()
        assert [lib.paragraph_at(source_id, at) for at in range(len(text) + 1)] == found
        again = lib._facts[source_id]
        assert (kept.bounds, kept.numbers, kept.ordered) == (again.bounds, again.numbers,
                                                             again.ordered)
        assert list(kept.bounds) == [2, 1, 3, 4] and not kept.ordered
        assert found[0] == 2 and found[20] == 1 and found[17] == 0
