"""People and organisations named in an article, found by rules (no model).

A name is a run of capitalised words (with particles such as *de la* or *of*);
titles before it (General, Sen., Labor Minister) become its role, an acronym in
brackets after it becomes an alias, places are dropped, and shorter mentions
(a surname, the acronym) are joined to the full name they stand for.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

from ..search import fold
from .lexicon import (ENGLISH_PARTICLES, NAME_PARTICLES, ORG_WORDS, PERSON_NOUNS, PLACES,
                      REPORTING_VERBS, STOP_WORDS, TITLES)
from .match import key_of, same_person

_UP = "A-ZÀ-ÖØ-Þ"
_TOKEN = rf"[{_UP}](?:[\w’']|[-.](?=[{_UP}0-9])){{0,40}}(?![\w’'])\.?"
_PART = "|".join(NAME_PARTICLES)
_CANDIDATE = re.compile(rf"(?<![\w’'-]){_TOKEN}(?:(?:[ \t]+|\n)(?:(?:{_PART})[ \t]+){{0,2}}{_TOKEN}){{0,11}}")
_WORD = re.compile(rf"{_TOKEN}|[^\s]+")
_ACRONYM = re.compile(rf"[ \t]*\(([{_UP}][{_UP}0-9&\-]{{1,9}})\)")
_IS_ACRONYM = re.compile(rf"[{_UP}][{_UP}0-9&\-.]{{1,9}}")
_ROLE_BEFORE = re.compile(
    r"(?:the|el|la)\s+((?:[\w’“”-]+\s+){0,4}?(?:" + "|".join(sorted(PERSON_NOUNS)) +
    r")(?:\s+(?:of|de|for)\s+[\w ]{1,30}?)?),\s*$", re.I)
_ROLE_AFTER = re.compile(r",\s+(?:the|a|an|el|la)\s+([^,.;:“”\"()]{3,80}?),")
_VERB_AFTER = re.compile(r"[ \t]+(?:\w+[ \t]+)?(\w+)")


@dataclass
class Entity:
    key: int
    name: str
    kind: str
    role: str | None = None
    aliases: set[str] = field(default_factory=set)
    confidence: float = 0.7
    role_words: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entity: int


@dataclass
class _Cand:
    start: int
    end: int
    name: str
    title: str | None
    initial: bool
    kind: str | None


def find_entities(text: str, paragraphs: list[tuple[int, int]], sentence_starts: set[int],
                  known: Container[str] = ()) -> tuple[dict[int, Entity], list[Mention]]:
    """The article's actors and every place one is named (sorted by position)."""
    cands: list[_Cand] = []
    for p_start, p_end in paragraphs:
        for m in _CANDIDATE.finditer(text, p_start, p_end):
            cands.extend(_split(text, m.start(), m.group(), sentence_starts))
    entities: dict[int, Entity] = {}
    by_key: dict[str, int] = {}
    mentions: list[Mention] = []
    pending: list[_Cand] = []

    def new(c: _Cand, kind: str, confidence: float) -> int:
        key = len(entities) + 1
        entities[key] = Entity(key, c.name, kind, confidence=confidence)
        by_key[key_of(c.name)] = key
        return key

    def attach(c: _Cand, key: int) -> None:
        entity = entities[key]
        mentions.append(Mention(c.start, c.end, key))
        if c.name != entity.name:
            entity.aliases.add(c.name)
        if c.title:
            entity.role = entity.role or c.title
            entity.role_words.update(_role_words(c.title))
        acro = _ACRONYM.match(text, c.end)
        if acro and acro.group(1) != c.name and entity.kind != "person":
            entity.aliases.add(acro.group(1))
            by_key.setdefault(key_of(acro.group(1)), key)
            mentions.append(Mention(acro.start(1), acro.end(1), key))

    for c in cands:  # full names first
        if len(c.name.split()) < 2 and not c.title:
            pending.append(c)
            continue
        kind = c.kind or "person"
        key = by_key.get(key_of(c.name))
        if key is None and kind == "person":
            key = _same_person(entities, c.name)
        if key is None:
            key = new(c, kind, 0.8 if c.title or kind != "person" else 0.7)
        attach(c, key)
    for c in pending:
        key = by_key.get(key_of(c.name)) or _surname_of(entities, mentions, c)
        if key is None:
            verb = _VERB_AFTER.match(text, c.end)
            said = verb is not None and verb.group(1).lower() in REPORTING_VERBS
            acronym = _IS_ACRONYM.fullmatch(c.name) is not None
            if not (said or acronym or key_of(c.name) in known or (c.kind and not c.initial)):
                continue
            kind = c.kind or ("organization" if acronym else "person")
            key = new(c, kind, 0.6)
        attach(c, key)
    mentions.sort(key=lambda m: m.start)
    _roles(text, entities, mentions)
    return entities, mentions


