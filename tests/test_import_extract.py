"""Extraction rules on small texts: quotes and their speakers, actors, dated events."""

from __future__ import annotations

import time

import pytest

from coup_explorer.db.importers.extract import extract
from coup_explorer.db.importers.marks import find_quotes

PUB = "2019-12-17"  # a Tuesday


def quotes(text: str, published: str | None = PUB) -> list[tuple[str, str | None, str]]:
    found = extract(text, published)
    return [(text[q.start:q.end], found.entities[q.speaker].name if q.speaker else None, q.kind)
            for q in found.quotes]


def events(text: str, published: str | None = PUB) -> list[tuple[str, str, str]]:
    return [(e.date_text, e.date, e.precision) for e in extract(text, published).events]


def inner(text: str) -> list[str]:
    return [text[a + 1:b] for a, b in find_quotes(text, 0, len(text))]


# -- quotation marks ---------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("He said “we strike” today.", ["we strike"]),
    ('He said "we strike" today.', ["we strike"]),
    ("Dijo «vamos a la huelga» hoy.", ["vamos a la huelga"]),
    ("“They called it ‘a betrayal’ and left,” she said.", ["They called it ‘a betrayal’ and left,"]),
    ("«Nos dijeron “esperen” y esperamos», dijo.", ["Nos dijeron “esperen” y esperamos"]),
    ("Morales’s party won in the ’90s and the workers’ union agreed.", []),
    ("Since ‘68 the party’s line held.", []),
    ("They called it 'provisional' at first.", ["provisional"]),
])
def test_quote_marks(text: str, expected: list[str]) -> None:
    assert inner(text) == expected


def test_an_unclosed_quote_is_not_paired_across_paragraphs() -> None:
    text = "He said “this never closes.\n\nThen “a term” came and “more words here,” Ana Quispe said."
    found = quotes(text)
    assert [q[0] for q in found] == ["a term", "more words here,"]


def test_an_unclosed_quote_in_a_megabyte_is_fast() -> None:
    text = "He said “" + ("the workers march on and on. " * 40_000)
    began = time.perf_counter()
    assert quotes(text) == []
    assert time.perf_counter() - began < 5


def test_spans_are_exact_and_trailing_commas_kept() -> None:
    text = "“We will not give up,” said Ana Quispe."
    found = extract(text, PUB)
    q = found.quotes[0]
    assert text[q.start:q.end] == "We will not give up,"


# -- speakers ------------------------------------------------------------------------

@pytest.mark.parametrize("text, speaker", [
    ("Vitalino Mamani declared: “The COB will defend the workers in every mine.”", "Vitalino Mamani"),
    ("“The strike goes on until they pay us,” said the labour minister, Ana Quispe.", "Ana Quispe"),
    ("“The strike goes on until they pay us,” Ana Quispe said.", "Ana Quispe"),
    ("“The strike goes on until they pay us,” Ana Quispe told reporters on Monday.", "Ana Quispe"),
    ("The leader, Juan Pérez, spoke first. He warned: “Nobody will be left behind this time.”", "Juan Pérez"),
    ("«No vamos a retroceder ni un paso», afirmó el dirigente Orlando Gutiérrez.", "Orlando Gutiérrez"),
    ("Orlando Gutiérrez dijo: «No vamos a retroceder ni un paso».", "Orlando Gutiérrez"),
    ("“We were right all along about this,” tweeted Evo Morales.", "Evo Morales"),
    ("According to Carlos Mesa, “the people have defended their vote.”", "Carlos Mesa"),
])
def test_speaker(text: str, speaker: str) -> None:
    found = quotes(text)
    assert found[0][1] == speaker
    assert found[0][2] == "speech"


def test_attribution_around_the_quote_gives_both_halves_to_the_speaker() -> None:
    text = ("Sen. Bernie Sanders spoke this week. “I am very concerned about a coup,” the senator "
            "wrote on Monday. “The US must call for an end to the violence.”")
    found = quotes(text)
    assert [(q[0][:10], q[1]) for q in found] == [
        ("I am very ", "Bernie Sanders"), ("The US mus", "Bernie Sanders")]


def test_a_quote_alone_in_the_next_paragraph_continues_the_speaker() -> None:
    text = ("“We have not been paid since December,” said Wilma Plata.\n\n"
            "“The government promises and promises, but the money never comes.”")
    assert [q[1] for q in quotes(text)] == ["Wilma Plata", "Wilma Plata"]


