"""The library's schema: made with sqlite-utils, versioned with ``PRAGMA user_version``.

A library is one SQLite file, readable by ``sqlite3`` and Datasette too. Its
``application_id`` says it is a coup-explorer library; its ``user_version``
says which schema it has. Full-text indexes (FTS5, ``unicode61
remove_diacritics 2``) cover quote text with the speaker's names, event
summaries and actor names with aliases. Triggers keep them, the denormalised
name columns they read and the per-actor counts in step with the tables.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

APPLICATION_ID = 0x436F7570  # "Coup"
SCHEMA_VERSION = 1
TOKENIZE = "unicode61 remove_diacritics 2"
# Prefix indexes for one, two and three letters: the first keystrokes of a search
# ("m", "ma") expand to most of the vocabulary without them (124 ms against
# 0.4 ms for a first page at a million quotes; the file grows by about a third).
# Without a prefix index, FTS5 merges the doclists of every word with the prefix
# in memory before the first row: "the" at a million quotes, 9 MB and 50 ms for
# each query (a first page 1.7 ms with it, a count 71 -> 43 ms; the file grows
# by another 6-7%). Libraries made with "1 2" keep working: the prefix indexes
# only make a query faster, never change what it finds.
PREFIXES = "1 2 3"

FTS_COLUMNS = {
    "quotes": ["text", "speaker_names"],
    "events": ["summary", "date_text", "actor_names"],
    "actors": ["name", "alias_text", "role"],
}


def create(db: sqlite_utils.Database) -> None:
    """Create every table, index, full-text index and trigger in an empty database."""
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["sources"].create(
        {"id": int, "uid": str, "title": str, "author": str, "outlet": str, "url": str,
         "published": str, "text": str, "length": int, "content_hash": str, "origin": str,
         "added_at": str},
        pk="id", not_null={"uid", "title", "text", "length", "content_hash", "origin"},
    )
    db["paragraphs"].create(
        {"source_id": int, "number": int, "char_start": int, "char_end": int},
        pk=("source_id", "number"), foreign_keys=[("source_id", "sources", "id")],
    )
    db["actors"].create(
        {"id": int, "uid": str, "name": str, "sort_name": str, "kind": str, "role": str,
         "alias_text": str, "origin": str, "confidence": float,
         "event_count": int, "quote_count": int},
        pk="id", not_null={"uid", "name", "sort_name", "kind", "origin"},
        defaults={"event_count": 0, "quote_count": 0, "alias_text": ""},
    )
    db["aliases"].create(
        {"actor_id": int, "alias": str, "folded": str},
        pk=("actor_id", "alias"), foreign_keys=[("actor_id", "actors", "id")],
    )
    db["mentions"].create(
        {"actor_id": int, "source_id": int, "paragraph": int, "char_start": int, "char_end": int},
        pk=("source_id", "char_start", "actor_id"),
        foreign_keys=[("actor_id", "actors", "id"), ("source_id", "sources", "id")],
    )
    db["events"].create(
        {"id": int, "uid": str, "date": str, "date_precision": str, "date_end": str,
         "date_text": str, "summary": str, "actor_names": str, "source_id": int,
         "paragraph": int, "char_start": int, "char_end": int, "origin": str, "confidence": float},
        pk="id", not_null={"uid", "date", "date_precision", "summary", "source_id", "origin"},
        defaults={"actor_names": ""}, foreign_keys=[("source_id", "sources", "id")],
    )
    db["event_actors"].create(
        {"event_id": int, "actor_id": int}, pk=("event_id", "actor_id"),
        foreign_keys=[("event_id", "events", "id"), ("actor_id", "actors", "id")],
    )
    db["quotes"].create(
        {"id": int, "uid": str, "text": str, "speaker_id": int, "speaker_names": str,
         "kind": str, "date": str, "date_precision": str, "sort_date": str, "source_id": int,
         "paragraph": int, "char_start": int, "char_end": int, "origin": str, "confidence": float},
        pk="id", not_null={"uid", "text", "kind", "source_id", "origin"},
        defaults={"speaker_names": "", "sort_date": ""},
        foreign_keys=[("speaker_id", "actors", "id"), ("source_id", "sources", "id")],
    )
    # Who said or is named in each quote, with the quote's sort key so that one actor's
    # quotes are a range of one index, in list order.
    db["quote_actors"].create(
        {"quote_id": int, "actor_id": int, "sort_date": str, "source_id": int, "char_start": int},
        pk=("quote_id", "actor_id"),
        foreign_keys=[("quote_id", "quotes", "id"), ("actor_id", "actors", "id")],
    )
    db["marks"].create({"kind": str, "item_id": int, "marked_at": str}, pk=("kind", "item_id"))
    db["imports"].create(
        {"content_hash": str, "path": str, "format": str, "imported_at": str, "summary": str},
        pk="content_hash",
    )

    for table, columns, unique in [
        ("sources", ["uid"], True), ("sources", ["content_hash"], True),
        ("actors", ["uid"], True), ("actors", ["sort_name"], False),
        ("aliases", ["folded"], False),
        ("mentions", ["actor_id", "source_id", "char_start"], False),
        ("events", ["uid"], True), ("events", ["date", "id"], False),
        ("events", ["source_id", "paragraph"], False),
        ("event_actors", ["actor_id", "event_id"], False),
        ("quotes", ["uid"], True), ("quotes", ["sort_date", "source_id", "char_start"], False),
        ("quotes", ["speaker_id", "sort_date"], False), ("quotes", ["source_id", "paragraph"], False),
        ("quotes", ["date"], False),
        ("quote_actors", ["actor_id", "sort_date", "source_id", "char_start", "quote_id"], False),
    ]:
        db[table].create_index(columns, unique=unique)
    db.execute("CREATE INDEX idx_actors_weight ON actors((event_count + quote_count) DESC, sort_name)")

    for table, columns in FTS_COLUMNS.items():
        _full_text(db, table, columns)
    db.executescript(_TRIGGERS)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _full_text(db: sqlite_utils.Database, table: str, columns: list[str]) -> None:
    """An external-content FTS5 index of ``columns``, kept in step by triggers.

    As sqlite-utils' ``enable_fts(create_triggers=True)`` makes it (same table and
    trigger names, so its ``search`` finds it), plus prefix indexes, and updated
    only when an indexed column changes (not when a count beside it does).
    """
    listed = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    fts = f"[{table}_fts]"
    db.executescript(f"""
