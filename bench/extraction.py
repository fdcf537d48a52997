"""Extraction quality on the test corpus: quote precision and recall, speaker and date accuracy.

    python bench/extraction.py [--corpus tests/corpus] [--verbose]

Each article ``NAME.md|.txt|.html`` in the corpus has ``NAME.expected.json``
with the quotes (exact text and speaker, null when the article names none) and
the dated events (the date words, the resolved date and its precision) that a
careful reader finds. Rules only: no network, no model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coup_explorer.db.importers.articles import ArticleMeta, parse_article
from coup_explorer.db.importers.extract import extract
from coup_explorer.db.importers.files import ARTICLE_EXTENSIONS, decode
from coup_explorer.db.importers.match import key_of

ROOT = Path(__file__).resolve().parent.parent


def speaker_names(found, key: int | None) -> set[str]:
    if key is None:
        return set()
    entity = found.entities[key]
    return {key_of(n) for n in (entity.name, *entity.aliases)}


def evaluate(corpus: Path, verbose: bool = False, pattern: str = "*") -> dict[str, float]:
    tp = fp = fn = 0
    speakers_right = speakers_total = 0
    dates_right = dates_total = 0
    for expected_file in sorted(corpus.glob(pattern + ".expected.json")):
        stem = expected_file.name[: -len(".expected.json")]
        article_file = next(p for p in corpus.glob(stem + ".*") if p.suffix in ARTICLE_EXTENSIONS)
        gold = json.loads(expected_file.read_text(encoding="utf-8"))
        article = parse_article(ARTICLE_EXTENSIONS[article_file.suffix], decode(article_file.read_bytes()),
                                article_file, ArticleMeta(date=gold.get("published")))
        found = extract(article.text, article.meta.date)
        text = article.text
        got = {text[q.start:q.end]: q for q in found.quotes}
        wanted = {q["text"]: q for q in gold["quotes"]}
        for quote_text, q in wanted.items():
            if quote_text not in got:
                fn += 1
                if verbose:
                    print(f"{stem}: MISSED “{quote_text}”")
                continue
            tp += 1
            speakers_total += 1
            names = speaker_names(found, got[quote_text].speaker)
            right = (not names) if q["speaker"] is None else key_of(q["speaker"]) in names
            speakers_right += right
            if verbose and not right:
                print(f"{stem}: SPEAKER “{quote_text[:50]}” want {q['speaker']} got {sorted(names)}")
        for quote_text in got:
            if quote_text not in wanted:
                fp += 1
                if verbose:
                    print(f"{stem}: EXTRA “{quote_text[:60]}”")
        for e in gold["events"]:
            dates_total += 1
            want = key_of(e["date_text"])
            hit = next((x for x in found.events
                        if key_of(x.date_text) in want or want in key_of(x.date_text)), None)
            right = hit is not None and hit.date == e["date"] and hit.precision == e["precision"]
            dates_right += right
            if verbose and not right:
                print(f"{stem}: DATE {e['date_text']!r} want {e['date']}/{e['precision']} got "
                      f"{(hit.date, hit.precision) if hit else None}")
    return {
        "quote_precision": tp / (tp + fp) if tp + fp else 0.0,
        "quote_recall": tp / (tp + fn) if tp + fn else 0.0,
        "speaker_accuracy": speakers_right / speakers_total if speakers_total else 0.0,
        "date_accuracy": dates_right / dates_total if dates_total else 0.0,
        "quotes_expected": tp + fn, "dates_expected": dates_total,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--only", default="*", metavar="GLOB",
                        help="articles whose name matches, e.g. 'h*' for the held-out set")
    args = parser.parse_args(argv)
    scores = evaluate(args.corpus, args.verbose, args.only)
    for name, value in scores.items():
        print(f"{name:18} {value:.3f}" if isinstance(value, float) else f"{name:18} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
