"""CSV: one kind of item per file, since quotes, events and actors have different columns.

The kind is the selection's ``only`` kind when it names exactly one; when
``only`` is empty or names several, the file holds the quotes. (The command line
says so in ``export --help``.)

Columns (ids are the items' stable uids, as in the JSON exchange format)::

    quotes  id,text,speaker,speaker_id,kind,date,date_precision,source_id,paragraph,
            char_start,char_end,origin,confidence
    events  id,date,date_precision,date_end,date_text,summary,actors,source_id,paragraph,
            char_start,char_end,origin,confidence          (actors: names joined with "; ")
    actors  id,name,kind,role,aliases,origin,confidence    (aliases joined with "; ")

The ``csv`` module quotes fields that hold commas, quotes or line breaks, so a
quote's text comes back exactly. Text is never altered, not even to defuse
spreadsheet formulas: a quote beginning with ``=``, ``+``, ``-`` or ``@`` is
written as it is (prefixing a ``'``, the usual guard, would change the words
and break the span ``source.text[char_start:char_end]``). Open exports from
untrusted libraries in a spreadsheet with formula evaluation turned off, or
import them as text.
"""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from ..models import Actor, Event, Quote
from ._common import ExportSummary, Refs, Selection, items

if TYPE_CHECKING:
    from ..library import Library

COLUMNS = {
    "quote": ("id", "text", "speaker", "speaker_id", "kind", "date", "date_precision",
              "source_id", "paragraph", "char_start", "char_end", "origin", "confidence"),
    "event": ("id", "date", "date_precision", "date_end", "date_text", "summary", "actors",
              "source_id", "paragraph", "char_start", "char_end", "origin", "confidence"),
    "actor": ("id", "name", "kind", "role", "aliases", "origin", "confidence"),
}


def csv_kind(selection: Selection) -> str:
    """The one kind a CSV export holds: the single ``only`` kind, else quotes."""
    return next(iter(selection.only)) if len(selection.only) == 1 else "quote"


def _row(refs: Refs, item: Quote | Event | Actor) -> tuple:
    if isinstance(item, Quote):
        return (item.uid, item.text, item.speaker, refs.actor_uid(item.speaker_id), item.kind,
                item.date, item.date_precision, refs.source_uid(item.source_id), item.paragraph,
                item.char_start, item.char_end, item.origin, item.confidence)
    if isinstance(item, Event):
        return (item.uid, item.date, item.date_precision, item.date_end, item.date_text,
                item.summary, "; ".join(item.actors), refs.source_uid(item.source_id),
                item.paragraph, item.char_start, item.char_end, item.origin, item.confidence)
    return (item.uid, item.name, item.kind, item.role, "; ".join(item.aliases), item.origin,
            item.confidence)


def write_csv(lib: Library, selection: Selection, out: TextIO, *,
              title: str | None = None) -> ExportSummary:
    del title
    kind = csv_kind(selection)
    writer = csv.writer(out)
    writer.writerow(COLUMNS[kind])
    refs = Refs(lib)
    count = 0
    for item in items(lib, selection, kind):
        writer.writerow(_row(refs, item))  # type: ignore[arg-type]
        count += 1
    return ExportSummary("csv", **{kind + "s": count})