def test_a_dash_line_under_a_pull_quote_names_the_speaker() -> None:
    text = "“She knows the tunnels better than any engineer.”\n\n— Pedro Condori, a cooperative leader"
    assert quotes(text)[0][1] == "Pedro Condori"


def test_a_quoted_term_with_no_speaker_is_a_term() -> None:
    text = "The “provisional” government of Jeanine Áñez called it “a transition.”"
    found = quotes(text)
    assert [(q[0], q[2]) for q in found] == [("provisional", "term"), ("a transition.", "term")]
    assert all(q[1] is None for q in found)


def test_a_long_quote_with_no_speaker_is_speech_without_one() -> None:
    text = "Posters read “the mines belong to those who work in them and nobody else” everywhere."
    assert quotes(text) == [("the mines belong to those who work in them and nobody else", None, "speech")]


# -- actors ----------------------------------------------------------------------------

def names(text: str) -> dict[str, tuple[str, str | None, set[str]]]:
    found = extract(text, PUB)
    return {e.name: (e.kind, e.role, e.aliases) for e in found.entities.values()}


def test_titles_acronyms_and_places() -> None:
    text = ("General Hugo Banzer met Sen. Oscar Ortiz in La Paz. The Bolivian Workers Central (COB) "
            "refused. Later the COB and Banzer spoke again in Cochabamba, Bolivia.")
    found = names(text)
    assert found["Hugo Banzer"][0] == "person" and found["Hugo Banzer"][1] == "General"
    assert found["Oscar Ortiz"][1] == "Sen."
    assert found["Bolivian Workers Central"][0] == "organization"
    assert "COB" in found["Bolivian Workers Central"][2]
    assert "Banzer" in found["Hugo Banzer"][2]
    for place in ("La Paz", "Cochabamba", "Bolivia"):
        assert place not in found


def test_kinds_of_organisation() -> None:
    found = names("The Movement Toward Socialism and the Labor Ministry met Sumitomo Corporation.")
    assert found["Movement Toward Socialism"][0] == "party"
    assert found["Labor Ministry"][0] == "government"
    assert found["Sumitomo Corporation"][0] == "company"


def test_near_miss_spellings_merge_within_an_article() -> None:
    found = names("Vitalino Mamani spoke. Later Vitaliano Mamani left.")
    assert list(found) == ["Vitalino Mamani"]
    assert "Vitaliano Mamani" in found["Vitalino Mamani"][2]


# -- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, date, precision", [
    ("Morales resigned on November 10.", "2019-11-10", "day"),
    ("The MNR took power in April 1952.", "1952-04", "month"),
    ("The Popular Assembly met in 1971.", "1971", "year"),
    ("The article appeared on 17 December 2019.", "2019-12-17", "day"),
    ("Mamani was sworn in on Tuesday.", "2019-12-10", "day"),
    ("The COB agreed last week.", "2019-12-09", "week"),
    ("The coup took place last month.", "2019-11", "month"),
    ("Prices rose earlier this year.", "2019", "year"),
    ("Mineros partieron el martes hacia La Paz.", "2019-12-10", "day"),
    ("El 10 de noviembre de 2019 renunció.", "2019-11-10", "day"),
    ("The strike ends next week.", "2019-12-23", "week"),
    ("It happened yesterday.", "2019-12-16", "day"),
])
def test_dates(sentence: str, date: str, precision: str) -> None:
    found = events(sentence)
    assert found[0][1:] == (date, precision)


def test_the_following_day_follows_the_last_day_named() -> None:
    found = events("Troops fired on November 15. The following day, the COB called a strike.")
    assert [e[1] for e in found] == ["2019-11-15", "2019-11-16"]


def test_impossible_dates_are_dropped() -> None:
    assert events("The census is on February 30.") == []
    assert events("The census was on 30 February 2019.") == []


def test_relative_dates_need_a_publication_date() -> None:
    assert events("Mamani was sworn in on Tuesday.", published=None) == []
    assert events("Banzer took power in 1971.", published=None)[0][1] == "1971"


def test_dates_inside_quotes_are_not_events() -> None:
    assert events("“We will strike on Monday,” said Ana Quispe.") == []


def test_event_keeps_words_and_actors() -> None:
    text = "On Tuesday, Vitalino Mamani was sworn in as vice-minister."
    found = extract(text, PUB)
    event = found.events[0]
    assert event.date_text == "On Tuesday"
    assert [found.entities[a].name for a in event.actors] == ["Vitalino Mamani"]
    assert text[event.start:event.end] == text
