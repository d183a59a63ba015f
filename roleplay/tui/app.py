"""The roleplay app, and :func:`create_app`, the one factory the command line and the tests both use.

The app owns what is shared between screens: the play mode (coach or exam,
switched only by :meth:`RoleplayApp.action_set_mode`), opening stories, and
moving between the picker, a conversation and the dialogs. Screens that care
about the mode watch ``play_mode`` on the app.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, Provider
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen

from roleplay.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, N_, _, set_language
from roleplay.tui import css_cache
from roleplay.tui.presenting import MODE_LABELS, PRESENTER_LABEL, PresenterSwitching, conversation_screen
from roleplay.tui.record_keeping import RecordKeeping
from roleplay.tui.screens.picker import PickerScreen
from roleplay.tui.themes import PRESENTER_THEME, PRESENTER_THEMES, ReadableColours

if TYPE_CHECKING:
    from roleplay.parsing.diagnostics import Diagnostic
    from roleplay.play.engine import Session
    from roleplay.room.model import Room
    from roleplay.room.server import RoomServer
    from roleplay.room.settings import RoomOptions
    from roleplay.rules.rulebook import Rulebook
    from roleplay.story.model import Story
    from roleplay.tui.messages import ModeChosen

PlayMode = Literal["coach", "exam"]


def roleplay_commands() -> type[Provider]:
    """The palette's roleplay commands, imported when the palette first opens (not before the first frame)."""
    from roleplay.tui.commands import RoleplayCommands

    return RoleplayCommands


STYLES = Path(__file__).resolve().parent / "styles"
FIRST_STYLES = ("app.tcss", "picker.tcss")
"""The stylesheets of the first frame: the picker's."""
LATER_STYLES = (
    "dialogs.tcss",
    "widgets.tcss",
    "conversation.tcss",
    "debrief.tcss",
    "presenter.tcss",
    "room.tcss",
    "settings.tcss",
    "progress.tcss",
    "sources.tcss",
)
"""The other screens' stylesheets, read once the picker is on screen, or before any other screen opens."""

UNCHECKED_THEMES = ("ansi-dark", "ansi-light")
"""Textual's themes whose colours are the terminal's own palette: their contrast cannot be known, let
alone promised, so the theme list leaves them out (every other theme is checked as drawn, by the tests)."""


class AppOptions(NamedTuple):
    """What the command line asks for: a story to open (a path or a bundled name), the mode, the library folder.

    A named tuple rather than a dataclass, which takes a millisecond to make at start-up."""

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
    language: str = DEFAULT_LANGUAGE
    """The language of the interface, the rulebook's words and the stories (where they have it)."""


