"""The active filters as chips, the search scope and the number of marked items."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from ..display import clean


@dataclass(frozen=True)
class Chips:
    actor: str | None = None
    event: str | None = None
    query: str = ""
    scope: str = "quotes"
    marks: int = 0


def chips_text(chips: Chips) -> Text:
    text = Text()
    shown = False
    for label, value in (("actor", chips.actor), ("event", chips.event)):
        if value:
            text.append(f" {label}: ", style="bold reverse")
            text.append(f"{clean(value)[:60]} ", style="reverse")
            text.append("  ")
            shown = True
    if chips.query:
        text.append(" search: ", style="bold reverse")
        text.append(f"{clean(chips.query)[:40]} ", style="reverse")
        text.append(f" in {'quotes' if chips.scope == 'quotes' else 'everything'}  ")
        shown = True
    if shown:
        text.append("c clears", style="dim")
    else:
        text.append("No filters: f on an actor, event or quote narrows the panes", style="dim")
    return text


class FilterBar(Static):
    def show(self, chips: Chips) -> None:
        marks = Text(f"  ● {chips.marks} marked", style="bold" if chips.marks else "dim")
        self.update(Text.assemble(chips_text(chips), marks), layout=False)  # one line, always
