"""Finding actors' names in a text: where a source mentions each actor.

A name is found where it stands as whole words: ``(?<!\\w)name(?!\\w)``. Scanning
left to right, the longest name that starts at a place wins and the scan goes on
after it, as one regular expression ``(?<!\\w)(?:longest|...|shortest)(?!\\w)``
would; then an actor none of whose names was found that way is looked for
again by each of its names alone, wherever they stand (inside a longer name too:
"the Hernán Siles Zuazo government" mentions Siles Zuazo).

That expression over thousands of names is slow to build and to run, and so is
looking for each name in turn. But the runs of word characters of a name are
whole runs of the text wherever the name is found (the name's own characters,
or the ``\\w`` boundaries, end them), one after the other. So the text is split
into its runs once, and the names are looked up run by run in a tree of their
runs, only where a run begins some name.
"""

from __future__ import annotations

import re
from itertools import compress, count

_WORDS = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_BETWEEN = re.compile(r"(\W+)")


class _Node:
    __slots__ = ("names", "next")

    def __init__(self) -> None:
        # (name, rank, length, whether to compare it: what lies between its runs, or after the
        # last, may differ from the text's) of the names whose runs end here
        self.names: list[tuple[str, int, int, bool]] = []
        self.next: dict[str, _Node] = {}


class NameFinder:
    """The places where ``names`` (name -> actor id) occur in texts."""

    def __init__(self, names: dict[str, int]) -> None:
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

    def places(self, text: str) -> list[tuple[int, int, int, str]]:
        """``(start, rank, end, name)`` of every whole-word occurrence of a name, in order."""
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