class RoleplayApp(ReadableColours, RecordKeeping, PresenterSwitching, App[None]):
    """Practise difficult customer conversations: pick a story, reply, learn from the debrief."""

    TITLE = "Roleplay"
    CSS_PATH = [STYLES / name for name in FIRST_STYLES]
    """The stylesheets the picker needs; the rest are read after the first frame, or before any other screen
    opens, the question to continue among them (:meth:`read_later_styles`), since reading Textual CSS is a
    good part of the start-up time."""
    COMMANDS = App.COMMANDS | {roleplay_commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-medium"), (110, "-wide")]
    """Under 80 cells the panels stack; from 110 the side panels get wider."""
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-compact"), (32, "-tall")]
    """Under 20 lines the transcript and other extras make way for the reply list; under 32 the
    customer card keeps only the meter, so the coach has room."""

    BINDINGS = [
        Binding("question_mark", "help", N_("Help"), key_display="?", tooltip=N_("How to play, and every key")),
        Binding("m", "set_mode('exam')", N_("Exam mode"), tooltip=N_("Hide the feedback until the debrief")),
        Binding("m", "set_mode('coach')", N_("Coach mode"), tooltip=N_("Show feedback after every reply")),
        Binding(
            "p",
            "toggle_presenter",
            N_("Presenter"),
            show=False,
            tooltip=N_("Presenter mode on or off: for a room, on a projector"),
        ),
        Binding(
            "i",
            "sources",
            N_("Sources"),
            show=False,
            tooltip=N_("The articles the rules come from, with the passages they quote"),
        ),
        Binding("comma", "settings", N_("Settings"), key_display=",", show=False, tooltip=N_("Settings: the language")),
        Binding("q", "quit", N_("Quit"), tooltip=N_("Quit roleplay")),
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True, tooltip=N_("Quit roleplay, from anywhere")),
    ]

    play_mode: reactive[PlayMode] = reactive("coach", bindings=True, init=False)
    """'coach' (feedback after every reply) or 'exam' (feedback only in the debrief)."""
    presenting: reactive[bool] = reactive(False, bindings=True, init=False)
    """Presenter mode: the room votes on each reply and its effect waits to be revealed."""
    language: reactive[str] = reactive(DEFAULT_LANGUAGE, bindings=True, init=False)
    """The language everything is shown in; switching it keeps the conversation, only the words change."""

    def __init__(self, options: AppOptions | None = None) -> None:
        self.making_stylesheet_later = True
        super().__init__()
        self.making_stylesheet_later = False
        self.options = options or AppOptions()
        self.set_reactive(RoleplayApp.play_mode, "exam" if self.options.exam else "coach")
        language = self.options.language if self.options.language in LANGUAGES else DEFAULT_LANGUAGE
        self.set_reactive(RoleplayApp.language, language)
        set_language(language)
        self.sub_title = _(MODE_LABELS[self.play_mode])
        self.original_story: Story | None = None
        """The story being played as written, before its text layer: the one a language switch translates."""
        for theme in PRESENTER_THEMES:
            self.register_theme(theme)
        for name in UNCHECKED_THEMES:
            self.unregister_theme(name)
        self.theme_before_presenting = self.theme
        self.audience: Room | None = None
        """The room voting from their phones (``roleplay room``), once its server listens."""
        self.room_server: RoomServer | None = None
        if self.options.present or self.options.room is not None:
            self.set_reactive(RoleplayApp.presenting, True)
            self.theme = PRESENTER_THEME.name
            self.sub_title = _(PRESENTER_LABEL)
        # Made once the theme is chosen, so the rules kept for it are the ones reused.
        self.stylesheet = css_cache.ThemeStylesheet(variables=self.get_css_variables())
        self._css_first = css_cache.reuse(self.stylesheet, "first")
        """The stylesheets of the first frame whose rules were parsed on an earlier run (see
        :mod:`roleplay.tui.css_cache`); ``_css_later`` are the others."""
        self._css_later: frozenset[object] = frozenset()

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's 'title — mode', the mode at full strength (Textual dims it, below readable contrast)."""
        return Content.assemble(Content(title), " — ", Content(sub_title)) if sub_title else Content(title)

    @property
    def rulebook(self) -> Rulebook:
        """The rulebook, its words in the app's language."""
        from roleplay.rules.text_layer import translated_rulebook

        return translated_rulebook(self.language)

    def get_default_screen(self) -> Screen:
        return PickerScreen(self.options.library)

    # Textual's own words, in the interface language (roleplay.tui.textual_words) ----------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from roleplay.tui.textual_words import translated_system_commands

        return translated_system_commands(super().get_system_commands(screen), self, screen)

    def action_command_palette(self) -> None:
        from roleplay.tui.textual_words import SEARCH_COMMANDS, Palette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette(placeholder=_(SEARCH_COMMANDS), id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from roleplay.tui.textual_words import SEARCH_THEMES, Palette

        self.push_screen(Palette(providers=[ThemeProvider], placeholder=_(SEARCH_THEMES)))

    @on(events.DeliveryComplete)
    def screenshot_saved(self, event: events.DeliveryComplete) -> None:
        """Textual's notice that a screenshot was saved, in the interface language (Textual's own is not shown)."""
        from roleplay.tui.textual_words import SAVED_SCREENSHOT, SAVED_SCREENSHOT_TO

        if event.name != "screenshot":
            return
        event.prevent_default()
        message = _(SAVED_SCREENSHOT) if event.path is None else _(SAVED_SCREENSHOT_TO).format(path=repr(str(event.path)))
        self.notify(message, title=_("Screenshot"), markup=False)

    def read_later_styles(self) -> None:
        """Read the stylesheets the first frame did without (once; only they are parsed, and the nodes restyled)."""
        stylesheet = self.stylesheet
        unread = [STYLES / name for name in LATER_STYLES if not stylesheet.has_source(str(STYLES / name))]
        if not unread:
            return
        for path in unread:
            stylesheet.read(path)
        stylesheet.parse()
        stylesheet.update(self)

    def push_screen(self, screen, *args, **kwargs):  # type: ignore[override]
        """Push ``screen``, with every stylesheet read first unless it is one the first frame had styles for."""
        if not getattr(screen, "STYLED_BY_FIRST_STYLES", False):
            self.read_later_styles()
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen, *args, **kwargs):  # type: ignore[override]
        self.read_later_styles()
        return super().switch_screen(screen, *args, **kwargs)

    async def on_mount(self) -> None:
        if self.options.room is not None:
            await self.open_room(self.options.room)
        if self.options.story is not None:
            self.open_story(self.options.story)
        # The first frame shows the picker's stories (or the story asked for); what it does not need waits
        # until it is out.
        self.call_after_refresh(self.after_first_frame)

    def after_first_frame(self) -> None:
        """Open the learner's record (offering the conversation left unfinished), then read the other
        screens' stylesheets while the learner reads the list."""
        stylesheet = self.stylesheet
        self._css_first = first = css_cache.keep(stylesheet, "first", self._css_first)
        self._css_later = css_cache.reuse(stylesheet, "later")
        self.open_record()
        if self.options.story is None and self.options.room is None:
            self.offer_to_continue_on_the_picker()
        self.read_later_styles()
        self._css_later = css_cache.keep(stylesheet, "later", self._css_later, leave_out=first)

    # the record (the rest is RecordKeeping's) -------------------------------------
    def offer_to_continue_on_the_picker(self) -> None:
        """Offer the conversation left unfinished, unless a key pressed as the list appeared has already
        opened another story: then it stays kept, and is offered at the next start."""
        if isinstance(self.screen, PickerScreen):
            self.offer_to_continue()

    def on_mode_chosen(self, message: ModeChosen) -> None:
        """The debrief's "play again in this mode" (found by its name, like RecordKeeping's handlers)."""
        self.action_set_mode(message.mode)

    def open_saved(self, session: Session, exam: bool) -> None:
        """Open the conversation kept on quitting, in its mode (unless presenting) and the app's language."""
        mode: PlayMode = "exam" if exam else "coach"
        if mode != self.play_mode and not self.presenting:
            self.play_mode = mode
        self.action_pick_story()
        self.original_story = session.story
        if self.language != session.story.language:
            session = self.session_in_language(session.story, session.picks)
        self.push_screen(conversation_screen(session, self.presenting))

    async def open_room(self, options: RoomOptions) -> None:
        """Serve the participants' page on this app's event loop; an address that cannot be used is shown, not raised."""
        from roleplay.room.model import Room
        from roleplay.room.server import RoomServer

        room = Room(tally_hidden=options.hide_tally, language=self.language)
        server = RoomServer(room, options.host, options.port, public_url=options.public_url)
        try:
            await server.start()
        except OSError as exc:
            reason = (
                _("the port is in use (choose another with --port)")
                if exc.errno == errno.EADDRINUSE
                else exc.strerror or str(exc)
            )
            self.notify(
                _("Cannot listen on {address}: {reason}. Presenter mode goes on without phones.").format(
                    address=f"{options.host}:{options.port}", reason=reason
                ),
                title=_("No room"),
                severity="error",
                timeout=30,
            )
            return
        self.audience, self.room_server = room, server

    async def on_unmount(self) -> None:
        self.close_record()
        # With the rules of the screens opened since the first frame.
        css_cache.keep(self.stylesheet, "later", self._css_later, leave_out=self._css_first)
        if self.room_server is not None:
            await self.room_server.stop()

    # the mode --------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_mode" and (parameters[0] == self.play_mode or self.presenting):
            return False
        if action == "set_language" and parameters and parameters[0] == self.language:
            return False
        # The screen on top may veto an app action that means nothing there (the mode on the debrief).
        return self.screen.check_action(action, parameters) is not False

    def action_set_mode(self, mode: str) -> None:
        """Switch between coach and exam mode; the one place the mode changes."""
        if mode not in MODE_LABELS:
            return
        self.play_mode = mode  # type: ignore[assignment]

    def watch_play_mode(self, mode: PlayMode) -> None:
        self.sub_title = _(MODE_LABELS[mode])
        self.notify(
            _("Feedback after every reply.") if mode == "coach" else _("No feedback until the debrief; the meter still moves."),
            title=_(MODE_LABELS[mode]),
            timeout=3,
        )

    @property
    def exam(self) -> bool:
        return self.play_mode == "exam"

    # presenter mode ------------------------------------------------------------------
    def action_toggle_presenter(self) -> None:
        self.presenting = not self.presenting

    def watch_presenting(self, presenting: bool) -> None:
        self.sub_title = _(PRESENTER_LABEL) if presenting else _(MODE_LABELS[self.play_mode])
        self.switch_presenting(presenting)

    # moving around ----------------------------------------------------------------
    def action_help(self) -> None:
        from roleplay.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_progress(self) -> None:
        """The learner's progress over the stories of the library being shown."""
        from roleplay.tui.screens.progress import ProgressScreen

        if isinstance(self.screen, ProgressScreen):
            return
        self.push_screen(ProgressScreen())  # it loads the library's stories in a thread

    def action_sources(self) -> None:
        from roleplay.tui.screens.sources import SourcesScreen

        if not isinstance(self.screen, SourcesScreen):
            self.push_screen(SourcesScreen())

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
        from roleplay.parsing.diagnostics import Diagnostic, Location
        from roleplay.play.library import resolve_story_path
        from roleplay.play.validation import validate_file

        path = resolve_story_path(name)
        if path is None:
            problem = Diagnostic(Location(name), _("no such story file, and no bundled story of that name"))
            self.show_errors(name, [problem])
            return
        if path.is_dir():
            self.show_errors(str(path), [Diagnostic(Location(str(path)), _("this is a folder; choose a story file in it"))])
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
    """The :class:`roleplay.writing.watch.StoryWatch` of the story being played, with --watch."""

    def watch_story_file(self, path: Path) -> None:
        """Follow ``path``: when the file changes, reload it and carry on from the same reply."""
        from roleplay.writing.watch import POLL_SECONDS, StoryWatch

        if self._story_watch is None:
            self.set_interval(POLL_SECONDS, self.check_story_file, name="story file watch")
        self._story_watch = StoryWatch(path, self.rulebook)

    def check_story_file(self) -> None:
        """Reload the watched story if its file changed: the same replies are given again on the new
        version; a version with errors shows them and the last good one keeps playing."""
        from roleplay.tui.screens.conversation import ConversationScreen
        from roleplay.tui.screens.presenter import PresenterScreen

        watch, screen = self._story_watch, self.screen
        if watch is None or not isinstance(screen, (ConversationScreen, PresenterScreen)):
            return  # checked again once the conversation is on top
        if screen.session.story.path != watch.path:
            return
        reload = watch.poll(screen.session.picks)
        if reload is None:
            return
        if not reload.ok:
            self.notify(reload.summary(), title=_("Story not reloaded"), severity="error")
            self.show_errors(watch.path, reload.errors)
            return
        self.notify(reload.summary(), title=_("Story reloaded"), severity="warning" if reload.stopped else "information")
        session = reload.session
        assert session is not None, "a reload that went through has a session"
        self.original_story = session.story
        if self.language != session.story.language:
            session = self.session_in_language(session.story, session.picks)
        self.switch_screen(conversation_screen(session, self.presenting))

    def play(self, story: Story) -> None:
        """Start a new conversation with ``story``."""
        from roleplay.play.engine import Session
        from roleplay.story.translation import translate_story

        self.action_pick_story()
        self.original_story = story
        self.push_screen(conversation_screen(Session(translate_story(story, self.language), self.rulebook), self.presenting))

    # the language ---------------------------------------------------------------------
    def session_in_language(self, story: Story, picks: Sequence[int]) -> Session:
        """A session of ``story`` (as written) in the app's language, at the same point: the same picks replayed.

        The engine is deterministic and a text layer changes no branch, so the
        replay reaches the same node, mood, loyalty and history.
        """
        from roleplay.play.engine import replay
        from roleplay.story.translation import translate_story

        again = replay(translate_story(story, self.language), picks, self.rulebook)
        if again.error is not None:
            raise again.error
        return again.session

    def action_set_language(self, language: str) -> None:
        """Show everything in ``language``; the one place the language changes."""
        if language in LANGUAGES:
            self.language = language

    def action_settings(self) -> None:
        from roleplay.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen(), self._settings_chosen)

    def _settings_chosen(self, language: str | None) -> None:
        if language is not None:
            self.action_set_language(language)

    def watch_language(self, language: str) -> None:
        from roleplay.tui.screens.conversation import ConversationScreen
        from roleplay.tui.screens.debrief import DebriefScreen
        from roleplay.tui.screens.presenter import PresenterScreen

        set_language(language)
        if self.audience is not None:
            self.audience.set_language(language)  # the phones' page and views follow the presenter
        self.sub_title = _(PRESENTER_LABEL) if self.presenting else _(MODE_LABELS[self.play_mode])
        stack = self.screen_stack
        current = next((screen for screen in reversed(stack) if isinstance(screen, (ConversationScreen, PresenterScreen))), None)
        if current is not None and self.original_story is not None:
            debrief_open = any(isinstance(screen, DebriefScreen) for screen in stack[stack.index(current) :])
            old = current.session
            session = self.session_in_language(self.original_story, old.picks)
            room = current.room if isinstance(current, PresenterScreen) else None
            if self.kept_room is not None and self.kept_room[0] is old:
                self.kept_room = (session, self.kept_room[1])
            while self.screen is not current:
                self.pop_screen()
            replacement = conversation_screen(session, self.presenting, room)
            self.switch_screen(replacement)
            if debrief_open:
                # The presenter's finished conversation reopens on the room's summary, which leads to the debrief.
                reopen = replacement.action_summary if isinstance(replacement, PresenterScreen) else replacement.action_debrief
                self.call_after_refresh(reopen)
        for screen in self.screen_stack:
            changed = getattr(screen, "language_changed", None)
            if changed is not None:
                changed()
            screen.refresh_bindings()
        self.notify(_("Language: {name}").format(name=LANGUAGE_NAMES[language]), timeout=2)

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
    language: str = DEFAULT_LANGUAGE,
) -> RoleplayApp:
    """The app as the command line starts it: on the library, or on ``story`` when given."""
    return RoleplayApp(
        AppOptions(story=story, exam=exam, library=library, present=present, watch=watch, room=room, language=language)
    )


def run_app(
    story: str | None = None,
    *,
    exam: bool = False,
    present: bool = False,
    watch: bool = False,
    room: RoomOptions | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> int:
    """Run the app in the terminal until the player quits; the exit status for the command line."""
    app = create_app(story, exam=exam, present=present, watch=watch, room=room, language=language)
    app.run()
    return app.return_code or 0
