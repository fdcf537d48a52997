"""The app's side of the data layer: what the panes ask of a library.

Every method is plain, blocking and safe to call from a thread worker; the
screens call them only from workers. Nothing here holds more than one page.
"""

from __future__ import annotations

import functools
import io
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Literal

from ..db.library import Library, explain
from ..db.models import Actor, Context, Event, Facet, Filter, Item, Quote, Source, Stats

Kind = Literal["event", "actor", "quote"]
Scope = Literal["quotes", "all"]
PAGE_SIZE = 100
CONTEXT_RADIUS = 2_000  # characters shown either side of an item in a very long paragraph
ANCHOR_EVERY = 5_000  # rows between the sort keys a pane keeps to start deep pages from
ANCHOR_STEP_BUDGET = 0.05  # seconds: a list whose key steps take longer is walked plainly
MMAP_THRESHOLD = 128 * 1024  # bytes: a freed block this large goes back to the system


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a pane: the items from ``offset`` and which of them are marked."""

    offset: int
    items: tuple[Item, ...]
    marked: frozenset[int]


@dataclass(frozen=True, slots=True)
class Article:
    source: Source
    text: str
    paragraphs: tuple[tuple[int, int, int], ...]


class Interrupted(Exception):
    """A read was stopped because a newer request for the same pane replaced it."""


@dataclass
class _Anchors:
    """The sort keys of rows ANCHOR_EVERY, 2 x ANCHOR_EVERY, ... of one pane's list.

    Taken as deep pages are asked for (a jump to the end takes them all), on the
    pane's own lane; good while the list's filter and the library's data are those
    they were taken under (``version`` is the lane's ``PRAGMA data_version``).
    """

    flt: Filter
    version: int
    keys: list[tuple] = field(default_factory=list)
    complete: bool = False  # no key past the last one: the list ends there, or it has none
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, offset: int) -> tuple[int, tuple] | None:
        """The nearest anchored row at or before ``offset``, with its key."""
        index = min(offset // ANCHOR_EVERY, len(self.keys))
        return (index * ANCHOR_EVERY, self.keys[index - 1]) if index else None


@functools.cache
def return_large_blocks() -> bool:
    """Have glibc's malloc give every block of MMAP_THRESHOLD or more back to the system
    when it is freed; whether it could (on glibc only: elsewhere nothing is done).

    SQLite's largest allocations are short-lived: FTS5 builds the doclist of a prefix
    that has no prefix index of its own in memory, megabytes at a million quotes. They
    are made on the worker threads, which have malloc arenas of their own, and glibc
    raises its mmap threshold to the size of a block when one is freed, so that the next
    ones come from the arenas and their pages stay: the app's memory grew with the
    library. A fixed threshold (which also stops glibc moving it) keeps them returned.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here: the app's imports stay light (bench G9)

    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (musl has no libc.so.6)
        return False
    return mallopt(-3, MMAP_THRESHOLD) == 1  # -3: M_MMAP_THRESHOLD in glibc's malloc.h


def pane_filter(kind: Kind, base: Filter, query: str, scope: Scope) -> Filter:
    """The filter one pane shows: the links that narrow it, the search text where it applies.

    A pane is not narrowed by its own kind of link (the timeline keeps every event
    when one is chosen), so choosing does not reload it or move its cursor.
    """
    text = query if kind == "quote" or scope == "all" else ""
    if kind == "event":
        return replace(base, text=text, event=None)
    if kind == "actor":
        return replace(base, text=text, actor=None, actors=())
    return replace(base, text=text)


def kind_of(item: Item) -> Kind:
    return item.item_kind


class Explorer:
    """What the panes ask of a library.

    Each pane reads on a connection of its own (a lane), so that a newer request
    can interrupt the query still running for an older one without touching
    the others, and writes (marks) never wait behind a long search. A library
    in memory has one connection, shared, and nothing is interrupted.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        return_large_blocks()  # before the workers' first reads
        library.small_cache()  # its own connection (marks, histogram, detail) as its lanes
        self._lanes: dict[Kind, Library] = {}
        self._epochs: dict[Kind, int] = dict.fromkeys(("event", "actor", "quote"), 0)
        self._anchors: dict[Kind, _Anchors] = {}
        self.interrupted = 0  # statements stopped because a newer request replaced them

    def stats(self) -> Stats:
        return self.library.stats()

    def lane(self, kind: Kind) -> Library:
        """The connection the ``kind`` pane reads on (opened on first use)."""
        lane = self._lanes.get(kind)
        if lane is None:
            lane = self._lanes[kind] = self.library.reader()
        return lane

    def interrupt(self, kind: Kind) -> None:
        """Stop whatever the ``kind`` pane's lane is running: a newer request replaces it.

        Safe from any thread (``sqlite3.Connection.interrupt`` is). Never touches
        the library's own connection, which the writes use.
        """
        self._epochs[kind] += 1
        lane = self._lanes.get(kind)
        if lane is not None and lane is not self.library:
            lane.conn.interrupt()

    def _on_lane(self, kind: Kind, read):
        """Run ``read(lane)``; an interrupt meant for an older request is retried."""
        for _ in range(3):
            epoch = self._epochs[kind]
            try:
                return read(self.lane(kind))
            except sqlite3.OperationalError as exc:
                if "interrupt" not in str(exc):
                    raise
                if self._epochs[kind] != epoch:  # replaced: the caller's request is stale
                    self.interrupted += 1
                    raise Interrupted() from None
        return read(self.lane(kind))

    def count(self, kind: Kind, flt: Filter) -> int:
        return self._on_lane(kind, lambda lane: lane.count(kind, flt))

    def page(self, kind: Kind, flt: Filter, offset: int, limit: int = PAGE_SIZE) -> Page:
        """The rows from ``offset``: a deep page is read from the nearest anchor before it."""
        epoch = self._epochs[kind]

        def read(lane: Library) -> Page:
            start = self._start(kind, flt, offset, lane, epoch) if offset >= ANCHOR_EVERY else None
            items = lane.page_of(kind, flt, limit=limit, offset=offset, start=start)
            marked = lane.marked_among(kind, [i.id for i in items])
            return Page(offset, tuple(items), frozenset(marked))

        return self._on_lane(kind, read)

    def _start(self, kind: Kind, flt: Filter, offset: int, lane: Library,
               epoch: int) -> tuple[int, tuple] | None:
        """The anchor to read the page at ``offset`` from, taking the keys up to it first.

        Taking a key walks ANCHOR_EVERY rows of the index, so taking them up to a
        page costs what walking to it from the top would; later pages anywhere
        before it cost a walk of at most ANCHOR_EVERY rows. One reader takes keys at
        a time (another uses those already taken); a newer request for the pane stops it.
        """
        version = lane.scalar("PRAGMA data_version")
        anchors = self._anchors.get(kind)
        if anchors is None or anchors.flt != flt or anchors.version != version:
            anchors = self._anchors[kind] = _Anchors(flt, version)
        if anchors.complete or len(anchors.keys) >= offset // ANCHOR_EVERY \
                or not anchors.lock.acquire(blocking=False):
            return anchors.start(offset)
        try:
            while not anchors.complete and len(anchors.keys) < offset // ANCHOR_EVERY:
                if self._epochs[kind] != epoch:
                    raise Interrupted()
                after = anchors.keys[-1] if anchors.keys else None
                started = time.perf_counter()
                key = lane.anchor(kind, flt, after, ANCHOR_EVERY)
                if key is None or None in key:  # the end of the list, or a list with no key
                    anchors.complete = True
                else:
                    anchors.keys.append(key)
                if time.perf_counter() - started > ANCHOR_STEP_BUDGET:
                    anchors.complete = True  # a slow walk by key (a prefix with no index of
                    # its own, on a library made before prefix indexes of three letters)
        finally:
            anchors.lock.release()
        return anchors.start(offset)

    def close(self) -> None:
        for lane in self._lanes.values():
            if lane is not self.library:
                lane.close()
        self._lanes.clear()

    def histogram(self, flt: Filter) -> list[Facet]:
        return self.library.histogram(flt)

    def context(self, item: Item) -> Context | None:
        """The item in its paragraph, or a window of it when the paragraph is very long."""
        return self.library.context(item, radius=CONTEXT_RADIUS)

    def article(self, source_id: int) -> Article | None:
        source = self.library.source(source_id)
        if source is None:
            return None
        return Article(source, self.library.source_text(source_id),
                       tuple(self.library.paragraph_spans(source_id)))

    # -- marks ------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One transaction; SQLite's errors (locked, disk full) become a LibraryError's one line."""
        try:
            with self.library.transaction():
                yield
        except sqlite3.Error as exc:
            raise explain(exc, self.library.path) from None
        finally:
            # A lane sees another connection's writes in its data_version, but a library in
            # memory reads on the connection that writes: its anchors are dropped here.
            self._anchors.clear()

    def toggle_mark(self, item: Item) -> bool:
        with self._writing():
            return self.library.toggle_mark(kind_of(item), item.id)

    def mark_all(self, kind: Kind, flt: Filter) -> int:
        with self._writing():
            return self.library.mark_all(kind, flt)

    def clear_marks(self) -> int:
        with self._writing():
            return self.library.clear_marks()

    def count_marks(self) -> int:
        return self.library.count_marks()

    def marked_markdown(self) -> str:
        """The marked items as the shared Markdown exporter writes them."""
        from ..db.exporters import Selection, export

        out = io.StringIO()
        export(self.library, Selection(marked=True), "md", out)
        return out.getvalue()

    # -- finding things -----------------------------------------------------------

    def jump_candidates(self, query: str, limit: int = 8) -> list[Item]:
        """Actors, then events, whose names or summaries match ``query`` (for the palette)."""
        actors = [h.item for h in self.library.search(query, within="actors", limit=limit)]
        events = [h.item for h in self.library.search(query, within="events", limit=limit)]
        return [*actors, *events]

    def locate(self, kind: Kind, flt: Filter, item_id: int, max_pages: int = 50) -> int | None:
        """The row of an item in a pane: counted by the library, or for a ranked search
        (whose order only the ranking knows) looked for in at most ``max_pages`` pages."""
        if not flt.text.strip():
            return self.library.position(kind, item_id, flt)
        for number in range(max_pages):
            page = self.page(kind, flt, number * PAGE_SIZE)
            for index, item in enumerate(page.items):
                if item.id == item_id:
                    return page.offset + index
            if len(page.items) < PAGE_SIZE:
                return None
        return None


__all__ = ["Actor", "Article", "Event", "Explorer", "Kind", "Page", "Quote", "Scope",
           "kind_of", "pane_filter"]
