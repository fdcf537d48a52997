"""Errors the data layer raises for things a user can get wrong.

Each carries one line that the command line prints as it is, so the message
must name the thing that is wrong (the file, the field, the value).
"""

from __future__ import annotations


class LibraryError(Exception):
    """A library file that cannot be used: missing, not a library, too new, locked."""


class InvalidInput(LibraryError):
    """A value given by the user (a date, a format, a field) that is not valid."""


ELSEWHERE = "pass --db PATH to use another library"  # the way forward from any bad library file


def os_error_line(exc: OSError) -> str:
    """An OSError as one line: the file it names, then what the system said."""
    name = f"{exc.filename}: " if exc.filename else ""
    return f"{name}{exc.strerror or exc}"
