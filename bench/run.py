"""The speed goals: the app held to the limits of SQLite and Textual, at a million quotes.

    python bench/run.py                     # 1,000,000 quotes (built once, then cached)
    python bench/run.py --quotes 100000
    python bench/run.py --quick             # 20,000 quotes, fewer pairs: a smoke run

Builds (once, cached under ``--cache``) a synthetic corpus of N quotes
(bench/corpus.py) and imports it with ``coup-explorer import``, then measures
each goal as a ratio against a baseline measured in the same run, interleaved,
and prints one line per goal::

    G<n> <what> <ratio>x (target <target>x) PASS|FAIL

It exits 1 if any goal fails. bench/README.md says what each goal measures
and why its baseline is the one a tool built on the same parts cannot beat.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (120, 35)
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "coup-explorer-bench"


@dataclass
class Goal:
    number: str
    what: str
    target: float
    ratio: float | None = None
    detail: str = ""
    skip: str | None = None

    @property
    def passed(self) -> bool:
        return self.skip is not None or (self.ratio is not None and self.ratio <= self.target)

    def line(self) -> str:
        if self.skip is not None:
            return f"G{self.number} {self.what} skipped: {self.skip} (target {self.target}x) PASS"
        shown = "none" if self.ratio is None else f"{self.ratio:.2f}x"
        verdict = "PASS" if self.passed else "FAIL"
        return f"G{self.number} {self.what} {shown} (target {self.target}x) {verdict}"


def median_ratio(pairs: list[tuple[float, float]]) -> float:
    return statistics.median(a / b for a, b in pairs)


# -- the corpus ----------------------------------------------------------------------------------


def entry_point() -> list[str]:
    """How to run ``coup-explorer`` with this interpreter (the installed script, else the module)."""
    script = Path(sys.executable).with_name("coup-explorer")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "coup_explorer.tui.launch"]


def build(quotes: int, cache: Path) -> tuple[Path, Path, float]:
    """The corpus (a folder of JSON Lines parts) and the library imported from it, made once;
    returns both and the time taken."""
    import corpus

    cache.mkdir(parents=True, exist_ok=True)
    folder = cache / f"corpus-{quotes}-v{corpus.VERSION}"
    from coup_explorer.db.schema import PREFIXES

    # The library is made for the schema's full-text prefix indexes: another set, another file.
    library = cache / f"library-{quotes}-v{corpus.VERSION}-p{PREFIXES.replace(' ', '')}.db"
    started = time.perf_counter()
    if not folder.exists():
        print(f"  writing {folder} ...", file=sys.stderr)
        corpus.write(folder, quotes)
    if not library.exists():
        partial = library.with_name(library.name + ".partial")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        print(f"  importing it into {library} ...", file=sys.stderr)
        files = [str(p) for p in corpus.parts(folder)]
        subprocess.run([*entry_point(), "import", *files, "--db", str(partial)], check=True,
                       stdout=subprocess.DEVNULL, env=child_env(cache))
        conn = sqlite3.connect(partial)  # fold the WAL in, so the file moves whole
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        partial.replace(library)
    return folder, library, time.perf_counter() - started


def compiled() -> None:
    """Byte-compile the app's modules once, as installing a package does.

    Where ``PYTHONDONTWRITEBYTECODE`` is set, an editable install compiles every
    module of the app from source in every process, while Textual, installed by pip,
    is loaded from bytecode: the whole-process goals (G4, G9) would time Python's
    compiler against Textual's cached bytecode.
    """
    import compileall

    import coup_explorer.db
    import coup_explorer.tui

    for package in (coup_explorer.db, coup_explorer.tui):
        for folder in package.__path__:
            compileall.compile_dir(folder, quiet=1)


def child_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    home = cache / "home"  # settings and the default library of the runs, not the user's
    env["XDG_DATA_HOME"], env["XDG_CONFIG_HOME"] = str(home / "data"), str(home / "config")
    env.pop("COUP_EXPLORER_DB", None)
    return env


def working_copy(library: Path, cache: Path, name: str) -> Path:
    """A copy the app may write to (marks, its WAL), so the cached library stays as built."""
    target = cache / "work" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(library, target)
    return target


# -- whole processes ---------------------------------------------------------------------------


def run_child(args: list[str], cache: Path, *, tty: bool = False) -> tuple[float, dict]:
    """Wall time of one child process (bench/appgoals.py), and the JSON it wrote.

    With ``tty`` the child gets a pseudo-terminal of 120x35 for its standard streams,
    as in a terminal window, and what it draws is read and thrown away.
    """
    result = cache / "work" / "child.json"
    result.parent.mkdir(parents=True, exist_ok=True)
    result.unlink(missing_ok=True)
    cmd = [sys.executable, str(HERE / "appgoals.py"), *args, "--out", str(result)]
    env = {**child_env(cache), "TERM": "xterm-256color", "COLUMNS": str(SIZE[0]),
           "LINES": str(SIZE[1])}
    started = time.perf_counter()
    if tty:
        code = _in_terminal(cmd, env)
    else:
        code = subprocess.run(cmd, check=False, env=env).returncode
    elapsed = time.perf_counter() - started
    if code != 0 or not result.exists():
        raise SystemExit(f"bench: {' '.join(args[:2])} failed (exit {code})")
    return elapsed, json.loads(result.read_text())


def _in_terminal(cmd: list[str], env: dict[str, str]) -> int:
    import fcntl
    import pty
    import struct
    import termios
    import threading

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    child = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env,
                             start_new_session=True)
    os.close(slave)

    def drain() -> None:
        try:
            while os.read(master, 65536):
                pass
        except OSError:  # the child closed the terminal
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    code = child.wait()
    reader.join(timeout=5)
    os.close(master)
    return code


def interleaved(a: Callable[[], float], b: Callable[[], float], pairs: int) -> list[tuple[float, float]]:
    """``pairs`` runs of each, alternating which goes first; one untimed run of each first."""
    a(), b()
    out = []
    for i in range(pairs):
        if i % 2:
            y = b()
            x = a()
        else:
            x = a()
            y = b()
        out.append((x, y))
    return out


def goal_start(library: Path, story: Path, cache: Path, pairs: int) -> tuple[Goal, dict]:
    """G4 first screen, whole processes, the app against a minimal app; and their peak memory."""
    memory: dict[str, list[float]] = {"app": [], "bare": [], "story": []}

    def app() -> float:
        elapsed, out = run_child(["start", str(library)], cache, tty=True)
        memory["app"].append(out["rss"])
        return elapsed

    def bare() -> float:
        elapsed, out = run_child(["start-bare"], cache, tty=True)
        memory["bare"].append(out["rss"])
        return elapsed

    timed = interleaved(app, bare, pairs)
    for _ in range(3):
        memory["story"].append(run_child(["start", str(story)], cache, tty=True)[1]["rss"])
    g4 = Goal("4", "first screen vs a minimal Textual app", 1.3, median_ratio(timed))
    g4.detail = (f"app {statistics.median(a for a, _ in timed) * 1000:.0f} ms, minimal "
                 f"{statistics.median(b for _, b in timed) * 1000:.0f} ms")
    return g4, memory


def memory_goals(memory: dict[str, list[float]]) -> list[Goal]:
    """G5: the app's peak at N quotes (first screen, and a whole session when it ran) against
    the minimal app's, and against the same on the bundled story."""
    app, bare, story = (statistics.median(memory[k]) for k in ("app", "bare", "story"))
    peak = max(app, *memory.get("session", []))
    story_peak = max(story, *memory.get("session_story", []))
    return [Goal("5a", "peak memory vs the minimal app", 1.5, app / bare,
                 f"first screen {app:.0f} MB, minimal app {bare:.0f} MB"),
            Goal("5b", "peak memory vs the app on the bundled story", 1.1, peak / story_peak,
                 f"{peak:.0f} MB against {story_peak:.0f} MB (first screen and a session)")]


