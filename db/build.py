"""Build the shipped story database from the curated JSON.

    python -m coup_explorer.db.build [--output PATH]

The result is deterministic for a given story.json: the test suite builds it
afresh and checks that the shipped ``data/story.db`` holds the same rows.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import exchange, paths
from .errors import LibraryError
from .library import Library, create_empty

STORY_NAME = "The COB enters the Áñez government"


def build(output: Path, story: Path | None = None) -> Library:
    """Write a new story library at ``output`` (replacing it) and return it, open."""
    story = story or paths.bundled_story_json()
    data = json.loads(story.read_text(encoding="utf-8"))
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    lib = create_empty(partial, name=STORY_NAME)
    with lib.transaction():
        lib.set_meta("built_from", story.name)
        exchange.load(lib, data, base_dir=story.parent, origin="curated")
    lib.conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    lib.conn.execute("VACUUM")
    lib.close()
    partial.replace(output)
    from .library import connect
    return connect(output, write=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coup_explorer.db.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "data" / "story.db")
    parser.add_argument("--story", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        lib = build(args.output, args.story)
    except (LibraryError, OSError, json.JSONDecodeError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    stats = lib.stats()
    lib.close()
    print(f"{args.output}: {stats.sources} source, {stats.actors} actors, {stats.events} events, "
          f"{stats.quotes} quotes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
