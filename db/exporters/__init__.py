"""Exporters: one set of writers for ``coup-explorer export`` and the app's export dialog.

    export(lib, Selection(filter=Filter(actor=3), only=frozenset({"quote"})), "md", sys.stdout)
    write_file(lib, Selection(marked=True), Path("dossier.md"))

Formats: ``md`` (a readable dossier), ``json`` (the exchange format that
``import`` reads back), ``jsonl`` (the same records, one per line), ``csv``
(one kind of item per file; see ``csvfmt``) and ``timelinejs`` (TimelineJS3,
events only). Every writer streams: items are read a page at a time and
written as they come, so exporting a million quotes never holds them all.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import InvalidInput
from ._common import ExportSummary, Selection
from .csvfmt import csv_kind, write_csv
from .jsonfmt import write_json, write_jsonl
from .markdown import write_markdown
from .timelinejs import write_timelinejs

if TYPE_CHECKING:
    from ..library import Library

Writer = Callable[..., ExportSummary]

FORMATS: dict[str, Writer] = {
    "md": write_markdown,
    "json": write_json,
    "jsonl": write_jsonl,
    "csv": write_csv,
    "timelinejs": write_timelinejs,
}

# Longest first: ".timeline.json" must win over ".json".
EXTENSIONS: dict[str, str] = {
    ".timeline.json": "timelinejs",
    ".markdown": "md",
    ".ndjson": "jsonl",
    ".jsonl": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".md": "md",
}


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The format a file name asks for, by its extension (case ignored)."""
    name = Path(path).name.lower()
    for extension, fmt in EXTENSIONS.items():
        if name.endswith(extension) and len(name) > len(extension):
            return fmt
    raise InvalidInput(f"cannot tell the export format from {Path(path).name!r}: use "
                       ".md/.markdown, .json, .jsonl/.ndjson, .csv or .timeline.json, or --format")


def check_path(value: str | os.PathLike[str], fmt: str | None = None, *,
               force: bool = False) -> tuple[Path, str]:
    """The file an export may be written to, and its format; InvalidInput in one line if not.

    Refused: an empty name, a name holding NUL or another control character, a
    directory (or a name ending in a separator), a file in a directory that does not
    exist, a name whose extension tells no format (unless ``fmt`` is given), and an
    existing file unless ``force``.
    """
    raw = os.fspath(value)
    if not raw.strip():
        raise InvalidInput("no file name given")
    bad = _CONTROL_IN_NAME.search(raw)
    if bad:
        raise InvalidInput(f"the file name {raw!r} holds control character {ord(bad.group()):#04x}")
    target = Path(raw)
    if raw.endswith(("/", os.sep)) or target.is_dir():
        raise InvalidInput(f"{raw} is a directory: give a file name")
    if not target.parent.is_dir():
        missing = "no directory" if not target.parent.exists() else "not a directory:"
        raise InvalidInput(f"cannot write {raw}: {missing} {target.parent}")
    fmt = fmt or format_for_path(target)
    _writer(fmt)
    if not force and target.exists():
        raise InvalidInput(f"{raw} exists: use --force to overwrite")
    return target, fmt


_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _writer(fmt: str) -> Writer:
    writer = FORMATS.get(fmt)
    if writer is None:
        raise InvalidInput(f"no export format {fmt!r} (use {', '.join(FORMATS)})")
    return writer


def export(lib: Library, selection: Selection, fmt: str, out: TextIO, *,
           title: str | None = None) -> ExportSummary:
    """Write the selected items of ``lib`` to ``out`` in format ``fmt``.

    ``title`` heads a Markdown dossier or a TimelineJS timeline (default: the
    library's name); the other formats have no title.
    """
    return _writer(fmt)(lib, selection, out, title=title)


def write_file(lib: Library, selection: Selection, path: str | os.PathLike[str],
               fmt: str | None = None, *, force: bool = False,
               title: str | None = None) -> ExportSummary:
    """Export to a file: the whole file or nothing.

    The format is ``fmt``, else the one the extension names. An existing file is
    only replaced with ``force``. The export is written to a temporary file beside
    the target and renamed into place, so a failure leaves no half-written file
    (and an existing file as it was).
    """
    target, fmt = check_path(path, fmt, force=force)
    writer = _writer(fmt)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        with partial.open("x", encoding="utf-8", newline="") as out:
            summary = writer(lib, selection, out, title=title)
        if not force and target.exists():  # created while we were writing
            raise InvalidInput(f"{target} exists: use --force to overwrite")
        partial.replace(target)
    except OSError as exc:
        raise InvalidInput(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return summary


__all__ = ["EXTENSIONS", "FORMATS", "ExportSummary", "Selection", "check_path", "csv_kind", "export",
           "format_for_path", "write_file"]