def goal_imports(cache: Path, pairs: int) -> Goal:
    """G9: importing what the app needs for its first screen, against Textual's own parts."""
    ours = [sys.executable, "-c", "import coup_explorer.tui.launch, coup_explorer.tui.app"]
    theirs = [sys.executable, "-c",
              "from textual.app import App; from textual.widgets import DataTable, Header, Footer"]

    def timed(cmd: list[str]) -> Callable[[], float]:
        def run() -> float:
            started = time.perf_counter()
            subprocess.run(cmd, check=True, env=child_env(cache))
            return time.perf_counter() - started
        return run

    pairs_ = interleaved(timed(ours), timed(theirs), pairs)
    # What is loaded at all: typer, sqlite-utils and the exporters must not be.
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, coup_explorer.tui.launch, coup_explorer.tui.app; "
         "print(' '.join(m for m in ('typer', 'sqlite_utils', 'coup_explorer.db.exporters', "
         "'coup_explorer.db.importers', 'yaml', 'trafilatura', 'rapidfuzz') if m in sys.modules))"],
        check=True, capture_output=True, text=True, env=child_env(cache)).stdout.strip()
    goal = Goal("9", "the app's imports vs Textual's App, DataTable, Header, Footer", 1.3,
                median_ratio(pairs_))
    goal.detail = (f"ours {statistics.median(a for a, _ in pairs_) * 1000:.0f} ms, Textual "
                   f"{statistics.median(b for _, b in pairs_) * 1000:.0f} ms; "
                   f"loaded eagerly: {probe or 'none of typer, sqlite-utils, exporters, importers'}")
    if probe:
        goal.ratio = max(goal.ratio or 0, goal.target + 1)  # a heavy module on the path fails it
    return goal


