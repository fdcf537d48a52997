"""How the app feels at several library sizes, against baselines measured in the same run.

    python bench/app.py                            # the bundled story and 100k quotes
    python bench/app.py --sizes 17,100000,1000000 --keep
    python bench/app.py --library /tmp/big.db      # a library made by bench/synth.py

For each library the app runs headless (``run_test``, 160x45) in a fresh
process, and a bare Textual app (a Header, an Input, three DataTables of 50
rows and a Footer) runs in another, so that start time and peak memory are each
process's own. "Drawn" means the first frame the compositor renders (the
headless driver skips only the terminal write) in which the pane shows the new
state, caught by wrapping ``App._display``.

  start to first screen   from ``ExplorerApp(path)`` to the first frame with
                          rows in all three panes; baseline: the bare app's
                          first frame with its three tables (median of runs)
  import                  importing the app's module; baseline: textual's
  keystroke to results    "/" then a word letter by letter, waiting for each
                          result: keypress to the first frame whose quotes
                          pane shows the new count and its first rows;
                          baseline: the raw FTS5 count plus the first 100
                          rowids by rank for the same prefix on the app's own
                          connection (after the app ran it; median of 3), and
                          the same without rank (the floor: the app lists a
                          match of more than 20,000 rows unranked)
  keystroke echo          keypress to the frame showing the letter in the
                          search bar; baseline: the same in the bare app
  page down               PageDown in the whole quotes pane until every row
                          in view is drawn (no placeholder); baseline:
                          PageDown in a bare DataTable
  End                     the last quote, drawn; baseline: the raw SQL page
                          at that offset in the list's order (median of 3)
  peak RSS                the peak resident memory (``ru_maxrss``; ``VmHWM``
                          on Linux) right after the first screen, and at the
                          end of the run; baseline: the bare app's

Sizes are numbers of generated quotes (bench/synth.py adds them to the bundled
story; 17, or 0, is the bundled story alone). Files go to a temporary directory
that is removed at the end, or with ``--keep`` to /tmp/coup-explorer-bench-N.db,
reused when they exist. Nothing here asserts a time: it is a measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SIZE = (160, 45)
TIMEOUT = 120.0
HERE = Path(__file__).resolve().parent


# -- measuring inside one process ------------------------------------------------------------


class Frames:
    """Wraps ``app._display``: calls ``check`` after every rendered frame, keeps when it held."""

    def __init__(self, app) -> None:
        self.check: Callable[[], bool] | None = None
        self.hit: float | None = None
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is not None and self.check is not None and self.hit is None:
                try:
                    ok = self.check()
                except Exception:  # noqa: BLE001  (a screen not mounted yet, a widget not there)
                    ok = False
                if ok:
                    self.hit = time.perf_counter()

        app._display = display

    def arm(self, check: Callable[[], bool]) -> None:
        self.check, self.hit = check, None

    async def wait(self, started: float, timeout: float = TIMEOUT) -> float | None:
        """Seconds from ``started`` to the frame where the check held (None: it never did)."""
        deadline = time.perf_counter() + timeout
        while self.hit is None and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)
        hit, self.check = self.hit, None
        return None if hit is None else hit - started


def maxrss_mb() -> float:
    """This process's peak resident memory so far, in MB.

    ``ru_maxrss``, except on Linux, where it survives fork and exec (a child starts
    with its parent's peak): there the kernel's own high-water mark of this
    process image, ``VmHWM``, which is the same number without the inheritance.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


async def settle(pilot) -> None:
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown_rows(pane) -> bool:
    """Every row in view of an ItemList is loaded (none is a placeholder)."""
    from coup_explorer.tui.rows import ROW_HEIGHT

    if pane.pending:
        return False
    height = ROW_HEIGHT[pane.kind]
    top = int(pane.scroll_offset.y) // height
    bottom = (int(pane.scroll_offset.y) + pane.scrollable_content_region.height) // height
    return all(pane._item_at(row) is not None for row in range(top, min(bottom, pane.count)))


async def measure_app(path: Path, word: str, pages: int, runs: int) -> dict:
    started = time.perf_counter()
    from coup_explorer.db import Filter, connect
    from coup_explorer.tui.app import ExplorerApp
    from coup_explorer.tui.screens.main import MainScreen
    result: dict = {"import": time.perf_counter() - started}

    # What each prefix should show, from another connection (this also warms the OS cache).
    prefixes = [word[:i] for i in range(1, len(word) + 1)]
    with connect(path) as lib:
        expected = {p: lib.count_quotes(Filter(text=p)) for p in prefixes}
        result["quotes"] = lib.count_quotes()

    def panes(app):
        screen = app.screen
        if not isinstance(screen, MainScreen):
            return None
        return {name: screen.pane(name) for name in ("timeline", "actors", "quotes")}

    def first_screen(app) -> bool:
        shown = panes(app)
        return shown is not None and all(not p.pending and shown_rows(p) for p in shown.values())

    starts = []
    for run in range(runs):
        started = time.perf_counter()
        app = ExplorerApp(path)
        frames = Frames(app)
        frames.arm(lambda app=app: first_screen(app))
        async with app.run_test(size=SIZE) as pilot:
            starts.append(await frames.wait(started))
            if run:
                continue
            result["rss_start"] = maxrss_mb()
            await settle(pilot)
            quotes = panes(app)["quotes"]
            search = app.screen.query_one("#search")

            # Keystroke to results drawn, one letter at a time.
            await pilot.press("slash")
            await settle(pilot)
            keys, echoes = [], []
            for prefix in prefixes:
                state: dict[str, float | None] = {"echo": None}  # the letter, shown

                def both(prefix=prefix, state=state, search=search, quotes=quotes) -> bool:
                    if state["echo"] is None and search.value == prefix:
                        state["echo"] = time.perf_counter()
                    return (quotes.filter.text == prefix and not quotes.pending
                            and quotes.count == expected[prefix]
                            and quotes.border_subtitle == f"{expected[prefix]:,}"
                            and shown_rows(quotes))

                frames.arm(both)
                started = time.perf_counter()
                await pilot.press(prefix[-1])
                keys.append(await frames.wait(started))
                echoes.append(None if state["echo"] is None else state["echo"] - started)
                await settle(pilot)
            result["keys"], result["echoes"], result["prefixes"] = keys, echoes, prefixes

            # The raw query for the same prefixes, on the app's own connection.
            from coup_explorer.db import search as fts

            lib = app.screen.explorer.library
            for key, order in (("raw", "ORDER BY rank "), ("raw_floor", "")):
                raw = []
                for prefix in prefixes:
                    match = fts.to_fts(prefix)
                    samples = []
                    for _ in range(3):
                        t0 = time.perf_counter()
                        with lib.lock:
                            lib.conn.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts "
                                             "MATCH ?", (match,)).fetchall()
                            lib.conn.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts "
                                             f"MATCH ? {order}LIMIT 100", (match,)).fetchall()
                        samples.append(time.perf_counter() - t0)
                    raw.append(statistics.median(samples))
                result[key] = raw

            # Page down through the whole list.
            await pilot.press("escape")
            await settle(pilot)
            if search.value or app.focused is not quotes:
                await pilot.press("escape")  # a search bar that kept its text, or focus
                await settle(pilot)
            per_page = quotes._rows_per_page()
            downs = []
            for _ in range(pages):
                target = min(quotes.cursor + per_page, quotes.count - 1)
                frames.arm(lambda target=target, quotes=quotes:
                           quotes.cursor == target and shown_rows(quotes))
                started = time.perf_counter()
                await pilot.press("pagedown")
                downs.append(await frames.wait(started, timeout=30))
                await settle(pilot)
            result["pagedown"] = downs

            # The last row: a deep page, fetched once (the pane keeps it afterwards).
            last = quotes.count - 1
            frames.arm(lambda last=last, quotes=quotes:
                       quotes.cursor == last and shown_rows(quotes))
            started = time.perf_counter()
            await pilot.press("end")
            result["end"] = await frames.wait(started)
            await settle(pilot)
            offset = max(0, last // 100 * 100)
            samples = []
            for _ in range(3):
                t0 = time.perf_counter()
                with lib.lock:
                    lib.conn.execute("SELECT * FROM quotes ORDER BY sort_date, source_id, "
                                     "char_start, id LIMIT 100 OFFSET ?", (offset,)).fetchall()
                samples.append(time.perf_counter() - t0)
            result["end_raw"] = samples
            result["rss_end"] = maxrss_mb()
    result["start"] = starts
    return result


async def measure_bare(word: str, pages: int, runs: int) -> dict:
    started = time.perf_counter()
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header, Input
    result: dict = {"import": time.perf_counter() - started}

    class Bare(App[None]):
        def compose(self):
            yield Header()
            yield Input(placeholder="Search")
            for i in range(3):
                yield DataTable(id=f"t{i}")
            yield Footer()

        def on_mount(self) -> None:
            for table in self.query(DataTable):
                table.add_columns("date", "who", "text")
                table.add_rows((f"2019-12-{n % 28 + 1:02d}", f"Actor {n}",
                                f"Row {n} of a bare table, as long as a short quote")
                               for n in range(50))
            self.query(DataTable).first().focus()

    starts = []
    for run in range(runs):
        started = time.perf_counter()
        app = Bare()
        frames = Frames(app)
        frames.arm(lambda app=app: all(t.row_count == 50 for t in app.query(DataTable)))
        async with app.run_test(size=SIZE) as pilot:
            starts.append(await frames.wait(started))
            if run:
                continue
            result["rss_start"] = maxrss_mb()
            await settle(pilot)
            field = app.query_one(Input)
            field.focus()
            await settle(pilot)
            echoes = []
            for i in range(1, len(word) + 1):
                frames.arm(lambda i=i, field=field: field.value == word[:i])
                started = time.perf_counter()
                await pilot.press(word[i - 1])
                echoes.append(await frames.wait(started))
                await settle(pilot)
            result["echoes"] = echoes
            table = app.query(DataTable).first()
            table.focus()
            await settle(pilot)
            downs = []
            for _ in range(pages):
                before = table.cursor_row
                frames.arm(lambda before=before, table=table: table.cursor_row != before)
                started = time.perf_counter()
                await pilot.press("pagedown")
                downs.append(await frames.wait(started, timeout=5))
                await settle(pilot)
                if table.cursor_row == table.row_count - 1:  # back to the top
                    table.move_cursor(row=0, scroll=False)
                    table.scroll_to(0, 0, animate=False)
                    await settle(pilot)
            result["pagedown"] = downs
            result["rss_end"] = maxrss_mb()
    result["start"] = starts
    return result


# -- the run: one process per measurement ----------------------------------------------------


def child(kind: str, path: str, args: argparse.Namespace) -> dict:
    """Run one measurement in a fresh interpreter; its result is the last line it prints."""
    env = dict(os.environ)
    home = Path(args.workdir) / "home"
    env["XDG_DATA_HOME"], env["XDG_CONFIG_HOME"] = str(home / "data"), str(home / "config")
    env.pop("COUP_EXPLORER_DB", None)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--child-path", path,
           "--word", args.word, "--pages", str(args.pages), "--runs", str(args.runs)]
    done = subprocess.run(cmd, check=False, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{kind} {path}: the measurement failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def library_for(size: int, workdir: Path, keep: bool) -> Path:
    from coup_explorer.db import paths

    target = (Path(f"/tmp/coup-explorer-bench-{size}.db") if keep
              else workdir / f"library-{size}.db")
    if size in (0, 17):
        shutil.copyfile(paths.bundled_story(), target)
        return target
    if keep and target.exists():
        print(f"  reusing {target}", file=sys.stderr)
        return target
    started = time.perf_counter()
    # In a child process: this one stays small, so the measuring processes it starts do not
    # inherit its high-water mark (Linux keeps ru_maxrss across fork and exec).
    subprocess.run([sys.executable, str(HERE / "synth.py"), "--quotes", str(size),
                    "--output", str(target)], check=True, stdout=subprocess.DEVNULL)
    print(f"  made {target} ({size:,} quotes) in {time.perf_counter() - started:.1f}s",
          file=sys.stderr)
    return target


def ms(value: float | None) -> str:
    return "timeout" if value is None else f"{value * 1000:.1f}ms"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.1f}x"


