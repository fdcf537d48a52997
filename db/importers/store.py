"""Writing one article and what was extracted from it into the library.

Call inside ``lib.transaction()``. The article becomes a source; its actors are
linked to the library's (adding the article's spellings as aliases) or added as
new ones; its events and quotes are added with ``origin="extracted"`` and a
confidence. Ids are stable: the same article always gives the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InvalidInput
from ..library import Library
from ..models import describe_counts
from ..writer import content_hash, stable_uid
from .articles import Article
from .extract import MAX_ITEMS, Extraction
from .match import ActorIndex, key_of

ORIGIN = "extracted"


class AlreadyImported(Exception):
    """The file's content is in the library already."""


@dataclass
class Added:
    counts: dict[str, int] = field(default_factory=lambda: {
        "sources": 0, "actors": 0, "events": 0, "quotes": 0})
    linked: int = 0
    examples: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        parts = [describe_counts(self.counts.items(), "")]
        if self.linked:
            parts.append(f"{self.linked} known actor{'s' if self.linked != 1 else ''} linked")
        text = ", ".join(p for p in parts if p) or "nothing new"
        for kind, n in self.dropped.items():
            text += f" (only the first {MAX_ITEMS:,} {kind} kept: {n:,} more left out)"
        return text


def check_new(lib: Library, text: str) -> str:
    """The text's hash, or AlreadyImported when a source holds the same text."""
    digest = content_hash(text)
    if lib.conn.execute("SELECT 1 FROM sources WHERE content_hash = ?", (digest,)).fetchone():
        raise AlreadyImported()
    return digest


def store_article(lib: Library, article: Article, found: Extraction, index: ActorIndex,
                  *, digest: str, examples: int = 3) -> Added:
    """Write the article (whose ``check_new`` gave ``digest``) and what was found in it."""
    text, meta = article.text, article.meta
    uid = stable_uid("source", digest)
    added = Added(dropped=dict(found.dropped))
    source_id = lib.add_source(uid=uid, title=meta.title or "untitled", text=text,
                               author=meta.author, outlet=meta.outlet, url=meta.url,
                               published=meta.date, origin="imported", paragraphs=found.paragraphs)
    added.counts["sources"] = 1
    actor_ids = _actors(lib, found, index, added, examples)
    used = sorted(set(actor_ids.values()))
    if used:
        lib.index_mentions(source_id, used)
    for event in found.events:
        lib.add_event(
            uid=stable_uid("event", uid, event.start, event.end, event.date_at), date=event.date,
            date_precision=event.precision, date_end=event.date_end, date_text=event.date_text,
            summary=event.summary, source_id=source_id, paragraph=event.paragraph,
            char_start=event.start, char_end=event.end,
            actor_ids=list(dict.fromkeys(actor_ids[a] for a in event.actors if a in actor_ids)),
            origin=ORIGIN, confidence=event.confidence)
        added.counts["events"] += 1
        if len(added.examples) < examples * 3 and added.counts["events"] <= examples:
            added.examples.append(f"event {event.date} ({event.date_text}): {event.summary}")
    for quote in found.quotes:
        speaker = actor_ids.get(quote.speaker) if quote.speaker is not None else None
        lib.add_quote(
            uid=stable_uid("quote", uid, quote.start, quote.end), text=text[quote.start:quote.end],
            kind=quote.kind, source_id=source_id, paragraph=quote.paragraph,
            char_start=quote.start, char_end=quote.end, speaker_id=speaker, date=quote.date,
            date_precision=quote.date_precision, origin=ORIGIN, confidence=quote.confidence)
        added.counts["quotes"] += 1
        if added.counts["quotes"] <= examples:
            who = found.entities[quote.speaker].name if quote.speaker is not None else \
                ("(term)" if quote.kind == "term" else "(no speaker)")
            words = " ".join(text[quote.start:quote.end].split())
            added.examples.append(f"quote {who}: “{words[:100]}{'…' if len(words) > 100 else ''}”")
    return added


def _actors(lib: Library, found: Extraction, index: ActorIndex, added: Added,
            examples: int) -> dict[int, int]:
    """Article entity key -> library actor id, linking to known actors or adding new ones."""
    mentioned = {m.entity for m in found.mentions}
    result: dict[int, int] = {}
    for key, entity in found.entities.items():
        if key not in mentioned:
            continue
        aliases = sorted(a for a in entity.aliases if a != entity.name)
        actor_id, _score = index.find(entity.name, entity.kind, aliases)
        if actor_id is not None:
            names = [n for n in (entity.name, *aliases) if _new_alias(index, n, actor_id)]
            if names:
                lib.add_aliases(actor_id, names)
                index.add(actor_id, index.actors[actor_id].name, index.actors[actor_id].kind, names)
            result[key] = actor_id
            added.linked += 1
            continue
        uid = stable_uid("actor", entity.kind, key_of(entity.name))
        row = lib.conn.execute("SELECT id FROM actors WHERE uid = ?", (uid,)).fetchone()
        if row is not None:
            result[key] = row[0]
            continue
        safe = [a for a in aliases if not index.by_name.get(key_of(a))]
        try:
            actor_id = lib.add_actor(uid=uid, name=entity.name, kind=entity.kind,
                                     role=entity.role, aliases=safe, origin=ORIGIN,
                                     confidence=entity.confidence)
        except InvalidInput as exc:
            raise InvalidInput(f"actor {entity.name!r}: {exc}") from None
        index.add(actor_id, entity.name, entity.kind, safe)
        result[key] = actor_id
        added.counts["actors"] += 1
        if added.counts["actors"] <= examples:
            added.examples.append(f"actor {entity.name} ({entity.kind})")
    return result


def _new_alias(index: ActorIndex, name: str, actor_id: int) -> bool:
    """Whether to record ``name`` as an alias: unknown so far, and not a bare surname of another."""
    ids = index.by_name.get(key_of(name))
    if ids:
        return False
    if " " not in name.strip() and index.actors[actor_id].kind == "person":
        return len(index.surnames.get(key_of(name), [])) <= 1
    return True
