"""The command line: ``coup-explorer`` opens the app; subcommands do batch work.

Subcommands never build the App, and the TUI is imported only when the app is
started, so ``--help`` and batch commands stay fast. A user's mistake prints
one line on stderr and exits non-zero; it never shows a traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from enum import Enum
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from coup_explorer.db import Library, LibraryError, open_library, paths
from coup_explorer.db.chars import check_text
from coup_explorer.db.dates import short_date
from coup_explorer.db.errors import os_error_line
from coup_explorer.db.library import create_from_bundled, explain, is_library_file, read_only, writable
from coup_explorer.db.models import Actor, Event, Quote
from coup_explorer.db.queries import main_text
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .display import clean, highlighted, one_line

app = typer.Typer(
    name="coup-explorer",
    help="Explore a political news story from the keyboard. With no command, open the app.",
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[Path | None, typer.Option(
    "--db", metavar="PATH", envvar=paths.DB_ENV, show_envvar=True,
    help="Library file to use (created from the bundled story if missing).")]

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> typer.Exit:
    """Print one line on stderr; the caller raises what this returns."""
    err.print(Text(f"coup-explorer: error: {one_line(message)}"))
    return typer.Exit(1)


def user_errors(func: F) -> F:
    """Turn the data layer's errors into one line on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LibraryError as exc:
            raise fail(str(exc)) from None
        except sqlite3.Error as exc:  # the library went bad while a command used it
            library = paths.library_path(_library_path(kwargs.get("ctx"), kwargs.get("db")))
            raise fail(str(explain(exc, library))) from None
        except OSError as exc:
            raise fail(os_error_line(exc)) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        try:
            out.print(f"coup-explorer {version('coup-explorer')}")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            out.print("coup-explorer (not installed)")
        raise typer.Exit()


def _library_path(ctx: typer.Context | None, db: Path | None) -> Path | None:
    """``--db`` given to the command wins over ``--db`` given before it."""
    return db or (ctx.obj or {} if ctx is not None else {}).get("db")


def _open(ctx: typer.Context, db: Path | None, *, write: bool = False) -> Library:
    return open_library(_library_path(ctx, db), write=write)


