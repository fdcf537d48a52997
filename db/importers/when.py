"""Dates in a sentence, resolved against the article's publication date.

Absolute ("17 December 2019", "November 10", "April 1952", "in 1971") and
relative ("on Tuesday", "last week", "earlier this year", "the following day")
expressions, English and Spanish. Each keeps its words and its precision; a
date that does not exist (February 30) is dropped, never moved.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

MONTHS = {name: i + 1 for i, names in enumerate([
    ("january", "jan", "enero"), ("february", "feb", "febrero"), ("march", "mar", "marzo"),
    ("april", "apr", "abril"), ("may", "mayo"), ("june", "jun", "junio"), ("july", "jul", "julio"),
    ("august", "aug", "agosto"), ("september", "sept", "sep", "septiembre", "setiembre"),
    ("october", "oct", "octubre"), ("november", "nov", "noviembre"),
    ("december", "dec", "diciembre")]) for name in names}
FULL_MONTHS = frozenset(n for n in MONTHS if len(n) > 4 or n in ("may", "june", "july", "mayo"))
WEEKDAYS = {name: i % 7 for i, name in enumerate((
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"))}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "un": 1, "una": 1, "dos": 2, "tres": 3}

_M = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_W = "|".join(WEEKDAYS)
_Y = r"(?:1[5-9]\d\d|20\d\d)"
_N = r"(?:\d{1,2}|" + "|".join(NUMBERS) + ")"
_PATTERN = re.compile(rf"""
  (?P<dmy>\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:de\s+|of\s+)?(?P<m1>{_M})\b(?:,?\s+(?:de\s+|del\s+)?(?P<y1>{_Y})\b)?)
