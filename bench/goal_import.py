"""Goal G8: importing JSON Lines against a bare sqlite-utils load of the same rows.

    python bench/goal_import.py CORPUS.jsonl [--repeats 3] [--workdir DIR]

Ours is the project's import path in-process: a new empty library, then
``import_paths(lib, [corpus])``, timed from the call to the commit. The
baseline reads the same file (``json.loads`` per line), inserts each record
type into its own table with ``Database[table].insert_all`` and builds FTS5
indexes of the columns our schema indexes (same tokenizer, same prefix
indexes), in one transaction with the same PRAGMAs. Runs alternate (ours,
baseline, ours, ...), each on fresh files; the ratio is the median of the
pairs' ratios. The goal is a ratio of at most 1.3.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import sqlite_utils

from coup_explorer.db import create_empty
from coup_explorer.db.importers import import_paths
from coup_explorer.db.schema import PREFIXES, TOKENIZE

BATCH = 5_000
TABLES = {"source": "sources", "actor": "actors", "event": "events", "quote": "quotes"}
# The columns of each baseline table that are indexed, as our schema indexes their equivalents.
FTS = {"quotes": ["text", "speaker"], "events": ["summary", "date_text", "actor_names"],
       "actors": ["name", "alias_text", "role"]}


def ours(corpus: Path, db: Path) -> tuple[float, str]:
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
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    began = time.perf_counter()
    database = sqlite_utils.Database(conn)
    with database.atomic():
        batches: dict[str, list[dict]] = {t: [] for t in TABLES.values()}
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
                batch = batches[table]
                batch.append(record)
                if len(batch) >= BATCH:
                    database[table].insert_all(batch, batch_size=BATCH, alter=True)
                    batch.clear()
        for table, batch in batches.items():
            if batch:
                database[table].insert_all(batch, batch_size=BATCH, alter=True)
        for table, columns in FTS.items():
            listed = ", ".join(f"[{c}]" for c in columns)
            conn.execute(f"CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 ({listed}, "
                         f"content=[{table}], tokenize='{TOKENIZE}', prefix='{PREFIXES}')")
            conn.execute(f"INSERT INTO [{table}_fts] (rowid, {listed}) "
                         f"SELECT rowid, {listed} FROM [{table}]")
    elapsed = time.perf_counter() - began
    conn.close()
    return elapsed


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def measure(corpus: Path, workdir: Path, *, repeats: int = 3) -> dict:
    """Median seconds of ours and of the baseline, and the median of their per-pair ratios."""
    workdir.mkdir(parents=True, exist_ok=True)
    mine, base, ratios = [], [], []
    message = ""
    for run in range(repeats):
        took, message = ours(corpus, _fresh(workdir / f"ours-{run}.db"))
        synchronous = int(message.rsplit("synchronous=", 1)[1].rstrip(")"))
        mine.append(took)
        base.append(baseline(corpus, _fresh(workdir / f"base-{run}.db"), synchronous))
        ratios.append(mine[-1] / base[-1])
        for name in (f"ours-{run}.db", f"base-{run}.db"):
            for suffix in ("", "-wal", "-shm"):
                Path(str(workdir / name) + suffix).unlink(missing_ok=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    detail = (f"{corpus.name}: {message}; ours {', '.join(f'{t:.2f}' for t in mine)} s, "
              f"baseline {', '.join(f'{t:.2f}' for t in base)} s; peak RSS {peak:.0f} MB")
    return {"ratio": statistics.median(ratios), "ours": statistics.median(mine),
            "baseline": statistics.median(base), "detail": detail}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path("/tmp") / f"goal-import-{time.time_ns()}"
    try:
        result = measure(args.corpus, workdir, repeats=args.repeats)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"ratio {result['ratio']:.2f} (goal <= 1.3): ours {result['ours']:.2f} s, "
          f"baseline {result['baseline']:.2f} s; {result['detail']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
