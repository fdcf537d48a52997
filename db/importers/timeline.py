"""TimelineJS JSON into an exchange document: one source holding the timeline, one event per slide."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import exchange
from ..errors import InvalidInput
from ..writer import stable_uid
from .files import text_of


def is_timelinejs(data: Any) -> bool:
    if not isinstance(data, Mapping) or "format" in data:
        return False
    events = data.get("events")
    return isinstance(events, list) and (not events or (
        isinstance(events[0], Mapping) and "start_date" in events[0]))


def _plain(fragment: object, where: str) -> str:
    if fragment is None:
        return ""
    if not isinstance(fragment, str):
        raise InvalidInput(f"{where}: expected text")
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())
    import lxml.html
    from lxml.etree import ParserError

    try:
        node = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return " ".join(fragment.split())
    return " ".join(node.text_content().split())


def _date(value: object, where: str) -> tuple[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{where}: expected an object with year, month, day")
    parts = []
    for key, width in (("year", 4), ("month", 2), ("day", 2)):
        raw = value.get(key)
        if raw is None or raw == "":
            break
        try:
            number = int(str(raw).strip())
        except ValueError:
            found = repr(raw) if len(repr(raw)) <= 40 else repr(raw)[:39] + "…"
            raise InvalidInput(f"{where}.{key}: expected a number, found {found}") from None
        if key == "year" and not 1000 <= number <= 9999:
            raise InvalidInput(f"{where}.year: {number} is outside 1000-9999")
        parts.append(f"{number:0{width}d}")
    if not parts:
        raise InvalidInput(f"{where}.year: missing")
    return "-".join(parts), ("year", "month", "day")[len(parts) - 1]


def from_timelinejs(data: Mapping, path: Path, digest: str) -> dict:
    title_block = data.get("title") if isinstance(data.get("title"), Mapping) else {}
    text_block = title_block.get("text") if isinstance(title_block.get("text"), Mapping) else {}
    title = _plain(text_block.get("headline"), "title.text.headline") or text_of(path.stem)
    source_uid = stable_uid("timeline", digest)
    paragraphs: list[str] = []
    events = []
    offset = 0
    spans = []
    for index, slide in enumerate(data.get("events") or []):
        where = f"events[{index}]"
        if not isinstance(slide, Mapping):
            raise InvalidInput(f"{where}: expected an object")
        date, precision = _date(slide.get("start_date"), f"{where}.start_date")
        date_end = None
        if slide.get("end_date"):
            end, end_precision = _date(slide["end_date"], f"{where}.end_date")
            date_end = end if end_precision == precision and end != date else None
        text = slide.get("text") if isinstance(slide.get("text"), Mapping) else {}
        headline = _plain(text.get("headline"), f"{where}.text.headline")
        body = _plain(text.get("text"), f"{where}.text.text")
        words = " — ".join(p for p in (headline, body) if p)
        if not words:
            raise InvalidInput(f"{where}.text: no headline and no text")
        start = offset
        paragraphs.append(words)
        spans.append([start, start + len(words)])
        offset = start + len(words) + 2
        uid = slide.get("unique_id")
        events.append({
            "id": uid if isinstance(uid, str) and uid.strip() else stable_uid("event", source_uid, index),
            "date": date, "date_precision": precision, "date_end": date_end,
            "date_text": _plain(slide.get("display_date"), f"{where}.display_date") or date,
            "summary": headline or (body[:239] + "…" if len(body) > 240 else body),
            "source_id": source_uid, "paragraph": index + 1,
            "char_start": start, "char_end": start + len(words), "actors": []})
    if not events:
        raise InvalidInput("events: the timeline has no events")
    source = {"id": source_uid, "title": title, "text": "\n\n".join(paragraphs),
              "paragraphs": spans}
    return {"format": exchange.FORMAT, "sources": [source], "actors": [], "events": events,
            "quotes": []}