def stat(values: list[float | None], how: Callable) -> float | None:
    values = list(values)
    return None if not values or None in values else how(values)


def rows_for(ours: dict, bare: dict) -> list[tuple[str, str, str, str]]:
    med, top = statistics.median, max
    rows = []

    def add(metric: str, a: float | None, b: float | None, fmt=ms) -> None:
        rows.append((metric, fmt(a), fmt(b), ratio(a, b)))

    add("start to first screen (median)", stat(ours["start"], med), stat(bare["start"], med))
    add("start to first screen (first run)", ours["start"][0], bare["start"][0])
    add("import", ours["import"], bare["import"])
    add("keystroke to results (median)", stat(ours["keys"], med), stat(ours["raw"], med))
    add("keystroke to results (max)", stat(ours["keys"], top), stat(ours["raw"], top))
    add("  same, vs unranked FTS (median)", stat(ours["keys"], med),
        stat(ours["raw_floor"], med))
    add("  same, vs unranked FTS (max)", stat(ours["keys"], top), stat(ours["raw_floor"], top))
    add("keystroke echo (median)", stat(ours["echoes"], med), stat(bare["echoes"], med))
    add("page down (median)", stat(ours["pagedown"], med), stat(bare["pagedown"], med))
    add("page down (max)", stat(ours["pagedown"], top), stat(bare["pagedown"], top))
    add("End: last quote drawn", ours["end"], stat(ours["end_raw"], med))
    def mb(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}MB"

    add("peak RSS after first screen", ours["rss_start"], bare["rss_start"], mb)
    add("peak RSS at end of run", ours["rss_end"], bare["rss_end"], mb)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="17,100000",
                        help="generated quotes per library, comma-separated (17: the story)")
    parser.add_argument("--library", type=Path, action="append", default=[],
                        help="an existing library file instead of --sizes (repeatable)")
    parser.add_argument("--keep", action="store_true",
                        help="keep (and reuse) generated libraries as /tmp/coup-explorer-bench-N.db")
    parser.add_argument("--word", default="mamani", help="the word typed into the search bar")
    parser.add_argument("--pages", type=int, default=10, help="PageDown presses")
    parser.add_argument("--runs", type=int, default=3, help="start-up runs per app")
    parser.add_argument("--child", choices=("app", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--child-path", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "app":
        print(json.dumps(asyncio.run(measure_app(Path(args.child_path), args.word, args.pages,
                                                 args.runs))))
        return
    if args.child == "bare":
        print(json.dumps(asyncio.run(measure_bare(args.word, args.pages, args.runs))))
        return

    with tempfile.TemporaryDirectory(prefix="coup-explorer-bench-") as workdir:
        args.workdir = workdir
        if args.library:  # used in place: the run reads only (the app adds a WAL file)
            libraries = list(args.library)
        else:
            libraries = [library_for(int(s), Path(workdir), args.keep)
                         for s in args.sizes.split(",") if s.strip()]
        table = []
        for path in libraries:
            print(f"  measuring {path} ...", file=sys.stderr)
            bare = child("bare", "", args)  # the baseline, measured beside each size
            ours = child("app", str(path), args)
            label = f"{ours['quotes']:,}"
            table.extend((label, *row) for row in rows_for(ours, bare))
            print(f"    start runs: app {[ms(v) for v in ours['start']]}, bare "
                  f"{[ms(v) for v in bare['start']]}; page downs: "
                  f"{[ms(v) for v in ours['pagedown']]}", file=sys.stderr)
            for i, prefix in enumerate(ours["prefixes"]):
                print(f"    {prefix!r:10} app {ms(ours['keys'][i]):>10}  raw FTS ranked "
                      f"{ms(ours['raw'][i]):>9}  unranked {ms(ours['raw_floor'][i]):>9}",
                      file=sys.stderr)
    widths = [max(len(str(r[i])) for r in [("quotes", "metric", "ours", "baseline", "ratio"),
                                             *table]) for i in range(5)]
    header = ("quotes", "metric", "ours", "baseline", "ratio")
    print("  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
    for row in table:
        print("  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))))


if __name__ == "__main__":
    main()
