"""Finding actors' names in a text: where a source mentions each actor.

A name is found where it stands as whole words: ``(?<!\\w)name(?!\\w)``. Scanning
left to right, the longest name that starts at a place wins and the scan goes on
after it, as one regular expression ``(?<!\\w)(?:longest|...|shortest)(?!\\w)``
would; then an actor none of whose names was found that way is looked for
again by each of its names alone, wherever they stand (inside a longer name too:
"the Hernán Siles Zuazo government" mentions Siles Zuazo).

That expression over thousands of names is slow to build and to run, and so is
looking for each name in turn. Both passes are read instead from a list of every
whole-word occurrence of every name, made in one of two ways.

The tree of words costs nothing to build. The runs of word characters of a name
are whole runs of the text wherever the name is found (the name's own characters,
or the ``\\w`` boundaries, end them), one after the other. So the text is split
into its runs once, and the names are looked up run by run in a tree of their
runs, only where a run begins some name.

The expression scans five times faster but is slow to build: the names as one
regular expression shaped as a tree of their characters, which tries the longer
names first as the alternation does: ``S(?<!\\w.)il(?:es(?: Zuazo)?|va)(?!\\w)``
(the test for a word character before a name follows its first character, so that
``re`` skips to the places where a name's first character stands). It finds the first
pass's matches only, but every other occurrence starts inside one of them (the
scan tried each place outside them and took the longest name there). So the rest
is read off each match: the names it holds, and the names that start inside it
and run on past its end, possible only where what follows a non-word character in
it begins a longer name (the expression, tried again there, gives the longest; the
others begin that one).

A finder scans with the tree until the text it has scanned pays for the expression.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from itertools import compress, count

from .interpreter import collector_paused

_WORDS = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_NON_WORD_CHAR = re.compile(r"\W")
_BETWEEN = re.compile(r"(\W+)")

# The expression pays once the text scanned reaches this many characters per character of
# the names: where building it costs what the tree loses to it on that much text. Measured
# (CPU time, Python 3.11; runs vary by a tenth and more) with the import benchmark's 8,047
# names of 151,585 characters: the tree scans a character in 75 ns, the expression in 16 ns
# (20 to 25 while it learns what its first matches hold), and building it costs 0.87 µs a
# character of names: even after 14 to 15 characters of text per character of names. With
# 100,000 names (1.35 M characters): 78 to 93 ns, 24 to 45 ns (45 to 65), 1.1 to 1.25 µs:
# even after 15 to 29.
SWITCH_AFTER = 15
# The deepest nesting of groups the expression may have: re.compile recurses into each, and
# about 450 exhaust Python's recursion limit even at the top of the stack.
_DEEPEST = 100
_FIRST_ONLY = r"(?<!\w.)"  # placed after a name's first character: no word character before it

Place = tuple[int, int, int, str]  # start, rank, end, name


class _Node:
    __slots__ = ("names", "next")

    def __init__(self) -> None:
        # (name, rank, length, whether to compare it: what lies between its runs, or after the
        # last, may differ from the text's) of the names whose runs end here
        self.names: list[tuple[str, int, int, bool]] = []
        self.next: dict[str, _Node] = {}


class NameFinder:
    """The places where ``names`` (name -> actor id) occur in texts.

    Texts are scanned with a tree of the names' words until the text scanned, the next one
    included, reaches ``switch_after`` characters per character of the names; from then on
    with one expression of them all (0: from the first text; ``math.inf``: never).
    """

    def __init__(self, names: dict[str, int], switch_after: float = SWITCH_AFTER) -> None:
        self.names = names
        # The order in which one expression would try them: the longest first, then as given.
        self.rank = {name: rank for rank, name in enumerate(sorted(names, key=len, reverse=True))}
        self.tree: dict[str, _Node] = {}  # first run -> the names that begin with it
        self.others: list[str] = []  # names that begin with another character: looked for whole
        for name in names:
            runs = _WORDS.findall(name)
            if not runs or not name.startswith(runs[0]):
                self.others.append(name)
                continue
            node = self.tree.setdefault(runs[0], _Node())
            for run in runs[1:]:
                node = node.next.setdefault(run, _Node())
            # A name that is its runs alone is the text's runs, which end where a run ends.
            node.names.append((name, self.rank[name], len(name), len(runs) > 1 or name != runs[0]))
        self.scanned = 0  # characters of text
        self.switch_at = switch_after * sum(map(len, names))
        self.expression: _Expression | None = None

    def expect(self, chars: int) -> None:
        """Be told that about ``chars`` characters of text are to be scanned: if they pay for
        the expression, it is built now, not after the tree has scanned the first of them."""
        self._switch(self.scanned + chars)

    def _switch(self, chars: int) -> None:
        if self.expression is None and chars >= self.switch_at:
            self.expression = _Expression.build(self.names, self.rank)
            if self.expression is None:  # names it cannot be made of: the tree stays
                self.switch_at = math.inf

    def places(self, text: str) -> list[Place]:
        """``(start, rank, end, name)`` of every whole-word occurrence of a name, in order."""
        self.scanned += len(text)
        self._switch(self.scanned)
        if self.expression is not None:
            return self.expression.places(text)
        return self._places_by_words(text)

    def _places_by_words(self, text: str) -> list[Place]:
        size, rank, word_at, found = len(text), self.rank, _WORD_CHAR.match, []
        # Runs and what lies between them, alternately: parts[2k] is the k-th run (the first
        # and last may be empty).
        parts = _BETWEEN.split(text)
        runs = parts[::2]
        tree, last, start, done = self.tree, len(runs) - 1, 0, 0
        for k in compress(count(), map(tree.__contains__, runs)):
            start += sum(map(len, parts[done:2 * k]))  # where the run begins
            done = 2 * k
            node: _Node | None = tree[runs[k]]
            while node is not None:
                for name, order, length, compare in node.names:
                    end = start + length
                    if not compare or text.startswith(name, start) and \
                            (end == size or not word_at(text, end)):
                        found.append((start, order, end, name))
                if not node.next or k == last:
                    break
                k += 1
                node = node.next.get(runs[k])
        for name in self.others:
            at = text.find(name)
            while at >= 0:
                end = at + len(name)
                if (at == 0 or not word_at(text, at - 1)) and (end == size or not word_at(text, end)):
                    found.append((at, rank[name], end, name))
                at = text.find(name, at + 1)
        found.sort()
        return found

    def find(self, text: str) -> set[tuple[int, int, int]]:
        """``(start, end, actor id)`` of every mention in ``text``."""
        names = self.names
        places = self.places(text)
        found, after = set(), 0
        for start, _, end, name in places:  # the longest at each place, left to right
            if start >= after:
                found.add((start, end, names[name]))
                after = end
        seen = {actor_id for _, _, actor_id in found}
        ends: dict[str, int] = {}
        for start, _, end, name in places:  # the names of the actors not found, each alone
            actor_id = names[name]
            if actor_id not in seen and start >= ends.get(name, 0):
                found.add((start, end, actor_id))
                ends[name] = end
        return found


class _TooDeep(Exception):
    """The names' tree nests deeper than ``_DEEPEST`` groups."""


