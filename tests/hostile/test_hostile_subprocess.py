"""The real command in a real process: what a user sees on stderr, and on a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from .corpus import BY_NAME, write
from .support import fingerprint

COMMAND = Path(sys.executable).parent / "coup-explorer"
pytestmark = pytest.mark.skipif(not COMMAND.exists(), reason="the command is not installed")


def run(*args: str | bytes, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([str(COMMAND), *args], capture_output=True, timeout=120, cwd=cwd,
                          env=env, check=False)


def test_each_bad_file_is_one_stderr_line_without_traceback(library: Path, tmp_path: Path) -> None:
    names = ["pdf.txt", "ansi.txt", "yaml-python.md", "deep-array.json", "-rf.txt"]
    paths = [write(BY_NAME[name], tmp_path) for name in names]
    before = fingerprint(library)
    bad = run("import", "--db", str(library), "--", *map(str, paths[:-1]))
    lines = bad.stderr.decode().splitlines()
    assert bad.returncode == 1
    assert [line.split(": ")[2] for line in lines] == list(map(str, paths[:-1]))
    assert all(line.startswith("coup-explorer: error: ") for line in lines)
    assert b"Traceback" not in bad.stderr + bad.stdout and b"\x1b" not in bad.stderr
    assert fingerprint(library) == before
    good = run("import", "--db", str(library), "./-rf.txt", cwd=tmp_path)
    assert good.returncode == 0 and good.stderr == b"", good.stderr


@pytest.mark.parametrize(("args", "message"), [
    ([b"search", b"\xff\xfe"], "query: not valid Unicode (lone surrogate 0xdcff)"),
    ([b"export", b"--query", b"caf\xe9"], "--query: not valid Unicode (lone surrogate 0xdce9)"),
    ([b"import", b"--title", b"\xff", b"missing.txt"], "title: not valid Unicode"),
])
def test_arguments_that_are_not_utf8_are_one_line(library: Path, args: list[bytes],
                                                  message: str) -> None:
    before = fingerprint(library)
    result = run(*args, "--db", str(library))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    [line] = result.stderr.decode().splitlines()
    assert line.startswith("coup-explorer: error: ") and message in line
    assert fingerprint(library) == before


def test_file_names_that_are_not_utf8_still_work(library: Path, tmp_path: Path) -> None:
    """Linux file names are bytes: such a file imports, and exports go to such a name."""
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("“Coffee for all,” said Ana Quispe.\n", encoding="utf-8")
    imported = run("import", "--db", str(library), name, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "caf\ufffd.txt: added" in imported.stdout.decode()
    exported = run("export", "--output", os.fsdecode(b"caf\xe9.md"), "--db", str(library), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / os.fsdecode(b"caf\xe9.md")).read_text(encoding="utf-8").startswith("---\n")
    assert "to caf\ufffd.md" in exported.stderr.decode()


def test_progress_on_a_terminal_shows_file_names_literally(library: Path, tmp_path: Path) -> None:
    """With a terminal, several files show a progress bar naming each file: never as markup."""
    names = ("[-].txt", "[bold]b.txt", "c[red].txt")
    for name in names:
        (tmp_path / name).write_text(f"“Plain words for {name},” said Ana Quispe.\n", encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin, stdout and stderr are the terminal
        os.environ.update(COLUMNS="120", LINES="30", TERM="xterm")
        os.execv(str(COMMAND), [str(COMMAND), "import", "--db", str(library), "--",
                                *(str(tmp_path / n) for n in names)])
    output = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    text = output.decode("utf-8", "replace")
    assert "Traceback" not in text and "MarkupError" not in text, text
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "c[red].txt" in text  # the last file named in the progress bar, as it is
