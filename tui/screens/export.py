"""The export dialog and the overwrite question."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ...db.errors import InvalidInput
from ...db.search import fold
from ..display import clean

FORMATS_HELP = ".md Markdown · .json · .jsonl · .csv · .timeline.json (TimelineJS)"


def default_export_path(directory: Path, title: str) -> Path:
    """``coup-explorer-<library name>.md`` in ``directory``, numbered if it exists."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(clean(title))).strip("-")[:40].strip("-")
    stem = f"coup-explorer-{slug}" if slug else "coup-explorer"
    path = directory / f"{stem}.md"
    number = 2
    while path.exists():
        path = directory / f"{stem}-{number}.md"
        number += 1
    return path


class ExportScreen(ModalScreen[Path | None]):
    """Asks where to write; the extension chooses the format. Returns the path or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default: Path, note: str) -> None:
        super().__init__()
        self.default = default
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(Text("Export", style="bold"))
            yield Static(Text(self.note), id="export-note")
            yield Input(str(self.default), id="export-path", select_on_focus=False)
            yield Static(Text(FORMATS_HELP, style="dim"))
            yield Static(id="export-error")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        field = self.query_one("#export-path", Input)
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        from ...db.exporters import check_path

        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self._error("Give a file name.")
            return
        if value.startswith("~"):
            value = os.path.expanduser(value)
        try:  # an existing file is not refused here: the screen that opened this one asks
            path, _ = check_path(value if os.path.isabs(value) else os.path.join(os.getcwd(), value),
                                 force=True)
        except InvalidInput as exc:
            self._error(str(exc))
            return
        self.dismiss(path)

    def _error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(Text(clean(message), style="bold red"))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; Escape or n is no."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,n", "answer(False)", "No"), Binding("y", "answer(True)", "Yes")]

    def __init__(self, question: Text) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            with Horizontal(classes="buttons"):
                yield Button("Overwrite (y)", variant="warning", id="yes")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
