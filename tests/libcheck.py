"""Checking a library file from the outside: integrity, and its rows by stable ids."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from coup_explorer.db.schema import FTS_COLUMNS

PER_SOURCE = {
    "paragraphs": """SELECT s.uid, p.number, p.char_start, p.char_end
                     FROM paragraphs p JOIN sources s ON s.id = p.source_id""",
    "quotes": """SELECT s.uid, q.uid, q.text, sp.uid, q.kind, q.date, q.date_precision, q.paragraph,
                        q.char_start, q.char_end, q.origin, q.confidence
                 FROM quotes q JOIN sources s ON s.id = q.source_id
                 LEFT JOIN actors sp ON sp.id = q.speaker_id""",
    "quote_actors": """SELECT s.uid, q.uid, a.uid FROM quote_actors qa
                       JOIN quotes q ON q.id = qa.quote_id JOIN sources s ON s.id = q.source_id
                       JOIN actors a ON a.id = qa.actor_id""",
    "events": """SELECT s.uid, e.uid, e.date, e.date_precision, e.date_end, e.date_text, e.summary,
                        e.paragraph, e.char_start, e.char_end, e.origin, e.confidence
                 FROM events e JOIN sources s ON s.id = e.source_id""",
    "event_actors": """SELECT s.uid, e.uid, a.uid FROM event_actors ea
                       JOIN events e ON e.id = ea.event_id JOIN sources s ON s.id = e.source_id
                       JOIN actors a ON a.id = ea.actor_id""",
    "mentions": """SELECT s.uid, a.uid, m.paragraph, m.char_start, m.char_end
                   FROM mentions m JOIN sources s ON s.id = m.source_id
                   JOIN actors a ON a.id = m.actor_id""",
    "sources": """SELECT s.uid, s.uid, s.title, s.author, s.outlet, s.url, s.published, s.text,
                         s.content_hash, s.origin FROM sources s""",
}


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)


def by_source(path: Path) -> dict[str, dict[str, list[tuple]]]:
    """Every source's rows of each table, by the source's stable id."""
    found: dict[str, dict[str, list[tuple]]] = {}
    with read_only(path) as conn:
        for table, sql in PER_SOURCE.items():
            for row in conn.execute(sql):
                found.setdefault(row[0], {t: [] for t in PER_SOURCE})[table].append(row[1:])
    for tables in found.values():
        for rows in tables.values():
            rows.sort(key=repr)
    return found


def whole(path: Path) -> dict[str, object]:
    """Everything a library holds, by stable ids (integer row ids may differ)."""
    with read_only(path) as conn:
        actors = sorted(conn.execute(
            "SELECT uid, name, sort_name, kind, role, alias_text, origin, confidence, event_count, "
            "quote_count FROM actors"))
        aliases = sorted(conn.execute(
            "SELECT a.uid, al.alias, al.folded FROM aliases al JOIN actors a ON a.id = al.actor_id"))
        imports = sorted(conn.execute("SELECT content_hash, path, format, summary FROM imports"))
        marks = sorted(conn.execute("SELECT kind, item_id FROM marks"))
        speakers = sorted(conn.execute("SELECT uid, speaker_names FROM quotes"))
    return {"sources": by_source(path), "actors": actors, "aliases": aliases, "speakers": speakers,
            "imports": imports, "marks": marks}


def problems(path: Path) -> list[str]:
    """What SQLite's integrity, foreign-key and full-text checks find wrong (none: [])."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    try:
        found = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        found += [repr(row) for row in conn.execute("PRAGMA foreign_key_check")]
        for table in FTS_COLUMNS:
            try:
                conn.execute(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                found.append(f"{table}_fts: {exc}")
        return found
    finally:
        conn.close()
