"""Showing data text on a terminal: literally, and without control sequences.

Shared by the command line and the app. Data is wrapped in ``rich.text.Text``
(never interpolated into markup), and control characters are removed first so
that no text from a source can move the cursor, change colours or ring bells.
Bidirectional embedding, override and isolate controls (U+202A–U+202E,
U+2066–U+2069) are removed too, so that text is shown in the order it is stored
("Trojan Source"); zero-width characters stay, since joiners belong to words. A
lone surrogate (from a file name or argument that is not UTF-8) is shown as �.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from rich.text import Text

# Escape sequences first (CSI, OSC, and the short escapes like ESC c), then any other
# C0/C1 control character except newline and tab, then bidi controls.
_CONTROL = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI, 7- or 8-bit
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, to BEL or ST (or the end)
    r"|\x1b[ -/]*[0-~]?"  # any other escape: intermediate bytes, then one final byte
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_MESSAGE = 300  # characters of an error line: a message quoting a huge value is cut


def clean(value: str) -> str:
    """``value`` with every terminal control sequence and control character removed."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", value))


def one_line(value: str, limit: int = MAX_MESSAGE) -> str:
    """An error message as one short line: cleaned, line breaks made spaces, cut at ``limit``."""
    line = " ".join(clean(value).split("\n"))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def cleaned_with_offsets(value: str) -> tuple[str, Callable[[int], int]]:
    """``clean(value)``, and a function taking an offset in ``value`` to one in the result."""
    removed = [(m.start(), m.end()) for m in _CONTROL.finditer(value)]
    if not removed:
        return _SURROGATE.sub("\ufffd", value), lambda offset: offset

    def shift(offset: int) -> int:
        gone = 0
        for start, end in removed:
            if start >= offset:
                break
            gone += min(end, offset) - start
        return offset - gone

    return clean(value), shift


def highlighted(value: str, spans: Iterable[tuple[int, int]] = (),
                style: str = "bold reverse") -> Text:
    """A literal Text of ``clean(value)`` with the given spans (offsets into ``value``) styled."""
    text, shift = cleaned_with_offsets(value)
    out = Text(text)
    last = 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.stylize(style, shift(start), shift(end))
        last = end
    return out
