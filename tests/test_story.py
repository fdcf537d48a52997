"""The bundled story: complete, exact, and the shipped file equal to a fresh build."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from coup_explorer.db import Filter, Library, connect, paths
from coup_explorer.db.build import build

DATA = Path(paths.bundled_story()).parent
STORY = json.loads((DATA / "story.json").read_text(encoding="utf-8"))
TEXT = (DATA / "story.txt").open(encoding="utf-8", newline="").read()
SOURCE = Path(__file__).resolve().parents[1].parent / "shared" / "source" / "000_d578aa2c01dc5bc3.txt"


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Every “…” pair in the text, as the span strictly between the marks."""
    return [(m.start(1), m.end(1)) for m in re.finditer(r"“([^“”]*)”", text)]


def dump(lib: Library) -> list[tuple]:
    """Every row of every ordinary table in a fixed order, less the time of building."""
    rows = []
    tables = [r[0] for r in lib.all("SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE '%_fts%' ORDER BY name")]
    for table in tables:
        columns = [r[1] for r in lib.all(f"PRAGMA table_info([{table}])") if r[1] != "added_at"]
        listed = ", ".join(f"[{c}]" for c in columns)
        rows += [(table, *r) for r in lib.all(f"SELECT {listed} FROM [{table}] ORDER BY {listed}")]
    rows += [("schema", *r) for r in lib.all("SELECT type, name, sql FROM sqlite_master ORDER BY name")]
    return rows


@pytest.mark.skipif(not SOURCE.exists(), reason="../shared is not beside the checkout")
def test_bundled_text_is_the_article() -> None:
    assert TEXT == SOURCE.open(encoding="utf-8", newline="").read()


def test_shipped_database_equals_a_fresh_build(tmp_path: Path) -> None:
    fresh = build(tmp_path / "fresh.db")
    shipped = connect(paths.bundled_story(), write=False)
    try:
        assert dump(fresh) == dump(shipped), "run: python -m coup_explorer.db.build"
        for table in ("quotes", "events", "actors"):
            query = f"SELECT rowid, * FROM {table}_fts ORDER BY rowid"
            assert fresh.all(query) == shipped.all(query)
    finally:
        fresh.close()
        shipped.close()


