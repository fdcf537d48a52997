"""Who said a quote: the rules that read the words around it.

After the quote ("…,” said the labour minister, Ana Quispe" / "…,” Quispe said"),
before it ("Mamani declared: “…”", "According to the COB, “…”"), by pronoun or
role to the person last named ("He said", "the senator wrote"), by a dash line
under a pull quote, and by continuation (a second quote in the paragraph, or a
paragraph that opens with a quote right after one by a known speaker).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..search import fold
from .lexicon import ADVERBS, ORG_WORDS, PERSON_NOUNS, PRONOUNS, REPORTING_VERBS
from .match import key_of
from .names import Entity, Mention

_WORDS = re.compile(r"[\w’'-]+")
_VERB = re.compile(r"\b(?:" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True)) +
                   r"|according\s+to|según)\b", re.I)
_ADV = "|".join(sorted(ADVERBS))
_TAIL = re.compile(r"^(?:\s+(?:that|que|to|a|in|on|at|the|this|an?|him|her|them|reporters|"
                   r"journalists|the\s+press|la\s+prensa|\w+))*?\s*[:,]?\s*$|^\s*[:,]?\s*$", re.I)
_DASH = re.compile(r"\s*(?:—|–|--|-)\s*")
_ROLE_NP = re.compile(r"\b(?:the|el|la|los|las|a|an)\s+((?:[\w’“”-]+\s+){0,4}?([\w-]+))\s*(?:,\s*)?$",
                      re.I)


@dataclass
class Speaker:
    entity: int | None
    confidence: float
    how: str


class Attributor:
    def __init__(self, text: str, entities: dict[int, Entity], mentions: list[Mention],
                 quote_spans: list[tuple[int, int]], sentences: list[tuple[int, int]]) -> None:
        self.text, self.entities = text, entities
        self.quotes = quote_spans  # (open mark, close mark), sorted
        self.quote_starts = [q[0] for q in quote_spans]
        self.free = [m for m in mentions if not self._inside_quote(m.start)]
        self.free_starts = [m.start for m in self.free]
        self.mentions, self.starts = mentions, [m.start for m in mentions]
        self.sentences = sentences
        self.sentence_starts = [s for s, _ in sentences]

    def _inside_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, pos) - 1
        return i >= 0 and self.quotes[i][0] < pos < self.quotes[i][1]

    def _mentions_in(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return self.mentions[lo:hi]

    # -- windows around a quote -------------------------------------------------------

    def after(self, close: int, end: int, short: bool) -> Speaker | None:
        window = self.text[close + 1 : end]
        dash = _DASH.match(window)
        if dash and dash.group().strip() and "\n" in self.text[close: close + 3] + window[:2]:
            found = self._mentions_in(close + 1 + dash.end(), close + 1 + dash.end() + 2)
            if found:
                return Speaker(found[0].entity, 0.85, "dash")
        verb = _VERB.search(window, 0, 120)
        if verb is None:
            return None
        lead = window[: verb.start()]
        lead_words = lead.strip(" \t\n,;—–-").split()
        base = close + 1
        if not lead_words:  # "…,” said Mamani" / "…,” said the minister, Ana Quispe"
            if short and len(lead) > 3:
                return None
            rest_start = base + verb.end()
            sentence_end = min(end, rest_start + 90)
            found = self._mentions_in(rest_start, sentence_end)
            people = [m for m in found if self.entities[m.entity].kind == "person"]
            for m in (people[:1] + found[:1]):
                gap = self.text[rest_start: m.start]
                if len(gap) <= 70 and not re.search(r"[.;“”\"«»]", gap):
                    return Speaker(m.entity, 0.9, "after")
            pronoun = re.match(r"\s+(\w+)\b", self.text[rest_start: sentence_end])
            if pronoun and pronoun.group(1).lower() in PRONOUNS:
                return self._pronoun(pronoun.group(1), close)
            role = re.match(r"\s+((?:the|el|la|a|an)\s+(?:[\w’“”-]+\s*){1,5})", self.text[rest_start:sentence_end], re.I)
            if role:
                return self._role(role.group(1), close)
            return None
        if len(lead_words) > 10 or re.search(r"[.;“”\"«»]", lead) or (short and len(lead_words) > 5):
            return None
        return self._subject(base, base + verb.start(), close, strict=True)

    def before(self, start: int, open_: int, short: bool) -> Speaker | None:
        window = self.text[start:open_]
        verbs = list(_VERB.finditer(window))
        if not verbs:
            return None
        verb = verbs[-1]
        tail = window[verb.end():]
        if verb.group().lower() in ("according to", "según"):  # "According to Mesa, the deal “…”"
            found = self._mentions_in(start + verb.end(), open_)
            if found and len(tail) <= 80 and not re.search(r"[.;“”\"«»]", tail):
                return Speaker(found[0].entity, 0.85, "according")
            return None
        if len(tail) > (25 if short else 60) or not _TAIL.match(tail):
            return None
        return self._subject(start, start + verb.start(), open_, strict=False)

    def _subject(self, start: int, verb_at: int, quote_at: int, strict: bool) -> Speaker | None:
        """The speaker written just before a reporting verb."""
        pre = self.text[start:verb_at]
        pronoun = re.search(rf"\b(\w+)\s+(?:(?:{_ADV})\s+)?$", pre)
        if pronoun and pronoun.group(1).lower() in PRONOUNS:
            return self._pronoun(pronoun.group(1), quote_at)
        for m in reversed(self._mentions_in(start, verb_at)):
            gap = self.text[m.end:verb_at]
            if re.fullmatch(rf"\s*(?:’s|'s)?\s*,?\s*(?:(?:{_ADV})\s+)?", gap) or \
                    re.fullmatch(rf"\s*,[^,;.“”]{{1,90}},\s*(?:(?:{_ADV})\s+)?", gap):
                return Speaker(m.entity, 0.9, "subject")
        role = _ROLE_NP.search(pre)
        if role and len(pre) - role.start() < 60:
            return self._role(role.group(0), quote_at)
        return None

    # -- resolving pronouns and roles ---------------------------------------------

    def _pronoun(self, word: str, before: int) -> Speaker | None:
        want = PRONOUNS[word.lower()]
        entity = self._last_person(before) if want == "person" else self._last_group(before)
        return Speaker(entity, 0.75, "pronoun") if entity else None

    def _last_person(self, before: int) -> int | None:
        """The first person named in the latest sentence (outside quotes) that names one."""
        i = bisect.bisect_left(self.free_starts, before) - 1
        while i >= 0:
            m = self.free[i]
            if self.entities[m.entity].kind == "person":
                s = bisect.bisect_right(self.sentence_starts, m.start) - 1
                first = bisect.bisect_left(self.free_starts, self.sentence_starts[s]) if s >= 0 else i
                for other in self.free[first : i + 1]:
                    if self.entities[other.entity].kind == "person":
                        return other.entity
                return m.entity
            i -= 1
        return None

    def _last_group(self, before: int) -> int | None:
        i = bisect.bisect_left(self.free_starts, before) - 1
        while i >= 0:
            if self.entities[self.free[i].entity].kind != "person":
                return self.free[i].entity
            i -= 1
        return None

    def _role(self, phrase: str, before: int) -> Speaker | None:
        words = [fold(w) for w in _WORDS.findall(phrase)]
        words = [w for w in words if w not in ("the", "el", "la", "a", "an", "los", "las")]
        if not words:
            return None
        head = words[-1]
        i = bisect.bisect_left(self.free_starts, before) - 1
        while i >= 0:
            e = self.entities[self.free[i].entity]
            if head in e.role_words or head in key_of(e.name).split():
                return Speaker(e.key, 0.7, "role")
            i -= 1
        if head in PERSON_NOUNS:
            entity = self._last_person(before)
            return Speaker(entity, 0.6, "role") if entity else None
        if head in ORG_WORDS:
            entity = self._last_group(before)
            return Speaker(entity, 0.6, "role") if entity else None
        return None
