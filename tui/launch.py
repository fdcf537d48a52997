"""``coup-explorer``: open the app at once; hand anything else to the batch command line.

Typing ``coup-explorer`` (or ``coup-explorer --db PATH``) should show the first
screen as fast as a minimal Textual app, so this module loads neither typer nor
sqlite-utils, the importers or the exporters: the app is opened straight away.
Any other arguments (a command, ``--help``, ``--version``) go to the typer
application in ``cli.py``, which says the same things about the same mistakes.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path


def app_arguments(argv: list[str]) -> tuple[bool, str | None]:
    """Whether ``argv`` asks only to open the app, and the ``--db`` it gives (if any)."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db" and argv[1] and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > len("--db="):
        return True, argv[0][len("--db="):]
    return False, None


def open_app(db: str | os.PathLike[str] | None) -> int:
    """Check the terminal and the library, then run the app; returns the exit status."""
    from ..db.errors import LibraryError, os_error_line
    from ..db.library import open_library
    from .display import clean

    def fail(message: str) -> int:
        sys.stderr.write(f"coup-explorer: error: {clean(message)}\n")
        return 1

    try:
        library = open_library(db)  # made from the bundled story on first use, and checked
    except LibraryError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(os_error_line(exc))
    path: Path = library.path  # type: ignore[assignment]
    library.close()
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        return fail("the app needs a terminal (see 'coup-explorer --help' for the batch commands)")
    from .app import ExplorerApp

    # Everything made so far (the modules, classes and functions of Textual and the app)
    # lives as long as the process. Frozen, the garbage collector no longer walks those
    # objects: without this, a full collection of ~50,000 of them (35-55 ms) fell during
    # the first frame, and another at exit.
    gc.freeze()
    ExplorerApp(path).run()
    return 0


def main() -> None:
    plain, db = app_arguments(sys.argv[1:])
    if not plain:
        from .cli import main as batch

        batch()
        return
    sys.exit(open_app(db))


if __name__ == "__main__":
    main()
