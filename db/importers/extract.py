"""Everything found automatically in one article's text: actors, quotes with speakers, dated events.

``extract`` is pure (text in, plain data out), so it can run in a worker process
and be measured on its own (``bench/extraction.py``).
"""

from __future__ import annotations

import bisect
from collections.abc import Container
from dataclasses import dataclass, field

from ..writer import split_paragraphs
from .attribution import Attributor, Speaker
from .marks import find_quotes, sentences
from .names import Entity, Mention, find_entities
from .when import DateHit, Resolver

TERM_WORDS = 4
MAX_ITEMS = 2000  # quotes, and events, kept from one article (the first ones): beyond that it is not news
SUMMARY_CHARS = 240


@dataclass
class FoundQuote:
    start: int
    end: int
    paragraph: int
    kind: str
    speaker: int | None
    confidence: float
    how: str
    date: str | None = None
    date_precision: str | None = None


@dataclass
class FoundEvent:
    start: int
    end: int
    paragraph: int
    date: str
    precision: str
    date_end: str | None
    date_text: str
    summary: str
    actors: list[int]
    confidence: float
    date_at: int = 0


@dataclass
class Extraction:
    paragraphs: list[tuple[int, int]]
    entities: dict[int, Entity]
    mentions: list[Mention]
    quotes: list[FoundQuote]
    events: list[FoundEvent]
    dropped: dict[str, int] = field(default_factory=dict)  # found beyond MAX_ITEMS, by kind


def extract(text: str, published: str | None, known: Container[str] = ()) -> Extraction:
    paragraphs = split_paragraphs(text)
    quotes_by_p = [find_quotes(text, s, e) for s, e in paragraphs]
    sentences_by_p = [sentences(text, s, e, q) for (s, e), q in zip(paragraphs, quotes_by_p)]
    all_quotes = [q for qs in quotes_by_p for q in qs]
    all_sentences = [s for ss in sentences_by_p for s in ss]
    starts = {s for s, _ in all_sentences}
    entities, mentions = find_entities(text, paragraphs, starts, known)
    attributor = Attributor(text, entities, mentions, all_quotes, all_sentences)
    resolver = Resolver(published)
    events: list[FoundEvent] = []
    hits: list[DateHit]
    found: list[FoundQuote] = []
    previous_last: FoundQuote | None = None
    for number, ((p_start, p_end), quotes, sents) in enumerate(
            zip(paragraphs, quotes_by_p, sentences_by_p), 1):
        inner = [(a + 1, b) for a, b in quotes]
        inner_starts = [a for a, _ in inner]
        hits = []
        for s_start, s_end in sents:
            dated = resolver.find(text, s_start, s_end, inner, inner_starts)
            hits.extend(dated)
            for hit in dated:
                events.append(_event(text, number, s_start, s_end, hit, attributor,
                                     0.1 if len(dated) > 1 else 0.0))
        last: FoundQuote | None = None
        starts = [s for s, _ in sents]
        for index in range(len(quotes)):
            q = _quote(text, number, (p_start, p_end), quotes, index, sents, starts, attributor, last,
                       previous_last if index == 0 else None, hits)
            if q is not None:
                found.append(q)
                last = q if q.kind == "speech" else last
        previous_last = last
    dropped = {kind: len(items) - MAX_ITEMS for kind, items in (("quotes", found), ("events", events))
               if len(items) > MAX_ITEMS}
    return Extraction(paragraphs, entities, mentions, found[:MAX_ITEMS], events[:MAX_ITEMS], dropped)


def _event(text: str, number: int, start: int, end: int, hit: DateHit,
           attributor: Attributor, doubt: float) -> FoundEvent:
    summary = " ".join(text[start:end].split())
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1].rstrip() + "…"
    actors: list[int] = []
    for m in attributor._mentions_in(start, end):
        if m.entity not in actors:
            actors.append(m.entity)
    return FoundEvent(start, end, number, hit.date, hit.precision, hit.date_end, hit.text,
                      summary, actors, round(hit.confidence - doubt, 2), hit.start)


def _quote(text: str, number: int, paragraph: tuple[int, int], quotes: list[tuple[int, int]],
           index: int, sents: list[tuple[int, int]], starts: list[int], attributor: Attributor,
           last: FoundQuote | None, carried: FoundQuote | None,
           hits: list[DateHit]) -> FoundQuote | None:
    open_, close = quotes[index]
    start, end = open_ + 1, close
    body = text[start:end]
    if not body.strip():
        return None
    words = len(body.split())
    short = words <= TERM_WORDS and not any(c in body.rstrip(".,!?;:") for c in ".!?")
    sentence = _containing(sents, open_, starts) or paragraph
    close_sentence = _containing(sents, close, starts) or sentence
    b_start = max(sentence[0], quotes[index - 1][1] + 1 if index else paragraph[0])
    a_end = min(close_sentence[1], quotes[index + 1][0] if index + 1 < len(quotes) else paragraph[1])
    if close + 1 >= close_sentence[1] and index + 1 == len(quotes):
        a_end = paragraph[1]  # a pull quote with its dash line below it
    speaker: Speaker | None = attributor.after(close, a_end, short) or \
        attributor.before(b_start, open_, short)
    if speaker is None and not short:
        if last is not None and last.speaker is not None:
            speaker = Speaker(last.speaker, 0.7, "continued")
        elif carried is not None and carried.speaker is not None and \
                not text[paragraph[0]:open_].strip():
            speaker = Speaker(carried.speaker, 0.6, "continued")
        elif open_ == paragraph[0] and close + 1 >= paragraph[1] - 1:
            speaker = _dash_below(text, paragraph, attributor)
    lo = bisect.bisect_left(hits, b_start, key=lambda h: h.start)
    date = None
    for h in hits[lo:lo + 64]:
        if h.start >= a_end:
            break
        if h.start < open_ or close < h.start:
            date = h
            break
    if speaker is not None and speaker.entity is not None:
        return FoundQuote(start, end, number, "speech", speaker.entity, speaker.confidence,
                          speaker.how, date.date if date else None,
                          date.precision if date else None)
    if short:
        return FoundQuote(start, end, number, "term", None, 0.6, "term")
    return FoundQuote(start, end, number, "speech", None, 0.5, "unattributed",
                      date.date if date else None, date.precision if date else None)


def _containing(spans: list[tuple[int, int]], pos: int, starts: list[int]) -> tuple[int, int] | None:
    i = bisect.bisect_right(starts, pos) - 1
    return spans[i] if i >= 0 and pos < spans[i][1] else None


def _dash_below(text: str, paragraph: tuple[int, int], attributor: Attributor) -> Speaker | None:
    """A pull quote alone in its paragraph, with "— Name" as the next one."""
    after = paragraph[1]
    while after < len(text) and text[after].isspace():
        after += 1
    if text[after: after + 2].lstrip()[:1] not in ("—", "–", "-"):
        return None
    name_at = after + 1
    while name_at < len(text) and text[name_at] in " -—–\t":
        name_at += 1
    found = attributor._mentions_in(name_at, name_at + 2)
    return Speaker(found[0].entity, 0.85, "dash") if found else None
