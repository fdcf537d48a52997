"""Quotation marks paired inside one paragraph, and sentence boundaries around them.

Curly (“ ”), straight (") and angle (« ») double marks open and close quotes;
a quote nested inside another (‘…’ or “…” inside «…») stays part of the outer
one. Single marks make a quote of their own only outside double ones, and an
apostrophe (Morales’s, workers’, ’90s) never opens one. A mark that is not
closed within its paragraph is left alone: it is never paired with a mark in
a later paragraph. Everything here is one pass over the text.
"""

from __future__ import annotations

import re

_DOUBLE = re.compile(r"[“”\"«»„‹›]")
_SINGLE = re.compile(r"[‘’']")
_CLOSER = {"“": "”", "«": "»", '"': '"', "„": "“", "‹": "›"}
_OPEN_BEFORE = set(" \t\n([{—–-/“‘«„")


def _can_open(text: str, i: int, start: int, end: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return (before in _OPEN_BEFORE or before.isspace()) and not after.isspace()


def _can_close(text: str, i: int, start: int, end: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return not before.isspace() and not after.isalnum()


def double_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(open mark, close mark) positions of the outermost double-mark quotes in ``text[start:end]``."""
    found: list[tuple[int, int]] = []
    nested: list[tuple[int, int, tuple[int, ...]]] = []
    stack: list[tuple[str, int]] = []
    for m in _DOUBLE.finditer(text, start, end):
        ch, i = m.group(), m.start()
        if stack and ch == _CLOSER[stack[-1][0]] and (ch != '"' or _can_close(text, i, start, end)):
            opener, at = stack.pop()
            if not stack:
                found.append((at, i))
            else:
                nested.append((at, i, tuple(p for _, p in stack)))
            continue
        if ch == "„" and not stack:
            stack.append((ch, i))
        elif ch in "“«‹" or (ch == '"' and _can_open(text, i, start, end)):
            if len(stack) < 8:
                stack.append((ch, i))
        elif ch == "”" and stack and stack[-1][0] == '"':
            continue  # mixed marks: leave the straight opener waiting for its pair
        # any other closing mark with no opener is a stray: ignored
    if stack:  # unclosed openers: what they hold and closes is a quote of its own
        unclosed = {p for _, p in stack}
        found.extend((a, b) for a, b, around in nested if unclosed.issuperset(around))
        found.sort()
    return found


def single_quotes(text: str, start: int, end: int,
                  outside: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Single-mark quotes (‘…’ or '…') that lie outside the double-mark quotes."""
    found: list[tuple[int, int]] = []
    blocked = iter(outside)
    block = next(blocked, None)
    opener: int | None = None
    candidate: int | None = None
    for m in _SINGLE.finditer(text, start, end):
        i = m.start()
        while block is not None and block[1] < i:
            block = next(blocked, None)
        if block is not None and block[0] <= i <= block[1]:
            continue
        ch = m.group()
        if opener is None:
            if ch in "‘'" and _can_open(text, i, start, end) and not _decade(text, i, end):
                opener, candidate = i, None
            continue
        if ch in "’'" and _can_close(text, i, start, end):
            # "workers’ union": a plural possessive; prefer a later closer if one comes
            if text[i - 1] in "sS" and i + 2 < end and text[i + 1] == " " and text[i + 2].islower():
                candidate = i
                continue
            found.append((opener, i))
            opener = candidate = None
        elif ch in "‘'" and _can_open(text, i, start, end) and candidate is not None:
            found.append((opener, candidate))
            opener, candidate = i, None
    if opener is not None and candidate is not None:
        found.append((opener, candidate))
    return found


def _decade(text: str, i: int, end: int) -> bool:
    """‘90s, '68: a mark before two digits is an apostrophe."""
    return i + 2 < end and text[i + 1 : i + 3].isdigit()


def find_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """All top-level quotes in a paragraph, as (open mark, close mark) positions, in order."""
    doubles = double_quotes(text, start, end)
    singles = single_quotes(text, start, end, doubles) if _SINGLE.search(text, start, end) else []
    return sorted(doubles + singles)


_BOUNDARY = re.compile(r"[.!?…]+[”\"’»)\]]*(?=\s+[“\"«(\[¿¡‘]?[A-ZÀ-Þ0-9])")
ABBREVIATIONS = frozenset("""mr mrs ms dr st jr sr lt col capt gen sen rep gov pres prof no vol
    jan feb mar apr jun jul aug sep sept oct nov dec vs etc inc corp co ltd sra sres dra av
    gral lic ing univ dept est fig approx""".split())


def sentences(text: str, start: int, end: int,
              quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]``; a full stop inside a quote does not end one."""
    spans = []
    begin = start
    qi = 0
    for m in _BOUNDARY.finditer(text, start, end):
        stop = m.end()
        while qi < len(quotes) and quotes[qi][1] < stop - 1:
            qi += 1
        if qi < len(quotes) and quotes[qi][0] < m.start() and stop - 1 < quotes[qi][1]:
            continue  # inside a quote
        word = re.search(r"([\w.]+)\.$", text[max(begin, m.start() - 12) : m.start() + 1])
        if word and m.group().startswith("."):
            w = word.group(1).lower()
            if w in ABBREVIATIONS or len(w) == 1 or "." in w:
                continue  # Gen. Torres, J. Smith, U.S. officials
        spans.append((begin, stop))
        begin = stop
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        spans.append((begin, end))
    return spans
