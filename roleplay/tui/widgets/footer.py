"""The Footer, with each key's description and tooltip in the interface language.

Binding descriptions are written once, in English, in each screen's
``BINDINGS`` (marked with ``N_`` for extraction); they are translated here,
each time the Footer is built, so a language switch shows at the next rebuild.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from roleplay.i18n import _


class Footer(TextualFooter):
    """Textual's Footer, translating what it shows."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description) if widget.description else ""
                if isinstance(widget.tooltip, str) and widget.tooltip:
                    widget.tooltip = _(widget.tooltip)
            yield widget
