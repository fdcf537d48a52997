"""Importing files into a library: articles (with automatic extraction) and datasets.

    for result in import_paths(lib, [Path("articles/")], ImportOptions()):
        print(result.path, result.status, result.message)

Each file is one transaction: a file that fails leaves the library as it was
and the next one still imports. A file whose content is already in the library
is skipped as "already imported". With ``dry_run`` every file is read,
extracted and written, then rolled back, so the counts are exactly what an
import would add.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..chars import check_text
from ..errors import InvalidInput
from ..exchange import Counts
from ..interpreter import collector_paused, switching_often
from ..library import Library
from ..models import describe_counts
from ..writer import content_hash, now
from .articles import META_FIELDS, Article, ArticleMeta, _check_published, parse_article
from .datasets import load_dataset
from .extract import Extraction, extract
from .files import FORMATS, decode, detect, read_bytes, text_of, walk
from .jsonlines import JsonLinesFile
from .lines import readable
from .match import ActorIndex
from .store import AlreadyImported, check_new, store_article

__all__ = ["FORMATS", "ArticleMeta", "FileResult", "ImportOptions", "import_file", "import_paths"]

ARTICLE_KINDS = ("txt", "md", "html")


@dataclass(frozen=True)
class ImportOptions:
    format: str = "auto"
    dry_run: bool = False
    meta: ArticleMeta = ArticleMeta()
    examples: int = 3


@dataclass
class FileResult:
    path: Path
    status: str  # "added", "skipped" or "failed"
    message: str
    format: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    cut: bool = False  # items beyond a limit were left out: the message says which

    @property
    def failed(self) -> bool:
        return self.status == "failed"


class _DryRun(Exception):
    def __init__(self, result: FileResult) -> None:
        self.result = result


class Importer:
    """Imports file after file into one library, keeping the actor index between files."""

    def __init__(self, lib: Library, options: ImportOptions = ImportOptions()) -> None:
        if options.format not in FORMATS:
            raise InvalidInput(f"format {options.format!r} is not one of {', '.join(FORMATS)}")
        for name in META_FIELDS:
            value = getattr(options.meta, name)
            if value is not None:
                check_text(value, name)
        _check_published(options.meta.date)
        self.lib, self.options = lib, options
        self._index: ActorIndex | None = None

    @property
    def index(self) -> ActorIndex:
        if self._index is None:
            self._index = ActorIndex(self.lib.all(
                "SELECT a.id, a.name, a.kind, al.alias FROM actors a "
                "LEFT JOIN aliases al ON al.actor_id = a.id ORDER BY a.id"))
        return self._index

    def run(self, paths: list[Path]) -> Iterator[FileResult]:
        for path in walk(paths):
            yield self.file(path)

    def file(self, path: Path) -> FileResult:
        with collector_paused(), switching_often():  # (see db.interpreter)
            return self._file(path)

    def _file(self, path: Path) -> FileResult:
        fmt = None
        try:
            lines = self._lines(path)
            if lines is not None:  # JSON Lines in UTF-8: read line by line, checked first
                digest = lines.scan()
                fmt = "jsonl"
                with self.lib.large_cache(), self.lib.transaction():
                    result = self._dataset(path, digest, lambda: ("jsonl", lines.load(self.lib)))
                    if self.options.dry_run:
                        raise _DryRun(result)
                return result
            text = decode(read_bytes(path))
            fmt = detect(path, text[:4096], self.options.format)
            # An article's extraction, most of the work, is done before the write lock is
            # taken: the app, writing a mark meanwhile, waits for the writes only.
            found = self._extract(path, text, fmt) if fmt in ARTICLE_KINDS else None
            with self.lib.large_cache(), self.lib.transaction():
                result = self._import(path, text, fmt, found)
                if self.options.dry_run:
                    raise _DryRun(result)
            return result
        except _DryRun as dry:
            self._index = None  # it may hold actors that were rolled back
            return dry.result
        except AlreadyImported:
            return FileResult(path, "skipped", "already imported", fmt)
        except InvalidInput as exc:
            self._index = None
            return FileResult(path, "failed", str(exc), fmt)
        except RecursionError:
            self._index = None
            return FileResult(path, "failed", "nested too deeply", fmt)

    def _lines(self, path: Path) -> JsonLinesFile | None:
        """The file as JSON Lines read line by line, if it is JSON Lines in UTF-8."""
        if self.options.format not in ("auto", "jsonl"):
            return None
        head = readable(path)
        if head is None or detect(path, head[:4096], self.options.format) != "jsonl":
            return None
        return JsonLinesFile(path)

    def _extract(self, path: Path, text: str, fmt: str) -> tuple[Article, Extraction]:
        article = parse_article(fmt, text, path, self.options.meta)
        check_new(self.lib, article.text)  # before the work of extraction
        return article, extract(article.text, article.meta.date, self.index.by_name)

    def _import(self, path: Path, text: str, fmt: str,
                extracted: tuple[Article, Extraction] | None) -> FileResult:
        verb = "would add" if self.options.dry_run else "added"
        if extracted is not None:
            article, found = extracted
            digest = check_new(self.lib, article.text)  # again, now that no one else can write
            added = store_article(self.lib, article, found, self.index, digest=digest,
                                  examples=self.options.examples)
            self._record(path, content_hash(text), fmt, added.counts)
            return FileResult(path, "added", f"{verb} {added.describe()}", fmt, added.counts,
                              added.examples, cut=bool(added.dropped))
        digest = content_hash(text)
        return self._dataset(path, digest, lambda: load_dataset(self.lib, fmt, text, path, digest))

    def _dataset(self, path: Path, digest: str,
                 load: Callable[[], tuple[str, Counts]]) -> FileResult:
        """Load a dataset whose text has the hash ``digest``, unless it was imported before."""
        verb = "would add" if self.options.dry_run else "added"
        if self.lib.conn.execute("SELECT 1 FROM imports WHERE content_hash = ?",
                                 (digest,)).fetchone():
            raise AlreadyImported()
        fmt, counts = load()
        if counts.total_added == 0:
            raise AlreadyImported()
        self._index = None  # the dataset may have added actors
        self._record(path, digest, fmt, counts.added)
        described = describe_counts(counts.added.items())
        skipped = sum(counts.skipped.values())
        if skipped:
            described += f" ({skipped} already there)"
        return FileResult(path, "added", f"{verb} {described}", fmt, dict(counts.added))

    def _record(self, path: Path, digest: str, fmt: str, counts: dict[str, int]) -> None:
        """Remember the file (by the hash of its text) as imported."""
        self.lib.conn.execute(
            "INSERT OR REPLACE INTO imports(content_hash, path, format, imported_at, summary) "
            "VALUES (?, ?, ?, ?, ?)", (digest, text_of(path), fmt, now(), json.dumps(counts)))


def import_paths(lib: Library, paths: list[Path],
                 options: ImportOptions = ImportOptions()) -> Iterator[FileResult]:
    """Import every file named or found under the folders named, one result per file."""
    return Importer(lib, options).run(paths)


def import_file(lib: Library, path: Path, options: ImportOptions = ImportOptions()) -> FileResult:
    return Importer(lib, options).file(path)
