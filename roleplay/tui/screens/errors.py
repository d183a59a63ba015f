"""The errors dialog: why a story file cannot be played, each problem as FILE:LINE:COL: message."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from roleplay.i18n import N_, _, ngettext
from roleplay.parsing.diagnostics import Diagnostic, Location


def shown_path(path: str) -> str:
    """``path`` relative to the working folder when it is inside it, as an editor would want it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return path


def located(diagnostic: Diagnostic) -> str:
    where = diagnostic.location
    return str(Diagnostic(Location(shown_path(where.path), where.line, where.column), diagnostic.message, diagnostic.severity))


class ErrorsScreen(ModalScreen[None]):
    """The problems that stop a story file from being played; Escape or Enter closes it."""

    BINDINGS = [Binding("escape", "close", N_("Close")), Binding("enter", "close", N_("Close"), show=False)]

    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__()
        self.path = path
        self.diagnostics = diagnostics

    def compose(self) -> ComposeResult:
        count = len(self.diagnostics)
        with Vertical(id="errors-dialog", classes="dialog") as dialog:
            dialog.border_title = _("This story cannot be played")
            yield Static(shown_path(self.path), id="errors-path", markup=False)
            yield Static(
                ngettext(
                    "{count} problem to fix in the file (line and column after the name):",
                    "{count} problems to fix in the file (line and column after the name):",
                    count,
                ).format(count=count),
                id="errors-intro",
                markup=False,
            )
            with VerticalScroll(id="errors-list"):
                for diagnostic in self.diagnostics:
                    yield Static(located(diagnostic), classes=f"error-line -{diagnostic.severity.value}", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="close", variant="primary", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    @property
    def text(self) -> str:
        """The problems as shown, one a line."""
        return "\n".join(located(diagnostic) for diagnostic in self.diagnostics)