def _split(text: str, offset: int, run: str, sentence_starts: set[int]) -> list[_Cand]:
    """Cut a run of capitalised words into names: stop words, titles and 'and' divide it."""
    words = [(offset + w.start(), offset + w.end(), w.group()) for w in _WORD.finditer(run)]
    groups: list[list[tuple[int, int, str]]] = [[]]
    for i, w in enumerate(words):
        low = w[2].lower()
        if low in ENGLISH_PARTICLES or low == "y":
            before = groups[-1]
            after = []
            for x in words[i + 1:]:
                if x[2].lower() in ("and", "y", "of", "for"):
                    break
                after.append(x)
            joins = low not in ("and", "y") or not any(_org_kind(x[2]) for x in after)
            if not any(_org_kind(x[2]) for x in before) or not joins:
                groups.append([])
                continue
        groups[-1].append(w)
        if w[2].endswith(".") and not _keeps_dot(w[2]):
            groups.append([])  # "… said Rosa Torrez. Watched by police, …": a sentence ends
    out = []
    for group in groups:
        if not group:
            continue
        cand = _make(text, group, sentence_starts)
        if cand is not None:
            out.append(cand)
    return out


def _make(text: str, words: list[tuple[int, int, str]],
          sentence_starts: set[int]) -> _Cand | None:
    words = [(s, e - 1, w[:-1]) if w.endswith(".") and not _keeps_dot(w) else (s, e, w)
             for s, e, w in words]
    first_start = words[0][0] if words else 0
    while words and (words[0][2].lower() in STOP_WORDS or words[0][2].lower() in NAME_PARTICLES) \
            and words[0][2].lower() not in TITLES:
        words = words[1:]
    while words and (words[-1][2].lower() in STOP_WORDS or words[-1][2].lower() in NAME_PARTICLES):
        words = words[:-1]
    if not words:
        return None
    title_end = 0
    for i, (_, _, w) in enumerate(words[:4]):
        if w.lower() in TITLES or w.lower().rstrip(".") in TITLES:
            title_end = i + 1
    title = None
    if title_end and title_end < len(words):
        title = text[words[0][0]:words[title_end - 1][1]]
        words = words[title_end:]
    elif title_end:
        return None  # a title alone ("the President")
    start, end = words[0][0], words[-1][1]
    name = text[start:end]
    for suffix in ("’s", "'s", "’", "'"):
        if name.endswith(suffix):
            name, end = name[: -len(suffix)], end - len(suffix)
            break
    if not name or fold(name) in PLACES or fold(name) in STOP_WORDS:
        return None
    if " " not in name and "-" not in name and re.search(r"(?:ian|ean|ese|ish)$", name) \
            and not _IS_ACRONYM.fullmatch(name):
        return None  # Bolivian, Chilean: adjectives, not actors
    kind = None
    for w in reversed(name.split()):
        kind = kind or _org_kind(w)
    if kind is None and _IS_ACRONYM.fullmatch(name) and not title:
        kind = "organization"
    if kind is None and any(p in ENGLISH_PARTICLES for p in name.lower().split()):
        kind = "organization"
    if title and kind is None:
        kind = "person"
    initial = first_start in sentence_starts or start in sentence_starts or \
        (start > 0 and text[start - 1] in "“\"«‘")
    return _Cand(start, end, " ".join(name.split()), title, initial, kind)


def _keeps_dot(word: str) -> bool:
    return len(word) == 2 or word.lower() in TITLES or word.count(".") > 1


def _org_kind(word: str) -> str | None:
    return ORG_WORDS.get(word.lower().rstrip("’'"))


def _role_words(title: str) -> set[str]:
    words = set()
    for w in title.lower().split():
        words.add(TITLES.get(w, TITLES.get(w.rstrip("."), w.rstrip("."))))
    return {fold(w) for w in words if w}


def _same_person(entities: dict[int, Entity], name: str) -> int | None:
    for key, entity in entities.items():
        if entity.kind == "person" and (same_person(name, entity.name) or
                                        _ends_with(entity.name, name)):
            return key
    return None


def _ends_with(full: str, part: str) -> bool:
    f, p = key_of(full).split(), key_of(part).split()
    return len(p) < len(f) and f[-len(p):] == p


def _surname_of(entities: dict[int, Entity], mentions: list[Mention], c: _Cand) -> int | None:
    """The person whose surname this single word is (the last one named, if several)."""
    word = key_of(c.name)
    matches = [k for k, e in entities.items()
               if e.kind == "person" and word in key_of(e.name).split()[1:]]
    if len(matches) > 1:
        before = [m.entity for m in mentions if m.start < c.start and m.entity in matches]
        return before[-1] if before else matches[0]
    return matches[0] if matches else None


def _roles(text: str, entities: dict[int, Entity], mentions: list[Mention]) -> None:
    """Roles stated beside a name: "the labour minister, Ana Quispe" or "Quispe, the minister,"."""
    for m in mentions:
        entity = entities[m.entity]
        if entity.kind != "person":
            continue
        before = _ROLE_BEFORE.search(text, max(0, m.start - 90), m.start)
        after = _ROLE_AFTER.match(text, m.end)
        found = before.group(1) if before else after.group(1) if after else None
        if found:
            found = " ".join(found.split())
            entity.role = entity.role or found
            entity.role_words.update(fold(w) for w in re.findall(r"\w+", found))