CREATE VIRTUAL TABLE {fts} USING FTS5 ({listed}, content=[{table}],
  tokenize='{TOKENIZE}', prefix='{PREFIXES}');
CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN
  INSERT INTO {fts} (rowid, {listed}) VALUES (new.rowid, {new});
END;
CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN
  INSERT INTO {fts} ({fts}, rowid, {listed}) VALUES ('delete', old.rowid, {old});
END;
CREATE TRIGGER [{table}_au] AFTER UPDATE OF {listed} ON [{table}] BEGIN
  INSERT INTO {fts} ({fts}, rowid, {listed}) VALUES ('delete', old.rowid, {old});
  INSERT INTO {fts} (rowid, {listed}) VALUES (new.rowid, {new});
END;
""")


# Names and counts that other tables read, kept in step whatever writes the rows.
_SPEAKER_NAMES = "(SELECT a.name || ' ' || a.alias_text FROM actors a WHERE a.id = {ref})"
_TRIGGERS = f"""
CREATE TRIGGER aliases_ai AFTER INSERT ON aliases BEGIN
  UPDATE actors SET alias_text = (SELECT group_concat(alias, ' | ') FROM aliases
                                   WHERE actor_id = NEW.actor_id) WHERE id = NEW.actor_id;
END;
CREATE TRIGGER aliases_ad AFTER DELETE ON aliases BEGIN
  UPDATE actors SET alias_text = coalesce((SELECT group_concat(alias, ' | ') FROM aliases
                                   WHERE actor_id = OLD.actor_id), '') WHERE id = OLD.actor_id;
