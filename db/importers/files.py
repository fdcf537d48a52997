"""Finding the files to import, reading their bytes as text, and telling their format.

Text is UTF-8 (with or without a byte-order mark) or UTF-16 with a mark; any
other bytes are refused with their offset, never stored as mojibake. Line
endings of every kind become ``\\n`` so that paragraphs and character spans are
the same whatever wrote the file.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ..chars import BAD_CONTROL, describe_control
from ..errors import InvalidInput

FORMATS = ("auto", "article", "json", "jsonl", "csv", "timelinejs")
ARTICLE_EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
                      ".html": "html", ".htm": "html", ".xhtml": "html"}
DATASET_EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
KNOWN_EXTENSIONS = {**ARTICLE_EXTENSIONS, **DATASET_EXTENSIONS}
MAX_BYTES = 64 * 1024 * 1024  # a file larger than this is refused, not read

_LINE_ENDS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# What a file that is not text usually is: named in the message refusing it.
_MAGIC = ((b"%PDF-", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)"),
          (b"\x1f\x8b", "a gzip archive"), (b"SQLite format 3\x00", "an SQLite database"),
          (b"\xd0\xcf\x11\xe0", "a Microsoft Office document"))
_LINE_END_CHARS = "\r\x0b\x0c\x85\u2028\u2029"
# The C0 controls and DEL of BAD_CONTROL are one byte each in UTF-8, never part of a longer
# sequence: deleting every other byte leaves them. Its C1 controls are \xc2 and a second byte.
_GOOD_BYTES = bytes(b for b in range(256) if not BAD_CONTROL.match(chr(b)) or b >= 0x80)
_C1_BYTES = re.compile(rb"\xc2[\x80-\x84\x86-\x9f]")


def walk(paths: list[Path]) -> Iterator[Path]:
    """Every file named, and every importable file under every folder named (sorted, recursive).

    Hidden files and folders inside a folder are left out, and so are files whose
    extension no importer reads; a file named on its own is always yielded.
    """
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and Path(name).suffix.lower() in KNOWN_EXTENSIONS:
                        yield Path(root) / name
        else:
            yield path


def text_of(name: str | Path) -> str:
    """A file name as text to store: bytes that are not UTF-8 (Linux names are bytes) become �."""
    return os.fsencode(name).decode("utf-8", "replace")


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InvalidInput("not a regular file")
        if size > MAX_BYTES:
            raise InvalidInput(f"file is too large ({size:,} bytes; at most "
                               f"{MAX_BYTES // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput("no such file") from None
    except PermissionError:
        raise InvalidInput("permission denied") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read: {exc.strerror or exc}") from None
    if not data:
        raise InvalidInput("empty file")
    return data


def decode(data: bytes) -> str:
    """The text of ``data``: UTF-8 (BOM optional) or UTF-16 with a BOM, line endings made ``\\n``.

    Anything else is refused with one line saying what is wrong and where: a known
    binary format by name, UTF-16 without a byte-order mark, a byte that is not
    UTF-8, a control character (NUL, ESC, C1) with its position.
    """
    kind = next((what for magic, what in _MAGIC if data.startswith(magic)), None)
    utf8 = True
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[3:], "utf-8", 3, kind)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        text = _decode(data[2:], codec, 2, kind)
        utf8 = False
    elif _looks_utf16(data):
        raise InvalidInput("UTF-16 text without a byte-order mark (save the file as UTF-8)")
    else:
        text = _decode(data, "utf-8", 0, kind)
    # The bytes are searched first: ten times faster than the regex over the text.
    bad = BAD_CONTROL.search(text) if not utf8 or suspect_bytes(data) else None
    if bad:
        raise control_error(bad.group(), bad.start(), kind)
    text = normalise(text)
    if not text or text.isspace():  # as ``not text.strip()``, without copying the text
        raise InvalidInput("empty file (only white space)")
    return text


def normalise(text: str) -> str:
    """One form for stored text: NFC, ``\\n`` line endings, no byte-order mark."""
    return normalise_lines(text.lstrip("\ufeff"))


def normalise_lines(text: str) -> str:
    """``normalise`` for lines that do not begin a text (a mark there is kept): the lines of a
    text after a line feed give the same as the text's whole."""
    if any(c in text for c in _LINE_END_CHARS):  # a search for each is faster than the regex
        text = _LINE_ENDS.sub("\n", text)
    return unicodedata.normalize("NFC", text)


