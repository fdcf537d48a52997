"""Helpers of the hostile-input tests: a library fingerprint and the command line."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from coup_explorer.tui.cli import app


def fingerprint(path: Path) -> tuple[dict[str, int], str]:
    """Row counts per table and a hash of every row: equal fingerprints, equal libraries."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        digest = hashlib.sha256("\n".join(conn.iterdump()).encode("utf-8", "surrogatepass"))
    finally:
        conn.close()
    return counts, digest.hexdigest()


def cli(*args: str, input: str | None = None):
    """Run the command line as a user would (exceptions are failures, not caught)."""
    return CliRunner().invoke(app, list(args), input=input)


def one_error_line(result) -> str:
    """The single ``coup-explorer: error:`` line of a failed command, checked."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("coup-explorer: error: ")
    assert "Traceback" not in result.output
    return lines[0]
