"""The things a library holds, as frozen dataclasses.

Everything the data layer hands out is one of these: never a row, a dict or a
``sqlite_utils`` table. Every item that comes from a source knows where: the
source, the paragraph and the character span, so that
``source_text[char_start:char_end]`` is exactly its words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal

from .dates import format_date

ItemKind = Literal["event", "actor", "quote"]
ITEM_KINDS: tuple[ItemKind, ...] = ("event", "actor", "quote")
ACTOR_KINDS = ("person", "organization", "party", "government", "company")
QUOTE_KINDS = ("speech", "term")
ORIGINS = ("curated", "extracted", "imported")


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    uid: str
    title: str
    author: str | None
    outlet: str | None
    url: str | None
    published: str | None
    origin: str
    paragraphs: int
    length: int


@dataclass(frozen=True, slots=True)
class Actor:
    id: int
    uid: str
    name: str
    kind: str
    role: str | None
    aliases: tuple[str, ...]
    events: int
    quotes: int
    origin: str = "curated"
    confidence: float | None = None
    item_kind: ClassVar[ItemKind] = "actor"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    uid: str
    date: str
    date_precision: str
    date_end: str | None
    date_text: str
    summary: str
    actors: tuple[str, ...]
    actor_ids: tuple[int, ...]
    source_id: int
    paragraph: int
    char_start: int
    char_end: int
    origin: str = "curated"
    confidence: float | None = None
    item_kind: ClassVar[ItemKind] = "event"

    @property
    def date_label(self) -> str:
        return format_date(self.date, self.date_precision, self.date_end)


@dataclass(frozen=True, slots=True)
class Quote:
    id: int
    uid: str
    text: str
    speaker: str | None
    speaker_id: int | None
    kind: str
    date: str | None
    date_precision: str | None
    source_id: int
    paragraph: int
    char_start: int
    char_end: int
    origin: str = "curated"
    confidence: float | None = None
    item_kind: ClassVar[ItemKind] = "quote"

    @property
    def date_label(self) -> str:
        return format_date(self.date, self.date_precision)

    @property
    def flat_text(self) -> str:
        """The words on one line: line breaks inside the quote become single spaces."""
        return " ".join(self.text.split())


Item = Event | Actor | Quote


def describe_counts(counts: Iterable[tuple[str, int]], empty: str = "nothing") -> str:
    """``36 events, 1 source`` from (plural noun, count) pairs, leaving out what has none."""
    return ", ".join(f"{n} {noun if n != 1 else noun[:-1]}" for noun, n in counts if n) or empty


@dataclass(frozen=True, slots=True)
class Mention:
    """One place where a source names an actor."""

    actor_id: int
    source_id: int
    paragraph: int
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class Context:
    """An item in its paragraph: what the detail and source views show."""

    item: Item
    source: Source
    paragraph: int
    paragraph_text: str
    paragraph_start: int
    span: tuple[int, int] | None
    """The item's span inside ``paragraph_text`` (relative offsets), if it has one."""
    whole: bool = True
    """False when ``paragraph_text`` is only a window of a very long paragraph."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the item, its rank and where the query matched its main text."""

    item: Item
    rank: float
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Facet:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class Stats:
    name: str
    sources: int
    actors: int
    events: int
    quotes: int
    marks: int


@dataclass(frozen=True, slots=True)
class Filter:
    """What the panes are narrowed to. Every field is optional; empty means everything.

    ``actor`` narrows events to those it takes part in and quotes to those it
    said or is named in (``actors``: any of several); ``event`` narrows actors to the event's actors and
    quotes to those around it (same paragraph, or the same date); ``marked``
    keeps only what the user marked. The actors list heeds only ``text``,
    ``event``, ``actor_kind`` and ``marked``: choosing an actor narrows the other
    two panes, not the list it was chosen from.
    """

    actor: int | None = None
    actors: tuple[int, ...] = ()
    event: int | None = None
    since: str | None = None
    until: str | None = None
    text: str = ""
    speaker: int | None = None
    quote_kind: str | None = None
    actor_kind: str | None = None
    source: int | None = None
    marked: bool = False

    @property
    def empty(self) -> bool:
        return self == Filter()
