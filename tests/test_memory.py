"""What keeps the app's memory from growing with the library (bench G5b measures it)."""

from __future__ import annotations

import subprocess
import sys

import pytest


MALLOC_PROBE = """
import ctypes, sys
libc = ctypes.CDLL("libc.so.6")
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                               "usmblks", "fsmblks", "uordblks", "fordblks",
                                               "keepcost")]
libc.mallinfo2.restype = Info
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] == "explorer":
    from coup_explorer.db import create_empty
    from coup_explorer.tui.explorer import Explorer
    Explorer(create_empty())
libc.free(libc.malloc(4 << 20))  # glibc would now serve blocks under 4 MB from its arenas
before = libc.mallinfo2().hblks
block = libc.malloc(600 << 10)
print(libc.mallinfo2().hblks - before)
"""


def test_the_explorer_has_large_blocks_returned_to_the_system() -> None:
    """A 600 KB block after a 4 MB one was freed: kept in an arena by default (its pages stay
    resident), given its own mapping (returned when freed) once an Explorer exists."""
    probe = [sys.executable, "-c", MALLOC_PROBE]
    try:
        plain = subprocess.run([*probe, "plain"], capture_output=True, text=True, check=True)
    except subprocess.CalledProcessError:
        pytest.skip("not glibc 2.33 or newer (no mallinfo2)")
    explored = subprocess.run([*probe, "explorer"], capture_output=True, text=True, check=True)
    assert (plain.stdout.strip(), explored.stdout.strip()) == ("0", "1")
