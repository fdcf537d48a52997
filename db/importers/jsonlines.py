"""JSON Lines datasets: one exchange record a line, each with its ``type``.

A file in UTF-8 is read a line at a time (``lines.TextLines``), whatever its
size, in three readings, so that memory holds a line and a batch of records,
never the file:

1. ``scan``, before the library is locked: every line is checked as a whole
   file's text is (encoding, control characters), the text is hashed (a file
   imported before is then skipped unread), and each line is sorted: blank, an
   event or a quote as exports write them (``{"type": "event"`` or
   ``{"type": "quote"`` at its start: left unread until the third reading), or
   anything else;
2. ``load``: the other lines, that is the sources and actors, which
   ``exchange.load`` also takes first; then where each new source names an
   actor;
3. the events and quotes, in batches.

Records are the same, and checked the same, as in a whole document: an error
names its line, and the caller's transaction leaves the library as it was.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import exchange
from ..errors import InvalidInput
from ..library import Library
from .lines import TextLines

TYPES = {"source": "sources", "actor": "actors", "event": "events", "quote": "quotes"}
HEADERS = ("meta", "header", "format", "library")  # lines that are passed over
_ITEMS = ("events", "quotes")
_LATER = (b'{"type": "event"', b'{"type": "quote"')
BLANK, ITEM, OTHER, BOTH = range(4)  # what a line of bytes holds, as far as scan can tell


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise InvalidInput("invalid JSON: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise InvalidInput("invalid JSON: a number with too many digits") from None


def record(number: int, line: str) -> tuple[str, dict] | None:
    """The section and the record of line ``number`` (None for a blank line or a header)."""
    if not line.strip():
        return None
    try:
        value = parse_json(line)
    except InvalidInput as exc:
        raise InvalidInput(f"line {number}: {exc}") from None
    if not isinstance(value, Mapping):
        raise InvalidInput(f"line {number}: expected a JSON object")
    kind = value.get("type")
    if kind in HEADERS:
        return None
    if kind not in TYPES:
        raise InvalidInput(f"line {number}: type: expected one of source, actor, event, "
                           f"quote; found {kind!r}")
    return TYPES[kind], {k: v for k, v in value.items() if k != "type"}


class JsonLinesFile:
    """A JSON Lines file in UTF-8, read line by line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = TextLines(path)
        self.kinds = bytearray()  # BLANK, ITEM, OTHER or BOTH, for each line of bytes
        self.lines_in: dict[int, int] = {}  # lines of bytes that hold more than one line

    def scan(self) -> str:
        """Check the whole file and sort its lines; returns the hash of its text."""
        for index, _, raw, lines in self.text.read(scan=True):
            if len(lines) > 1:
                self.lines_in[index] = len(lines)
                self.kinds.append(OTHER)
            elif raw.startswith(_LATER):
                self.kinds.append(ITEM)
            else:
                self.kinds.append(BLANK if not lines[0].strip() else OTHER)
        if self.text.blank:
            raise InvalidInput("empty file (only white space)")
        assert self.text.digest is not None
        return self.text.digest

    def load(self, lib: Library) -> exchange.Counts:
        """Add the records to ``lib`` (call inside ``lib.transaction()``, after ``scan``)."""
        kinds, found = self.kinds, False
        loader = exchange.Loader(lib, base_dir=self.path.parent)
        for index, number, _, lines in self.text.read(lambda i: kinds[i] == OTHER, self.lines_in):
            for at, line in enumerate(lines, number):
                got = record(at, line)
                if got is None:
                    continue
                found = True
                if got[0] in _ITEMS:
                    kinds[index] = BOTH  # read again for it
                else:
                    loader.add(*got, f"line {at}")
        loader.index_mentions()
        for index, number, _, lines in self.text.read(lambda i: kinds[i] in (ITEM, BOTH),
                                                      self.lines_in):
            for at, line in enumerate(lines, number):
                got = record(at, line)
                if got is None:
                    continue
                found = True
                if got[0] in _ITEMS or kinds[index] == ITEM:  # (a "type" given twice, the last
                    loader.add(*got, f"line {at}")            # another: read here all the same)
        self.text.check_unchanged()
        if not found:
            raise InvalidInput("no records found (each line is a JSON object with a \"type\")")
        return loader.finish()
