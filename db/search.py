"""Turning what a person types into a safe FTS5 query, and finding what matched.

The rules are those of a search box: words are all required, case and accents
do not matter (``anez`` finds Áñez), the last word is a prefix (``Mam`` finds
Mamani), and ``"..."`` is a phrase. Whatever the input holds (quotes,
operators, brackets, colons, stars), every word reaches FTS5 as a quoted
string, so no input can be read as query syntax or raise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# unicode61 keeps letters, numbers and marks together; everything else separates.
_TOKEN = re.compile(r"[^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*")
MAX_TERMS = 32  # words (and phrases) of a query: those after the 32nd are left out


@dataclass(frozen=True, slots=True)
class Term:
    """A word or a phrase (several words in order); ``prefix`` lets the last word grow."""

    words: tuple[str, ...]
    prefix: bool = False


def fold(word: str) -> str:
    """Lower case without accents, as ``remove_diacritics 2`` folds it."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text))


def parse(query: str) -> tuple[Term, ...]:
    """Split a typed query into terms; the last bare word is a prefix."""
    terms: list[Term] = []
    parts = query.split('"')
    for index, part in enumerate(parts):
        words = tokens(part)
        if not words:
            continue
        if index % 2:  # inside quotes (an unclosed quote runs to the end)
            terms.append(Term(tuple(fold(w) for w in words)))
        else:
            terms.extend(Term((fold(w),)) for w in words)
    if terms and len(terms[-1].words) == 1 and not query.rstrip().endswith('"'):
        terms[-1] = Term(terms[-1].words, prefix=True)
    return tuple(terms[:MAX_TERMS])  # the word being typed is a prefix only if it is kept


def to_fts(query: str) -> str | None:
    """The FTS5 MATCH expression for ``query``, or None when it holds no word."""
    terms = parse(query)
    if not terms:
        return None
    return " ".join(_quoted(t) for t in terms)


def _quoted(term: Term) -> str:
    body = " ".join(term.words).replace('"', '""')
    return f'"{body}"' + ("*" if term.prefix else "")


def match_spans(text: str, query: str | tuple[Term, ...]) -> tuple[tuple[int, int], ...]:
    """Where the query's words match ``text``: sorted, non-overlapping (start, end) pairs."""
    terms = parse(query) if isinstance(query, str) else query
    if not terms or not text:
        return ()
    found = [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(text)]
    spans: list[tuple[int, int]] = []
    for term in terms:
        n = len(term.words)
        for i in range(len(found) - n + 1):
            window = found[i : i + n]
            if all(_word_matches(tok, word, term.prefix and j == n - 1)
                   for j, ((_, _, tok), word) in enumerate(zip(window, term.words, strict=True))):
                spans.append((window[0][0], window[-1][1]))
    return _merge(spans)


def _word_matches(token: str, word: str, prefix: bool) -> bool:
    return token.startswith(word) if prefix else token == word


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)
