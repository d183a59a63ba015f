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

KeyShown = tuple[str, str, str, bool, object]
"""A key as the footer shows it: the key, its action, its description, whether it is enabled, its tooltip."""
Shown = tuple[str, bool, bool, tuple[KeyShown, ...]]
"""What a footer shows: the language, whether compact, whether with the palette's key, and the keys."""

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
    _shown: Shown | None = None

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

    def _keys_shown(self) -> Shown:
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
        if self._rebuild_waiting:
            return
        if self._shown is None:
            # The first keys: the screen's first frame goes out without waiting for them.
            self._rebuild_waiting = True
            self.call_after_refresh(self._rebuild)
        elif not self._enable_in_place():
            # Keys come or go as the screen changes (Undo after the first reply): the screen waits for the
            # footer, so that what changed and the keys it brought show in one frame, not two.
            self._rebuild_waiting = True
            self._holding = True
            self.app._begin_batch()
            self.call_next(self._rebuild_held)

    _holding = False
    """The app's repaints are held for a rebuild to come (:meth:`_rebuild_held` lets them go)."""

    def _let_go(self) -> None:
        if self._holding:
            self._holding = False
            self.app._end_batch()

    async def _rebuild_held(self) -> None:
        """:meth:`_rebuild`, with the app's repaints held from the change until the footer is built."""
        try:
            await self._rebuild()
        finally:
            # After what mounting the keys left to do (Textual lays the footer out again once they are in).
            self.call_next(self._let_go)

    def on_unmount(self) -> None:
        self._let_go()  # a footer taken away before its rebuild came holds nothing

    def _enable_in_place(self) -> bool:
        """When only whether keys are enabled changed, enable or disable the keys shown, now, in the frame
        that shows what changed them, instead of building the footer again; False when more than that changed."""
        shown = self._shown
        if shown is None:
            return False
        now = self._keys_shown()
        if now[:3] != shown[:3] or len(now[3]) != len(shown[3]):
            return False
        if any((key[:3], key[4]) != (was[:3], was[4]) for key, was in zip(now[3], shown[3], strict=True)):
            return False
        enabled = {(key[0], key[1]): key[3] for key in now[3]}
        for footer_key in self.query(FooterKey):
            state = enabled.get((footer_key.key, footer_key.action))
            if state is not None:
                footer_key.disabled = not state
        self._shown = now
        return True

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
