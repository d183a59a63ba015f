"""The roleplay app, and :func:`create_app`, the one factory the command line and the tests both use.

The app owns what is shared between screens: the play mode (coach or exam,
switched only by :meth:`RoleplayApp.action_set_mode`), opening stories, and
moving between the picker, a conversation and the dialogs. Screens that care
about the mode watch ``play_mode`` on the app.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from roleplay.diagnostics import Diagnostic, Location
from roleplay.tui.commands import RoleplayCommands
from roleplay.tui.screens.picker import PickerScreen
from roleplay.tui.themes import PRESENTER_THEME, PRESENTER_THEMES

if TYPE_CHECKING:
    from roleplay.engine import Session
    from roleplay.model import Story
    from roleplay.room.model import Room
    from roleplay.room.server import RoomServer
    from roleplay.room.settings import RoomOptions
    from roleplay.rulebook import Rulebook
    from roleplay.voting import RoomVotes

PlayMode = Literal["coach", "exam"]

STYLES = Path(__file__).resolve().parent / "styles"

MODE_LABELS: dict[str, str] = {"coach": "Coach mode", "exam": "Exam mode"}
PRESENTER_LABEL = "Presenter mode"


@dataclass(frozen=True)
class AppOptions:
    """What the command line asks for: a story to open (a path or a bundled name), the mode, the library folder."""

    story: str | None = None
    exam: bool = False
    library: Path | None = None
    """The folder of stories the picker lists; None for the bundled library."""
    present: bool = False
    """Start in presenter mode (a room votes on each reply; high-contrast theme)."""
    watch: bool = False
    """Reload the story opened when its file changes, replaying the replies so far (for writers)."""
    room: RoomOptions | None = None
    """Open a room: participants vote from their phones (implies presenter mode)."""


class RoleplayApp(App[None]):
    """Practise difficult customer conversations: pick a story, reply, learn from the debrief."""

    TITLE = "Roleplay"
    CSS_PATH = [
        STYLES / "app.tcss",
        STYLES / "widgets.tcss",
        STYLES / "picker.tcss",
        STYLES / "conversation.tcss",
        STYLES / "debrief.tcss",
        STYLES / "dialogs.tcss",
        STYLES / "presenter.tcss",
        STYLES / "room.tcss",
    ]
    COMMANDS = App.COMMANDS | {RoleplayCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-medium"), (110, "-wide")]
    """Under 80 cells the panels stack; from 110 the side panels get wider."""
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-compact"), (32, "-tall")]
    """Under 20 lines the transcript and other extras make way for the reply list; under 32 the
    customer card keeps only the meter, so the coach has room."""

    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="How to play, and every key"),
        Binding("m", "set_mode('exam')", "Exam mode", tooltip="Hide the feedback until the debrief"),
        Binding("m", "set_mode('coach')", "Coach mode", tooltip="Show feedback after every reply"),
        Binding("p", "toggle_presenter", "Presenter", show=False, tooltip="Presenter mode on or off: for a room, on a projector"),
        Binding("q", "quit", "Quit", tooltip="Quit roleplay"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, tooltip="Quit roleplay, from anywhere"),
    ]

    play_mode: reactive[PlayMode] = reactive("coach", bindings=True, init=False)
    """'coach' (feedback after every reply) or 'exam' (feedback only in the debrief)."""
    presenting: reactive[bool] = reactive(False, bindings=True, init=False)
    """Presenter mode: the room votes on each reply and its effect waits to be revealed."""

    def __init__(self, options: AppOptions | None = None) -> None:
        super().__init__()
        self.options = options or AppOptions()
        self.set_reactive(RoleplayApp.play_mode, "exam" if self.options.exam else "coach")
        self.sub_title = MODE_LABELS[self.play_mode]
        for theme in PRESENTER_THEMES:
            self.register_theme(theme)
        self.theme_before_presenting = self.theme
        """The theme to go back to when presenter mode is switched off."""
        self.kept_room: tuple[Session, RoomVotes] | None = None
        """Presenter mode's votes while it is switched off mid-conversation, so switching back resumes them."""
        self.audience: Room | None = None
        """The room voting from their phones (``roleplay room``), once its server listens."""
        self.room_server: RoomServer | None = None
        if self.options.present or self.options.room is not None:
            self.set_reactive(RoleplayApp.presenting, True)
            self.theme = PRESENTER_THEME.name
            self.sub_title = PRESENTER_LABEL

    @property
    def rulebook(self) -> Rulebook:
        from roleplay.rulebook import default_rulebook

        return default_rulebook()

    def get_default_screen(self) -> Screen:
        return PickerScreen(self.options.library)

    async def on_mount(self) -> None:
        if self.options.room is not None:
            await self.open_room(self.options.room)
        if self.options.story is not None:
            self.open_story(self.options.story)

    async def open_room(self, options: RoomOptions) -> None:
        """Serve the participants' page on this app's event loop; an address that cannot be used is shown, not raised."""
        from roleplay.room.model import Room
        from roleplay.room.server import RoomServer

        room = Room(tally_hidden=options.hide_tally)
        server = RoomServer(room, options.host, options.port, public_url=options.public_url)
        try:
            await server.start()
        except OSError as exc:
            reason = "the port is in use (choose another with --port)" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
            self.notify(f"Cannot listen on {options.host}:{options.port}: {reason}. Presenter mode goes on without phones.",
                        title="No room", severity="error", timeout=30)
            return
        self.audience, self.room_server = room, server

    async def on_unmount(self) -> None:
        if self.room_server is not None:
            await self.room_server.stop()

    # the mode --------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_mode" and (parameters[0] == self.play_mode or self.presenting):
            return False
        # The screen on top may veto an app action that means nothing there (the mode on the debrief).
        return self.screen.check_action(action, parameters) is not False

    def action_set_mode(self, mode: str) -> None:
        """Switch between coach and exam mode; the one place the mode changes."""
        if mode not in MODE_LABELS:
            return
        self.play_mode = mode  # type: ignore[assignment]

    def watch_play_mode(self, mode: PlayMode) -> None:
        self.sub_title = MODE_LABELS[mode]
        self.notify(
            "Feedback after every reply." if mode == "coach" else "No feedback until the debrief; the meter still moves.",
            title=MODE_LABELS[mode],
            timeout=3,
        )

    @property
    def exam(self) -> bool:
        return self.play_mode == "exam"

    # presenter mode ------------------------------------------------------------------
    def action_toggle_presenter(self) -> None:
        self.presenting = not self.presenting

    def watch_presenting(self, presenting: bool) -> None:
        from roleplay.tui.screens.presenter import switch_presenting

        switch_presenting(self, presenting)

    # moving around ----------------------------------------------------------------
    def action_help(self) -> None:
        from roleplay.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_open_file(self) -> None:
        from roleplay.tui.screens.open_file import OpenFileScreen

        def opened(path: Path | None) -> None:
            if path is not None:
                self.open_story(str(path))

        self.push_screen(OpenFileScreen(), opened)

    def action_pick_story(self) -> None:
        """Back to the story picker, closing the conversation and anything over it."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, PickerScreen):
            self.pop_screen()

    def open_story(self, name: str) -> None:
        """Open a story file (or a bundled story by name): play it, or show why it cannot be played."""
        from roleplay.library import resolve_story_path
        from roleplay.validation import validate_file

        path = resolve_story_path(name)
        if path is None:
            problem = Diagnostic(Location(name), "no such story file, and no bundled story of that name")
            self.show_errors(name, [problem])
            return
        if path.is_dir():
            self.show_errors(str(path), [Diagnostic(Location(str(path)), "this is a folder; choose a story file in it")])
            return
        result = validate_file(path)
        if result.story is None:
            self.show_errors(str(path), result.errors or result.diagnostics)
            return
        if self.options.watch:
            self.watch_story_file(path)
        self.play(result.story)

    # --watch: writers edit the story file while playing it ----------------------------
    _story_watch = None
    """The :class:`roleplay.watch.StoryWatch` of the story being played, with --watch."""

    def watch_story_file(self, path: Path) -> None:
        """Follow ``path``: when the file changes, reload it and carry on from the same reply."""
        from roleplay.watch import POLL_SECONDS, StoryWatch

        if self._story_watch is None:
            self.set_interval(POLL_SECONDS, self.check_story_file, name="story file watch")
        self._story_watch = StoryWatch(path, self.rulebook)

    def check_story_file(self) -> None:
        """Reload the watched story if its file changed: the same replies are given again on the new
        version; a version with errors shows them and the last good one keeps playing."""
        from roleplay.tui.screens.conversation import ConversationScreen
        from roleplay.tui.screens.presenter import PresenterScreen, conversation_screen

        watch, screen = self._story_watch, self.screen
        if watch is None or not isinstance(screen, (ConversationScreen, PresenterScreen)):
            return  # checked again once the conversation is on top
        if screen.session.story.path != watch.path:
            return
        reload = watch.poll(screen.session.picks)
        if reload is None:
            return
        if not reload.ok:
            self.notify(reload.summary(), title="Story not reloaded", severity="error")
            self.show_errors(watch.path, reload.errors)
            return
        self.notify(reload.summary(), title="Story reloaded", severity="warning" if reload.stopped else "information")
        self.switch_screen(conversation_screen(reload.session, self.presenting))

    def play(self, story: Story) -> None:
        """Start a new conversation with ``story``."""
        from roleplay.engine import Session
        from roleplay.tui.screens.presenter import conversation_screen

        self.action_pick_story()
        self.push_screen(conversation_screen(Session(story, self.rulebook), self.presenting))

    def show_errors(self, path: str, diagnostics: Sequence[Diagnostic]) -> None:
        """Show why a story file cannot be played, each problem with its file, line and column."""
        from roleplay.tui.screens.errors import ErrorsScreen

        self.push_screen(ErrorsScreen(path, list(diagnostics)))


def create_app(
    story: str | None = None,
    *,
    exam: bool = False,
    library: Path | None = None,
    present: bool = False,
    watch: bool = False,
    room: RoomOptions | None = None,
) -> RoleplayApp:
    """The app as the command line starts it: on the library, or on ``story`` when given."""
    return RoleplayApp(AppOptions(story=story, exam=exam, library=library, present=present, watch=watch, room=room))


def run_app(
    story: str | None = None, *, exam: bool = False, present: bool = False, watch: bool = False, room: RoomOptions | None = None
) -> int:
    """Run the app in the terminal until the player quits; the exit status for the command line."""
    app = create_app(story, exam=exam, present=present, watch=watch, room=room)
    app.run()
    return app.return_code or 0
