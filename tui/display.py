"""Showing data text on a terminal: literally, and without control sequences.

Shared by the command line and the app. Data is wrapped in ``rich.text.Text``
(never interpolated into markup), and control characters are removed first so
that no text from a source can move the cursor, change colours or ring bells.
"""

from __future__ import annotations

import re

from rich.text import Text

# ESC-introduced sequences first (CSI, OSC, and two-byte escapes), then any other
# C0/C1 control character except newline and tab.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[@-_]?"  # other escapes
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def clean(value: str) -> str:
    """``value`` with every terminal control sequence and control character removed."""
    return _CONTROL.sub("", value)


def highlighted(value: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]] = (),
                style: str = "bold reverse") -> Text:
    """A literal Text of ``value`` with the given spans styled (offsets into ``value``)."""
    pieces = []
    last = 0
    for start, end in sorted(spans):
        if start < last:
            continue
        pieces.append((clean(value[last:start]), ""))
        pieces.append((clean(value[start:end]), style))
        last = end
    pieces.append((clean(value[last:]), ""))
    return Text.assemble(*pieces)
