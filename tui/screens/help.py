"""``?``: every key, from the same declarations as the bindings and the palette."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..commands import Command

EXTRA = (
    ("↑ ↓  j k", "Move the cursor", "panes"),
    ("PgUp PgDn", "Move a page", "panes"),
    ("Home End", "Go to the first or last row", "panes"),
    ("ctrl+p", "Command palette: every command, and jump to any actor or event", "everywhere"),
    ("escape", "Back from the source view, help or a dialog", "source view, dialogs"),
    ("ctrl+q", "Quit (also from inside the search bar)", "everywhere"),
)


def key_label(command: Command) -> str:
    return command.key_display or command.key.replace("question_mark", "?").replace("slash", "/")


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "dismiss(None)", "Close")]

    def __init__(self, commands: tuple[Command, ...]) -> None:
        super().__init__()
        self.commands = commands

    def compose(self) -> ComposeResult:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)  # wraps under itself, never under the keys
        for key, does, where in [(key_label(c), c.help, c.where) for c in self.commands] + list(EXTRA):
            grid.add_row(Text(key), Text.assemble(does, (f"  ({where})", "dim")))
        with VerticalScroll(id="help", classes="dialog") as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "escape closes"
            yield Static(grid)
