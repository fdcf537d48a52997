"""The JSON exchange format: reading it into a library, item by item, with validation.

The format (documented in the README) is an object with ``format``,
``sources``, ``actors``, ``events`` and ``quotes``. It is what ``export
--format json`` writes and what ``import`` reads; the curated story in
``db/data/story.json`` is written in it too. Ids are stable strings, so
importing the same data twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .chars import check_text
from .errors import InvalidInput
from .library import Library
from .models import ORIGINS, QUOTE_KINDS
from .search import fold
from .writer import content_hash

FORMAT = "coup-explorer/1"
SECTIONS = ("sources", "actors", "events", "quotes")
MAX_INT = 2**62  # paragraphs and character offsets: far beyond any text, well inside SQLite's range
BATCH = 5_000  # events or quotes checked and added together
# The text fields of each section's records (beside the id), checked for characters text may not
# hold where a record is added, unless its reader knows it holds none; named in messages as
# ``_NAMED`` says.
_STRINGS = {
    "sources": ("title", "text", "author", "outlet", "url", "published"),
    "actors": ("name", "kind", "role", "aliases"),
    "events": ("date", "date_precision", "date_end", "date_text", "summary", "actor_ids", "actors"),
    "quotes": ("text", "kind", "speaker_id", "speaker", "date", "date_precision"),
}
_NAMED = {"speaker_id": "speaker", "actor_ids": "actors"}
# What ``Loader._quick_quote`` reads of a quote, all at once.
_QUICK_KEYS = ("id", "text", "kind", "speaker_id", "speaker", "date", "date_precision",
               "source_id", "paragraph", "char_start", "char_end", "origin", "confidence")


@dataclass
class Counts:
    """What an import added and what it found already there, per section."""

    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


def load(lib: Library, data: Any, *, base_dir: Path | None = None,
         origin: str | None = None) -> Counts:
    """Add everything in ``data`` (a parsed exchange document) to ``lib``.

    Call inside ``lib.transaction()``: a document with one bad field raises
    ``InvalidInput`` naming it, and the transaction leaves the library as it was.
    """
    if not isinstance(data, Mapping):
        raise InvalidInput("the document is not a JSON object")
    if data.get("format") != FORMAT:
        raise InvalidInput(f"format: expected {FORMAT!r}, found {data.get('format')!r}")
    for section in SECTIONS:
        if not isinstance(data.get(section, []), list):
            raise InvalidInput(f"{section}: expected a list")
    loader = Loader(lib, base_dir=base_dir, origin=origin)
    for section in SECTIONS:
        if section == "events":
            loader.flush()  # the actors, whom events and quotes name
        for index, record in enumerate(data.get(section, [])):
            loader.add(section, record, f"{section}[{index}]")
    return loader.finish()


# A record waiting to be added: where it is, the record (None once it is a row), whether its
# text is known to be good, and its row if it is one.
Waiting = tuple[str, Mapping | None, bool, tuple | None]


class _located:  # noqa: N801 (used as a function: with _located(where): ...)
    """Name the record in any error about it (a class: a generator costs more, a record each)."""

    __slots__ = ("where",)

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: object) -> None:
        if kind is not None and issubclass(kind, (InvalidInput, TypeError, ValueError,
                                                  OverflowError)):
            raise InvalidInput(f"{self.where}: {exc}") from None


class Loader:
    """Adds records one by one; events and quotes wait in batches, whose ids are looked up
    together and whose rows go in with one statement, checked in order all the same.

    Sources and actors come first (``load`` takes them first, whatever the order of the
    document), then ``flush``, then events and quotes, then ``finish``, which finds where the
    new sources name actors and links their quotes to the actors named in them.
    """

    def __init__(self, lib: Library, *, base_dir: Path | None = None,
                 origin: str | None = None) -> None:
        self.lib, self.base_dir, self.origin = lib, base_dir, origin
        self.counts = Counts()
        self.new_sources: list[int] = []
        self.same_text: dict[str, int] = {}  # source ids whose text the library holds under another id
        # The actors, events and quotes waiting to be added: (where, record, whether its text
        # is known to be good, its row if the quick path made it already: the record is then
        # let go, None)
        self.waiting: dict[str, list[Waiting]] = {"actors": [], "events": [], "quotes": []}
        # uid -> id (None: not there) of sources and actors, and actor reference -> id
        self.ids: dict[str, dict[str, int | None]] = {"sources": {}, "actors": {}}
        self.actor_refs: dict[str, int | None] = {}

    def add(self, section: str, record: object, where: str, *, clean: bool = False) -> None:
        """Add one record of ``section``; errors name it as ``where``. ``clean``: its reader
        knows that no text in it holds a character that text may not (``chars.check_text``)."""
        if type(record) is not dict and not isinstance(record, Mapping):  # (the quick test first)
            raise InvalidInput(f"{where}: expected an object")
        waiting = self.waiting.get(section)
        if waiting is not None:
            # A quote the quick path takes is its row from now on: 5,000 records held until
            # their batch is checked cost part-000's import 0.12 s, in the processor's caches
            # and in the allocator's work (a row holds the strings that matter, not the dict).
            row = self._quick_quote(record) if clean and section == "quotes" else None
            waiting.append((where, None, clean, row) if row is not None
                           else (where, record, clean, None))
            if len(waiting) >= BATCH:
                self.add_waiting(section)
            return
        with _located(where):
            self.source(record, clean)

    def finish(self) -> Counts:
        """Add what waits, index the new sources' mentions; returns what was added."""
        self.flush()
        self.lib.index_sources(self.new_sources)
        self.new_sources.clear()
        return self.counts

    def _id(self, table: str, uid: object) -> int | None:
        if not isinstance(uid, str):
            return None
        cache = self.ids.get(table)
        if cache is None:
            row = self.lib.conn.execute(f"SELECT id FROM {table} WHERE uid = ?", (uid,)).fetchone()
            return row[0] if row else None
        if uid not in cache:
            row = self.lib.conn.execute(f"SELECT id FROM {table} WHERE uid = ?", (uid,)).fetchone()
            cache[uid] = row[0] if row else None
        return cache[uid]

    def _look_up(self, table: str, uids: list[object]) -> None:
        """``_id`` of each of ``uids`` kept, looked up together."""
        cache = self.ids[table]
        wanted = list({u for u in uids if type(u) is str and u not in cache})
        for at in range(0, len(wanted), 500):
            chunk = wanted[at:at + 500]
            cache.update(dict.fromkeys(chunk))
            cache.update(self.lib.conn.execute(
                f"SELECT uid, id FROM {table} WHERE uid IN ({','.join('?' * len(chunk))})", chunk))

    def _origin(self, record: Mapping) -> str:
        return self.origin or record.get("origin") or "imported"

    def source(self, r: Mapping, clean: bool = False) -> None:
        uid = _uid(r)
        if self._id("sources", uid) is not None:
            self.counts.skipped["sources"] += 1
            return
        if not clean:
            _check_strings(r, _STRINGS["sources"])
        text = r.get("text")
        if text is None and r.get("text_file"):
            if self.base_dir is None:
                raise InvalidInput("text_file: only allowed in a file on disk")
            try:
                path = (self.base_dir / str(r["text_file"])).resolve()
            except (OSError, ValueError) as exc:  # a NUL in the name, a symlink loop
                raise InvalidInput(f"text_file: {exc}") from None
            if self.base_dir.resolve() not in path.parents:
                raise InvalidInput("text_file: must name a file beside the document")
            try:
                with path.open(encoding="utf-8", newline="") as handle:  # offsets count \r too
                    text = handle.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidInput(f"text_file: cannot read {path.name}: {exc}") from None
            check_text(text, "text")
        if not isinstance(text, str):
            raise InvalidInput("text: missing or not text")
        digest = content_hash(text)
        row = self.lib.conn.execute("SELECT id FROM sources WHERE content_hash = ?",
                                    (digest,)).fetchone()
        if row is not None:  # the same article under another id: its items join that source
            self.same_text[uid] = row[0]
            self.counts.skipped["sources"] += 1
            return
        paragraphs = r.get("paragraphs")
        if paragraphs is not None and not (isinstance(paragraphs, list) and all(
                type(p) is list and len(p) == 2 and type(p[0]) is int and type(p[1]) is int
                for p in paragraphs) or all(  # (the exact types first: JSON's, and quicker)
                isinstance(p, list) and len(p) == 2
                and all(isinstance(x, int) and not isinstance(x, bool) for x in p)
                for p in paragraphs)):
            raise InvalidInput("paragraphs: expected a list of [start, end] pairs")
        source_id = self.lib.add_source(
            uid=uid, title=_text(r, "title"), text=text, author=_opt(r, "author"),
            outlet=_opt(r, "outlet"), url=_opt(r, "url"), published=_opt(r, "published"),
            origin=self._origin(r), paragraphs=paragraphs, digest=digest)
        self.ids["sources"][uid] = source_id
        self.new_sources.append(source_id)
        self.counts.added["sources"] += 1

    def _source_ref(self, r: Mapping) -> int:
        ref = r.get("source_id")
        source_id = self._id("sources", ref)
        if source_id is None and isinstance(ref, str):
            source_id = self.same_text.get(ref)
        if source_id is None:
            raise InvalidInput(f"source_id: no source {ref!r}")
        return source_id

    def _actor_ref(self, ref: object, what: str) -> int:
        if not isinstance(ref, str) or not ref.strip():
            raise InvalidInput(f"{what}: expected an actor id or name")
        if ref in self.actor_refs:
            actor_id = self.actor_refs[ref]
        else:
            actor_id = self.actor_refs[ref] = self._find_actor(ref)
        if actor_id is None:
            raise InvalidInput(f"{what}: no actor {ref!r}")
        return actor_id

    def _find_actor(self, ref: str) -> int | None:
        actor_id = self._id("actors", ref)
        if actor_id is None:
            folded = fold(ref)
            row = self.lib.conn.execute(
                "SELECT id FROM actors WHERE sort_name = ? UNION ALL "
                "SELECT actor_id FROM aliases WHERE folded = ? LIMIT 1", (folded, folded)).fetchone()
            actor_id = row[0] if row else None
        return actor_id

    def add_waiting(self, section: str) -> None:
        """Add the actors, events or quotes waiting, in order, skipping those already there."""
        batch, self.waiting[section] = self.waiting[section], []
        self.lib._settle()  # the quotes added before, which the lookups below must see
        if section == "actors":
            self._add_actors(batch)
            return
        uids = list({u for _, r, _, row in batch
                     if type(u := r.get("id") if row is None else row[0]) is str})
        there: set[str] = set()
        for at in range(0, len(uids), 500):
            chunk = uids[at:at + 500]
            there.update(u for (u,) in self.lib.conn.execute(
                f"SELECT uid FROM {section} WHERE uid IN ({','.join('?' * len(chunk))})", chunk))
        rows: list[tuple] = []
        actors: list[list[int]] = []
        quick = self._quick_quote if section == "quotes" else None
        where = ""
        try:  # (as _located does for each record, for the batch: a with statement each costs)
            for where, r, clean, row in batch:
                uid = r.get("id") if row is None else row[0]
                if type(uid) is str and uid in there:  # (only good ids are there)
                    self.counts.skipped[section] += 1
                    continue
                if row is None and quick is not None and clean:
                    row = quick(r)  # (its speaker's names may be known now)
                if row is None:
                    uid = _uid(r)
                    if not clean:
                        _check_strings(r, _STRINGS[section])
                    if section == "events":
                        row, refs = self._event_row(uid, r)
                        actors.append(refs)
                    else:
                        row = self._quote_row(uid, r)
                rows.append(row)
                there.add(uid)
        except (InvalidInput, TypeError, ValueError, OverflowError) as exc:
            raise InvalidInput(f"{where}: {exc}") from None
        self.counts.added[section] += len(rows)
        if section == "events":
            self.lib._add_events(rows, actors)
        else:  # written while the next batch is read
            self.lib._later(partial(self.lib._add_quotes, rows))

    def _add_actors(self, batch: list[Waiting]) -> None:
        """New actors with their aliases, and new aliases of actors already there."""
        self.actor_refs.clear()  # names and aliases are about to change
        self._look_up("actors", [r.get("id") for _, r, _, _ in batch])
        first = self.lib._next_id("actors")
        rows: list[tuple] = []
        aliases: list[tuple] = []
        for where, r, clean, _ in batch:
            with _located(where):
                uid = _uid(r)
                names = r.get("aliases") or []
                if not isinstance(names, list) or not all(isinstance(a, str) for a in names):
                    raise InvalidInput("aliases: expected a list of names")
                actor_id = self._id("actors", uid)
                if not clean:  # an actor there already only gains aliases
                    _check_strings(r, _STRINGS["actors"] if actor_id is None else ("aliases",))
                if actor_id is None:
                    rows.append(self.lib._actor_row(
                        uid=uid, name=_text(r, "name"), kind=_text(r, "kind"), role=_opt(r, "role"),
                        origin=self._origin(r), confidence=_confidence(r)))
                    actor_id = self.ids["actors"][uid] = first + len(rows) - 1
                    self.counts.added["actors"] += 1
                else:
                    self.counts.skipped["actors"] += 1
                aliases += self.lib._alias_rows(actor_id, names)
        self.lib._add_actors(rows, aliases, first=first)
        quotes = self.waiting["quotes"]  # rows made with the names as they were: made again
        for at, (where, r, clean, row) in enumerate(quotes):
            if row is not None and row[2] is not None:
                names = self.lib._speaker_names(row[2])
                quotes[at] = (where, r, clean, (*row[:3], names, *row[4:]))

    def _event_row(self, uid: str, r: Mapping) -> tuple[tuple, list[int]]:
        refs = r.get("actor_ids", r.get("actors")) or []
        if not isinstance(refs, list):
            raise InvalidInput("actors: expected a list")
        return self.lib._event_row(
            uid=uid, date=_text(r, "date"), date_precision=_text(r, "date_precision"),
            date_end=_opt(r, "date_end"), date_text=_opt(r, "date_text") or "",
            summary=_text(r, "summary"), source_id=self._source_ref(r),
            paragraph=_int(r, "paragraph"), char_start=_int(r, "char_start"),
            char_end=_int(r, "char_end"), origin=self._origin(r),
            confidence=_confidence(r)), [self._actor_ref(a, "actors") for a in refs]

    def _quote_row(self, uid: str, r: Mapping) -> tuple:
        ref = r.get("speaker_id", r.get("speaker"))
        return self.lib._quote_row(
            uid=uid, text=_text(r, "text"), kind=_opt(r, "kind") or "speech",
            speaker_id=None if ref is None else self._actor_ref(ref, "speaker"),
            date=_opt(r, "date"), date_precision=_opt(r, "date_precision"),
            source_id=self._source_ref(r), paragraph=_int(r, "paragraph"),
            char_start=_int(r, "char_start"), char_end=_int(r, "char_end"),
            origin=self._origin(r), confidence=_confidence(r))

    def _quick_quote(self, r: Mapping) -> tuple | None:
        """``_quote_row`` of a quote whose text is known to be good, when everything about it
        is as it should be and what checking it needs is at hand (its source's text and
        paragraphs, its speaker's names); None otherwise, and then ``_quote_row`` checks it
        and names what is wrong. In a large import all but a speaker's first quote take this
        path, at half the cost (the checks are the same, done in line)."""
        uid, text, kind, ref, speaker, date, precision, source_id, paragraph, start, end, \
            origin, confidence = map(r.get, _QUICK_KEYS)
        if type(uid) is not str or type(text) is not str or not uid or not text \
                or uid.isspace() or text.isspace():
            return None
        if kind is None or kind == "":
            kind = "speech"
        elif kind not in QUOTE_KINDS:
            return None
        lib = self.lib
        speaker_names = ""
        if ref is None and "speaker_id" not in r:
            ref = speaker
        if ref is not None:
            ref = self.actor_refs.get(ref) if type(ref) is str else None
            speaker_names = lib._speakers.get(ref) if ref is not None else None
            if speaker_names is None:
                return None
        if date == "":
            date = None
        if precision == "":
            precision = None
        if date is not None:
            if type(date) is not str or not (precision is None or type(precision) is str):
                return None
            try:
                lib._check_quote_date(date, precision)
            except InvalidInput:
                return None
        elif not (precision is None or type(precision) is str):
            return None
        source_id = self.ids["sources"].get(source_id) if type(source_id) is str else None
        facts = lib._facts.get(source_id) if source_id is not None else None
        if facts is None or type(paragraph) is not int or type(start) is not int \
                or type(end) is not int:
            return None
        bounds = facts.bounds.get(paragraph)
        if bounds is None or not bounds[0] <= start <= end <= bounds[1] \
                or facts.text[start:end] != text:
            return None
        origin = self.origin or origin or "imported"
        if origin not in ORIGINS or not (confidence is None or type(confidence) is float
                                         and 0 <= confidence <= 1):
            return None
        return (uid, text, ref, speaker_names, kind, date, precision if date else None,
                date or facts.published, source_id, paragraph, start, end, origin, confidence)

    def flush(self) -> None:
        """Add the actors, events and quotes waiting."""
        for section in self.waiting:
            self.add_waiting(section)


