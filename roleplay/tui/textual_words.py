"""Textual's own words, in the interface language: the command palette, its system commands, the footer's palette key.

Textual writes these in English in its own code (``App.get_system_commands``,
``CommandPalette``'s placeholder and its "No matches found", the palette
binding's "palette" in the footer, the screenshot notice). They are listed
here, marked for extraction, so the catalogues carry them beside ours, and
the app shows them through :func:`roleplay.i18n._`.

Textual's "Keys" command opens its key panel, which would list every binding
in English; here "Keys" opens the app's own help instead (presenter mode's on
a presenter screen), which lists every key in the interface language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets.option_list import Option

from roleplay.i18n import N_, _

SYSTEM_COMMAND_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
"""The titles and help of Textual's system commands, as ``App.get_system_commands`` writes them."""

KEYS = N_("Keys")
KEYS_HELP = N_("Every key of this screen, and how to play")
TEXTUAL_KEYS_TITLE = "Keys"
"""Textual's key panel command, replaced by the app's help (see the module's docstring)."""

PALETTE = N_("palette")
"""The footer's name for the command palette key (the description of Textual's ``ctrl+p`` binding)."""
PALETTE_TOOLTIP = N_("Open the command palette")
SEARCH_COMMANDS = N_("Search for commands…")
SEARCH_THEMES = N_("Search for themes…")
NO_MATCHES = N_("No matches found")
SAVED_SCREENSHOT = N_("Saved screenshot")
SAVED_SCREENSHOT_TO = N_("Saved screenshot to {path}")


def translated_system_commands(commands: Iterable[SystemCommand], app: App[Any], screen: Screen[Any]) -> Iterator[SystemCommand]:
    """Textual's system commands with their title and help in the interface language, "Keys" opening the app's help."""
    for command in commands:
        if command.title == TEXTUAL_KEYS_TITLE:
            action = "presenter_help" if hasattr(screen, "action_presenter_help") else "help"
            target = screen if action == "presenter_help" else app
            yield SystemCommand(_(KEYS), _(KEYS_HELP), partial(app.call_next, target.run_action, action))
            continue
        yield command._replace(title=_(command.title), help=_(command.help))


class Palette(CommandPalette):
    """Textual's command palette, saying "No matches found" in the interface language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, with the one English text translated.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(_(NO_MATCHES), style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
