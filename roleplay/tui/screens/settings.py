"""The settings dialog: the language of the interface, the rulebook and the stories."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _


class SettingsScreen(ModalScreen[str | None]):
    """Choose the language; dismisses with its code (``lv``), or None when closed without a choice.

    The conversation underneath carries on in the new language from the same
    point: the app replays it (see ``RoleplayApp.watch_language``).
    """

    AUTO_FOCUS = "#languages"
    BINDINGS = [Binding("escape", "close", N_("Close"))]

    def compose(self) -> ComposeResult:
        current = getattr(self.app, "language", LANGUAGES[0])
        with Vertical(id="settings-dialog", classes="dialog") as dialog:
            dialog.border_title = _("Settings")
            dialog.border_subtitle = _("Escape to close")
            yield Static(_("Language"), classes="settings-heading")
            yield Static(
                _("The screens, the coach and the stories (where they are translated). The conversation carries on."),
                classes="settings-hint",
            )
            options = OptionList(
                *(Option(("● " if code == current else "  ") + LANGUAGE_NAMES[code], id=code) for code in LANGUAGES),
                id="languages",
            )
            options.highlighted = LANGUAGES.index(current) if current in LANGUAGES else 0
            yield options

    @on(OptionList.OptionSelected, "#languages")
    def language_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