def _check_strings(r: Mapping, keys: tuple[str, ...]) -> None:
    """Refuse a character that text may not hold in the fields ``keys`` of ``r`` (text, or
    lists of it; whether they are of the right type is checked where they are read)."""
    for key in keys:
        value = r.get(key)
        for item in value if type(value) is list else (value,):
            if type(item) is str:
                check_text(item, _NAMED.get(key, key))


def _uid(r: Mapping) -> str:
    return check_text(_text(r, "id"), "id")


# The readers of one field, for every record: the exact type tests are the fast ones (JSON makes
# no subclasses; True is an int to isinstance, not to them).
def _text(r: Mapping, key: str) -> str:
    value = r.get(key)
    if type(value) is not str or not value or value.isspace():
        raise InvalidInput(f"{key}: missing or not text")
    return value


def _opt(r: Mapping, key: str) -> str | None:
    value = r.get(key)
    if value is None or value == "":
        return None
    if type(value) is not str:
        raise InvalidInput(f"{key}: expected text or null")
    return value


def _int(r: Mapping, key: str) -> int:
    value = r.get(key)
    if type(value) is not int:
        raise InvalidInput(f"{key}: expected a whole number")
    if not -MAX_INT <= value <= MAX_INT:
        raise InvalidInput(f"{key}: the number is out of range")
    return value


def _confidence(r: Mapping) -> float | None:
    value = r.get("confidence")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise InvalidInput("confidence: expected a number from 0 to 1")
    return float(value)