def test_shipped_database_is_one_self_contained_file() -> None:
    conn = sqlite3.connect(f"file:{paths.bundled_story()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_every_quotation_in_the_article_is_a_quote(story: Library) -> None:
    stored = {(q.char_start, q.char_end) for q in story.quotes(limit=1000)}
    expected = quotation_spans(TEXT)
    assert len(expected) == 17
    assert stored == set(expected)
    assert story.count_quotes() == 17


def test_every_quote_is_its_exact_span_in_its_paragraph(story: Library) -> None:
    spans = {n: (s, e) for n, s, e in story.paragraph_spans(1)}
    for quote in story.quotes(limit=1000):
        assert TEXT[quote.char_start:quote.char_end] == quote.text
        start, end = spans[quote.paragraph]
        assert start <= quote.char_start <= quote.char_end <= end


def test_events_hold_the_words_their_date_came_from(story: Library) -> None:
    spans = {n: (s, e) for n, s, e in story.paragraph_spans(1)}
    events = story.timeline(limit=1000)
    assert len(events) == 39
    for event in events:
        # The date's words stand in the event's own words or, where the article set the
        # date earlier ("last month" dates Áñez's swearing-in), earlier in the article.
        assert event.date_text and event.date_text in TEXT[:event.char_end]
        start, end = spans[event.paragraph]
        assert start <= event.char_start <= event.char_end <= end
        assert event.actors or event.summary  # every event says what happened


def test_dates_keep_the_precision_the_article_gives(story: Library) -> None:
    by_words = {e.date_text: e for e in story.timeline(limit=1000)}
    assert (by_words["In April 1952"].date, by_words["In April 1952"].date_precision) == ("1952-04", "month")
    assert by_words["In April 1952"].date_label == "April 1952"
    assert (by_words["On Tuesday"].date, by_words["On Tuesday"].date_precision) == ("2019-12-10", "day")
    assert (by_words["last month"].date, by_words["last month"].date_precision) == ("2019-11", "month")
    assert (by_words["Last week"].date, by_words["Last week"].date_precision) == ("2019-12-09", "week")
    assert (by_words["next year"].date, by_words["next year"].date_precision) == ("2020", "year")
    assert by_words["In 1971"].date == "1971"
    assert by_words["between 2000 and 2005"].date_end == "2005"
    years = [f.value for f in story.histogram()]
    assert years[0] == "1951" and years[-1] == "2020"


def test_the_timeline_sorts_mixed_precisions_sensibly(story: Library) -> None:
    dates = [e.date for e in story.timeline(limit=1000)]
    assert dates == sorted(dates)
    assert dates.index("1985") < dates.index("1985-03") < dates.index("1985-08")


SPEAKERS = {
    "He [Mamani] doesn’t need much of an introduction.": "Óscar Mercado",
    "violent": "Vitalino Mamani",
    "elitist cults.": "Vitalino Mamani",
    "those in power and in the opposition shake hands.": "Bolivian Workers Central",
    "didn’t originate from wage-related demands": "José Baldivia Urdininea",
    "necessity of subordinating": "Michel Pablo",
    "to keep our independence": "Vitalino Mamani",
    "companies must increase": "Vitalino Mamani",
}


@pytest.mark.parametrize(("start", "speaker"), SPEAKERS.items())
def test_quotes_have_their_speakers(story: Library, start: str, speaker: str) -> None:
    [quote] = [q for q in story.quotes(limit=1000) if q.text.startswith(start)]
    assert quote.speaker == speaker and quote.kind == "speech"


def test_scare_quotes_are_terms_without_a_speaker(story: Library) -> None:
    terms = {q.text for q in story.quotes(Filter(quote_kind="term"), limit=100)}
    assert {"provisional", "civilian", "recovered", "reformed."} <= terms
    assert all(q.speaker is None for q in story.quotes(Filter(quote_kind="term"), limit=100))


@pytest.mark.parametrize(("name", "forms"), [
    ("Vitalino Mamani", {"Mamani", "Vitaliano Mamani"}),
    ("Bolivian Workers Central", {"COB"}),
    ("Jeanine Áñez", {"Áñez"}),
    ("Juan Lechín", {"Lechín"}),
    ("Víctor Paz Estenssoro", {"Paz Estenssoro"}),
    ("Movement Toward Socialism", {"MAS"}),
    ("Juan José Torres", {"General Juan José Torres"}),
])
def test_actors_carry_every_form_of_their_name(story: Library, name: str, forms: set[str]) -> None:
    actor = story.find_actor(name)
    assert actor is not None and forms <= set(actor.aliases)
    for form in forms:
        assert story.find_actor(form) == actor


def test_every_alias_is_used_by_the_article_and_belongs_to_one_actor() -> None:
    seen: dict[str, str] = {}
    for actor in STORY["actors"]:
        for alias in actor["aliases"]:
            assert re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", TEXT), alias
            assert seen.setdefault(alias, actor["id"]) == actor["id"], alias


def test_actors_are_mentioned_where_the_article_names_them(story: Library) -> None:
    mamani = story.find_actor("Mamani")
    assert mamani is not None
    context = story.context(mamani)
    assert context is not None
    assert context.paragraph_text[slice(*context.span)] in ("Vitalino Mamani", "Mamani")
    named = {q.text for q in story.quotes(Filter(actor=mamani.id), limit=100)}
    assert "He [Mamani] doesn’t need much of an introduction. He is a respected figure that will " \
        "undoubtedly give a substantial contribution to the work of this Ministry." in named


def test_paragraphs_join_the_three_blocks_broken_mid_sentence(story: Library) -> None:
    spans = story.paragraph_spans(1)
    assert len(spans) == 26
    texts = [TEXT[s:e] for _, s, e in spans]
    assert texts[0].startswith("Last week, the Bolivian Workers Central")
    joined = [t for t in texts if "\n\n" in t]
    assert len(joined) == 3
    assert any("20 percent for\n\nthe minimum salary" in t for t in joined)


def test_a_name_met_only_inside_a_longer_one_is_still_a_mention(story: Library) -> None:
    person = story.find_actor("Hernán Siles Zuazo")
    government = story.find_actor("Hernán Siles Zuazo government")
    assert person is not None and government is not None and person != government
    context = story.context(person)
    assert context is not None
    assert context.paragraph_text[slice(*context.span)] == "Hernán Siles Zuazo"


def test_every_actor_is_found_in_the_article_body(story: Library) -> None:
    unmentioned = [a.name for a in story.actors(limit=1000) if story.context(a) is None]
    assert unmentioned == ["Andrea Lobo"]  # named only in the byline, which is not a paragraph
