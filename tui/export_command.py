"""``coup-explorer export``: write a selection of the library with a shared exporter."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from coup_explorer.db import Filter, InvalidInput, open_library, paths
from coup_explorer.db.chars import check_text
from coup_explorer.db.dates import parse_bound, upper_bound
from coup_explorer.db.exporters import Selection, check_path, export, write_file
from rich.console import Console
from rich.text import Text

from .display import clean

KINDS = {"quotes": "quote", "events": "event", "actors": "actor"}


class ExportFormat(str, Enum):
    md = "md"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    timelinejs = "timelinejs"


class Only(str, Enum):
    quotes = "quotes"
    events = "events"
    actors = "actors"


def export_command(
    ctx: typer.Context,
    format_: Annotated[ExportFormat | None, typer.Option(
        "--format", help="md, json, jsonl, csv or timelinejs (default: from --output's "
        "extension, else md). csv holds one kind: the one --only names, else quotes.")] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="PATH", help="File to write (default: standard output).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output if it exists.")] = False,
    actor: Annotated[list[str] | None, typer.Option(
        "--actor", metavar="NAME", help="Only what involves this actor (name or alias; repeatable: any of them).")] = None,
    query: Annotated[str | None, typer.Option("--query", metavar="TEXT", help="Only items matching this search.")] = None,
    since: Annotated[str | None, typer.Option(metavar="DATE", help="From this date on (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(metavar="DATE", help="Up to this date, inclusive.")] = None,
    only: Annotated[list[Only] | None, typer.Option(help="Only these kinds of item (repeatable).")] = None,
    marked: Annotated[bool, typer.Option("--marked", help="Only the items marked in the app.")] = False,
    db: Annotated[Path | None, typer.Option(
        "--db", metavar="PATH", envvar=paths.DB_ENV, show_envvar=True,
        help="Library file to use (created from the bundled story if missing).")] = None,
) -> None:
    """Export items to Markdown, JSON, JSON Lines, CSV or TimelineJS (stdout by default)."""
    for bound in (since, until):
        if bound is not None:
            parse_bound(bound)
    if since is not None and until is not None and parse_bound(since) > upper_bound(parse_bound(until)):
        raise InvalidInput(f"--since {since} is after --until {until}: nothing can match")
    for value, what in ((query, "--query"), *((name, "--actor") for name in actor or [])):
        if value is not None:
            check_text(value, what, controls=False)
    fmt = format_.value if format_ else "md"
    if output is not None:
        target, fmt = check_path(output, format_.value if format_ else None, force=force)
    with open_library(db or (ctx.obj or {}).get("db")) as lib:
        ids = [lib.resolve_actor(name).id for name in actor or []]
        selection = Selection(
            filter=Filter(actors=tuple(ids), text=query or "", since=since, until=until),
            marked=marked, only=frozenset(KINDS[o.value] for o in only or []))
        if output is None:
            summary = export(lib, selection, fmt, sys.stdout)
            sys.stdout.flush()
        else:
            summary = write_file(lib, selection, target, fmt, force=force)
    if output is not None:
        Console(stderr=True, highlight=False).print(
            Text(f"wrote {summary.describe()} to {clean(output)}"))
