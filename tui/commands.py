"""Every action of the app, declared once.

A ``Command`` feeds the key binding, the key bar, the ``?`` help screen and the
command palette, so the four never disagree.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from ..db.models import Actor, Event
from ..db.search import match_spans
from .display import clean, highlighted

if TYPE_CHECKING:
    from .screens.main import MainScreen


@dataclass(frozen=True)
class Command:
    key: str
    action: str
    label: str
    help: str
    where: str = "main view"
    footer: bool = True
    key_display: str | None = None
    palette: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.label, show=self.footer,
                       key_display=self.key_display, tooltip=self.help, priority=self.priority)


MAIN_COMMANDS: tuple[Command, ...] = (
    # priority: "/" is handled as it arrives, so keys typed right after it land in the bar
    Command("slash", "focus_search", "Search", "Focus the search bar (type to search)",
            key_display="/", priority=True),
    Command("question_mark", "help", "Help", "Show every key", key_display="?"),
    Command("enter", "open_source", "Source", "Open the article at the item under the cursor",
            where="panes"),
    Command("f", "choose", "Filter", "Narrow the panes to the actor, event or speaker under "
            "the cursor", where="panes"),
    Command("space", "toggle_mark", "Mark", "Mark or unmark the item under the cursor",
            where="panes"),
    Command("a", "mark_shown", "Mark shown", "Mark every item the current pane shows",
            where="panes", footer=False),
    Command("e", "export", "Export", "Export the marked items (or what is shown) to a file"),
    Command("y", "copy_marked", "Copy", "Copy the marked items as Markdown to the clipboard"),
    Command("c", "clear_filters", "Clear filters", "Clear every filter and the search"),
    Command("s", "toggle_scope", "Scope", "Search quotes only, or events and actors too",
            footer=False),
    Command("u", "clear_marks", "Clear marks", "Unmark everything (asks nothing: marks are cheap)"),
    Command("q", "app.quit", "Quit", "Quit coup-explorer"),
    Command("escape", "leave_search", "Clear search",
            "Clear the search and return to the pane you were in", where="search bar",
            footer=False, palette=False),
    Command("tab", "next_pane", "Next pane", "Move to the next pane", footer=False,
            key_display="tab"),
    Command("shift+tab", "previous_pane", "Previous pane", "Move to the previous pane",
            footer=False),
    Command("1", "show_pane('timeline')", "Timeline", "Go to the Timeline pane", footer=False),
    Command("2", "show_pane('actors')", "Actors", "Go to the Actors pane", footer=False),
    Command("3", "show_pane('quotes')", "Quotes", "Go to the Quotes pane", footer=False),
    Command("t", "app.change_theme", "Theme", "Choose a theme (remembered)", footer=False),
    Command("r", "reload", "Reload", "Read the library again (after an import elsewhere)",
            footer=False),
)


class MainCommands(Provider):
    """The main screen's commands in the palette."""

    def _commands(self) -> tuple[Command, ...]:
        return MAIN_COMMANDS if hasattr(self.screen, "explorer") else ()

    async def discover(self) -> Hits:
        for command in self._commands():
            if command.palette:
                yield DiscoveryHit(command.label, partial(self.screen.run_action, command.action),
                                   help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            if not command.palette:
                continue
            score = matcher.match(command.label)
            if score > 0:
                yield Hit(score, matcher.highlight(command.label),
                          partial(self.screen.run_action, command.action), help=command.help)


class JumpCommands(Provider):
    """Jump to any actor or event by name (the library's search, shown literally)."""

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not hasattr(screen, "explorer") or not query.strip():
            return
        screen: MainScreen
        hits = await asyncio.to_thread(screen.explorer.jump_candidates, query)
        for rank, item in enumerate(hits):
            if isinstance(item, Actor):
                label = clean(item.name)
                help_text = f"actor · {item.kind} · {item.events} events, {item.quotes} quotes"
            else:
                assert isinstance(item, Event)
                label = clean(item.summary)
                help_text = f"event · {clean(item.date_label)}"
            display = highlighted(label, match_spans(label, query), "bold")
            yield Hit(1.0 / (rank + 2), display, partial(screen.jump_to, item),
                      text=label, help=escape(help_text))