def suspect_bytes(data: bytes) -> bool:
    """Whether UTF-8 ``data`` may hold a control character that text may not (a quick test of
    the bytes: when it says no, there is none)."""
    return bool(data.translate(None, _GOOD_BYTES) or _C1_BYTES.search(data))


def control_error(char: str, position: int, kind: str | None) -> InvalidInput:
    """The refusal of a text holding the control character ``char`` at ``position``."""
    if kind or char == "\x00":
        return InvalidInput(f"binary file, not text ({kind or 'NUL at character ' + str(position)})")
    return InvalidInput(f"control character {describe_control(char)} at character {position} "
                        "(text files may hold tabs and line breaks, no other control characters)")


def read_head(path: Path, size: int) -> bytes | None:
    """The first ``size`` bytes of a regular file that does not begin as a known binary format
    or as UTF-16 (None for those, and for what cannot be read: ``read_bytes`` then says why)."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            head = handle.read(size)
    except OSError:
        return None
    if not head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or \
            any(head.startswith(magic) for magic, _ in _MAGIC) or _looks_utf16(head):
        return None
    return head


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a mark: text of Latin letters has a NUL in every other byte."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return False
    for zeros in (head[1::2], head[0::2]):
        if zeros.count(0) >= 0.9 * len(zeros) and head.count(0) <= 0.6 * len(head):
            return True
    return False


def _decode(data: bytes, codec: str, skip: int, kind: str | None) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if kind:
            raise InvalidInput(f"binary file, not text ({kind})") from None
        offset = skip + exc.start
        byte = data[exc.start]
        name = "UTF-8" if codec == "utf-8" else "UTF-16"
        raise InvalidInput(f"not {name} text: byte {byte:#04x} at offset {offset} "
                           "(save the file as UTF-8)") from None


def detect(path: Path, text_head: str, requested: str) -> str:
    """The importer for a file: txt, md, html, json, jsonl, csv or timelinejs."""
    ext = path.suffix.lower()
    head = text_head.lstrip()[:2000]
    if requested == "article":
        return ARTICLE_EXTENSIONS.get(ext) or _sniff_article(head)
    if requested == "json":
        return "json"
    if requested in ("jsonl", "csv", "timelinejs"):
        return requested
    if ext in ARTICLE_EXTENSIONS:
        found = ARTICLE_EXTENSIONS[ext]
        return "html" if found == "txt" and _looks_html(head) else found
    if ext in (".json", ".jsonl", ".ndjson") or head.startswith(("{", "[")):
        if ext in (".jsonl", ".ndjson"):
            return "jsonl"
        first_line = head.split("\n", 1)[0].strip()
        if ext != ".json" and first_line.startswith("{") and first_line.endswith("}") and "\n{" in head:
            return "jsonl"
        return "json"  # json vs timelinejs is told from the parsed document
    if ext == ".csv":
        return "csv"
    if _looks_csv_header(head):
        return "csv"
    return _sniff_article(head)


def _sniff_article(head: str) -> str:
    if _looks_html(head):
        return "html"
    if head.startswith("---\n"):
        return "md"
    return "txt"


def _looks_html(head: str) -> bool:
    low = head[:500].lower()
    return low.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in low or "<article" in low


_CSV_COLUMNS = {"id", "text", "speaker", "name", "kind", "date", "summary", "source_id", "title"}


def _looks_csv_header(head: str) -> bool:
    first = head.split("\n", 1)[0]
    columns = {c.strip().strip('"') for c in first.split(",")}
    return len(columns) >= 3 and "id" in columns and len(columns & _CSV_COLUMNS) >= 3
