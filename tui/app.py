"""The explorer app: opens a library and shows the main screen."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import App
from textual.theme import Theme
from textual.worker import get_current_worker

from ..db.library import Library, connect, writable
from ..db.models import Stats
from . import settings
from .commands import JumpCommands, MainCommands
from .display import clean
from .explorer import Explorer
from .screens.main import MainScreen


class ExplorerApp(App[None]):
    """``ExplorerApp(path).run()``: ``path`` is an existing library file."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {MainCommands, JumpCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, library_path: Path, *, library: Library | None = None) -> None:
        super().__init__()
        self.library_path = Path(library_path)
        self._library = library
        self.explorer: Explorer | None = None

    def on_load(self) -> None:
        theme = settings.load().get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme

    def on_mount(self) -> None:
        library = self._library or connect(self.library_path,
                                           write=writable(self.library_path))
        self._library = library
        if not library.writable:
            self.notify(clean(f"{self.library_path} is read-only: marks will not be saved"),
                        severity="warning", markup=False)
        self.explorer = Explorer(library)
        self.title = clean(library.name)  # the counts follow the panes' first rows
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(MainScreen(self.explorer))

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def show_stats(self) -> None:
        """The library's name and counts in the header, counted off the UI thread."""
        assert self._library is not None
        stats = self._library.stats()
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_stats, stats)

    def _show_stats(self, stats: Stats) -> None:
        self.title = clean(stats.name)
        counts = [(stats.events, "event"), (stats.actors, "actor"), (stats.quotes, "quote")]
        if stats.sources != 1:  # one source is the usual case: keep the header short
            counts.insert(0, (stats.sources, "source"))
        self.sub_title = " · ".join(_plural(n, word) for n, word in counts)

    def _remember_theme(self, theme: Theme) -> None:
        settings.save(theme=theme.name)

    def on_unmount(self) -> None:
        if self.explorer is not None:
            self.explorer.close()
        if self._library is not None:
            self._library.close()


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"
