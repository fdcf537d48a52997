"""Goal G3: a full-text search answered in at most 0.2x the time Datasette takes.

    python bench/goal_datasette.py LIBRARY.db [--pairs 15] [--term WORD]... [--workdir DIR]

What is measured. For each search term, the answer a person gets when they
search the quotes for it: the first 100 matching quotes and how many match.

  ours       the app's own calls, in-process: ``Explorer.page`` and
             ``Explorer.count`` for the quotes pane with the filter the search
             bar makes (``pane_filter``), on a library opened read-only with
             ``open_library`` -- exactly what the app runs on a keystroke.
  Datasette  ``GET /<db>/quotes.json?_search=...&_searchmode=raw&_size=100``
             to ``datasette serve -i LIBRARY`` on 127.0.0.1, timed by the client
             from sending the request to reading the whole body, on one
             keep-alive connection (``http.client``). Datasette finds
             ``quotes_fts`` by itself (an external-content FTS5 table, as
             sqlite-utils makes them), selects the page with ``rowid IN
             (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH :search)
             ORDER BY id LIMIT 101`` and counts with ``count(*)`` over the same
             WHERE (``filtered_table_rows_count``).

Why it is fair. Both answer the same search on the same file: Datasette gets,
in raw mode, the very FTS5 expression the app builds from the term
(``search.to_fts``: words quoted, accents folded, the last word a prefix), so
both match the same rows; every measurement checks that the counts agree and
that both pages hold as many rows. Datasette gets its best case: the file
opened immutable (``-i``: no locking, no change detection; it is only read),
no suggested facets (``suggest_facets off``, ``_nofacet=1``), which the app
does not compute either, and a time limit (``sql_time_limit_ms``) high enough
that no search or count is cut off (a cut-off count is an error here, not a
fast answer). The app does at least as much: it ranks the matches by bm25
(up to ``RANK_LIMIT`` matches; a broader search is listed in rowid order, the
order Datasette lists every search in) and also looks up which of the page's quotes are
marked. Datasette's time includes its HTTP and JSON on loopback: that is what
anyone asking it pays, and the app answers without them. Both run on the same
machine at once (the server is idle while the app is timed), so a loaded machine
slows both; the ratio of each pair is taken before the median for that reason.

How. Datasette runs in its own virtual environment (``WORKDIR/datasette-venv``,
made once with ``python -m venv`` and ``pip install datasette``), so its
dependencies never touch the project's; if that fails (no network, say), the
result is a skip with the reason. The server is started on a free loopback
port, waited for, and always stopped at the end. Terms default to four drawn
from the library's own FTS vocabulary: the most common word of 3+ letters, a
word in about 1% of quotes, the rarest word (a handful of quotes if there is
one; a library made by bench/synth.py has none under ~1%), and an accented
name (``Áñez`` where the quotes have it). Per term, both sides run once
untimed (warm caches, prepared statements), then ``pairs`` timed pairs,
alternating which side goes first; the term's ratio is the median of the
per-pair ratios ours/Datasette. The goal ratio is the WORST term's (the max):
the goal says a search, not the average search. The median over terms is
reported beside it. ``ours`` and ``baseline`` are the median seconds of that
worst term.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from coup_explorer.db import search as fts
from coup_explorer.db.library import open_library
from coup_explorer.db.models import Filter
from coup_explorer.tui.explorer import PAGE_SIZE, Explorer, pane_filter

GOAL = 0.2
TIME_LIMIT_MS = 120_000  # Datasette's per-query limit, raised so that nothing is cut off
START_TIMEOUT = 180.0  # seconds for the server to answer (-i hashes and counts the file first)
INSTALL_TIMEOUT = 900.0


@dataclass
class TermResult:
    term: str
    count: int
    ours: float  # median seconds
    theirs: float
    ratio: float  # median of the per-pair ratios
    same_page: bool  # the same quote ids in the same order (unranked: more than RANK_LIMIT)


# -- Datasette in its own environment ------------------------------------------------------


def datasette_command(workdir: Path) -> tuple[list[str] | None, str | None]:
    """The datasette executable in WORKDIR/datasette-venv (made once), or why there is none."""
    venv = workdir / "datasette-venv"
    exe = venv / ("Scripts" if os.name == "nt" else "bin") / "datasette"
    if _works([str(exe), "--version"]):
        return [str(exe)], None
    workdir.mkdir(parents=True, exist_ok=True)
    steps = [[sys.executable, "-m", "venv", "--clear", str(venv)],
             [str(exe.with_name("python")), "-m", "pip", "install", "--quiet",
              "--disable-pip-version-check", "datasette"]]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=INSTALL_TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"cannot install Datasette: {exc}"
        if done.returncode != 0:
            lines = [ln for ln in (done.stderr or done.stdout).splitlines() if ln.strip()
                     and not ln.startswith("WARNING")]
            return None, f"cannot install Datasette: {lines[-1] if lines else 'pip failed'}"
    if not _works([str(exe), "--version"]):
        return None, "cannot install Datasette: the installed command does not run"
    return [str(exe)], None


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=60, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``datasette serve -i LIBRARY`` on a loopback port; a context manager that always stops it."""

    def __init__(self, command: list[str], library: Path, workdir: Path) -> None:
        self.port = free_port()
        self.log_path = workdir / "datasette.log"
        self.args = [*command, "serve", "-i", str(library), "--host", "127.0.0.1",
                     "--port", str(self.port),
                     "--setting", "sql_time_limit_ms", str(TIME_LIMIT_MS),
                     "--setting", "default_page_size", str(PAGE_SIZE),
                     "--setting", "suggest_facets", "off"]
        self.library = library.resolve()
        self.proc: subprocess.Popen | None = None
        self.conn: http.client.HTTPConnection | None = None

    def __enter__(self) -> Server:
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: the server and its workers
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                tail = self.log_path.read_text(errors="replace").strip().splitlines()[-3:]
                raise RuntimeError(f"datasette exited with {self.proc.returncode}: "
                                   + " | ".join(tail))
            try:
                self.get_json("/-/versions.json")
                return
            except (OSError, http.client.HTTPException, ValueError):
                if self.conn is not None:
                    self.conn.close()
                    self.conn = None
                time.sleep(0.1)
        raise RuntimeError(f"datasette did not answer within {START_TIMEOUT:.0f}s")

    def get(self, path: str) -> bytes:
        """The body of a GET on the kept-alive connection (reopened once if the server shut it)."""
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            try:
                self.conn.request("GET", path)
                response = self.conn.getresponse()
                body = response.read()
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            if response.status != 200:
                raise RuntimeError(f"datasette answered {response.status} to {path}: "
                                   f"{body[:200]!r}")
            return body
        raise AssertionError("unreachable")

    def get_json(self, path: str) -> dict | list:
        return json.loads(self.get(path))

    def version(self) -> str:
        versions = self.get_json("/-/versions.json")
        return versions["datasette"]["version"]  # type: ignore[index,call-overload]

    def route(self) -> str:
        """The URL segment of the library's database."""
        for db in self.get_json("/-/databases.json"):  # type: ignore[union-attr]
            if Path(db["path"]).resolve() == self.library:
                return db.get("route") or db["name"]
        raise RuntimeError("datasette does not list the library")


