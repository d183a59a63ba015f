"""The Footer, with each key's description and tooltip in the interface language.

Binding descriptions are written once, in English, in each screen's
``BINDINGS`` (marked with ``N_`` for extraction); they are translated here,
each time the Footer is built, so a language switch shows at the next rebuild.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from roleplay.i18n import _, current_language

if TYPE_CHECKING:
    from textual.screen import Screen

LESS_URGENT = frozenset({"set_mode", "quit", "toggle_presenter", "app.set_mode", "app.quit", "app.toggle_presenter"})
"""Actions the footer leaves out first, under 80 cells (they still work; the help lists them)."""
LEFT_OUT_UNDER_60 = frozenset({"app.pick_story", "pick_story", "cancel", "clear_votes", "presenter_help", "app.help", "help"})
"""Actions the footer leaves out too under 60 cells, with the command palette's key."""


def action_name(action: str) -> str:
    """'set_mode' for "set_mode('exam')": the action without its arguments."""
    return action.split("(", 1)[0]


class Footer(TextualFooter):
    """Textual's Footer, translating what it shows, and leaving out the less urgent keys when the
    screen is narrow (under 80 cells, then under 60), so no key is ever cut off or overlapped.

    Textual rebuilds the footer each time a screen says its keys may have changed, and a
    screen may say so several times in one step (a new phase, the focus moving, a first
    vote). This one rebuilds at most once a refresh, and only when the keys it would show
    did change: a rebuild mounts every key afresh and lays the screen out again.
    """

    _rebuild_waiting = False
    _shown: tuple[object, ...] | None = None

    DEFAULT_CSS = """
    Footer.-narrow FooterKey.-less-urgent { display: none; }
    Footer.-tiny FooterKey.-less-urgent, Footer.-tiny FooterKey.-left-out-under-60,
    Footer.-tiny FooterKey.-command-palette { display: none; }
    """

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def on_mount(self) -> None:
        super().on_mount()
        self._fit(self.app.size.width)

    def _fit(self, width: int) -> None:
        self.set_class(width < 80, "-narrow")
        self.set_class(width < 60, "-tiny")

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
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                name = action_name(widget.action)
                widget.set_class(name in LESS_URGENT, "-less-urgent")
                widget.set_class(name in LEFT_OUT_UNDER_60, "-left-out-under-60")
                widget.description = _(widget.description) if widget.description else ""
                if isinstance(widget.tooltip, str) and widget.tooltip:
                    widget.tooltip = _(widget.tooltip)
            yield widget