def goal_session(library: Path, story: Path, cache: Path, quick: bool) -> tuple[list[Goal], dict]:
    """G1, G2, G6, G7 in one app process, each paired with its baseline in the same process."""
    work = working_copy(library, cache, "session.db")
    _, out = run_child(["session", str(work), *(["--quick"] if quick else [])], cache)
    work_story = working_copy(story, cache, "story.db")  # the same session: G5b compares them
    _, story_out = run_child(["session", str(work_story), *(["--quick"] if quick else [])], cache)
    goals = []
    g1 = Goal("1", "search keystroke to results drawn vs raw FTS5 top-100 + repaint", 1.3,
              median_ratio(out["g1"]), f"{len(out['g1'])} keystrokes")
    goals.append(g1)
    g2 = Goal("2", "during a slow query: echo vs repaint, stale query cancelled, last result "
              "vs its raw time", 1.5)
    if out["g2"].get("skip"):
        g2.skip = out["g2"]["skip"]
    else:
        echo = median_ratio(out["g2"]["echo"])
        last = median_ratio(out["g2"]["last"])
        g2.ratio = max(echo, last) if out["g2"]["cancelled"] else None
        g2.detail = (f"echo {echo:.2f}x, last result {last:.2f}x its raw page and count "
                     f"{out['g2']['own_raw_ms']} + repaint, stale queries interrupted: "
                     f"{out['g2']['cancelled']}; query {out['g2']['query']!r}")
    goals.append(g2)
    g6 = Goal("6", "jump to any row of the longest list, drawn, vs a 100-row table repaint", 1.0,
              median_ratio(out["g6"]), f"{len(out['g6'])} jumps over {out['quotes']:,} quotes")
    goals.append(g6)
    g7 = Goal("7", "count of matches drawn vs raw count(*) + repaint", 1.5, median_ratio(out["g7"]),
              f"rows drawn before the count every time: {out['rows_first']}")
    if not out["rows_first"]:
        g7.ratio = None
    goals.append(g7)
    return goals, {"session": [out["rss"]], "session_story": [story_out["rss"]]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 quotes and fewer pairs")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help=f"where the corpus and libraries are kept (default {DEFAULT_CACHE})")
    parser.add_argument("--only", default="", help="comma-separated goal numbers to run")
    args = parser.parse_args()
    quotes = 20_000 if args.quick and args.quotes == 1_000_000 else args.quotes
    pairs = 5 if args.quick else 15
    only = {g.strip() for g in args.only.split(",") if g.strip()}

    def wanted(*numbers: str) -> bool:
        return not only or bool(only & set(numbers))

    from coup_explorer.db import paths

    story = paths.bundled_story()
    compiled()
    corpus_dir, library, built = build(quotes, args.cache)
    print(f"corpus: {corpus_dir}")
    print(f"library: {library} ({built:.0f} s to make or find)")
    goals: list[Goal] = []
    memory: dict[str, list[float]] = {}
    if wanted("1", "2", "5", "6", "7"):
        session_goals, memory = goal_session(library, story, args.cache, args.quick)
        goals += [g for g in session_goals if wanted(g.number)]
    if wanted("3"):
        import goal_datasette

        result = goal_datasette.measure(library, args.cache, pairs=pairs)
        goals.append(Goal("3", "full-text search answered vs Datasette", 0.2, result.get("ratio"),
                          result.get("detail", ""), result.get("skip")))
    if wanted("4", "5"):
        g4, start_memory = goal_start(working_copy(library, args.cache, "start.db"),
                                      working_copy(story, args.cache, "start-story.db"),
                                      args.cache, pairs)
        memory.update(start_memory)
        if wanted("4"):
            goals.append(g4)
        if wanted("5"):
            goals += memory_goals(memory)
    if wanted("8"):
        import goal_import

        import corpus

        first = corpus.parts(corpus_dir)[0]  # one file of 48 MB
        result = goal_import.measure(first, args.cache / "import", repeats=1 if args.quick else 3,
                                     same_rows=True)
        goals.append(Goal("8", "JSON Lines import vs sqlite-utils insert_all + FTS", 1.3,
                          result["ratio"], f"{first.name}: {result.get('detail', '')}"))
    if wanted("9"):
        goals.append(goal_imports(args.cache, pairs))
    failed = False
    for goal in sorted(goals, key=lambda g: g.number):
        print(goal.line())
        if goal.detail:
            print(f"   {goal.detail}")
        failed |= not goal.passed
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