| (?P<mdy>\b(?P<m2>{_M})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*[:%])(?:,?\s+(?P<y2>{_Y})\b)?)
| (?P<my>\b(?:(?:early|late|mid|in|en|since|until|by|during|from)[\s-]+)?(?P<m3>{_M})(?:\s+(?:de\s+|of\s+)?(?P<y3>{_Y})\b|(?=[\s,.;]|$)))
| (?P<iso>\b(?P<iy>\d{{4}})-(?P<im>\d\d)-(?P<id>\d\d)\b)
| (?P<year>\b(?:in|en|since|until|by|during|from|between|desde|hasta|early|late|mid|the\s+year|el\s+año|summer\s+of|spring\s+of|autumn\s+of|winter\s+of|end\s+of)[\s-]+(?:the\s+)?(?P<y4>{_Y})\b(?:\s*(?:and|to|–|-|y|a)\s*(?P<y5>{_Y})\b)?)
| (?P<wday>\b(?:(?P<wq>last|this|next|on|el|este|el\s+pasado|el\s+próximo|past)\s+)?(?P<wd>{_W})\b(?:\s+(?P<wnext>pasado|próximo))?)
| (?P<rel>\b(?:earlier|later)\s+this\s+(?P<rel_unit>year|month|week)\b)
| (?P<span>\b(?P<sq>last|this|next|past)\s+(?P<su>week|month|year)\b|\b(?:la|el)\s+(?P<su2>semana|mes|año)\s+(?P<sq2>pasad[oa]|próxim[oa]))
| (?P<day>\b(?:yesterday|today|tomorrow|ayer|hoy|anteayer)\b)
| (?P<after>\b(?:the\s+(?:following|next)\s+(?P<au>day|week|month|year)|a\s+(?P<au2>day|week)\s+later|the\s+(?:day|week)\s+before|the\s+previous\s+(?P<au3>day|week)|al\s+día\s+siguiente)\b)
| (?P<ago>\b(?P<an>{_N})\s+(?P<au4>days?|weeks?|months?|years?|días|semanas|meses|años)\s+(?P<ad>ago|later|earlier|before|after|antes|después)\b|\bhace\s+(?P<an2>{_N})\s+(?P<au5>días|semanas|meses|años)\b)
""", re.I | re.X)
_FUTURE = re.compile(r"\b(?:will|next|upcoming|scheduled|is\s+to\s+be|are\s+to\s+be|"
                     r"going\s+to|va\s+a|van\s+a|será|serán)\b", re.I)


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    date: str
    precision: str
    date_end: str | None
    text: str
    confidence: float


class Resolver:
    """Resolves dates in order through an article; "the following day" follows the last day named."""

    def __init__(self, published: str | None) -> None:
        self.published = dt.date.fromisoformat(published) if published else None
        self.anchor: dt.date | None = None

    def find(self, text: str, start: int, end: int,
             skip: Sequence[tuple[int, int]] = (), skip_starts: list[int] | None = None) -> list[DateHit]:
        sentence = text[start:end]
        future = _FUTURE.search(sentence) is not None
        hits = []
        if skip_starts is None:
            skip_starts = [a for a, _ in skip]
        for m in _PATTERN.finditer(text, start, end):
            i = bisect.bisect_right(skip_starts, m.start()) - 1
            if i >= 0 and m.start() < skip[i][1]:
                continue
            hit = self._resolve(m, future)
            if hit is None:
                continue
            value, precision, date_end, confidence = hit
            if precision == "day":
                self.anchor = dt.date.fromisoformat(value)
            hits.append(DateHit(m.start(), m.end(), value, precision, date_end,
                                " ".join(m.group().split()), confidence))
        return hits

    def _resolve(self, m: re.Match, future: bool) -> tuple[str, str, str | None, float] | None:
        g = m.groupdict()
        pub = self.published
        try:
            if g["dmy"] or g["mdy"]:
                day = int(g["d1"] or g["d2"])
                month = MONTHS[(g["m1"] or g["m2"]).lower().rstrip(".")]
                year = g["y1"] or g["y2"]
                if year:
                    return dt.date(int(year), month, day).isoformat(), "day", None, 0.9
                if pub is None:
                    return None
                value = _in_year(pub, month, day, future)
                return (value.isoformat(), "day", None, 0.8) if value else None
            if g["my"]:
                word = g["m3"].lower().rstrip(".")
                if word == "may" and not g["y3"] and not re.match(r"(?i)in|early|late|mid|since|until|by|during|from", m.group()):
                    return None  # "may" the verb
                month = MONTHS[word]
                if g["y3"]:
                    return f"{int(g['y3']):04d}-{month:02d}", "month", None, 0.9
                if pub is None or word not in FULL_MONTHS or (m.group().lower() == word and not m.group()[0].isupper()):
                    return None
                year = pub.year - (1 if month > pub.month and not future else 0)
                year += 1 if future and month < pub.month else 0
                return f"{year:04d}-{month:02d}", "month", None, 0.7
            if g["iso"]:
                return dt.date(int(g["iy"]), int(g["im"]), int(g["id"])).isoformat(), "day", None, 0.9
            if g["year"]:
                return g["y4"], "year", g["y5"] if g["y5"] and g["y5"] > g["y4"] else None, 0.85
        except ValueError:
            return None  # February 30: not a date
        if pub is None:
            return None
        return self._relative(g, pub, future)

    def _relative(self, g: dict, pub: dt.date, future: bool) -> tuple[str, str, str | None, float] | None:
        if g["wday"]:
            wd = WEEKDAYS[g["wd"].lower()]
            cue = (g["wq"] or "").lower()
            ahead = cue in ("next", "el próximo") or (g["wnext"] or "").lower() == "próximo" or \
                (future and cue not in ("last", "past", "el pasado"))
            if ahead:
                return (pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7)).isoformat(), "day", None, 0.7
            return (pub - dt.timedelta(days=(pub.weekday() - wd) % 7 or 7)).isoformat(), "day", None, 0.75
        if g["rel"]:
            unit = g["rel_unit"].lower()
            return _unit(pub, unit, 0), unit if unit != "year" else "year", None, 0.7
        if g["span"]:
            unit = (g["su"] or {"semana": "week", "mes": "month", "año": "year"}[g["su2"].lower()]).lower()
            cue = (g["sq"] or g["sq2"] or "").lower()
            step = -1 if cue in ("last", "past") or cue.startswith("pasad") else \
                1 if cue == "next" or cue.startswith("próxim") else 0
            return _unit(pub, unit, step), unit, None, 0.75
        if g["day"]:
            step = {"yesterday": -1, "ayer": -1, "anteayer": -2, "today": 0, "hoy": 0,
                    "tomorrow": 1}[m_lower(g["day"])]
            return (pub + dt.timedelta(days=step)).isoformat(), "day", None, 0.8
        if g["after"]:
            if self.anchor is None:
                return None
            words = g["after"].lower()
            unit = g["au"] or g["au2"] or g["au3"] or ("week" if "week" in words else "day")
            sign = -1 if "before" in words or "previous" in words else 1
            days = 7 if unit.lower() == "week" else 1
            if unit.lower() in ("month", "year"):
                return None
            return (self.anchor + dt.timedelta(days=sign * days)).isoformat(), "day", None, 0.6
        if g["ago"]:
            n = g["an"] or g["an2"]
            count = int(n) if n.isdigit() else NUMBERS[n.lower()]
            unit = (g["au4"] or g["au5"]).lower()
            direction = (g["ad"] or "ago").lower()
            base = pub if direction in ("ago", "antes") or g["an2"] else self.anchor
            if base is None:
                return None
            sign = 1 if direction in ("later", "after", "después") else -1
            if unit.startswith(("day", "día")):
                return (base + dt.timedelta(days=sign * count)).isoformat(), "day", None, 0.6
            if unit.startswith(("week", "semana")):
                return _unit(base + dt.timedelta(weeks=sign * count), "week", 0), "week", None, 0.5
            if unit.startswith(("month", "mes")):
                return _unit(base, "month", sign * count), "month", None, 0.5
            return _unit(base, "year", sign * count), "year", None, 0.5
        return None


def m_lower(value: str) -> str:
    return value.lower()


def _in_year(pub: dt.date, month: int, day: int, future: bool) -> dt.date | None:
    """A day named without its year: the nearest to publication, a past one preferred.

    Unless the sentence speaks of the future, a later day counts three times its distance.
    """
    best: tuple[float, dt.date] | None = None
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            value = dt.date(year, month, day)
        except ValueError:
            continue
        distance = (value - pub).days
        cost = abs(distance) * (3 if distance > 0 and not future else 1)
        if future and distance < 0:
            cost *= 3
        if best is None or cost < best[0]:
            best = (cost, value)
    return best[1] if best else None


def _unit(base: dt.date, unit: str, step: int) -> str:
    if unit == "week":
        monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=step)
        return monday.isoformat()
    if unit == "month":
        index = base.year * 12 + base.month - 1 + step
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return f"{base.year + step:04d}"