def _branches(names: list[str], lo: int, hi: int, at: int, depth: int) -> str:
    """The expression of ``names[lo:hi]`` (sorted, alike in their first ``at`` characters)
    from character ``at`` on: what they share, then a group where they part, the longer
    names tried before the one that ends there."""
    first, last = names[lo], names[hi - 1]
    common = at  # what the first and the last share, all of them share
    while common < len(first) and common < len(last) and first[common] == last[common]:
        common += 1
    head = re.escape(first[at:common])
    if at == 0 and common:  # a group of names with one first character
        head = re.escape(first[0]) + _FIRST_ONLY + re.escape(first[1:common])
    if lo + 1 == hi:
        return head
    if depth == _DEEPEST:
        raise _TooDeep
    ends = len(first) == common  # a name that ends here is the first of those that begin so
    parts, start = [], lo + ends
    while start < hi:
        char, stop = names[start][common], start + 1
        while stop < hi and names[stop][common] == char:
            stop += 1
        parts.append(_branches(names, start, stop, common, depth + 1))
        start = stop
    return f"{head}(?:{'|'.join(parts)})" + ("?" if ends else "")


class _Expression:
    """The names as one expression, and what is found inside each name it matches."""

    def __init__(self, pattern: re.Pattern[str], names: dict[str, int], rank: dict[str, int],
                 ordered: list[str]) -> None:
        self.finditer, self.match = pattern.finditer, pattern.match
        self.names, self.rank, self.ordered = names, rank, ordered
        # a matched name -> its rank, the names inside it, and where in it longer ones begin
        self.known: dict[str, tuple[int, list[Place], list[int]]] = {}
        self.prefixes: dict[str, list[tuple[int, int, str]]] = {}  # name -> (length, rank, name)

    @classmethod
    def build(cls, names: dict[str, int], rank: dict[str, int]) -> _Expression | None:
        """The expression of ``names``; None if there are none, one is empty or they nest too
        deep for ``re``."""
        ordered = sorted(names)
        if not ordered or not ordered[0]:
            return None
        try:
            body = _branches(ordered, 0, len(ordered), 0, 0)
        except _TooDeep:
            return None
        # The parser makes a few objects a character, and the collector would go over them
        # (and all the process holds) again and again.
        with collector_paused():
            # DOTALL: _FIRST_ONLY's dot stands for a name's first character, maybe a newline.
            pattern = re.compile(body + r"(?!\w)", re.DOTALL)
        return cls(pattern, names, rank, ordered)

    def places(self, text: str) -> list[Place]:
        """What ``NameFinder.places`` gives: the matches, and what each holds or begins."""
        known, match, found = self.known, self.match, []
        for matched in self.finditer(text):
            start, end = matched.span()
            name = matched[0]
            rank, held, onward = known.get(name) or self._look_inside(name)
            found.append((start, rank, end, name))
            if held:
                found += [(start + a, order, start + b, part) for a, order, b, part in held]
            for offset in onward:
                at = start + offset
                longest = match(text, at)  # its lookbehind sees the text before ``at``
                if longest is not None and longest.end() > end:
                    found += [(at, order, at + length, part)
                              for length, order, part in self._prefixes(longest[0])
                              if at + length > end]
        found.sort()
        return found

    def _look_inside(self, name: str) -> tuple[int, list[Place], list[int]]:
        """The rank of ``name``, the names in it as whole words (itself left out: the text
        around it was checked by the match), and the places in it where the rest of it begins
        a longer name."""
        size = len(name)
        cuts = [cut.start() for cut in _NON_WORD_CHAR.finditer(name)]
        starts = [0] + [at + 1 for at in cuts if at + 1 < size]
        ends = [at for at in cuts if at] + [size]
        held = [(a, self.rank[part], b, part) for a in starts for b in ends
                if a < b and b - a < size and (part := name[a:b]) in self.names]
        onward = [a for a in starts[1:] if self._begins_longer(name[a:])]
        self.known[name] = found = self.rank[name], held, onward
        return found

    def _begins_longer(self, prefix: str) -> bool:
        """Whether a name longer than ``prefix`` begins with it."""
        after = bisect_right(self.ordered, prefix)  # the names beginning so follow it
        return after < len(self.ordered) and self.ordered[after].startswith(prefix)

    def _prefixes(self, name: str) -> list[tuple[int, int, str]]:
        """``(length, rank, name)`` of ``name`` and of the names that begin it and end before
        one of its characters that is no word character."""
        found = self.prefixes.get(name)
        if found is None:
            ends = [cut.start() for cut in _NON_WORD_CHAR.finditer(name, 1)]
            found = [(at, self.rank[name[:at]], name[:at]) for at in ends if name[:at] in self.names]
            found.append((len(name), self.rank[name], name))
            self.prefixes[name] = found
        return found
