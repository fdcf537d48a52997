"""How the data layer's queries scale: each call's time as a ratio to a raw SQLite baseline.

    python bench/synth.py --quotes 1000000 --output /tmp/big.db
    python bench/queries.py /tmp/big.db [--repeat 5]

For every operation the app runs on a keystroke or a page, the script times
the library call and the bare SQL that any implementation must run at least
(same connection, same run), and prints the median of each and their ratio.
A ratio near 1 means the layer adds nothing; the absolute times say whether a
keystroke can be answered within a frame.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from coup_explorer.db import Filter, connect


def timed(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm the page cache
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    lib = connect(args.library, write=False)
    raw = lib.conn
    mamani = lib.find_actor("Mamani")
    assert mamani is not None
    total = lib.count_quotes()
    cases: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("first page of quotes", lambda: lib.quotes(limit=50),
         lambda: raw.execute("SELECT * FROM quotes ORDER BY sort_date, source_id, char_start "
                             "LIMIT 50").fetchall()),
        ("page at offset 500k" if total > 500_000 else "page at the middle",
         lambda: lib.quotes(limit=50, offset=min(500_000, total // 2)),
         lambda: raw.execute("SELECT * FROM quotes ORDER BY sort_date, source_id, char_start "
                             "LIMIT 50 OFFSET ?", (min(500_000, total // 2),)).fetchall()),
        ("count all quotes", lambda: lib.count_quotes(),
         lambda: raw.execute("SELECT count(*) FROM quotes").fetchall()),
        ("search 'mamani' (50 ranked)", lambda: lib.quotes(Filter(text="mamani"), limit=50),
         lambda: raw.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH '\"mamani\"*' "
                             "ORDER BY rank LIMIT 50").fetchall()),
        ("count 'mamani' matches", lambda: lib.count_quotes(Filter(text="mamani")),
         lambda: raw.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH "
                             "'\"mamani\"*'").fetchall()),
        ("search 'the' (common word)", lambda: lib.quotes(Filter(text="the"), limit=50),
         lambda: raw.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH '\"the\"*' "
                             "ORDER BY rank LIMIT 50").fetchall()),
        ("search rare phrase", lambda: lib.search('"shake hands" opposition'),
         lambda: raw.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH "
                             "'\"shake hands\" \"opposition\"*' ORDER BY rank LIMIT 50").fetchall()),
        ("quotes of one actor", lambda: lib.quotes(Filter(actor=mamani.id), limit=50),
         lambda: raw.execute("SELECT * FROM quotes WHERE speaker_id = ? ORDER BY sort_date "
                             "LIMIT 50", (mamani.id,)).fetchall()),
        ("count quotes of one actor", lambda: lib.count_quotes(Filter(actor=mamani.id)),
         lambda: raw.execute("SELECT count(*) FROM quotes WHERE speaker_id = ?",
                             (mamani.id,)).fetchall()),
        ("actors page with counts", lambda: lib.actors(limit=50),
         lambda: raw.execute("SELECT * FROM actors LIMIT 50").fetchall()),
        ("histogram", lambda: lib.histogram(),
         lambda: raw.execute("SELECT substr(date, 1, 4), count(*) FROM events GROUP BY 1").fetchall()),
        ("stats (header counts)", lambda: lib.stats(),
         lambda: raw.execute("SELECT count(*) FROM quotes").fetchall()),
    ]
    print(f"{args.library}: {total:,} quotes; median of {args.repeat}")
    print(f"{'operation':32} {'library':>10} {'raw SQL':>10} {'ratio':>7}")
    for name, ours, baseline in cases:
        a, b = timed(ours, args.repeat), timed(baseline, args.repeat)
        print(f"{name:32} {a * 1000:9.2f}ms {b * 1000:9.2f}ms {a / b if b else float('inf'):6.2f}x")


if __name__ == "__main__":
    main()