def search_path(route: str, term: str) -> str:
    """Datasette's table search for ``term``, with the app's FTS5 expression in raw mode."""
    query = urllib.parse.urlencode({"_search": fts.to_fts(term), "_searchmode": "raw",
                                    "_size": PAGE_SIZE, "_nofacet": 1})
    return f"/{urllib.parse.quote(route)}/quotes.json?{query}"


# -- terms -----------------------------------------------------------------------------------


def pick_terms(library: Path) -> list[str]:
    """Four terms from the library's quotes: common, ~1% of quotes, rare, and an accented name."""
    uri = f"file:{urllib.parse.quote(str(library.resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, quotes_fts, row)")
        total = conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        # A prefix search for a word also finds longer words: count the prefix, not the word.
        def matches(word: str) -> int:
            return conn.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH ?",
                                (fts.to_fts(word),)).fetchone()[0]
        words = [(t, d) for t, d in conn.execute(
            "SELECT term, doc FROM temp.vocab WHERE length(term) >= 3 ORDER BY doc DESC, term")
            if t.isalpha() and t.isascii()]
        if not words:
            raise RuntimeError("the library's quotes hold no word of 3+ letters")
        common = words[0][0]
        # The rarest word (one that matches at most 3 quotes even as a prefix, if there is
        # one: a generated library may have no rare word at all), then of the rest the one
        # nearest to 1% of the quotes.
        rare = next((t for t, _ in reversed(words[1:]) if len(t) >= 5 and matches(t) <= 3),
                    words[-1][0])
        target = max(2, total // 100)
        others = [w for w in words if w[0] not in (common, rare)] or words
        mid = min(others, key=lambda w: (abs(w[1] - target), w[0]))[0]
        accented = _accented(conn)
        return list(dict.fromkeys([common, mid, rare, *([accented] if accented else [])]))
    finally:
        conn.close()


def _accented(conn: sqlite3.Connection) -> str | None:
    """Áñez if the quotes name her, else the most quoted word with an accent, if any."""
    vocab = dict(conn.execute("SELECT term, doc FROM temp.vocab"))
    if vocab.get("anez"):
        return "Áñez"
    best: tuple[int, str] | None = None
    for (text,) in conn.execute("SELECT text || ' ' || coalesce(speaker_names, '') FROM quotes "
                                "LIMIT 5000"):
        for word in fts.tokens(text):
            folded = fts.fold(word)
            if len(word) >= 3 and folded != word.casefold() and vocab.get(folded):
                best = max(best or (0, ""), (vocab[folded], word))
    return best[1] if best else None


# -- the measurement -------------------------------------------------------------------------


def measure(library: Path, workdir: Path, *, terms: list[str] | None = None,
            pairs: int = 15) -> dict:
    """Time the app's search against Datasette's on ``library``; see the module docstring."""
    library = Path(library)
    workdir = Path(workdir)
    command, why = datasette_command(workdir)
    if command is None:
        return {"ratio": None, "ours": None, "baseline": None,
                "detail": "Datasette not measured", "skip": why}
    terms = terms or pick_terms(library)
    lib = open_library(library)
    explorer = Explorer(lib)
    results: list[TermResult] = []
    try:
        with Server(command, library, workdir) as server:
            version, route = server.version(), server.route()
            for term in terms:
                results.append(_measure_term(explorer, server, route, term, pairs))
    finally:
        lib.close()

    worst = max(results, key=lambda r: r.ratio)
    per_term = ", ".join(f"{r.term!r} {r.count:,} matches "
                         f"{'same page' if r.same_page else 'ours ranked'} "
                         f"{r.ours * 1000:.1f}/{r.theirs * 1000:.1f}ms {r.ratio:.3f}x"
                         for r in results)
    median_ratio = statistics.median(r.ratio for r in results)
    detail = (f"Datasette {version} (-i, raw _search, page+count): worst term {worst.term!r} "
              f"{worst.ratio:.3f}x, median over {len(results)} terms {median_ratio:.3f}x; "
              f"ours/Datasette: {per_term}; median of {pairs} pairs")
    return {"ratio": worst.ratio, "ours": worst.ours, "baseline": worst.theirs, "detail": detail,
            "skip": None, "median_ratio": median_ratio, "datasette": version,
            "terms": [vars(r) for r in results]}


def _measure_term(explorer: Explorer, server: Server, route: str, term: str,
                  pairs: int) -> TermResult:
    flt: Filter = pane_filter("quote", Filter(), term, "quotes")
    path = search_path(route, term)

    def ours() -> tuple[list[int], int]:
        page = explorer.page("quote", flt, 0)
        return [q.id for q in page.items], explorer.count("quote", flt)

    def theirs() -> bytes:
        return server.get(path)

    # Untimed runs, which also check that both answer the same search.
    mine, count = ours()
    answer = json.loads(theirs())
    their_count = answer.get("filtered_table_rows_count")
    if their_count is None:
        raise RuntimeError(f"Datasette did not count the matches of {term!r} (timed out?)")
    if their_count != count or len(answer["rows"]) != len(mine):
        raise RuntimeError(f"not the same search for {term!r}: ours {count} matches, "
                           f"{len(mine)} rows; Datasette {their_count}, {len(answer['rows'])}")
    pk = answer["columns"].index("id")
    same_page = [row[pk] for row in answer["rows"]] == mine

    ratios, mine_s, theirs_s = [], [], []
    for n in range(pairs):
        order = (ours, theirs) if n % 2 == 0 else (theirs, ours)
        taken = {}
        for fn in order:
            started = time.perf_counter()
            fn()
            taken[fn] = time.perf_counter() - started
        mine_s.append(taken[ours])
        theirs_s.append(taken[theirs])
        ratios.append(taken[ours] / taken[theirs])
    return TermResult(term, count, statistics.median(mine_s), statistics.median(theirs_s),
                      statistics.median(ratios), same_page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--pairs", type=int, default=15, help="timed pairs per term")
    parser.add_argument("--term", action="append", dest="terms",
                        help="a search term (repeatable; default: four from the library)")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "coup-explorer-bench-cache",
                        help="where Datasette's virtual environment is kept between runs")
    args = parser.parse_args()
    if not args.library.is_file():
        parser.error(f"{args.library} is not a file")
    result = measure(args.library, args.workdir, terms=args.terms, pairs=args.pairs)
    if result["skip"]:
        print(f"G3 Datasette search: skipped: {result['skip']}")
        return
    verdict = "met" if result["ratio"] <= GOAL else "NOT met"
    print(f"G3 Datasette search: {result['ratio']:.3f}x (goal <= {GOAL}x, {verdict}); "
          f"{result['detail']}")


if __name__ == "__main__":
    main()
