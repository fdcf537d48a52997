"""JSON Lines datasets: one exchange record a line, each with its ``type``.

A file in UTF-8 is read a line at a time (``lines.TextLines``), whatever its
size, in three readings, so that memory holds a line and a batch of records,
never the file:

1. ``scan``, before the library is locked: the whole text is checked as a
   whole file's text is (encoding, control characters) and hashed (a file
   imported before is then skipped unread);
2. ``load``: each line is sorted, blank, an event or a quote as exports write
   them (``{"type": "event"`` or ``{"type": "quote"`` at its start: left unread
   until the third reading), or anything else, and the others are read: the
   sources and actors, which ``exchange.load`` also takes first;
3. the events and quotes, in batches; then where each new source names an
   actor (``Loader.finish``).

Records are the same, and checked the same, as in a whole document: an error
names its line, and the caller's transaction leaves the library as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import exchange
from ..errors import InvalidInput
from ..library import Library
from .lines import TextLines

TYPES = {"source": "sources", "actor": "actors", "event": "events", "quote": "quotes"}
HEADERS = ("meta", "header", "format", "library")  # lines that are passed over
_ITEMS = ("events", "quotes")
_LATER = ('{"type": "event"', '{"type": "quote"')
_LATER_BYTES = tuple(start.encode() for start in _LATER)
BLANK, ITEM, OTHER = range(3)  # what a line holds, as far as its start tells
# The escapes that can give a character text may not hold (a control character, a lone
# surrogate): one search a line, five times quicker than looking for each (0.02 s against 0.1
# for part-000's 50 MB).
_ESCAPES = re.compile(r"\\[ub]")
# json.loads without the calls around it, about 1 us a line (record() over part-000's 95,308
# lines 0.345 -> 0.251 s): the value at the start of a line, and where it ends.
_SCAN = json.JSONDecoder().scan_once


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (RecursionError, ValueError) as exc:
        raise InvalidInput(json_problem(exc)) from None


def json_problem(exc: RecursionError | ValueError) -> str:
    """What ``json.loads`` found wrong, as a message says it."""
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply"
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    return "invalid JSON: a number with too many digits"  # Python refuses more than 4,300


def record(number: int, line: str) -> tuple[str, dict, bool] | None:
    """The section and the record of line ``number`` (None for a blank line or a header), and
    whether the line has no ``\\u`` or ``\\b`` escape: if its text was checked (as ``scan``
    checks a file), no text in the record then holds a character text may not hold."""
    if not line or line.isspace():
        return None
    try:
        try:
            value, end = _SCAN(line, 0)
        except StopIteration:  # no value at the start
            end = -1
        if end != len(line):  # or not a value alone: read as json.loads reads it, or refused
            value = json.loads(line)
    except (RecursionError, ValueError) as exc:
        raise InvalidInput(f"line {number}: {json_problem(exc)}") from None
    if type(value) is not dict:  # (what json.loads gives for every object)
        raise InvalidInput(f"line {number}: expected a JSON object")
    kind = value.pop("type", None)
    section = TYPES.get(kind) if type(kind) is str else None  # (a list is no dictionary key)
    if section is None:
        if kind in HEADERS:
            return None
        raise InvalidInput(f"line {number}: type: expected one of source, actor, event, "
                           f"quote; found {kind!r}")
    return section, value, _ESCAPES.search(line) is None


class JsonLinesFile:
    """A JSON Lines file in UTF-8, read line by line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = TextLines(path)
        self.kinds = bytearray()  # BLANK, ITEM or OTHER, for each line (line 1 first)
        self._sorted = False  # whether kinds holds every line (the second reading sorts them)

    def scan(self) -> str:
        """Check the whole file; returns the hash of its text."""
        self.text.scan()
        if self.text.blank:
            raise InvalidInput("empty file (only white space)")
        assert self.text.digest is not None
        return self.text.digest

    def load(self, lib: Library) -> exchange.Counts:
        """Add the records to ``lib`` (call inside ``lib.transaction()``, after ``scan``)."""
        loader = exchange.Loader(lib, base_dir=self.path.parent)
        found = False
        for number, line in self._lines(OTHER):
            got = record(number, line)
            if got is not None:
                found = True
                if got[0] in _ITEMS:
                    self.kinds[number - 1] = ITEM  # for the third reading
                else:
                    loader.add(got[0], got[1], f"line {number}", clean=got[2])
        loader.flush()
        for number, line in self._lines(ITEM):  # (whatever the line holds: a "type" given
            got = record(number, line)          # twice may make an event line a source)
            if got is not None:
                found = True
                loader.add(got[0], got[1], f"line {number}", clean=got[2])
        self.text.check_unchanged()
        if not found:
            raise InvalidInput("no records found (each line is a JSON object with a \"type\")")
        return loader.finish()

    def _lines(self, kind: int) -> Iterator[tuple[int, str]]:
        """``(number, line)`` of the lines of ``kind``, sorted by the first reading after the
        scan as it goes (only those are decoded, where the file allows: see
        ``TextLines.select``)."""
        if self._sorted:
            return self.text.select(self.kinds, kind)
        return self._sorting(kind)

    def _sorting(self, kind: int) -> Iterator[tuple[int, str]]:
        self.kinds.clear()
        yield from self.text.select(self.kinds, kind, sort=_kinds)
        self._sorted = True


def _kinds(lines: list[str] | list[bytes]) -> bytes:
    """BLANK, ITEM or OTHER for each of a block's ``lines`` (text, or the bytes of text: a
    line of other white space than ASCII's is then OTHER, and found blank when it is read)."""
    later = _LATER if type(lines[0]) is str else _LATER_BYTES
    return bytes(ITEM if line.startswith(later) else OTHER if line.strip() else BLANK
                 for line in lines)
