"""Make a large synthetic library for benchmarks: the bundled story plus N generated quotes.

    python bench/synth.py --quotes 1000000 --output /tmp/big.db

Rows go in with bulk INSERTs (the triggers still keep the full-text indexes and
counts in step); the words are drawn from the article so searches look real.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sqlite3
import time
from pathlib import Path

from coup_explorer.db import paths


def make(output: Path, quotes: int, *, seed: int = 1) -> Path:
    rng = random.Random(seed)
    output.unlink(missing_ok=True)
    shutil.copyfile(paths.bundled_story(), output)
    conn = sqlite3.connect(output, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    text = conn.execute("SELECT text FROM sources WHERE id = 1").fetchone()[0]
    words = re.findall(r"[^\W_]+", text)
    actors = [r[0] for r in conn.execute("SELECT id FROM actors")]
    names = dict(conn.execute("SELECT id, name || ' ' || alias_text FROM actors"))
    # One long synthetic source whose text holds every generated quote at its span.
    conn.execute("BEGIN")
    body_parts, rows, offset = [], [], 0
    for i in range(quotes):
        quote = " ".join(rng.choice(words) for _ in range(rng.randint(4, 30)))
        body_parts.append(quote)
        speaker = rng.choice(actors) if rng.random() < 0.8 else None
        year = rng.randint(1951, 2019)
        date = f"{year}-{rng.randint(1, 12):02d}" if rng.random() < 0.7 else None
        rows.append((f"synth-{i}", quote, speaker, names.get(speaker, ""), "speech", date,
                     "month" if date else None, date or "2019-12-17", 2, 1, offset,
                     offset + len(quote), "imported"))
        offset += len(quote) + 2
        if len(rows) == 50_000:
            _flush(conn, rows)
    body = "\n\n".join(body_parts)
    conn.execute("INSERT INTO sources(id, uid, title, text, content_hash, origin, published) "
                 "VALUES (2, 'synthetic', 'Synthetic quotes', ?, 'synthetic', 'imported', "
                 "'2019-12-17')", (body,))
    conn.execute("INSERT INTO paragraphs VALUES (2, 1, 0, ?)", (len(body),))
    _flush(conn, rows)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    return output


def _flush(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    conn.executemany(
        "INSERT INTO quotes(uid, text, speaker_id, speaker_names, kind, date, date_precision, "
        "sort_date, source_id, paragraph, char_start, char_end, origin) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT OR IGNORE INTO quote_actors(quote_id, actor_id, sort_date, source_id, "
                     "char_start) SELECT id, speaker_id, sort_date, source_id, char_start "
                     "FROM quotes WHERE uid = ? AND speaker_id IS NOT NULL",
                     [(r[0],) for r in rows])
    rows.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--output", type=Path, default=Path("/tmp/coup-explorer-bench.db"))
    args = parser.parse_args()
    started = time.perf_counter()
    make(args.output, args.quotes)
    print(f"{args.output}: {args.quotes:,} quotes in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
