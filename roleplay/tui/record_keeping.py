"""The learner's record, as the app keeps it: each finished play recorded, a conversation quit in the
middle kept, and offered again the next time roleplay starts.

:class:`RecordKeeping` is the part of :class:`~roleplay.tui.app.RoleplayApp` that does this; the app
provides the mode, the rulebook and opening the kept conversation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import ModalScreen

from roleplay.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from textual.app import App

    from roleplay.play.engine import Session
    from roleplay.play.plays import Unfinished
    from roleplay.play.record import Record
    from roleplay.rules.rulebook import Rulebook
    from roleplay.tui.messages import PlayFinished

# Quitting mid-story and coming back (what the learner reads, kept together).
# (In English, marked for translation: shown with _(). The two questions with a count are ngettext calls below.)
QUIT_YES = N_("Quit")
QUIT_NO = N_("Keep playing")
QUIT_UNSAVED_QUESTION = N_("The conversation could not be kept ({reason}). Quit anyway, and lose it?")
QUIT_UNSAVED_YES = N_("Quit and lose it")
CONTINUE_YES = N_("Continue where you left off")
CONTINUE_NO = N_("Not now")
CONTINUE_FAILED_TITLE = N_("Cannot continue where you left off")
CONTINUE_FAILED_MISSING = N_("The story file {path} is no longer there.")
CONTINUE_FAILED_ERRORS = N_("The story file has errors now: {error}")
NOTICE_SECONDS = 15
"""How long a notice about the record stays on screen."""


if TYPE_CHECKING:
    AppPart = App[None]
else:
    AppPart = object
    """A part of the app (for the type checker, an App): a plain class, so the app is one App class to make."""


class RecordKeeping(AppPart):
    """Records finished plays, keeps the conversation on quitting mid-story, and offers it at the next start.

    The record is opened once the first frame is out (:meth:`open_record`): checking and migrating the
    SQLite file is no part of the first frame, which shows the stories.
    """

    _record: Record | None = None

    @property
    def record(self) -> Record:
        """The learner's record of finished plays and the conversation left unfinished (opened on first use)."""
        if self._record is None:
            from roleplay.play.record import Record

            self._record = Record()
        return self._record

    record_open = False
    """Whether :meth:`open_record` has run: before that, screens show no progress (the picker's best so far)."""

    def open_record(self) -> None:
        """Open the record, tell the learner what happened to it, and let the screens show their progress."""
        self.record.open()
        self.record_open = True
        self.show_record_notices()
        for screen in self.screen_stack:
            progress_changed = getattr(screen, "progress_changed", None)
            if progress_changed is not None:
                progress_changed()

    def close_record(self) -> None:
        if self._record is not None:
            self._record.close()

    def show_record_notices(self) -> None:
        """Tell the learner what happened to the record (damaged and moved aside, cannot be written, imported)."""
        for notice in self.record.take_notices():
            self.notify(notice.text, title=notice.title, severity=notice.severity, timeout=NOTICE_SECONDS)  # type: ignore[arg-type]

    def on_play_finished(self, message: PlayFinished) -> None:
        """A conversation ended: keep it in the record (the handler is found by its name, so the first frame
        needs no import of the messages)."""
        self.record.add_play(message.session, coached=message.coached)
        self.show_record_notices()

    _quit_dialog: ModalScreen[bool] | None = None
    """The question asked on quitting mid-story, while it is open."""

    def _conversation(self):
        """The conversation (solo or presenter) in the screen stack, if one is open."""
        from roleplay.tui.screens.conversation import ConversationScreen
        from roleplay.tui.screens.presenter import PresenterScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, (ConversationScreen, PresenterScreen)):
                return screen
        return None

    async def action_quit(self) -> None:
        """Quit; in the middle of a story, ask first and keep the conversation to continue next time."""
        from roleplay.tui.screens.confirm import ConfirmDialog

        if self._quit_dialog is not None and self.screen is self._quit_dialog:
            self._quit_dialog.dismiss(True)  # quit pressed again over the question: yes
            return
        conversation = self._conversation()
        session = conversation.session if conversation is not None else None
        if session is None or session.finished or not session.history:
            self.exit()
            return
        turns = len(session.history)
        dialog = ConfirmDialog(
            ngettext(
                "Quit in the middle of '{title}'? Your {turns} reply so far is kept, and offered the next time you start roleplay.",
                "Quit in the middle of '{title}'? Your {turns} replies so far are kept, and offered the next time you start roleplay.",
                turns,
            ).format(title=session.story.title, turns=turns),
            _(QUIT_YES),
            _(QUIT_NO),
        )
        self._quit_dialog = dialog
        self.push_screen(dialog, lambda yes: self._quit_keeping(session) if yes else None)

    def _quit_keeping(self, session: Session) -> None:
        from roleplay.tui.screens.confirm import ConfirmDialog

        if self.record.save_unfinished(session, exam=self.exam):
            self.exit()
            return
        notices = self.record.take_notices()
        reason = notices[0].text if notices else _("the record cannot be written")
        self.push_screen(
            ConfirmDialog(_(QUIT_UNSAVED_QUESTION).format(reason=reason), _(QUIT_UNSAVED_YES), _(QUIT_NO)),
            lambda yes: self.exit() if yes else None,
        )

    def offer_to_continue(self) -> None:
        """On start: offer the conversation the learner quit in the middle of last time."""
        saved = self.record.unfinished()
        self.show_record_notices()
        if saved is None:
            return
        from roleplay.tui.screens.confirm import ConfirmDialog

        picks = saved.session.get("picks")
        turns = len(picks) if isinstance(picks, list) else 0
        question = ngettext(
            "Continue where you left off?\n{title}: {turns} reply given, kept on {saved} (UTC), in {mode}.",
            "Continue where you left off?\n{title}: {turns} replies given, kept on {saved} (UTC), in {mode}.",
            turns,
        ).format(
            title=saved.title,
            turns=turns,
            saved=saved.saved_at[:16].replace("T", " "),
            mode=_("exam mode") if saved.exam else _("coach mode"),
        )
        self.push_screen(
            ConfirmDialog(question, _(CONTINUE_YES), _(CONTINUE_NO)), lambda yes: self.continue_saved(saved) if yes else None
        )

    def continue_saved(self, saved: Unfinished) -> None:
        """Open the kept conversation where it was left; it leaves the record until the learner quits again."""
        from roleplay.play.engine import Session
        from roleplay.play.validation import validate_file

        path = Path(saved.story_path)
        session = None
        if not path.is_file():
            problem = _(CONTINUE_FAILED_MISSING).format(path=path)
        else:
            result = validate_file(path, self.rulebook)
            if result.story is None:
                problem = _(CONTINUE_FAILED_ERRORS).format(path=path, error=(result.errors or result.diagnostics)[0])
            else:
                try:
                    session = Session.from_json(result.story, saved.session, self.rulebook)
                except ValueError as exc:
                    problem = str(exc)
        if session is None:
            self.notify(problem, title=_(CONTINUE_FAILED_TITLE), severity="error", timeout=NOTICE_SECONDS)
            self.record.clear_unfinished()
            return
        self.record.clear_unfinished()
        self.show_record_notices()
        self.open_saved(session, saved.exam)

    # what the app provides ----------------------------------------------------------
    @property
    def exam(self) -> bool:
        """Whether the conversation is played in exam mode (kept with it on quitting)."""
        raise NotImplementedError

    @property
    def rulebook(self) -> Rulebook:
        """The rulebook a kept conversation is played again with."""
        raise NotImplementedError

    def open_saved(self, session: Session, exam: bool) -> None:
        """Open a kept conversation, played again up to where it was left, in the mode it was played in."""
        raise NotImplementedError
