"""The open-file dialog: type the path of a story file (or a bundled story's name) to play it."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Static

from roleplay.i18n import N_, _
from roleplay.play.validation import is_story_file


class PathSuggester(Suggester):
    """Completes the file or folder name being typed with the first that matches (folders and story files only)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(value).expanduser()
        folder, prefix = (typed, "") if value.endswith("/") else (typed.parent, typed.name)
        try:
            children = sorted(folder.iterdir())
        except OSError:
            return None
        for child in children:
            if not child.name.startswith(prefix) or child.name == prefix or child.name.startswith("."):
                continue
            if child.is_dir():
                return value + child.name[len(prefix) :] + "/"
            if is_story_file(child):
                return value + child.name[len(prefix) :]
        return None


class OpenFileScreen(ModalScreen[Path | None]):
    """Ask for a story file; dismisses with its path, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog", classes="dialog") as dialog:
            dialog.border_title = _("Open a story file")
            yield Static(
                _("The path of a story file, or the name of a bundled story. Press → to accept a suggestion."), id="open-hint"
            )
            yield Input(placeholder="stories/my-story.yaml", id="open-path", suggester=PathSuggester())
            yield Static("", id="open-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Open"), id="open", variant="primary", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        # No blinking cursor when animations are off (tests and screenshots rely on it).
        self.query_one(Input).cursor_blink = self.app.animation_level != "none"

    @on(Input.Submitted, "#open-path")
    @on(Button.Pressed, "#open")
    def open_file(self) -> None:
        from roleplay.play.library import resolve_story_path

        name = self.query_one(Input).value.strip()
        problem = self.query_one("#open-problem", Static)
        if not name:
            problem.update(_("Type the path of a story file."))
            return
        typed = Path(name).expanduser()
        if typed.is_dir():
            problem.update(_("{name} is a folder: add the name of a story file in it.").format(name=name))
            return
        path = resolve_story_path(str(typed))
        if path is None:
            problem.update(_("There is no file {name}, and no bundled story of that name.").format(name=repr(name)))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
