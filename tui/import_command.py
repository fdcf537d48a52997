"""``coup-explorer import``: articles and datasets into the library, one transaction per file."""

from __future__ import annotations

from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from coup_explorer.db import LibraryError, open_library, paths as db_paths
from coup_explorer.db.importers import ArticleMeta, FileResult, ImportOptions, Importer
from coup_explorer.db.importers.files import walk

from .display import clean, one_line

SECTIONS = ("sources", "actors", "events", "quotes")
SHOWN_FILES = 20  # files listed one by one in a dry run


class ImportFormat(str, Enum):
    auto = "auto"
    article = "article"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    timelinejs = "timelinejs"


def import_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help="Files or folders (read recursively) to import.")],
    format: Annotated[ImportFormat, typer.Option(
        "--format", help="auto (by extension and content), article (.txt/.md/.html), json, "
        "jsonl, csv or timelinejs.")] = ImportFormat.auto,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be added, without writing anything.")] = False,
    title: Annotated[str | None, typer.Option(metavar="T", help="Article title (when the file does not say).")] = None,
    date: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="Publication date (when the file does not say).")] = None,
    url: Annotated[str | None, typer.Option(metavar="U", help="Article URL (when the file does not say).")] = None,
    outlet: Annotated[str | None, typer.Option(metavar="O", help="Outlet (when the file does not say).")] = None,
    author: Annotated[str | None, typer.Option(metavar="A", help="Author (when the file does not say).")] = None,
    db: Annotated[Path | None, typer.Option(
        "--db", metavar="PATH", envvar=db_paths.DB_ENV, show_envvar=True,
        help="Library file to use (created from the bundled story if missing).")] = None,
) -> None:
    """Import news articles (.txt, .md, .html) with automatic extraction, or datasets."""
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    options = ImportOptions(format=format.value, dry_run=dry_run,
                            meta=ArticleMeta(title, date, url, outlet, author))
    chosen = db or ((ctx.obj or {}).get("db") if ctx is not None else None)
    try:
        lib = open_library(chosen, write=True)
    except LibraryError as exc:
        err.print(Text(f"coup-explorer: error: {clean(str(exc))}"))
        raise typer.Exit(1) from None
    try:
        importer = Importer(lib, options)  # checks --format and --date before any file
    except LibraryError as exc:
        lib.close()
        err.print(Text(f"coup-explorer: error: {one_line(str(exc))}"))
        raise typer.Exit(1) from None
    with lib:
        files = list(walk(paths))
        results = Summary()
        with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), TextColumn("{task.description}", markup=False),
                      console=err, transient=True,
                      disable=len(files) < 2 or not err.is_terminal) as progress:
            task = progress.add_task("", total=len(files))
            for path in files:
                progress.update(task, description=Text(clean(path.name[-40:])).plain)
                result = importer.file(path)
                results.add(result)
                _report(result, progress.console if len(files) >= 2 else err, out, dry_run,
                        results.files <= SHOWN_FILES, len(files) == 1)
                progress.advance(task)
    if not files:
        err.print(Text("coup-explorer: error: no files to import in the paths given"))
        raise typer.Exit(1)
    out.print(results.table(dry_run))
    if results.status["failed"]:
        raise typer.Exit(1)


def _report(result: FileResult, err: Console, out: Console, dry_run: bool, show: bool,
            single: bool) -> None:
    where = clean(str(result.path))
    if result.failed:
        err.print(Text(one_line(f"coup-explorer: error: {where}: {result.message}", 300 + len(where))))
        return
    if dry_run and show or single or result.cut:
        out.print(Text(f"{where}: {clean(result.message)}"))
        if dry_run:
            for example in result.examples:
                out.print(Text(f"  {clean(example)}"))


class Summary:
    """Totals over a run, kept small whatever the number of files."""

    def __init__(self) -> None:
        self.files = 0
        self.status: Counter[str] = Counter()
        self.items: Counter[str] = Counter()
        self.reasons: dict[str, Counter[str]] = {"skipped": Counter(), "failed": Counter()}

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.status[result.status] += 1
        if result.status == "added":
            self.items.update(result.counts)
        else:
            reason = result.message if result.status == "skipped" else \
                f"{result.path.name}: {result.message}"
            if len(self.reasons[result.status]) >= 50 and reason not in self.reasons[result.status]:
                reason = "other reasons"
            self.reasons[result.status][reason] += 1

    def table(self, dry_run: bool) -> Table:
        title = "dry run: nothing was written" if dry_run else "import summary"
        table = Table(title=Text(title), title_justify="left")
        table.add_column("files", justify="right")
        table.add_column("result")
        table.add_column("what, or why", overflow="fold")
        what = ", ".join(f"{self.items[s]} {s}" for s in SECTIONS if self.items[s]) or "nothing new"
        table.add_row(str(self.status["added"]), "would add" if dry_run else "added", Text(what))
        for status in ("skipped", "failed"):
            reasons = self.reasons[status]
            if not reasons:
                table.add_row("0", status, "")
                continue
            top = reasons.most_common(5)
            lines = [f"{n} × {one_line(reason)}" if n > 1 else one_line(reason) for reason, n in top]
            if len(reasons) > 5:
                lines.append(f"… and {sum(reasons.values()) - sum(n for _, n in top)} more")
            table.add_row(str(self.status[status]), status, Text("\n".join(lines)))
        return table
