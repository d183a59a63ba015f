"""Presenter mode: the conversation on a projector, with the room voting on each reply before it is given.

Each turn goes in three steps, so the room commits before it sees the result:

1. **Vote.** The trainer records the room's votes (a number key adds one,
   ``-`` then a number or alt+number takes one away); the tally shows as bars.
2. **Lock in.** Enter gives the majority reply (on a tie the trainer adds a
   vote or chooses with ``c`` then a number). The mood meter does not move yet:
   the room predicts what the reply will do.
3. **Reveal.** ``r`` moves the meter and shows the coaching; Enter goes on to
   the customer's next line, and after the last turn to the room's summary.

The screen shows what the engine's :class:`~roleplay.play.engine.Session` returns
and keeps the votes in a :class:`~roleplay.play.voting.RoomVotes`; it computes no
rule.

With a room (``roleplay room``) the phones' votes join the trainer's keyed
ones: the screen opens, locks and reveals each turn on the app's
:class:`~roleplay.room.model.Room` too, and redraws the tally when the room
posts :class:`~roleplay.tui.messages.RoomChanged`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Static

from roleplay.i18n import _, exception_text
from roleplay.play.engine import ChoiceError, Session, TurnResult
from roleplay.play.voting import RoomVotes, VoteError

if TYPE_CHECKING:
    pass
from roleplay.tui.keys import PRESENTER_KEYS
from roleplay.tui.messages import RoomChanged
from roleplay.tui.presenter_words import locked_prompt, reveal_for_phones, revealed_prompt, room_line, voting_prompt
from roleplay.tui.room_link import RoomFollower
from roleplay.tui.screens.conversation import CustomerLine
from roleplay.tui.screens.presenter_room import RoomKeys
from roleplay.tui.widgets.discussion_timer import DiscussionTimer
from roleplay.tui.widgets.feedback import FeedbackPanel, Note, turn_notes
from roleplay.tui.widgets.footer import Footer
from roleplay.tui.widgets.presenter_meter import PresenterMoodMeter
from roleplay.tui.widgets.presenter_transcript import PresenterTranscript
from roleplay.tui.widgets.vote_tally import VoteTally

Phase = Literal["voting", "locked", "revealed"]
"""Voting on a reply; a reply locked in and given, its effect hidden; its effect revealed."""
Pending = Literal["remove", "choose"]
"""A key that waits for a reply number: take a vote away, or give that reply."""


class PresenterScreen(RoomKeys):
    """One play-through for a room: a large meter, the customer's line, the replies with the room's votes."""

    AUTO_FOCUS = None
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-compact"), (30, "-tall")]
    """Under 24 lines the meter and the spacing shrink so the replies still fit at 60x20."""

    BINDINGS = PRESENTER_KEYS

    phase: reactive[Phase] = reactive("voting", bindings=True)
    pending: reactive[Pending | None] = reactive(None, bindings=True)
    """Set by ``-`` or ``c`` until a number (or Escape) follows."""
    showing_transcript: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, session: Session, room: RoomVotes | None = None) -> None:
        super().__init__()
        self.session = session
        self.story = session.story
        self.rulebook = session.rulebook
        self.room = room if room is not None else RoomVotes()
        """The room's votes; kept across presenter mode being switched off and on."""
        self.room.keep_matching(session.picks)
        self.title = session.story.title
        self._message = ""
        """A one-off note for the prompt line (why Enter did nothing, say); cleared by the next key."""
        self._prompt_text = ""
        self._follower: RoomFollower | None = None
        self._phones_waiting: tuple[int, str, list[str], str] | None = None
        """The turn to open on the phones once the projector has drawn it."""

    # building ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="presenter-heading", markup=False)
        if getattr(self.app, "audience", None) is not None:
            yield Static(id="presenter-room", markup=False)
        yield DiscussionTimer(id="presenter-timer")
        meter = PresenterMoodMeter(self.session.mood, rulebook=self.rulebook, id="presenter-meter")
        meter.border_title = _("{name}'s mood").format(name=self.story.customer.name)
        yield meter
        yield CustomerLine(id="presenter-line", markup=False)
        yield Static(id="presenter-prompt", markup=False)
        with ContentSwitcher(id="presenter-stage", initial="presenter-replies"):
            yield VoteTally(id="presenter-replies")
            yield FeedbackPanel(self.rulebook, id="presenter-coaching")
            yield PresenterTranscript(id="presenter-transcript")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.transcript.border_title = _("Transcript")
        self.audience = getattr(self.app, "audience", None)
        if self.audience is not None:
            self._follower = RoomFollower(self.audience, self)
            self._follower.start()
            if not self.audience.participants:
                self.call_after_refresh(self.action_room_join)
        for _state, result in self.session.history:
            self._record(result)
        if self.session.finished:
            last = self.session.turns[-1] if self.session.turns else None
            if last is not None:
                self._show_coaching(last)
            self._show_line()
            self.phase = "revealed"
            self._update()
        else:
            self._open_vote()

    # the widgets -------------------------------------------------------------------
    @property
    def meter(self) -> PresenterMoodMeter:
        return self.query_one(PresenterMoodMeter)

    @property
    def tally(self) -> VoteTally:
        return self.query_one(VoteTally)

    @property
    def coaching(self) -> FeedbackPanel:
        return self.query_one(FeedbackPanel)

    @property
    def transcript(self) -> PresenterTranscript:
        return self.query_one(PresenterTranscript)

    @property
    def timer(self) -> DiscussionTimer:
        return self.query_one(DiscussionTimer)

    @property
    def last_result(self) -> TurnResult | None:
        return self.session.turns[-1] if self.session.turns else None

    @property
    def offered_count(self) -> int:
        tally = self.room.tally
        return tally.options if tally is not None and self.phase == "voting" else 0

    # showing -----------------------------------------------------------------------
    def _record(self, result: TurnResult) -> None:
        self.transcript.add_turn(result, self.story.customer.name)

    def _show_line(self) -> None:
        """The customer's current words: the line being answered, or the closing words at the end."""
        self.query_one(CustomerLine).show(self.session)  # each of the customer's lines on a line of its own

    def _show_coaching(self, result: TurnResult) -> None:
        """The coach's notes on the reply, ending (after the last reply) with the way to the room's summary."""
        coaching = self.coaching
        coaching.show_turn(result, self.story.customer.name)
        coaching.border_title = _("Coach · turn {turn}, reply {number}").format(turn=result.turn, number=result.number)
        if result.finished and not result.walked_out:
            notes = turn_notes(result, self.rulebook, self.story.customer.name)[:-1]  # all but the pointer to the debrief
            notes.append(Note("remark", _("The conversation is over: Enter shows the room's summary.")))
            coaching.show_notes(notes)

    def _open_vote(self) -> None:
        """The vote on the current turn: reopened with its votes after a take-back, or fresh."""
        replies = [choice.reply for choice in self.session.offered()]
        turn = len(self.session.turns) + 1
        tally = self.room.tally
        if tally is None or self.room.turn != turn or tally.options != len(replies):
            tally = self.room.open(replies, turn=turn)
        self._show_line()
        if self.audience is not None:
            node = self.session.node
            line = " ".join(node.say) if node is not None else ""
            self._phones_waiting = (turn, line, replies, node.id if node is not None else "")
        shown = self._shown_counts()
        self.tally.set_replies(replies, shown)
        if shown is None:
            self.tally.show_votes(None)
        if not self._fit_replies():
            self.call_after_refresh(self._fit_replies)  # not laid out yet: once it is
        self.timer.reset()
        self.phase = "voting"
        self._update()
        if self._phones_waiting is not None:
            # after the refresh that draws the turn, and the one that lays out its footer keys
            self.call_after_refresh(self.call_after_refresh, self._open_for_phones_if_shown)

    def _open_for_phones_if_shown(self) -> None:
        """Open the vote on the phones unless another screen (the join screen) is over this one:
        then it opens when this screen is back on top."""
        if self.is_active:
            self._open_for_phones()

    def _open_for_phones(self) -> None:
        """Open the vote on the phones, once the projector shows the turn (or at once, before anything that needs it).

        The room reads the customer's line on the screen as the replies reach their
        phones, and the first votes do not queue behind the new turn's layout.
        A turn taken back reopens with the phones' votes it had.
        """
        waiting, self._phones_waiting = self._phones_waiting, None
        if waiting is None or self.audience is None or not self.is_attached:
            return
        self.audience.open_vote(*waiting)
        tally = self.room.tally
        if tally is not None and self.phase == "voting" and tally.options == len(waiting[2]):
            tally.set_remote(self.audience.counts())
            self.tally.show_votes(self._shown_counts())
            self._show_prompt()
            self._show_room_line()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_replies)

    def on_screen_resume(self) -> None:
        if self._phones_waiting is not None:
            self.call_after_refresh(self._open_for_phones_if_shown)

    def _fit_replies(self) -> bool:
        """A blank line between the replies when they all still fit; none when space is short.

        Done before the new turn is first drawn (the stage keeps its size from turn to turn),
        so a turn is laid out once; False when the screen has no size yet.
        """
        if not self.is_attached:
            return False
        stage = self.query_one(ContentSwitcher)
        width, height = stage.content_size
        if width and height:
            self.tally.set_spaced(self.tally.rows_needed(width, spaced=True) <= height)
            return True
        return False

    def _update(self) -> None:
        """The status line, the prompt line and the stage, from the phase and the votes."""
        if self.audience is not None:
            self._show_room_line()
        turn = len(self.session.turns) + (1 if self.phase == "voting" else 0)
        state = {"voting": _("vote"), "locked": _("predict"), "revealed": _("revealed")}[self.phase]
        if self.session.finished and self.phase == "revealed":
            state = _("finished")
        self.query_one("#presenter-heading", Static).update(
            f"{self.story.title} · " + _("Turn {number}").format(number=turn) + f" · {state}"
        )
        prompt = self.query_one("#presenter-prompt", Static)
        self._prompt_text = self._prompt()
        prompt.update(self._prompt_text)
        prompt.set_class(self._prompt_is_hint(), "-hint")
        prompt.set_class(bool(self._message), "-message")
        stage = self.query_one(ContentSwitcher)
        if self.showing_transcript:
            stage.current = "presenter-transcript"
        elif self.phase == "revealed":
            stage.current = "presenter-coaching"
        else:
            stage.current = "presenter-replies"
        self.set_class(self.phase == "locked", "-locked")
        self.set_class(self.pending is not None, "-pending")

    def _prompt_is_hint(self) -> bool:
        """True when the prompt line only repeats what the bars show (short screens leave it out)."""
        return self.phase == "voting" and not self._message and self.pending is None

    def _prompt(self) -> str:
        if self._message:
            return self._message
        if self.pending == "remove":
            return _("Take a vote from which reply? Press its number (Esc cancels).")
        if self.pending == "choose":
            return _("Give which reply? Press its number (Esc cancels).")
        if self.phase == "voting":
            return voting_prompt(self.room.tally, hidden=self._tally_hidden(), phones=self.audience is not None)
        if self.phase == "locked":
            return locked_prompt(self.room.record_for(len(self.session.turns)))
        return revealed_prompt(self.last_result, finished=self.session.finished)

    def watch_pending(self) -> None:
        if self.is_mounted:
            self._update()

    def watch_showing_transcript(self, showing: bool) -> None:
        if self.is_mounted:
            self._update()
            if showing:
                self.transcript.focus()
            else:
                self.set_focus(None)

    def _say(self, message: str) -> None:
        """Show ``message`` on the prompt line until the next key."""
        self._message = message
        self._update()

    def on_key(self) -> None:
        if self._message:
            self._message = ""
            self.call_after_refresh(self._update_if_shown)

    def _update_if_shown(self) -> None:
        if self.is_attached:
            self._update()

    # which keys apply --------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.phase
        finished = self.session.finished
        if action in ("number", "unvote", "answer"):
            number = parameters[0]
            waiting = action == "answer"
            if action == "number" and self.pending is not None:
                return False  # the keys answer the waiting - or c instead (action 'answer')
            if waiting and self.pending is None:
                return False
            return phase == "voting" and isinstance(number, int) and number <= self.offered_count
        if action == "pend":
            return phase == "voting" and self.pending is None
        if action == "lock":
            return phase == "voting" and self.pending is None
        if action == "clear_votes":
            return phase == "voting" and self.room.tally is not None and self.room.tally.total > 0
        if action == "reveal":
            return phase == "locked"
        if action == "next":
            return phase == "revealed" and not finished
        if action == "summary":
            return phase == "revealed" and finished
        if action == "undo":
            return bool(self.session.history)
        if action == "cancel":
            return self.pending is not None or self.showing_transcript
        if action.startswith("room_"):
            return self.audience is not None
        return True

    # voting ------------------------------------------------------------------------
    def action_number(self, number: int) -> None:
        """A number key: a vote, or the number a waiting ``-`` or ``c`` asked for."""
        pending, self.pending = self.pending, None
        if pending == "remove":
            self.action_unvote(number)
        elif pending == "choose":
            self.action_lock(number)
        else:
            self._change_vote(number, add=True)

    def action_answer(self, number: int) -> None:
        """A number key after - or c: which reply to take a vote from, or to give."""
        self.action_number(number)

    def action_unvote(self, number: int) -> None:
        self.pending = None
        self._change_vote(number, add=False)

    def _change_vote(self, number: int, *, add: bool) -> None:
        try:
            self.room.add(number) if add else self.room.remove(number)
        except VoteError as exc:
            self._say(exception_text(exc))
            return
        assert self.room.tally is not None
        self.tally.show_votes(self._shown_counts())
        self._update()
        self.refresh_bindings()

    # the room's phones ---------------------------------------------------------------
    def _tally_hidden(self) -> bool:
        return self.audience is not None and self.audience.tally_hidden and self.phase == "voting"

    def _shown_counts(self) -> list[int] | None:
        """The counts the bars show: keyed and phone votes together; None while the tally is hidden."""
        tally = self.room.tally
        if tally is None:
            return None
        return None if self._tally_hidden() else tally.votes

    def _show_room_line(self) -> None:
        """The room line is one line (cut at the end when narrow), so it redraws without a new layout."""
        audience, server = self.audience, self.room_server
        assert audience is not None and server is not None
        line = room_line(audience, server.url, voting=self.phase == "voting")
        self.query_one("#presenter-room", Static).update(line, layout=False)

    @on(RoomChanged)
    def _room_changed(self) -> None:
        """A phone joined, voted or left: the bars, the prompt and the room line follow.

        Only what a vote changes is redrawn, without a new layout where the size stays
        the same: in a room of sixty, votes arrive many times a second.
        """
        if self._follower is not None:
            self._follower.caught_up()
        audience, tally = self.audience, self.room.tally
        if audience is None:
            return
        if self._phones_waiting is not None:
            self._show_room_line()  # the phones still hold the last turn: their votes are not this one's
            return
        had_votes = tally is not None and tally.total > 0
        if self.phase == "voting" and tally is not None and audience.ballot is not None:
            if len(audience.ballot.replies) == tally.options:
                tally.set_remote(audience.counts())
                self.tally.show_votes(self._shown_counts())
                self._show_prompt()
        self._show_room_line()
        if tally is not None and (tally.total > 0) != had_votes:
            self.refresh_bindings()

    def _show_prompt(self) -> None:
        """A new prompt; the layout is redone only when the old or the new one may take more than a line."""
        prompt = self.query_one("#presenter-prompt", Static)
        text = self._prompt()
        if text == self._prompt_text:
            return
        width = prompt.content_size.width
        same_height = 0 < max(len(text), len(self._prompt_text)) <= width and "\n" not in text + self._prompt_text
        self._prompt_text = text
        prompt.update(text, layout=not same_height)

    def on_unmount(self) -> None:
        if self._follower is not None:
            self._follower.stop()

    @on(VoteTally.Voted)
    def _clicked(self, message: VoteTally.Voted) -> None:
        if self.phase == "voting" and self.pending is None:
            self._change_vote(message.number, add=True)

    def action_pend(self, what: Pending) -> None:
        self.pending = what

    def action_cancel(self) -> None:
        if self.pending is not None:
            self.pending = None
        elif self.showing_transcript:
            self.showing_transcript = False

    def action_clear_votes(self) -> None:
        self._open_for_phones()
        if self.room.tally is not None:
            self.room.tally.clear()
            if self.audience is not None:
                self.audience.clear_votes()
            self.tally.show_votes(self._shown_counts())
            self._update()
            self.refresh_bindings()

    def action_lock(self, number: int | None = None) -> None:
        """Give the majority reply (or reply ``number``, the trainer's choice); its effect stays hidden."""
        self._open_for_phones()
        if self.audience is not None and self.room.tally is not None and self.audience.phase == "voting":
            self.room.tally.set_remote(self.audience.counts())
        try:
            record = self.room.lock(number)
        except VoteError as exc:
            self._say(exception_text(exc))
            return
        try:
            result = self.session.choose(record.given)
        except ChoiceError as exc:
            self.room.take_back()
            self._say(exception_text(exc))
            return
        self._record(result)
        if self.audience is not None and self.audience.phase == "voting":
            self.audience.lock()
        self.tally.show_votes(record.counts)
        self.tally.show_given(record.given)
        self.timer.stop()
        self.phase = "locked"
        self._update()

    # revealing ---------------------------------------------------------------------
    def action_reveal(self) -> None:
        """Move the meter and show the coaching for the reply just given."""
        result = self.last_result
        if self.phase != "locked" or result is None:
            return
        self.meter.show(result.mood_after, result.mood_change)
        self._show_coaching(result)
        if self.audience is not None and self.audience.phase == "locked":
            self.audience.reveal(reveal_for_phones(result, self.session, self.room))
        if result.finished:
            self._show_line()
        self.phase = "revealed"
        self._update()

    def action_next(self) -> None:
        if self.phase == "revealed" and not self.session.finished:
            with self.app.batch_update():  # the new turn is drawn in one frame, not the line first and the rest after
                self._open_vote()

    def action_summary(self) -> None:
        if not self.session.finished:
            return
        from roleplay.tui.screens.debrief import DebriefChoice
        from roleplay.tui.screens.presenter_summary import RoomSummaryScreen

        phones = list(self.audience.turns) if self.audience is not None else None
        self.app.push_screen(
            RoomSummaryScreen(self.session, self.room, phones), lambda choice: DebriefChoice.carry_out(choice, self)
        )

    # going back --------------------------------------------------------------------
    def action_undo(self) -> None:
        """Take back the last reply given; its vote reopens with the room's votes as they were."""
        if self.session.undo() is None:
            return
        self.room.take_back()
        self.transcript.truncate(len(self.session.turns))
        last = self.last_result
        self.meter.show(self.session.mood, last.mood_change if last is not None else None)
        self._open_vote()

    def rewind_to(self, turns: int) -> None:
        """Take back replies until only the first ``turns`` remain (the debrief's turning point)."""
        while len(self.session.turns) > turns:
            self.action_undo()

    def restart(self) -> None:
        """The story again from the start, with a fresh count (chosen on the room's summary)."""
        self.session.restart()
        self.room = RoomVotes()
        if self.audience is not None:
            self.audience.restart()
        self.transcript.truncate(0)
        self.meter.show(self.session.mood, None)
        self._open_vote()

    # extras ------------------------------------------------------------------------
    def action_timer(self) -> None:
        self.timer.toggle()

    def action_reset_timer(self) -> None:
        self.timer.reset()

    def action_timer_length(self, seconds: int) -> None:
        self.timer.change_length(seconds)

    @on(DiscussionTimer.Expired)
    def _time_up(self) -> None:
        self.app.bell()

    def action_scroll_stage(self, direction: str) -> None:
        """Scroll whatever the stage shows (the coaching, the transcript, a long list of replies)."""
        shown = self.query_one(ContentSwitcher).visible_content
        if shown is not None:
            getattr(shown, f"scroll_{direction}")(animate=False)

    def action_transcript(self) -> None:
        self.showing_transcript = not self.showing_transcript

    def action_presenter_help(self) -> None:
        from roleplay.tui.screens.presenter_help import PresenterHelpScreen

        self.app.push_screen(PresenterHelpScreen())
