"""The keys that apply right now, on one line at the bottom of a screen.

What Textual's ``Footer`` shows, from the same source (the screen's active
bindings, so the ``Command`` declarations in ``commands.py``), drawn by one widget
instead of one widget per key: a change of keys is a repaint of one line, never a
recompose of a dozen widgets and a re-layout of the screen. Keys can be clicked,
and a hovered key shows its help as a tooltip.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

SEPARATOR = "▏"


class Key(NamedTuple):
    key: str  # what pressing it sends (``slash``)
    display: str  # what the bar shows (``/``)
    description: str
    enabled: bool
    tooltip: str


class KeyBar(Widget):
    """The screen's active bindings that ask to be shown, and the command palette's on the right."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key", "key-bar--description", "key-bar--hover", "key-bar--separator"}
    ALLOW_SELECT = False

    compact = reactive(False)
    """Less space around keys (narrow terminals)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: tuple[Key, ...] = ()
        self._palette: Key | None = None
        self._regions: list[tuple[int, int, Key]] = []  # x from, x to, key: for the mouse
        self._hover: Key | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        """Repaint when a key came, went, or was enabled or disabled; else do nothing."""
        app = self.app
        keys, palette = [], None
        actions: set[str] = set()
        for key, (_, binding, enabled, tooltip) in screen.active_bindings.items():
            shown = Key(key, app.get_key_display(binding), binding.description, enabled,
                        tooltip or binding.tooltip or binding.description)
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = shown
            elif binding.show and binding.action not in actions:  # one key per action
                actions.add(binding.action)
                keys.append(shown)
        if (tuple(keys), palette) != (self._keys, self._palette):
            self._keys, self._palette = tuple(keys), palette
            self.refresh()

    @property
    def keys(self) -> tuple[Key, ...]:
        """The keys shown (without the command palette's)."""
        return self._keys

    def render(self) -> Text:
        base = self.rich_style
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        hover_style = self.get_component_rich_style("key-bar--hover", partial=True)
        dim = Style(dim=True)
        text = Text(no_wrap=True, overflow="crop", end="")
        regions: list[tuple[int, int, Key]] = []  # in cells, as the mouse counts

        def add(key: Key, key_text: str, description_text: str, after: str = "") -> None:
            start = text.cell_len
            extra = (Style() if key.enabled else dim) + (
                hover_style if key == self._hover else Style())
            text.append(key_text, key_style + extra)
            text.append(description_text, description_style + extra)
            regions.append((start, text.cell_len, key))
            text.append(after)

        for key in self._keys:
            if self.compact:
                add(key, key.display, f" {key.description}", " ")
            else:
                add(key, f" {key.display} ", f"{key.description} ")
        if self._palette is not None:
            key = self._palette
            width = cell_len(f"{SEPARATOR}{key.display} {key.description} ")
            room = self.size.width - width
            text.truncate(max(0, room), pad=True)
            regions = [r for r in regions if r[1] <= room]
            if room >= 0:
                text.append(SEPARATOR, self.get_component_rich_style("key-bar--separator"))
                add(key, key.display, f" {key.description}", " ")
        self._regions = regions
        text.stylize_before(base)
        return text

    def _key_at(self, x: int) -> Key | None:
        return next((key for start, end, key in self._regions if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        if key != self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
