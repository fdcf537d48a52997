"""Datasets: the JSON exchange format, JSON Lines, one CSV per entity, and TimelineJS JSON.

Each is turned into an exchange document and read by ``exchange.load`` (a JSON
Lines file in UTF-8 record by record, by ``jsonlines``), so the validation
(naming the field that is wrong) and the stable ids that make a second import
add nothing are the same for every format.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import exchange
from ..errors import InvalidInput
from ..library import Library
from .store import AlreadyImported
from .files import MAX_BYTES
from .jsonlines import TYPES, parse_json, record
from .timeline import from_timelinejs, is_timelinejs

CSV_KINDS = ("sources", "actors", "events", "quotes")
_WHERE = re.compile(r"^(sources|actors|events|quotes)\[(\d+)\]: ")


def load_dataset(lib: Library, fmt: str, text: str, path: Path, digest: str) -> tuple[str, exchange.Counts]:
    """Add the dataset in ``text`` to the library; returns the format it was read as and the counts."""
    if fmt == "jsonl":
        doc, where = _jsonl(text)
        return "jsonl", _load(lib, doc, path, lambda s, i: f"line {where[s][i]}")
    if fmt == "csv":
        doc, label = _csv_set(path, text)
        return "csv", _load(lib, doc, path, label)
    data = parse_json(text)
    if fmt == "timelinejs" or (fmt == "json" and is_timelinejs(data)):
        if not isinstance(data, Mapping) or not isinstance(data.get("events"), list):
            raise InvalidInput("events: expected a TimelineJS object with a list of events")
        doc = from_timelinejs(data, path, digest)
        doc["events"] = [e for e in doc["events"] if lib.conn.execute(
            "SELECT 1 FROM events WHERE uid = ?", (e["id"],)).fetchone() is None]
        if not doc["events"]:
            raise AlreadyImported()
        return "timelinejs", _load(lib, doc, path, None)
    if isinstance(data, Mapping) and data.get("format") != exchange.FORMAT and "format" not in data:
        raise InvalidInput(f"format: missing (a coup-explorer export has \"format\": "
                           f"\"{exchange.FORMAT}\"; TimelineJS has \"events\" with \"start_date\")")
    return "json", _load(lib, data, path, None)


def _load(lib: Library, doc: Any, path: Path, label) -> exchange.Counts:
    try:
        return exchange.load(lib, doc, base_dir=path.parent)
    except InvalidInput as exc:
        message = str(exc)
        m = _WHERE.match(message)
        if m and label is not None:
            message = f"{label(m.group(1), int(m.group(2)))}: {message[m.end():]}"
        if "source_id: no source" in message and not getattr(label, "has_sources", True):
            message += " (and there is no sources.csv beside the file)"
        raise InvalidInput(message) from None


def _jsonl(text: str) -> tuple[dict, dict[str, list[int]]]:
    """A JSON Lines file read whole (one that is not UTF-8: see ``jsonlines`` for the others)."""
    doc: dict[str, Any] = {"format": exchange.FORMAT, **{s: [] for s in TYPES.values()}}
    where: dict[str, list[int]] = {s: [] for s in TYPES.values()}
    for number, line in enumerate(text.split("\n"), 1):
        got = record(number, line)
        if got is not None:
            doc[got[0]].append(got[1])
            where[got[0]].append(number)
    if not any(doc[s] for s in TYPES.values()):
        raise InvalidInput("no records found (each line is a JSON object with a \"type\")")
    return doc, where


def _csv_kind(columns: list[str]) -> str | None:
    cols = set(columns)
    if {"summary", "date"} <= cols:
        return "events"
    if {"text", "char_start"} <= cols and "title" not in cols:
        return "quotes"
    if {"name", "kind"} <= cols:
        return "actors"
    if {"title", "text"} <= cols:
        return "sources"
    return None


def _read_csv(text: str, name: str) -> tuple[str, list[dict]]:
    csv.field_size_limit(MAX_BYTES)  # a field may be as large as the file
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        columns = [c.strip() for c in (reader.fieldnames or [])]
        kind = _csv_kind(columns)
        if kind is None:
            raise InvalidInput(f"{name}: header {','.join(columns)[:120]!r} is not that of "
                               "sources, actors, events or quotes")
        if "id" not in columns:
            raise InvalidInput(f"{name}: id: column missing")
        rows = []
        for index, row in enumerate(reader, 1):
            if None in row:
                raise InvalidInput(f"{name} row {index}: more fields than columns")
            rows.append(_convert(kind, {k.strip(): v for k, v in row.items()}, f"{name} row {index}"))
        return kind, rows
    except csv.Error as exc:
        raise InvalidInput(f"{name}: not valid CSV: {exc}") from None


def _convert(kind: str, row: dict, where: str) -> dict:
    out: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items() if v is not None}
    for key in ("paragraph", "char_start", "char_end"):
        if out.get(key) is not None:
            try:
                out[key] = int(out[key])
            except ValueError:
                raise InvalidInput(f"{where}: {key}: expected a whole number") from None
    if out.get("confidence") is not None:
        try:
            out["confidence"] = float(out["confidence"])
        except ValueError:
            raise InvalidInput(f"{where}: confidence: expected a number from 0 to 1") from None
    if kind == "sources" and out.get("paragraphs") is not None:
        try:
            out["paragraphs"] = json.loads(out["paragraphs"])
        except (ValueError, RecursionError):
            raise InvalidInput(f"{where}: paragraphs: expected [[start, end], ...]") from None
    if kind == "actors":
        out["aliases"] = [a.strip() for a in (out.get("aliases") or "").split(";") if a.strip()]
    if kind == "events":
        out["actors"] = [a.strip() for a in (out.pop("actors", None) or "").split(";") if a.strip()]
        out.pop("actor_ids", None)
    if kind == "quotes":
        if out.get("speaker_id") is None:
            out.pop("speaker_id", None)
    return out


def _csv_set(path: Path, text: str) -> tuple[dict, Any]:
    """The CSV file with the sources and actors CSVs beside it that it refers to."""
    kind, rows = _read_csv(text, path.name)
    doc: dict[str, Any] = {"format": exchange.FORMAT, **{s: [] for s in CSV_KINDS}}
    doc[kind] = rows
    names = {kind: path.name}
    if kind in ("events", "quotes"):
        for needed in ("sources", "actors"):
            sibling = path.with_name(f"{needed}.csv")
            if sibling.is_file():
                from .files import decode, read_bytes

                other_kind, other_rows = _read_csv(decode(read_bytes(sibling)), sibling.name)
                if other_kind == needed:
                    doc[needed] = other_rows
                    names[needed] = sibling.name
    has_sources = bool(doc["sources"])

    def label(section: str, index: int) -> str:
        return f"{names.get(section, section)} row {index + 1}"

    label.has_sources = has_sources  # type: ignore[attr-defined]
    return doc, label
