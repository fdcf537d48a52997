"""Goal G8: importing JSON Lines against a bare sqlite-utils load of the same rows.

    python bench/goal_import.py CORPUS.jsonl [--repeats 3] [--workdir DIR] [--same-rows]

Ours is the project's import path in-process: a new empty library, then
``import_paths(lib, [corpus])``, timed from the call to the commit, with ``re``'s
cache emptied first (a later import would otherwise find the actors' names
compiled already). The
baseline reads the same file (``json.loads`` per line), inserts each record
type into its own table with ``Database[table].insert_all`` and builds FTS5
indexes of the columns our schema indexes (same tokenizer, same prefix
indexes), in one transaction with the same PRAGMAs. Runs alternate (ours,
baseline, ours, ...), each on fresh files; the ratio is the median of the
pairs' ratios. The goal is a ratio of at most 1.3.

``--same-rows`` (``run.py`` asks for it) also loads, bare, the rows our import
wrote to the library (every table: mentions, links, paragraphs too), with the
same FTS5 indexes, and reports ours against that as well: the other reading of
"the same rows", which the goal leaves to the team; it does not decide the goal.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from coup_explorer.db import create_empty
from coup_explorer.db.importers import import_paths
from coup_explorer.db.schema import FTS_COLUMNS, PREFIXES, TOKENIZE

BATCH = 5_000
TABLES = {"source": "sources", "actor": "actors", "event": "events", "quote": "quotes"}
# The columns of each baseline table that are indexed, as our schema indexes their equivalents.
FTS = {"quotes": ["text", "speaker"], "events": ["summary", "date_text", "actor_names"],
       "actors": ["name", "alias_text", "role"]}


def ours(corpus: Path, db: Path) -> tuple[float, str]:
    re.purge()  # each import compiles its expressions (the names: 0.13 s), as a new process does
    lib = create_empty(db)
    synchronous = lib.conn.execute("PRAGMA synchronous").fetchone()[0]
    began = time.perf_counter()
    results = list(import_paths(lib, [corpus]))
    elapsed = time.perf_counter() - began
    lib.close()
    if len(results) != 1 or results[0].status != "added":
        raise SystemExit(f"import failed: {[(r.status, r.message) for r in results]}")
    return elapsed, f"{results[0].message} (synchronous={synchronous})"


def baseline(corpus: Path, db: Path, synchronous: int) -> float:
    """The bare load of the corpus's records: the goal's yardstick."""
    def records() -> Iterator[tuple[str, dict]]:
        with corpus.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                table = TABLES[record.pop("type")]
                if table == "actors":
                    record["alias_text"] = " | ".join(record.get("aliases") or [])
                elif table == "events":
                    record["actor_names"] = " | ".join(record.get("actors") or [])
                yield table, record
    return _bare_load(db, synchronous, records(), FTS)


def _bare_load(db: Path, synchronous: int, records: Iterator[tuple[str, dict]],
               fts: dict[str, list[str]]) -> float:
    """Seconds to insert ``records`` (table, row) with ``insert_all``, a batch per table at a
    time, and build FTS5 indexes of ``fts``'s columns (our tokenizer and prefix indexes), in
    one transaction with our PRAGMAs; reading ``records`` is timed too."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    began = time.perf_counter()
    database = sqlite_utils.Database(conn)
    with database.atomic():
        batches: dict[str, list[dict]] = {}
        for table, record in records:
            batch = batches.setdefault(table, [])
            batch.append(record)
            if len(batch) >= BATCH:
                database[table].insert_all(batch, batch_size=BATCH, alter=True)
                batch.clear()
        for table, batch in batches.items():
            if batch:
                database[table].insert_all(batch, batch_size=BATCH, alter=True)
        for table, columns in fts.items():
            listed = ", ".join(f"[{c}]" for c in columns)
            conn.execute(f"CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 ({listed}, "
                         f"content=[{table}], tokenize='{TOKENIZE}', prefix='{PREFIXES}')")
            conn.execute(f"INSERT INTO [{table}_fts] (rowid, {listed}) "
                         f"SELECT rowid, {listed} FROM [{table}]")
    elapsed = time.perf_counter() - began
    conn.close()
    return elapsed