END;
CREATE TRIGGER actors_names_au AFTER UPDATE OF name, alias_text ON actors BEGIN
  UPDATE quotes SET speaker_names = {_SPEAKER_NAMES.format(ref="NEW.id")} WHERE speaker_id = NEW.id;
  UPDATE events SET actor_names = (
    SELECT group_concat(a.name, ' | ') FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
    WHERE ea.event_id = events.id)
  WHERE id IN (SELECT event_id FROM event_actors WHERE actor_id = NEW.id);
END;
CREATE TRIGGER quotes_speaker_ai AFTER INSERT ON quotes WHEN NEW.speaker_id IS NOT NULL BEGIN
  UPDATE actors SET quote_count = quote_count + 1 WHERE id = NEW.speaker_id;
END;
CREATE TRIGGER quotes_speaker_ad AFTER DELETE ON quotes WHEN OLD.speaker_id IS NOT NULL BEGIN
  UPDATE actors SET quote_count = quote_count - 1 WHERE id = OLD.speaker_id;
END;
CREATE TRIGGER quotes_speaker_au AFTER UPDATE OF speaker_id ON quotes
WHEN OLD.speaker_id IS NOT NEW.speaker_id BEGIN
  UPDATE actors SET quote_count = quote_count - 1 WHERE id = OLD.speaker_id;
  UPDATE actors SET quote_count = quote_count + 1 WHERE id = NEW.speaker_id;
  UPDATE quotes SET speaker_names = coalesce({_SPEAKER_NAMES.format(ref="NEW.speaker_id")}, '')
  WHERE id = NEW.id;
END;
CREATE TRIGGER event_actors_ai AFTER INSERT ON event_actors BEGIN
  UPDATE actors SET event_count = event_count + 1 WHERE id = NEW.actor_id;
  UPDATE events SET actor_names = (
    SELECT group_concat(a.name, ' | ') FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
    WHERE ea.event_id = NEW.event_id) WHERE id = NEW.event_id;
END;
CREATE TRIGGER event_actors_ad AFTER DELETE ON event_actors BEGIN
  UPDATE actors SET event_count = event_count - 1 WHERE id = OLD.actor_id;
  UPDATE events SET actor_names = coalesce((
    SELECT group_concat(a.name, ' | ') FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
    WHERE ea.event_id = OLD.event_id), '') WHERE id = OLD.event_id;
END;
"""


TABLES = ("meta", "sources", "paragraphs", "actors", "aliases", "mentions", "events",
          "event_actors", "quotes", "quote_actors", "marks", "imports")


def check(conn: sqlite3.Connection, label: str) -> None:
    """Raise LibraryError unless ``conn`` holds a library this version can read."""
    from .errors import ELSEWHERE, LibraryError

    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "not a database" not in str(exc):
            raise  # locked, unreadable: for the caller to explain
        raise LibraryError(f"{label} is not a coup-explorer library (it is not an SQLite "
                           f"database): move it away to start a new library there, or "
                           f"{ELSEWHERE}") from None
    if app_id != APPLICATION_ID:
        raise LibraryError(f"{label} is not a coup-explorer library (an SQLite database of "
                           f"something else): {ELSEWHERE}")
    if version > SCHEMA_VERSION:
        raise LibraryError(
            f"{label} was made by a newer coup-explorer (schema {version}; "
            f"this version reads up to {SCHEMA_VERSION}): upgrade coup-explorer, or {ELSEWHERE}"
        )
    if version < 1:
        raise LibraryError(f"{label} is a coup-explorer library with no schema: {ELSEWHERE}")


def probe(conn: sqlite3.Connection) -> None:
    """Read the first row of every table and full-text index: a damaged file fails here,
    when it is opened, rather than halfway through a command (sqlite3.DatabaseError)."""
    for table in (*TABLES, *(f"{t}_fts" for t in FTS_COLUMNS)):
        conn.execute(f"SELECT rowid FROM [{table}] LIMIT 1").fetchone()
