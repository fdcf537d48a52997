"""What every exporter shares: the selection, the summary, walking items, resolving references.

Nothing here loads a whole table. Items are walked a page at a time; what an
item refers to (its source, its speaker, an event's actors) is looked up once
and kept in small caches bounded by the number of sources and actors.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..errors import InvalidInput
from ..models import ITEM_KINDS, describe_counts, Actor, Event, Filter, Item, Quote, Source

if TYPE_CHECKING:
    from ..library import Library

# The order in which kinds are written by every format.
ORDER = ("event", "actor", "quote")
_PLURALS = {"quotes": "quote", "events": "event", "actors": "actor"}
SPOOL_BYTES = 8 * 1024 * 1024  # sections waiting for their references stay in memory up to this
PAGE = 2000  # items per query: fewer, deeper pages cost less than many shallow ones


@dataclass(frozen=True)
class Selection:
    """What to export: the items a filter shows (or only the marked ones among them).

    ``only`` names item kinds (``quote``, ``event``, ``actor``; plurals are accepted);
    empty means all three. With ``marked``, the items are the marked ones that
    also match ``filter`` (an empty filter: every marked item). When the filter
    names actors (``actor``/``actors``), the actors exported are those actors.
    """

    filter: Filter = Filter()  # noqa: RUF009 (frozen: one shared default is safe)
    marked: bool = False
    only: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        kinds = frozenset(_PLURALS.get(k, k) for k in self.only)
        unknown = sorted(kinds - set(ITEM_KINDS))
        if unknown:
            raise InvalidInput(f"no item kind {unknown[0]!r} (use quote, event or actor)")
        object.__setattr__(self, "only", kinds)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The selected kinds, in the order the formats write them."""
        return tuple(k for k in ORDER if not self.only or k in self.only)


@dataclass(frozen=True)
class ExportSummary:
    """How many items of each kind an export wrote (sources and actors a JSON export
    adds because selected items refer to them are counted too)."""

    format: str
    events: int = 0
    actors: int = 0
    quotes: int = 0
    sources: int = 0

    @property
    def total(self) -> int:
        return self.events + self.actors + self.quotes

    def describe(self) -> str:
        """``36 events, 40 actors, 17 quotes, 1 source`` (kinds with none left out)."""
        return describe_counts((("events", self.events), ("actors", self.actors),
                                ("quotes", self.quotes), ("sources", self.sources)))


def generated_at() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def spool() -> tempfile.SpooledTemporaryFile:
    """A text buffer for sections that must wait for their references, on disk when large."""
    return tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8", newline="")


def items(lib: Library, selection: Selection, kind: str) -> Iterator[Item]:
    """Every selected item of one kind, fetched a page at a time."""
    flt = selection.filter
    named = sorted({*flt.actors, *(() if flt.actor is None else (flt.actor,))})
    if kind == "actor" and named:
        found = [a for i in named if (a := lib.actor(i)) is not None]
        found.sort(key=lambda a: (a.name.casefold(), a.uid))
        if selection.marked:
            marked = lib.marked_among("actor", [a.id for a in found])
            found = [a for a in found if a.id in marked]
        yield from found
        return
    yield from lib.iter_items(kind, replace(flt, marked=selection.marked), page=PAGE)


@dataclass
class Refs:
    """Looks up what items refer to, once each, and remembers what was referred to."""

    lib: Library
    source_ids: dict[int, None] = field(default_factory=dict)  # insertion-ordered sets
    actor_ids: dict[int, None] = field(default_factory=dict)
    _sources: dict[int, Source | None] = field(default_factory=dict)
    _actors: dict[int, Actor | None] = field(default_factory=dict)

    def source(self, source_id: int) -> Source | None:
        if source_id not in self._sources:
            self._sources[source_id] = self.lib.source(source_id)
        return self._sources[source_id]

    def actor(self, actor_id: int) -> Actor | None:
        if actor_id not in self._actors:
            self._actors[actor_id] = self.lib.actor(actor_id)
        return self._actors[actor_id]

    def source_uid(self, source_id: int) -> str | None:
        source = self.source(source_id)
        return source.uid if source else None

    def actor_uid(self, actor_id: int | None) -> str | None:
        actor = None if actor_id is None else self.actor(actor_id)
        return actor.uid if actor else None

    def note(self, item: Item) -> None:
        """Remember the source and actors an event or quote refers to."""
        if isinstance(item, Event):
            self.source_ids[item.source_id] = None
            for actor_id in item.actor_ids:
                self.actor_ids[actor_id] = None
        elif isinstance(item, Quote):
            self.source_ids[item.source_id] = None
            if item.speaker_id is not None:
                self.actor_ids[item.speaker_id] = None

    def noted_sources(self) -> list[Source]:
        found = [s for i in self.source_ids if (s := self.source(i)) is not None]
        return sorted(found, key=lambda s: (s.published or "", s.uid))

    def noted_actors(self, exclude: Collection[int] = ()) -> list[Actor]:
        found = [a for i in self.actor_ids if i not in exclude and (a := self.actor(i)) is not None]
        return sorted(found, key=lambda a: (a.name.casefold(), a.uid))
