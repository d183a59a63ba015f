"""A yes-or-no question over the screen beneath: :class:`ConfirmDialog`, for anything that cannot be undone."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from roleplay.i18n import N_, _


class ConfirmDialog(ModalScreen[bool]):
    """Ask ``question``; dismisses with True for yes (y, or the yes button) and False for no (n, Escape, or no).

    Push it with a callback, or await it from a worker with ``push_screen_wait``::

        self.app.push_screen(ConfirmDialog("Restart this story?", "Restart"), restart_if_yes)
    """

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), tooltip=N_("Answer yes")),
        Binding("n", "answer(False)", N_("No"), tooltip=N_("Answer no")),
        Binding("escape", "answer(False)", N_("No"), show=False),
    ]

    def __init__(self, question: str, yes_label: str | None = None, no_label: str | None = None) -> None:
        super().__init__()
        self.question = question
        """What is asked, as one or more sentences."""
        self.yes_label = yes_label or _("Yes")
        self.no_label = no_label or _("No")

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static(_("y for yes, n or Escape for no"), id="confirm-keys")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes_label, id="confirm-yes", variant="primary", compact=True)
                yield Button(self.no_label, id="confirm-no", compact=True)

    def on_mount(self) -> None:
        # The safe answer has focus, so Enter does not undo anything by accident.
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def yes_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def no_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
