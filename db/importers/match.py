"""Telling whether two names are the same actor: across accents, case, surnames and misspellings.

The fuzzy rule is strict on purpose: "Vitaliano Mamani" is "Vitalino Mamani",
but "Juan José Flores" is not "Juan José Torres" and "Ana Quispe" is not
"Ana Quispe Mamani"'s sister "Eva Quispe". Both the whole name and the
surname must be close, and the first letters must agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..search import fold

NAME_THRESHOLD = 90.0
SURNAME_THRESHOLD = 85.0
ORG_THRESHOLD = 95.0

_PUNCT = re.compile(r"[^\w\s]+")


def key_of(name: str) -> str:
    """A name folded for comparison: no accents, no case, no punctuation, single spaces."""
    return " ".join(_PUNCT.sub(" ", fold(name)).split())


def same_person(a: str, b: str) -> bool:
    ka, kb = key_of(a), key_of(b)
    if ka == kb:
        return True
    wa, wb = ka.split(), kb.split()
    if len(wa) < 2 or len(wb) < 2 or len(wa) != len(wb) or wa[0][0] != wb[0][0]:
        return False
    return (fuzz.ratio(ka, kb) >= NAME_THRESHOLD
            and fuzz.ratio(wa[-1], wb[-1]) >= SURNAME_THRESHOLD
            and fuzz.ratio(wa[0], wb[0]) >= 75)


@dataclass
class Known:
    id: int
    name: str
    kind: str


class ActorIndex:
    """The library's actors by every name, for linking an article's actors to them.

    Loaded once per import run and kept up to date as actors are added, so that
    a run of thousands of articles does not reread the table for each.
    """

    def __init__(self, rows: Iterable[tuple[int, str, str, str | None]] = ()) -> None:
        self.by_name: dict[str, list[int]] = {}
        self.actors: dict[int, Known] = {}
        self.surnames: dict[str, list[int]] = {}
        self._choices: list[str] | None = None
        for actor_id, name, kind, alias in rows:
            self.add(actor_id, name, kind, [alias] if alias else [])

    def add(self, actor_id: int, name: str, kind: str, aliases: Iterable[str] = ()) -> None:
        if actor_id not in self.actors:
            self.actors[actor_id] = Known(actor_id, name, kind)
            self._name(name, actor_id)
            words = key_of(name).split()
            if kind == "person" and len(words) >= 2:
                for w in words[1:]:
                    self.surnames.setdefault(w, []).append(actor_id)
        for alias in aliases:
            self._name(alias, actor_id)

    def _name(self, name: str, actor_id: int) -> None:
        ids = self.by_name.setdefault(key_of(name), [])
        if actor_id not in ids:
            ids.append(actor_id)
            self._choices = None

    def folded_names(self) -> set[str]:
        return {fold(self.actors[i].name) for i in self.actors} | set(self.by_name)

    def find(self, name: str, kind: str, aliases: Iterable[str] = ()) -> tuple[int | None, float]:
        """The library actor this name stands for, and how sure the match is (0 when none)."""
        for candidate in (name, *aliases):
            ids = self.by_name.get(key_of(candidate), [])
            if len(ids) == 1:
                return ids[0], 1.0 if candidate == name else 0.9
            if len(ids) > 1:
                same_kind = [i for i in ids if self.actors[i].kind == kind]
                if len(same_kind) == 1:
                    return same_kind[0], 0.8
        key = key_of(name)
        words = key.split()
        if kind == "person" and len(words) == 1:
            ids = self.surnames.get(words[0], [])
            return (ids[0], 0.7) if len(ids) == 1 else (None, 0.0)
        if self._choices is None:
            self._choices = list(self.by_name)
        threshold = NAME_THRESHOLD if kind == "person" else ORG_THRESHOLD
        best = process.extract(key, self._choices, scorer=fuzz.ratio, score_cutoff=threshold,
                               limit=3)
        for choice, score, _ in best:
            for actor_id in self.by_name[choice]:
                known = self.actors[actor_id]
                if kind == "person" and known.kind == "person" and not same_person(name, choice):
                    continue
                if (known.kind == "person") != (kind == "person"):
                    continue
                return actor_id, round(score / 100 * 0.9, 2)
        return None, 0.0
