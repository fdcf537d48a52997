"""Which characters stored text may hold: no control characters but tab and line ends, no lone surrogates.

Shared by the article importer (checking a decoded file) and the exchange
reader (checking every string of a dataset), so that nothing in a library can
move a terminal's cursor, change its colours or fail to encode as UTF-8.
"""

from __future__ import annotations

import re

from .errors import InvalidInput

# C0 and C1 control characters other than tab and the line ends (\n, \v, \f, \r, NEL): never
# in text a person wrote. ESC starts terminal escape sequences; U+0093/U+0094 are
# Windows-1252 quotes misread as Latin-1.
BAD_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_BAD = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NAMES = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL"}


def describe_control(char: str) -> str:
    """``0x1b (ESC)``: a control character as a message names it."""
    name = _NAMES.get(char)
    return f"{ord(char):#04x}" + (f" ({name})" if name else "")


def check_text(value: str, what: str, *, controls: bool = True) -> str:
    """``value`` unchanged, or InvalidInput naming ``what`` and the first bad character.

    With ``controls=False`` only lone surrogates are refused (a search query may hold
    anything else: it is never stored).
    """
    bad = (_BAD if controls else _SURROGATE).search(value)
    if bad is None:
        return value
    char = bad.group()
    if "\ud800" <= char <= "\udfff":
        problem = f"not valid Unicode (lone surrogate {ord(char):#06x})"
    else:
        problem = f"control character {describe_control(char)}"
    raise InvalidInput(f"{what}: {problem} at character {bad.start()}")
