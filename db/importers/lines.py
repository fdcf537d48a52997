"""Reading a UTF-8 text file a line at a time, with the checks ``files.decode`` makes of a whole file.

A JSON Lines file may be of any size: it is never held whole in memory, only
a block of whole lines at a time (a line may hold at most ``MAX_LINE_BYTES``).
Each block is decoded, checked and normalised on its own, which gives the same
text as decoding the whole file: a block ends with a ``\\n``, which never lies
inside a UTF-8 sequence and with which nothing composes, and the positions in
the messages are counted from the start of the file. The file's text is hashed
as it is read, as ``content_hash`` hashes the whole text, so that a file
imported whole before is still known.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from ..chars import BAD_CONTROL
from ..errors import InvalidInput
from .files import (MAX_BYTES, control_error, normalise, normalise_lines, read_head,
                    suspect_bytes)

MAX_LINE_BYTES = MAX_BYTES  # a line of a file read line by line; the file itself has no limit
BLOCK_BYTES = 1024 * 1024  # read, checked and decoded at once, up to the last line it ends
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
        self._changed: list[bool] = []  # for each block scanned: whether normalising changed it
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

    def read(self, *, scan: bool = False) -> Iterator[tuple[int, list[str]]]:
        """``(number, lines)`` for the file's lines, a block at a time: ``lines`` are those
        that begin at line ``number``, with line ends of every kind made ``\\n``.

        With ``scan``, the file's text is hashed into ``digest`` and ``blank`` says whether
        it is all white space."""
        digest = hashlib.sha256() if scan else None
        if scan:
            self._changed.clear()
        at = chars = 0  # bytes and characters before the block
        number, blocks = 1, 0
        size = min(BLOCK_BYTES, MAX_LINE_BYTES)  # a line within what is read is not too long
        tail = b""  # the start of a line that the last block did not end
        try:
            with self.path.open("rb") as handle:
                while True:
                    chunk = handle.read(size)
                    data = tail + chunk if tail else chunk
                    cut = data.rfind(b"\n") + 1 if chunk else len(data)
                    if tail and (data.find(b"\n") + 1 or len(data)) > MAX_LINE_BYTES:
                        raise InvalidInput(f"line {number}: too long (more than "
                                           f"{MAX_LINE_BYTES:,} bytes, the most a line may hold)")
                    block, tail = data[:cut], data[cut:]
                    if block:
                        lines, decoded = self._lines(block, at, chars, digest, blocks)
                        yield number, lines
                        at += len(block)
                        chars += decoded
                        number += len(lines)
                        blocks += 1
                    if not chunk:
                        break
        except OSError as exc:
            raise InvalidInput(f"cannot read: {exc.strerror or exc}") from None
        if digest is not None:
            self.digest = digest.hexdigest()

    def _lines(self, block: bytes, at: int, chars: int, digest: hashlib._Hash | None,
               index: int) -> tuple[list[str], int]:
        """The lines of ``block`` (the ``index``-th, at offset ``at``, after ``chars``
        characters), checked and normalised, and how many characters it decodes to.

        A scan checks every block and notes those that normalising changes; once the file is
        known (and, at the end, unchanged), later readings only decode the others."""
        skip = 3 if at == 0 and block.startswith(codecs.BOM_UTF8) else 0
        try:
            text = block[skip:].decode("utf-8") if skip else block.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"not UTF-8 text: byte {block[skip + exc.start]:#04x} at offset "
                               f"{at + skip + exc.start} (save the file as UTF-8)") from None
        if digest is None and index < len(self._changed) and not self._changed[index]:
            lines = text.split("\n")
        else:
            if suspect_bytes(block):
                bad = BAD_CONTROL.search(text)
                if bad:
                    raise control_error(bad.group(), chars + bad.start(), None)
            normal = normalise(text) if at == 0 else normalise_lines(text)
            if digest is not None:
                # Unchanged text is the block's own bytes in UTF-8: no need to encode it again.
                digest.update(block if normal is text and not skip else normal.encode("utf-8"))
                if self.blank and not normal.isspace():
                    self.blank = False
                self._changed.append(normal is not text)
            lines = normal.split("\n")
        if len(lines) > 1 and not lines[-1]:
            lines.pop()  # the line feed that ends the block
        return lines, len(text)
