"""Reading a UTF-8 text file a line at a time, with the checks ``files.decode`` makes of a whole file.

A JSON Lines file may be of any size: it is never held whole in memory, only
one line at a time (at most ``MAX_LINE_BYTES``). Each line of bytes (up to
``\\n``) is decoded, checked and normalised on its own, which gives the same
text as decoding the whole file: ``\\n`` never lies inside a UTF-8 sequence,
nothing composes with a line feed, and the positions in the messages are
counted from the start of the file. The file's text is hashed as it is read, as
``content_hash`` hashes the whole text, so that a file imported whole before is
still known.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path

from ..chars import BAD_CONTROL
from ..errors import InvalidInput
from .files import (MAX_BYTES, control_error, normalise, normalise_lines, read_head,
                    suspect_bytes)

MAX_LINE_BYTES = MAX_BYTES  # a line of a file read line by line; the file itself has no limit
HEAD_BYTES = 64 * 1024  # read first, to tell the format and whether the file can be read this way


def readable(path: Path) -> str | None:
    """The text at the start of ``path`` if it can be read line by line: UTF-8 (with or without
    a byte-order mark), no control characters, not a known binary format. None otherwise, and
    the file is then read whole, with the checks and the size limit that reading has."""
    head = read_head(path, HEAD_BYTES)
    if head is None or suspect_bytes(head):
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head[3:] if head.startswith(codecs.BOM_UTF8) else head, final=False)
    except UnicodeDecodeError:
        return None
    return normalise(text)


class TextLines:
    """The lines of a UTF-8 text file, numbered as ``decode(data).split("\\n")`` numbers them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.digest: str | None = None  # content_hash of the whole text, once read through
        self.blank = True  # nothing but white space read so far
        self._identity = self._stat()

    def _stat(self) -> tuple[int, int, int]:
        try:
            st = os.stat(self.path)
        except OSError as exc:
            raise InvalidInput(f"cannot read: {exc.strerror or exc}") from None
        return st.st_ino, st.st_size, st.st_mtime_ns

    def check_unchanged(self) -> None:
        """Refuse a file that was written to since it was first read."""
        if self._stat() != self._identity:
            raise InvalidInput("the file changed while it was being imported; import it again")

    def read(self, select: Callable[[int], bool] | None = None, lines_in: Mapping[int, int] = {},
             *, scan: bool = False) -> Iterator[tuple[int, int, bytes, list[str]]]:
        """``(index, number, raw, lines)`` for each line of bytes ``raw`` (up to ``\\n``), the
        ``index``-th of the file, whose first line is line ``number``: the lines it holds once line
        ends of every kind are ``\\n`` (one, unless it holds a ``\\r`` or the like).

        With ``select``, only the lines of bytes it selects by index are decoded and yielded;
        ``lines_in`` says how many lines those passed over hold, where it is not one. With
        ``scan``, the file's text is hashed into ``digest`` and ``blank`` says whether it is
        all white space (every line must then be read)."""
        digest = hashlib.sha256() if scan else None
        at = chars = 0  # bytes and characters before this line (characters of those decoded)
        number = 1
        try:
            with self.path.open("rb") as handle:
                for index, raw in enumerate(iter(partial(handle.readline, MAX_LINE_BYTES + 1), b"")):
                    if len(raw) > MAX_LINE_BYTES:
                        raise InvalidInput(f"line {number}: too long (more than "
                                           f"{MAX_LINE_BYTES:,} bytes, the most a line may hold)")
                    if select is not None and not select(index):
                        at += len(raw)
                        number += lines_in.get(index, 1)
                        continue
                    text = self._text(raw, at, chars)
                    chars += len(text)
                    text = normalise(text) if at == 0 else normalise_lines(text)
                    if digest is not None:
                        digest.update(text.encode("utf-8"))
                        if self.blank and not text.isspace():
                            self.blank = False
                    lines = text.split("\n")
                    if len(lines) > 1 and not lines[-1]:
                        lines.pop()  # the line feed that ends the line
                    yield index, number, raw, lines
                    at += len(raw)
                    number += len(lines)
        except OSError as exc:
            raise InvalidInput(f"cannot read: {exc.strerror or exc}") from None
        if digest is not None:
            self.digest = digest.hexdigest()

    @staticmethod
    def _text(raw: bytes, at: int, chars: int) -> str:
        skip = 3 if at == 0 and raw.startswith(codecs.BOM_UTF8) else 0
        try:
            text = raw[skip:].decode("utf-8") if skip else raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"not UTF-8 text: byte {raw[skip + exc.start]:#04x} at offset "
                               f"{at + skip + exc.start} (save the file as UTF-8)") from None
        if suspect_bytes(raw):
            bad = BAD_CONTROL.search(text)
            if bad:
                raise control_error(bad.group(), chars + bad.start(), None)
        return text
