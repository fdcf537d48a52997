"""Make a large synthetic library for benchmarks: the bundled story plus N generated quotes.

    python bench/synth.py --quotes 1000000 --output /tmp/big.db

The generated quotes come in articles, as an import would leave them: each
source holds ``--per-source`` quotes (200) in paragraphs of one to four quotes
with the sentences around them, its paragraphs in the paragraphs table, every
span exact (``text[char_start:char_end]`` is the quote). There is one dated
event per ``--per-event`` quotes (20), from 1951 to 2019 at year, month, week
or day precision, each naming one to three actors, so the histogram and the
timeline have something to show at scale (dates as bench/corpus.py makes them).

Rows go in with bulk INSERTs inside one transaction (the triggers still keep
the full-text indexes and counts in step); the words are drawn from the
article so searches look real. A million quotes take about two minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import shutil
import sqlite3
import time
from pathlib import Path

from corpus import Article, Words
from corpus import date as corpus_date

from coup_explorer.db import paths

FIRST_DAY = dt.date(1951, 1, 1).toordinal()
LAST_DAY = dt.date(2019, 12, 31).toordinal()
VERBS = ("said", "told reporters", "declared", "warned", "added", "insisted", "wrote")
OUTLETS = ("La Razón", "Página Siete", "Los Tiempos", "El Deber", "Opinión", "Erbol",
           "World Socialist Web Site", "Agencia de Noticias Fides")
FLUSH_QUOTES = 50_000


def make(output: Path, quotes: int, *, seed: int = 1, per_source: int = 200,
         per_event: int = 20) -> Path:
    rng = random.Random(seed)
    output.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(output) + suffix).unlink(missing_ok=True)
    shutil.copyfile(paths.bundled_story(), output)
    conn = sqlite3.connect(output, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")  # 400 MB: the FTS index merges stay in memory
    text = conn.execute("SELECT text FROM sources WHERE id = 1").fetchone()[0]
    words = Words(rng, vocabulary=re.findall(r"[^\W_]+", text))
    names = dict(conn.execute("SELECT id, name || ' ' || alias_text FROM actors"))
    display = dict(conn.execute("SELECT id, name FROM actors"))
    actors = sorted(names)
    next_source = conn.execute("SELECT max(id) FROM sources").fetchone()[0] + 1
    next_quote = (conn.execute("SELECT max(id) FROM quotes").fetchone()[0] or 0) + 1
    next_event = (conn.execute("SELECT max(id) FROM events").fetchone()[0] or 0) + 1
    n_sources = -(-quotes // per_source)
    days = LAST_DAY - FIRST_DAY + 1
    published = (rng.sample(range(FIRST_DAY, LAST_DAY + 1), n_sources) if n_sources <= days
                 else [rng.randint(FIRST_DAY, LAST_DAY) for _ in range(n_sources)])
    added_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    batch = _Batch()
    conn.execute("BEGIN")
    made = 0
    for k in range(n_sources):
        n = min(per_source, quotes - made)
        source_id = next_source + k
        day = dt.date.fromordinal(published[k]).isoformat()
        # How many quotes each paragraph holds, and which paragraphs open with an event.
        sizes = []
        while sum(sizes) < n:
            sizes.append(min(rng.randint(1, 4), n - sum(sizes)))
        n_events = max(1, round(n / per_event))
        with_event = set(rng.sample(range(len(sizes)), min(n_events, len(sizes))))
        article = Article()
        put = article.put
        for number, size in enumerate(sizes, start=1):
            if number > 1:
                put("\n\n")
            p_start = article.pos
            if number - 1 in with_event:
                date, precision, date_text = corpus_date(rng)
                summary = words.sentence(5, 12)
                start, end = put(f"{summary} {date_text}.")
                put(" ")
                event_id = next_event
                next_event += 1
                batch.events.append((event_id, f"synth-e{event_id}", date, precision, date_text,
                                     summary, source_id, number, start, end, "imported"))
                batch.event_actors.extend(
                    (event_id, a) for a in rng.sample(actors, rng.randint(1, 3)))
            for i in range(size):
                if i:
                    put(" ")
                speaker = rng.choice(actors) if rng.random() < 0.8 else None
                who = display[speaker] if speaker else "A spokesperson"
                quote = words.sentence(4, 30)
                put("“")
                start, end = put(quote)
                put(f",” {who} {rng.choice(VERBS)}. ")
                put(words.sentence(6, 16) + ".")
                if rng.random() < 0.6:
                    date, precision, _ = corpus_date(rng)
                else:
                    date = precision = None
                quote_id = next_quote
                next_quote += 1
                sort_date = date or day
                batch.quotes.append((quote_id, f"synth-{quote_id}", quote, speaker,
                                     names.get(speaker, ""), "speech" if rng.random() < 0.95
                                     else "term", date, precision, sort_date, source_id, number,
                                     start, end, "imported"))
                if speaker is not None:
                    batch.quote_actors.append((quote_id, speaker, sort_date, source_id, start))
            batch.paragraphs.append((source_id, number, p_start, article.pos))
        body = "".join(article.parts)
        title = words.sentence(4, 9)
        batch.sources.append((source_id, f"synth-{source_id}", title, f"Reporter {k % 97}",
                              OUTLETS[k % len(OUTLETS)], f"https://example.org/synth/{source_id}",
                              day, body, len(body),
                              hashlib.sha256(body.encode("utf-8")).hexdigest(), "imported",
                              added_at))
        made += n
        if len(batch.quotes) >= FLUSH_QUOTES:
            batch.flush(conn)
    batch.flush(conn)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return output


class _Batch:
    def __init__(self) -> None:
        self.sources: list[tuple] = []
        self.paragraphs: list[tuple] = []
        self.quotes: list[tuple] = []
        self.quote_actors: list[tuple] = []
        self.events: list[tuple] = []
        self.event_actors: list[tuple] = []

    def flush(self, conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO sources(id, uid, title, author, outlet, url, published, text, length, "
            "content_hash, origin, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.sources)
        conn.executemany("INSERT INTO paragraphs(source_id, number, char_start, char_end) "
                         "VALUES (?, ?, ?, ?)", self.paragraphs)
        conn.executemany(
            "INSERT INTO quotes(id, uid, text, speaker_id, speaker_names, kind, date, "
            "date_precision, sort_date, source_id, paragraph, char_start, char_end, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.quotes)
        conn.executemany("INSERT INTO quote_actors(quote_id, actor_id, sort_date, source_id, "
                         "char_start) VALUES (?, ?, ?, ?, ?)", self.quote_actors)
        conn.executemany(
            "INSERT INTO events(id, uid, date, date_precision, date_text, summary, source_id, "
            "paragraph, char_start, char_end, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.events)
        # The trigger counts each actor's events and fills events.actor_names.
        conn.executemany("INSERT INTO event_actors(event_id, actor_id) VALUES (?, ?)",
                         self.event_actors)
        for rows in vars(self).values():
            rows.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--per-source", type=int, default=200, help="quotes per source")
    parser.add_argument("--per-event", type=int, default=20, help="quotes per event")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=Path("/tmp/coup-explorer-bench.db"))
    args = parser.parse_args()
    started = time.perf_counter()
    make(args.output, args.quotes, seed=args.seed, per_source=args.per_source,
         per_event=args.per_event)
    print(f"{args.output}: {args.quotes:,} quotes in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
