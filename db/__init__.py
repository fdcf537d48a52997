"""coup-explorer's data layer: the library file, its queries, import and export.

Nothing here imports Textual or Rich; the app and the command line in
``coup_explorer.tui`` are its only users of those.
"""

from .errors import InvalidInput, LibraryError
from .library import Library, connect, create_empty, open_library
from .models import (
    Actor,
    Context,
    Event,
    Facet,
    Filter,
    Hit,
    Item,
    Quote,
    Source,
    Stats,
)

__all__ = [
    "Actor", "Context", "Event", "Facet", "Filter", "Hit", "InvalidInput", "Item", "Library",
    "LibraryError", "Quote", "Source", "Stats", "connect", "create_empty", "open_library",
]