def dump_rows(db: Path, out: Path) -> Path:
    """Every row our import left in ``db`` (each ordinary table but the import ledger and the
    meta table), a JSON object a line with its ``table``: the rows a loader that derived nothing
    would have to write to give the same library."""
    conn = sqlite3.connect(db)
    tables = [t for (t,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '%_fts%' AND name NOT IN ('imports', 'meta') ORDER BY name")]
    with out.open("w", encoding="utf-8") as handle:
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM [{table}] ORDER BY rowid")
            names = [d[0] for d in cursor.description]
            for row in cursor:
                handle.write(json.dumps({"table": table, **dict(zip(names, row))},
                                        ensure_ascii=False) + "\n")
    conn.close()
    return out


def baseline_rows(dump: Path, db: Path, synchronous: int) -> float:
    """The bare load of the rows of ``dump_rows``, with our schema's full-text indexes."""
    def records() -> Iterator[tuple[str, dict]]:
        with dump.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                yield record.pop("table"), record
    return _bare_load(db, synchronous, records(), FTS_COLUMNS)


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def measure(corpus: Path, workdir: Path, *, repeats: int = 3, same_rows: bool = False) -> dict:
    """Median seconds of ours and of the baseline, and the median of their per-pair ratios.

    With ``same_rows``, each pair also times ``baseline_rows`` on the rows our first import
    wrote (``ratio_rows``): information for a question the goal leaves open (whether "the same
    rows" are the corpus's records or the library's rows), not the goal's ratio."""
    workdir.mkdir(parents=True, exist_ok=True)
    mine, base, ratios, base_rows, ratios_rows = [], [], [], [], []
    message = ""
    dump: Path | None = None
    for run in range(repeats):
        took, message = ours(corpus, _fresh(workdir / f"ours-{run}.db"))
        synchronous = int(message.rsplit("synchronous=", 1)[1].rstrip(")"))
        mine.append(took)
        base.append(baseline(corpus, _fresh(workdir / f"base-{run}.db"), synchronous))
        ratios.append(mine[-1] / base[-1])
        if same_rows:
            dump = dump or dump_rows(workdir / f"ours-{run}.db", workdir / "rows.jsonl")
            base_rows.append(baseline_rows(dump, _fresh(workdir / f"rows-{run}.db"), synchronous))
            ratios_rows.append(mine[-1] / base_rows[-1])
        for name in (f"ours-{run}.db", f"base-{run}.db", f"rows-{run}.db"):
            for suffix in ("", "-wal", "-shm"):
                Path(str(workdir / name) + suffix).unlink(missing_ok=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    detail = (f"{corpus.name}: {message}; ours {', '.join(f'{t:.2f}' for t in mine)} s, "
              f"baseline {', '.join(f'{t:.2f}' for t in base)} s; peak RSS {peak:.0f} MB")
    result = {"ratio": statistics.median(ratios), "ours": statistics.median(mine),
              "baseline": statistics.median(base), "detail": detail}
    if same_rows:
        result.update(ratio_rows=statistics.median(ratios_rows),
                      baseline_rows=statistics.median(base_rows))
        result["detail"] += (f"; the library's own rows loaded bare: "
                             f"{', '.join(f'{t:.2f}' for t in base_rows)} s, ours against them "
                             f"{result['ratio_rows']:.2f}x (not the goal)")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--same-rows", action="store_true",
                        help="also load the rows our import wrote, bare (see measure)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path("/tmp") / f"goal-import-{time.time_ns()}"
    try:
        result = measure(args.corpus, workdir, repeats=args.repeats, same_rows=args.same_rows)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"ratio {result['ratio']:.2f} (goal <= 1.3): ours {result['ours']:.2f} s, "
          f"baseline {result['baseline']:.2f} s; {result['detail']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