@app.callback(invoke_without_command=True)
@user_errors
def main_callback(
    ctx: typer.Context,
    db: DbOption = None,
    version_: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Explore a political news story from the keyboard. With no command, open the app."""
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is not None:
        return
    from .launch import open_app  # batch commands never load the TUI

    status = open_app(_library_path(ctx, db))
    if status:
        raise typer.Exit(status)


class Scope(str, Enum):
    quotes = "quotes"
    events = "events"
    actors = "actors"
    all = "all"


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
@user_errors
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find; \"...\" is a phrase, the last word a prefix.")],
    within: Annotated[Scope, typer.Option("--in", help="What to search.")] = Scope.quotes,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many results at most.")] = 20,
    format_: Annotated[OutputFormat, typer.Option("--format", help="text (a table) or json.")] = OutputFormat.text,
    db: DbOption = None,
) -> None:
    """Search quotes, events or actors (accents and case ignored, ranked)."""
    check_text(query, "query", controls=False)
    with _open(ctx, db) as lib:
        hits = lib.search(query, within=within.value, limit=limit)
        total = lib.count_matches(query, within.value) if hits else 0
        if format_ is OutputFormat.json:
            doc = {"query": query, "in": within.value, "total": total,
                   "results": [_hit_json(lib, h.item, h.rank, h.spans) for h in hits]}
            out.print_json(data=doc) if sys.stdout.isatty() else print(json.dumps(doc, ensure_ascii=False, indent=2))
            return
        if not hits:
            err.print(Text(f"no {within.value if within is not Scope.all else 'items'} match {query!r}"))
            raise typer.Exit(1)
        table = Table(title=Text(f"{total} match{'es' if total != 1 else ''} for {query!r}"),
                      show_lines=True, expand=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("date", no_wrap=True)
        table.add_column("who / what", ratio=1)
        table.add_column("text", ratio=3)
        for hit in hits:
            item = hit.item
            table.add_row(item.item_kind, _date_of(item), Text(clean(_who(item))),
                          highlighted(main_text(item), hit.spans))
        out.print(table)


def _date_of(item: Quote | Event | Actor) -> str:
    if isinstance(item, Actor):
        return ""
    return short_date(item.date, item.date_precision)


def _who(item: Quote | Event | Actor) -> str:
    if isinstance(item, Quote):
        return item.speaker or ("(term)" if item.kind == "term" else "(unattributed)")
    if isinstance(item, Event):
        return ", ".join(item.actors)
    return f"{item.kind} · {item.events} events · {item.quotes} quotes"


def _hit_json(lib: Library, item: Quote | Event | Actor, rank: float, spans: tuple) -> dict:
    base: dict[str, Any] = {"type": item.item_kind, "id": item.uid, "rank": round(rank, 6)}
    if isinstance(item, Actor):
        base.update(name=item.name, kind=item.kind, role=item.role, aliases=list(item.aliases),
                    events=item.events, quotes=item.quotes)
    else:
        source = lib.source(item.source_id)
        base.update(date=item.date, date_precision=item.date_precision)
        if isinstance(item, Quote):
            base.update(text=item.text, speaker=item.speaker, kind=item.kind)
        else:
            base.update(summary=item.summary, date_text=item.date_text, actors=list(item.actors))
        base.update(source_id=source.uid if source else None, paragraph=item.paragraph,
                    char_start=item.char_start, char_end=item.char_end)
    base["matches"] = [list(s) for s in spans]
    return base


@app.command()
@user_errors
def sources(ctx: typer.Context, db: DbOption = None) -> None:
    """List the library's sources (articles and datasets)."""
    with _open(ctx, db) as lib:
        table = Table(title=Text(lib.name), expand=True)
        table.add_column("id", overflow="fold")
        table.add_column("published", no_wrap=True)
        table.add_column("title", ratio=3)
        for column in ("outlet", "author"):
            table.add_column(column, ratio=1)
        table.add_column("¶", justify="right")
        table.add_column("origin")
        offset = 0
        while batch := lib.sources(limit=500, offset=offset):
            for s in batch:
                table.add_row(*(Text(clean(v or "")) for v in (
                    s.uid, s.published, s.title, s.outlet, s.author, str(s.paragraphs), s.origin)))
            offset += len(batch)
        out.print(table)


@app.command("paths")
@user_errors
def show_paths(ctx: typer.Context, db: DbOption = None) -> None:
    """Show where coup-explorer keeps its files."""
    chosen = _library_path(ctx, db)
    env = os.environ.get(paths.DB_ENV)
    why = f"${paths.DB_ENV}" if env and (chosen is None or str(chosen) == env) else \
        "--db" if chosen else "default"
    for label, value in (
        (f"library ({why})", paths.library_path(chosen)),
        ("default library", paths.default_library()),
        ("data directory", paths.data_dir()),
        ("settings", paths.config_file()),
        ("bundled story", paths.bundled_story()),
    ):
        out.print(Text.assemble((f"{label:24}", "bold"), str(value)), soft_wrap=True)


@app.command()
@user_errors
def reset(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Replace the library with a fresh copy of the bundled story (marks and imports are lost)."""
    target = paths.library_path(_library_path(ctx, db))
    if target.is_dir() or target.exists() and not is_library_file(target):
        raise fail(f"{target} is not a coup-explorer library, so reset leaves it alone: "
                   f"move it away first, or pass --db PATH")
    if target.exists() and not writable(target):
        raise read_only(target)
    if not yes:
        if not sys.stdin.isatty():
            raise fail(f"reset would replace {target}: add --yes to confirm")
        typer.confirm(f"Replace {target} with the bundled story? Marks and imports will be lost",
                      abort=True)
    fresh = target.with_name(target.name + ".reset")
    create_from_bundled(fresh)
    for suffix in ("-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    fresh.replace(target)
    out.print(Text(f"{target} now holds the bundled story"))


def _register_commands() -> None:
    """The commands whose options are declared in modules of their own."""
    from .export_command import export_command
    from .import_command import import_command

    app.command("export")(user_errors(export_command))
    app.command("import")(user_errors(import_command))


_register_commands()


def main() -> None:
    app()


if __name__ == "__main__":  # python -m coup_explorer.tui.cli
    main()
