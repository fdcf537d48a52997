"""Reading a UTF-8 text file a line at a time, with the checks ``files.decode`` makes of a whole file.

A JSON Lines file may be of any size: it is never held whole in memory, only
a block of whole lines at a time (a line may hold at most ``MAX_LINE_BYTES``).
Each block is decoded, checked and normalised on its own, which gives the same
text as decoding the whole file: a block ends with a ``\\n``, which never lies
inside a UTF-8 sequence and with which nothing composes, and the positions in
the messages are counted from the start of the file. The file's text is hashed
as it is read, as ``content_hash`` hashes the whole text, so that a file
imported whole before is still known. Read again after the scan, a block that
normalising left as it was decodes only the lines asked for (``TextLines.select``).
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Callable, Iterator
from itertools import compress, count
from pathlib import Path
from typing import TypeVar

from ..chars import BAD_CONTROL
from ..errors import InvalidInput
from .files import (MAX_BYTES, control_error, normalise, normalise_lines, read_head,
                    suspect_bytes)

MAX_LINE_BYTES = MAX_BYTES  # a line of a file read line by line; the file itself has no limit
BLOCK_BYTES = 1024 * 1024  # read, checked and decoded at once, up to the last line it ends
HEAD_BYTES = 64 * 1024  # read first, to tell the format and whether the file can be read this way

T = TypeVar("T", str, bytes)


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
        self._changed: list[bool] = []  # for each block scanned: whether normalising changed it
        self._sizes: list[int] = []  # and how many characters it decodes to
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

    def scan(self) -> None:
        """Check the whole file, a block at a time: the text is hashed into ``digest``,
        ``blank`` says whether it is all white space, and each block is noted for ``select``."""
        digest = hashlib.sha256()
        self._changed.clear()
        self._sizes.clear()
        number, chars = 1, 0  # the block's first line, and the characters before it
        for at, block in self._blocks(lambda: number):
            text, normal, skip = self._text(block, at, chars)
            # Unchanged text is the block's own bytes in UTF-8: no need to encode it again.
            digest.update(block if normal is text and not skip else normal.encode("utf-8"))
            if self.blank and not normal.isspace():
                self.blank = False
            self._changed.append(normal is not text)
            self._sizes.append(len(text))
            chars += len(text)
            number += normal.count("\n")  # (every block but the last ends with one)
        self.digest = digest.hexdigest()

    def select(self, tags: bytearray, tag: int, *,
               sort: Callable[[list[str] | list[bytes]], bytes] | None = None,
               ) -> Iterator[tuple[int, str]]:
        """``(number, line)`` for each line that ``tags`` (a byte a line, line 1 first) marks
        ``tag``, with line ends of every kind made ``\\n``, as ``decode(data).split("\\n")``
        numbers and gives them. With ``sort``, the lines are tagged first, a block at a time:
        ``tags`` is extended by ``sort(lines)`` of the block's lines.

        After the scan, a block that normalising left as it was (most are) is split as bytes
        and only the lines asked for are decoded: a line feed never lies inside a UTF-8
        sequence, so a line decodes on its own to what it is in the block's text (``sort``
        is given these lines as bytes). Any other block is decoded and normalised whole: its
        lines may end in other ways."""
        number, chars = 1, 0
        for index, (at, block) in enumerate(self._blocks(lambda: number)):
            if index < len(self._changed) and not self._changed[index]:
                skip = _bom(block, at)
                data = block[skip:] if skip else block
                raw = _ended(data.split(b"\n"))
                if sort is not None:
                    tags += sort(raw)
                try:
                    for n in _marked(tags, tag, number, len(raw)):
                        yield n, raw[n - number].decode("utf-8")
                except UnicodeDecodeError:  # the file changed since the scan: refused as it is
                    _decode(data, at + skip)  # when the whole block is decoded
                    raise
                chars += self._sizes[index]
                number += len(raw)
            else:
                text, normal, _ = self._text(block, at, chars)
                lines = _ended(normal.split("\n"))
                if sort is not None:
                    tags += sort(lines)
                for n in _marked(tags, tag, number, len(lines)):
                    yield n, lines[n - number]
                chars += len(text)
                number += len(lines)

    def _blocks(self, first: Callable[[], int]) -> Iterator[tuple[int, bytes]]:
        """``(offset, block)`` for the file's blocks of whole lines (the last may have no line
        feed at its end); ``first()`` is the number of the line the next block begins with,
        which a line too long is refused with."""
        at = 0
        size = min(BLOCK_BYTES, MAX_LINE_BYTES)  # a line within what is read is not too long
        tail = b""  # the start of a line that the last block did not end
        try:
            with self.path.open("rb") as handle:
                while True:
                    chunk = handle.read(size)
                    data = tail + chunk if tail else chunk
                    cut = data.rfind(b"\n") + 1 if chunk else len(data)
                    if tail and (data.find(b"\n") + 1 or len(data)) > MAX_LINE_BYTES:
                        raise InvalidInput(f"line {first()}: too long (more than "
                                           f"{MAX_LINE_BYTES:,} bytes, the most a line may hold)")
                    block, tail = data[:cut], data[cut:]
                    if block:
                        yield at, block
                        at += len(block)
                    if not chunk:
                        break
        except OSError as exc:
            raise InvalidInput(f"cannot read: {exc.strerror or exc}") from None

    def _text(self, block: bytes, at: int, chars: int) -> tuple[str, str, int]:
        """The text of ``block`` (at offset ``at``, after ``chars`` characters), checked; the
        same normalised (the very same string if normalising changes nothing); and how many
        bytes of the block are the file's byte-order mark."""
        skip = _bom(block, at)
        text = _decode(block[skip:] if skip else block, at + skip)
        if suspect_bytes(block):
            bad = BAD_CONTROL.search(text)
            if bad:
                raise control_error(bad.group(), chars + bad.start(), None)
        return text, normalise(text) if at == 0 else normalise_lines(text), skip


def _bom(block: bytes, at: int) -> int:
    """How many bytes of ``block`` (at offset ``at``) are the file's byte-order mark."""
    return 3 if at == 0 and block.startswith(codecs.BOM_UTF8) else 0


def _decode(data: bytes, at: int) -> str:
    """``data``, found at offset ``at`` of the file, as text; refused if it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"not UTF-8 text: byte {data[exc.start]:#04x} at offset "
                           f"{at + exc.start} (save the file as UTF-8)") from None


def _ended(lines: list[T]) -> list[T]:
    """``lines`` split from a block at ``\\n``, without the empty one after its last line feed."""
    if len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def _marked(tags: bytes | bytearray, tag: int, first: int, size: int) -> Iterator[int]:
    """The numbers of the ``size`` lines from line ``first`` on that ``tags`` marks ``tag``."""
    return compress(count(first), map(tag.__eq__, tags[first - 1:first - 1 + size]))
