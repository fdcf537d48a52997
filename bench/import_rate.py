"""Import rate: synthetic news articles of about 1,000 words, imported into a new library.

    python bench/import_rate.py [--n 500] [--words 1000] [--keep DIR]

Prints articles per second, words per second, and the resident memory at
each quarter of the run and at its peak (it should not grow with the number
of files). ``--n 10000`` is the full run of the issue.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from coup_explorer.db import create_empty
from coup_explorer.db.importers import ImportOptions, Importer

FIRST = ["Ana", "Juan", "María", "Luis", "Rosa", "Pedro", "Carmen", "Jorge", "Elena", "Víctor",
         "Sonia", "Hugo", "Lidia", "Oscar", "Teresa", "Mario", "Nilda", "Raúl", "Eva", "Carlos"]
LAST = ["Quispe", "Mamani", "Condori", "Choque", "Flores", "Gutiérrez", "Rojas", "Vargas",
        "Huanca", "Apaza", "Limachi", "Ticona", "Cruz", "Torrez", "Mercado", "Paredes"]
ORGS = ["Bolivian Workers Central (COB)", "Federation of Mining Cooperatives",
        "Movement Toward Socialism (MAS)", "Labor Ministry", "Six Federations of the Tropics",
        "Confederation of Rural Teachers", "Andean Mining Corporation"]
VERBS = ["said", "told reporters", "declared", "warned", "added", "insisted"]
DATES = ["on Tuesday", "last week", "on November 10", "in April 1952", "earlier this year",
         "last month", "on 17 December 2019", "in 1971", "the following day"]
FILLER = ("the strike continued across the region as workers gathered in the main square and "
          "delegates discussed the proposal late into the night while police watched from a "
          "distance and traders closed their stalls early").split()


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def sentence(rng: random.Random) -> str:
    words = rng.sample(FILLER, rng.randint(10, 18))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    kind = rng.random()
    who = person(rng)
    if kind < 0.3:
        quote = " ".join(rng.sample(FILLER, rng.randint(8, 16)))
        return f"“{quote.capitalize()},” {rng.choice(VERBS).split()[0]} {who}. {sentence(rng)} {sentence(rng)}"
    if kind < 0.5:
        return (f"{who} of the {rng.choice(ORGS)} met officials {rng.choice(DATES)}. "
                f"{sentence(rng)} {sentence(rng)}")
    if kind < 0.6:
        return f"The union called the plan “{rng.choice(['provisional', 'illegal', 'a trap'])}”. {sentence(rng)}"
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))


def article(rng: random.Random, words: int) -> str:
    paragraphs = []
    count = 0
    while count < words:
        p = paragraph(rng)
        paragraphs.append(p)
        count += len(p.split())
    return "\n\n".join(paragraphs) + "\n"


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None, help="write articles and library here")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="coup-import-rate-"))
    folder = work / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(42)
    total_words = 0
    for i in range(args.n):
        text = f"Article {i}: strike news\n\n" + article(rng, args.words)
        total_words += len(text.split())
        front = f"---\ntitle: Strike news {i}\ndate: 2019-12-{1 + i % 28:02d}\noutlet: Synthetic\n---\n"
        (folder / f"{i // 1000:03d}" ).mkdir(exist_ok=True)
        (folder / f"{i // 1000:03d}" / f"a{i:06d}.md").write_text(front + text, encoding="utf-8")
    db = work / "library.db"
    db.unlink(missing_ok=True)
    lib = create_empty(db)
    lib.close()
    from coup_explorer.db import connect

    lib = connect(db, write=True)
    importer = Importer(lib, ImportOptions())
    began = time.perf_counter()
    status: dict[str, int] = {}
    marks = {args.n * k // 4 for k in (1, 2, 3)}
    for done, result in enumerate(importer.run([folder]), 1):
        status[result.status] = status.get(result.status, 0) + 1
        if done in marks:
            print(f"  {done:>6} files  {done / (time.perf_counter() - began):7.1f} articles/s  "
                  f"RSS {rss_mb():6.1f} MB", flush=True)
    elapsed = time.perf_counter() - began
    stats = lib.stats()
    lib.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.n} articles of ~{args.words} words in {elapsed:.1f} s: "
          f"{args.n / elapsed:.1f} articles/s, {total_words / elapsed:,.0f} words/s")
    print(f"results {status}; library: {stats.sources} sources, {stats.actors} actors, "
          f"{stats.events} events, {stats.quotes} quotes; {db.stat().st_size / 1e6:.1f} MB")
    print(f"peak RSS {peak:.1f} MB")
    if args.keep is None:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
