"""TimelineJS3 JSON: the selected events, for the timeline format journalists know.

Only the date parts the precision gives are written: a ``month`` event has a
year and a month and no day, a ``year`` event a year alone. A ``week`` event
starts on its Monday and ends on its Sunday. Every slide also carries a
``display_date`` ("April 1952", "week of 9 December 2019") so TimelineJS shows
the date as the library states it.

TimelineJS renders ``headline`` and ``text`` as HTML: everything taken from the
data is HTML-escaped, and only ``http``/``https`` URLs become links.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import TYPE_CHECKING, Any, TextIO

from ..dates import format_date, precision_of
from ..models import Event
from ._common import ExportSummary, Refs, Selection, items

if TYPE_CHECKING:
    from ..library import Library


def date_parts(value: str, precision: str) -> dict[str, int]:
    """TimelineJS date fields for an ISO date at its precision (no invented month or day)."""
    parts = [int(p) for p in value.split("-")]
    keep = {"year": 1, "month": 2}.get(precision, 3)
    return dict(zip(("year", "month", "day"), parts[:keep]))


def _end(event: Event) -> dict[str, int] | None:
    if event.date_end:
        return date_parts(event.date_end, precision_of(event.date_end))
    if event.date_precision == "week":
        sunday = dt.date.fromisoformat(event.date) + dt.timedelta(days=6)
        return {"year": sunday.year, "month": sunday.month, "day": sunday.day}
    return None


def safe_url(url: str | None) -> str | None:
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def slide(refs: Refs, event: Event) -> dict[str, Any]:
    esc = html.escape
    paragraphs = []
    if event.date_text:
        paragraphs.append(f"<p>“{esc(event.date_text)}”</p>")
    if event.actors:
        paragraphs.append(f"<p>{esc(', '.join(event.actors))}</p>")
    source = refs.source(event.source_id)
    if source is not None:
        cite = esc(source.title)
        if url := safe_url(source.url):
            cite = f'<a href="{esc(url)}">{cite}</a>'
        if source.outlet:
            cite += f", {esc(source.outlet)}"
        paragraphs.append(f"<p>{cite}, ¶{event.paragraph}</p>")
    if event.origin == "extracted":
        note = "extracted" if event.confidence is None else \
            f"extracted, confidence {event.confidence:.2f}"
        paragraphs.append(f"<p>({note})</p>")
    record: dict[str, Any] = {"start_date": date_parts(event.date, event.date_precision)}
    if (end := _end(event)) is not None:
        record["end_date"] = end
    record["display_date"] = esc(format_date(event.date, event.date_precision, event.date_end))
    record["text"] = {"headline": esc(event.summary), "text": "".join(paragraphs)}
    if event.actors:
        record["group"] = esc(event.actors[0])
    record["unique_id"] = event.uid
    return record


def write_timelinejs(lib: Library, selection: Selection, out: TextIO, *,
                     title: str | None = None) -> ExportSummary:
    """Events only: a selection without events gives a timeline with no slides."""
    heading = title or lib.name
    out.write('{\n  "title": ' + json.dumps({"text": {"headline": html.escape(heading),
                                                        "text": ""}}, ensure_ascii=False))
    out.write(',\n  "events": [')
    count = 0
    if "event" in selection.kinds:
        refs = Refs(lib)
        for event in items(lib, selection, "event"):
            body = json.dumps(slide(refs, event), ensure_ascii=False)  # type: ignore[arg-type]
            out.write(("," if count else "") + "\n    " + body)
            count += 1
    out.write("\n  ]\n}\n" if count else "]\n}\n")
    return ExportSummary("timelinejs", events=count)
