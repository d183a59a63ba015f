"""The Footer, with each key's description and tooltip in the interface language, and only the keys that fit.

Binding descriptions are written once, in English, in each screen's
``BINDINGS`` (marked with ``N_`` for extraction); they are translated here,
each time the Footer is built, so a language switch shows at the next rebuild.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from roleplay.i18n import _, current_language

if TYPE_CHECKING:
    from textual.screen import Screen

LEAVE_OUT_ORDER = (
    ("quit",),
    ("set_mode",),
    ("toggle_presenter",),
    ("command_palette",),
    ("pick_story", "cancel", "clear_votes"),
    ("presenter_help", "help"),
)
"""The keys left out first when the footer is too narrow for them all, in that order (their actions, without
``app.``); they still work, and the help lists every key. Other keys go next, from the right."""


def action_name(action: str) -> str:
    """'set_mode' for "app.set_mode('exam')": the action without its namespace and arguments."""
    return action.split("(", 1)[0].removeprefix("app.").removeprefix("screen.")


def key_width(key: FooterKey) -> int:
    """The cells a key takes in the compact footer: key, space, description, and the gap (or border) beside it."""
    width = cell_len(key.key_display)
    if key.description:
        width += 1 + cell_len(key.description)
    return width + 1


def leave_out(keys: list[FooterKey], width: int) -> set[FooterKey]:
    """The keys to leave out so the rest fit in ``width`` cells: the least urgent first (see LEAVE_OUT_ORDER)."""

    def rank(position_key: tuple[int, FooterKey]) -> tuple[int, int]:
        position, key = position_key
        name = "command_palette" if key.has_class("-command-palette") else action_name(key.action)
        for order, names in enumerate(LEAVE_OUT_ORDER):
            if name in names:
                return (order, -position)
        return (len(LEAVE_OUT_ORDER), -position)

    needed = sum(key_width(key) for key in keys)
    left_out: set[FooterKey] = set()
    for _position, key in sorted(enumerate(keys), key=rank):
        if needed <= width:
            break
        left_out.add(key)
        needed -= key_width(key)
    return left_out


class Footer(TextualFooter):
    """Textual's Footer, translating what it shows, and leaving out the less urgent keys when they would not
    fit the width in the interface's language, so no key is ever cut off or overlapped.

    Textual rebuilds the footer each time a screen says its keys may have changed, and a
    screen may say so several times in one step (a new phase, the focus moving, a first
    vote). This one rebuilds at most once a refresh, and only when the keys it would show
    did change: a rebuild mounts every key afresh and lays the screen out again.
    """

    _rebuild_waiting = False
    _shown: tuple[object, ...] | None = None

    DEFAULT_CSS = """
    Footer FooterKey.-left-out { display: none; }
    """

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int, keys: list[FooterKey] | None = None) -> None:
        keys = list(self.query(FooterKey)) if keys is None else keys
        left_out = leave_out(keys, width)
        for key in keys:
            key.set_class(key in left_out, "-left-out")

    def _keys_shown(self) -> tuple[object, ...]:
        """What the footer would show now: each shown key, whether it is enabled, and the language."""
        keys = tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )
        return (current_language(), self.compact, self.show_command_palette, keys)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._rebuild_waiting:
            self._rebuild_waiting = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_waiting = False
        if self.is_attached and self._keys_shown() != self._shown:
            await self.recompose()

    def compose(self) -> ComposeResult:
        self._shown = self._keys_shown() if self._bindings_ready else None
        widgets: list[Widget] = list(super().compose())
        keys = [widget for widget in widgets if isinstance(widget, FooterKey)]
        for key in keys:
            key.description = _(key.description) if key.description else ""
            if isinstance(key.tooltip, str) and key.tooltip:
                key.tooltip = _(key.tooltip)
        self._fit(self.size.width or self.app.size.width, keys)
        yield from widgets
