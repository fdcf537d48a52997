"""The JSON exchange format and JSON Lines, written item by item.

JSON is exactly what ``db/exchange.py`` reads: ``{"format": "coup-explorer/1",
"sources": [...], "actors": [...], "events": [...], "quotes": [...]}``, with ids
that are the items' stable uids. The document is self-contained: every source
and every actor that a selected event or quote refers to is included even when
actors were not selected, so importing it into an empty library reproduces it.

JSON Lines holds the same records, one per line, each with a ``type`` field
(``source``, ``actor``, ``event``, ``quote``); sources and actors come first.

Sources and actors are written before the events and quotes that refer to them,
but which ones are needed is only known after walking those: events and quotes
are therefore written to a spool (memory, then a temporary file) first.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from ..exchange import FORMAT
from ..models import Actor, Event, Quote, Source
from ._common import ExportSummary, Refs, Selection, items, spool

if TYPE_CHECKING:
    from ..library import Library


def source_record(lib: Library, source: Source) -> dict[str, Any]:
    return {
        "id": source.uid, "title": source.title, "author": source.author,
        "outlet": source.outlet, "url": source.url, "published": source.published,
        "origin": source.origin,
        "paragraphs": [[start, end] for _, start, end in lib.paragraph_spans(source.id)],
        "text": lib.source_text(source.id),
    }


def actor_record(actor: Actor) -> dict[str, Any]:
    return {"id": actor.uid, "name": actor.name, "kind": actor.kind, "role": actor.role,
            "aliases": list(actor.aliases), "origin": actor.origin,
            "confidence": actor.confidence}


def event_record(refs: Refs, event: Event) -> dict[str, Any]:
    return {
        "id": event.uid, "date": event.date, "date_precision": event.date_precision,
        "date_end": event.date_end, "date_text": event.date_text or None,
        "summary": event.summary, "actors": list(event.actors),
        "actor_ids": [refs.actor_uid(i) for i in event.actor_ids],
        "source_id": refs.source_uid(event.source_id), "paragraph": event.paragraph,
        "char_start": event.char_start, "char_end": event.char_end,
        "origin": event.origin, "confidence": event.confidence,
    }


def quote_record(refs: Refs, quote: Quote) -> dict[str, Any]:
    return {
        "id": quote.uid, "text": quote.text, "speaker": quote.speaker,
        "speaker_id": refs.actor_uid(quote.speaker_id), "kind": quote.kind,
        "date": quote.date, "date_precision": quote.date_precision,
        "source_id": refs.source_uid(quote.source_id), "paragraph": quote.paragraph,
        "char_start": quote.char_start, "char_end": quote.char_end,
        "origin": quote.origin, "confidence": quote.confidence,
    }


_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _dumps(record: dict[str, Any], indent: int | None) -> str:
    """JSON text, with the line breaks that JSON allows raw escaped (``str.splitlines`` splits
    on them, so a JSON Lines reader might too); they can only occur inside strings."""
    return json.dumps(record, ensure_ascii=False, indent=indent).translate(_LINE_BREAKS)


class _Array:
    """One section of the JSON document: ``"name": [ item, item ]``, written as items come."""

    def __init__(self, out: TextIO, name: str, first: bool = False) -> None:
        self.out, self.count = out, 0
        out.write(("" if first else ",\n") + f'  "{name}": [')

    def add(self, record: dict[str, Any]) -> None:
        body = _dumps(record, 2).replace("\n", "\n    ")
        self.out.write(("," if self.count else "") + "\n    " + body)
        self.count += 1

    def close(self) -> None:
        self.out.write("\n  ]" if self.count else "]")


def _walk(lib: Library, selection: Selection, refs: Refs,
          emit: Callable[[str, dict[str, Any]], object]) -> dict[str, int]:
    """Events then quotes to ``emit(kind, record)``; returns how many of each."""
    counts = {"event": 0, "quote": 0}
    for kind in ("event", "quote"):
        if kind not in selection.kinds:
            continue
        build = event_record if kind == "event" else quote_record
        for item in items(lib, selection, kind):
            refs.note(item)
            emit(kind, build(refs, item))  # type: ignore[arg-type]
            counts[kind] += 1
    return counts


def _write_people(lib: Library, selection: Selection, refs: Refs,
                  emit: Callable[[dict[str, Any]], object]) -> int:
    """Every selected actor, then every other actor referred to; returns the number written."""
    written: set[int] = set()
    if "actor" in selection.kinds:
        for actor in items(lib, selection, "actor"):
            emit(actor_record(actor))  # type: ignore[arg-type]
            written.add(actor.id)
    others = refs.noted_actors(exclude=written)
    for actor in others:
        emit(actor_record(actor))
    return len(written) + len(others)


def write_json(lib: Library, selection: Selection, out: TextIO, *,
               title: str | None = None) -> ExportSummary:
    del title  # the exchange format has no title
    refs = Refs(lib)
    with spool() as later:
        arrays = {"event": _Array(later, "events", first=True)}

        def emit(kind: str, record: dict[str, Any]) -> None:
            if kind not in arrays:  # the first quote: the events are done
                arrays["event"].close()
                arrays[kind] = _Array(later, "quotes")
            arrays[kind].add(record)

        counts = _walk(lib, selection, refs, emit)
        if "quote" not in arrays:
            arrays["event"].close()
            arrays["quote"] = _Array(later, "quotes")
        arrays["quote"].close()
        out.write('{\n  "format": ' + json.dumps(FORMAT) + ",\n")
        sources = _Array(out, "sources", first=True)
        for source in refs.noted_sources():
            sources.add(source_record(lib, source))
        sources.close()
        actors = _Array(out, "actors")
        n_actors = _write_people(lib, selection, refs, actors.add)
        actors.close()
        out.write(",\n")
        later.seek(0)
        shutil.copyfileobj(later, out)
        out.write("\n}\n")
    return ExportSummary("json", events=counts["event"], actors=n_actors,
                         quotes=counts["quote"], sources=sources.count)


def write_jsonl(lib: Library, selection: Selection, out: TextIO, *,
                title: str | None = None) -> ExportSummary:
    del title
    refs = Refs(lib)

    def line(kind: str, record: dict[str, Any]) -> str:
        return _dumps({"type": kind, **record}, None) + "\n"

    with spool() as later:
        counts = _walk(lib, selection, refs, lambda kind, r: later.write(line(kind, r)))
        sources = refs.noted_sources()
        out.writelines(line("source", source_record(lib, source)) for source in sources)
        n_actors = _write_people(lib, selection, refs, lambda r: out.write(line("actor", r)))
        later.seek(0)
        shutil.copyfileobj(later, out)
    return ExportSummary("jsonl", events=counts["event"], actors=n_actors,
                         quotes=counts["quote"], sources=len(sources))
