"""The conversation: the transcript, the customer card with the mood meter, the coach, and the replies.

The screen only shows what the engine's :class:`~roleplay.play.engine.Session`
says: each reply goes to ``session.choose`` and the :class:`TurnResult` that
comes back is displayed; nothing here scores a reply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from roleplay.i18n import N_, _, exception_text, ngettext
from roleplay.play.engine import ChoiceError, Session
from roleplay.tui.messages import DebriefRequested, PlayFinished, ReplyChosen
from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.customer_card import CustomerCard
from roleplay.tui.widgets.feedback import FeedbackPanel
from roleplay.tui.widgets.footer import Footer
from roleplay.tui.widgets.header import Header
from roleplay.tui.widgets.mood_meter import MoodMeter
from roleplay.tui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from roleplay.tui.screens.debrief import TurningPointFinder

MAX_NUMBER_KEY = 9


class Fixed:
    """Mixed into a container that never scrolls, so that its size changing does not lay the screen out twice.

    Textual records a widget's new size after each layout, and for a widget whose scrollable size
    changed (for a container, its size) it asks for another layout, drawn in a frame of its own a
    moment later. The stage and the side panels change size whenever the customer's line or the
    replies below them take more or fewer lines, that is, on most replies; they never scroll, so
    their scrollable size is only recorded, as Textual's own ScrollView does for itself.
    """

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)  # type: ignore[misc]


class Stage(Fixed, Horizontal):
    """The transcript and the side panels."""


class Side(Fixed, Vertical):
    """The customer card and the coach (and, when the terminal is too small for them, a hint)."""


class CustomerLine(ScrollView, can_focus=False):
    """What the customer is saying now, wrapped to the width and kept whole.

    It is as tall as the text, up to what the stylesheet allows; a longer line scrolls (the wheel, or
    the bar beside it), never cut. Drawn line by line like the transcript, with its own scrollable
    size set when the text changes, so a new line costs one layout, not two.
    """

    DEFAULT_CSS = """
    CustomerLine { height: auto; overflow-x: hidden; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None, markup: bool = False) -> None:
        super().__init__(id=id, classes=classes)
        self._text = ""
        self._strips: tuple[int, list[Strip]] | None = None

    def show(self, session: Session, joiner: str = "\n") -> None:
        """The line being answered, or the closing words (or the walk-out) at the end."""
        name = session.story.customer.name
        node = session.node
        said = joiner.join(node.say) if node is not None else ""
        if session.finished and session.walked_out and (node is None or node.id != session.story.walkout or not said):
            text = _("{name} has walked out.").format(name=name)
        else:
            text = f"{name}: {said}" if said else _("{name} says nothing more.").format(name=name)
        self.set_class(session.finished, "-ending")
        self.update(text)

    def update(self, text: str) -> None:
        self._text = text
        self._strips = None
        width = self.scrollable_content_region.width
        if width > 0:
            self.virtual_size = Size(width, len(self._lines(width)))
        self.scroll_home(animate=False, immediate=True)
        self.refresh(layout=True)

    def render(self) -> Content:
        """The whole line as text."""
        return Content(self._text)

    def _lines(self, width: int) -> list[Strip]:
        if self._strips is None or self._strips[0] != width:
            base = self.visual_style
            blank = base.rich_style
            self._strips = (
                width,
                [
                    Strip(line.render_segments(base), line.cell_length).extend_cell_length(width, blank)
                    for line in Content(self._text).wrap(max(1, width))
                ],
            )
        return self._strips[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None

    def on_resize(self) -> None:
        self._fit_width()

    def watch_show_vertical_scrollbar(self) -> None:
        """The bar takes a column from the text: wrapped again to what is left, the height follows, so the
        last line can still be scrolled to (and no sideways bar appears for the column lost)."""
        self._fit_width()

    def _fit_width(self) -> None:
        width = self.scrollable_content_region.width
        if width > 0 and (self._strips is None or self._strips[0] != width or self.virtual_size.width != width):
            self.virtual_size = Size(width, len(self._lines(width)))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        lines = self._lines(width)
        index = round(self.scroll_y) + y
        return lines[index] if 0 <= index < len(lines) else Strip.blank(width, self.visual_style.rich_style)


class ConversationScreen(Screen):
    """One play-through of a story, reply by reply, with undo and restart."""

    AUTO_FOCUS = "#choices"
    BINDINGS = [
        Binding("1", "choose(1)", N_("Reply"), key_display="1-9", tooltip=N_("Give the reply with this number")),
        *(Binding(str(number), f"choose({number})", f"Reply {number}", show=False) for number in range(2, MAX_NUMBER_KEY + 1)),
        Binding("u", "undo", N_("Undo"), tooltip=N_("Take back the last reply")),
        Binding("ctrl+z", "undo", N_("Undo"), show=False),
        Binding("r", "restart", N_("Restart"), tooltip=N_("Start this story again")),
        Binding("d", "debrief", N_("Debrief"), tooltip=N_("See how the conversation went")),
        Binding("escape", "app.pick_story", N_("Stories"), tooltip=N_("Back to the story picker")),
        # The replies answer the arrows and Enter wherever the focus is (a click on the coach moves it).
        Binding("up", "move_highlight(-1)", N_("Previous reply"), show=False, priority=True),
        Binding("down", "move_highlight(1)", N_("Next reply"), show=False, priority=True),
        Binding("enter", "give_highlighted", N_("Give the highlighted reply"), show=False, priority=True),
        Binding(
            "pagedown",
            "scroll_coach(1)",
            N_("Coach: more"),
            key_display="PgDn",
            show=False,
            priority=True,
            tooltip=N_("Read on in the coach's notes"),
        ),
        Binding(
            "pageup",
            "scroll_coach(-1)",
            N_("Coach: back"),
            key_display="PgUp",
            show=False,
            priority=True,
            tooltip=N_("Back up the coach's notes"),
        ),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.story = session.story
        self.rulebook = session.rulebook
        self.title = session.story.title
        self._offered = 0
        """How many replies are on offer now (the number keys beyond it do nothing)."""
        self._turning_points: TurningPointFinder | None = None
        self._bindings_state: tuple[bool, bool, bool] | None = None

    # building --------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Stage(id="stage"):
            yield Transcript(id="transcript")
            with Side(id="side"):
                yield CustomerCard(self.story.customer, self.session.mood, self.rulebook, id="card")
                yield FeedbackPanel(self.rulebook, id="feedback")
                yield Static(_("Make the terminal bigger (60x20 or more) to see the coach and the transcript."), id="size-hint")
        yield CustomerLine(id="line", markup=False)
        yield ChoiceList(id="choices")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # Only the replies take the focus: the arrows and Enter always pick a reply, and the
        # transcript and the coach scroll with the mouse and with PgUp and PgDn (the coach).
        self.query_one(Transcript).can_focus = False
        self.feedback.can_focus = False
        self.query_one(Transcript).border_title = _("Transcript")
        if self.story.summary:
            self.transcript.add("scene", "", self.story.summary, 0)
        customer = self.story.customer
        if customer.about:
            self.transcript.add("scene", "", _("About {name}: {about}").format(name=customer.name, about=customer.about), 0)
        for position, (_state, result) in enumerate(self.session.history, start=1):
            self.transcript.add_turn(result, self.story.customer.name, position)
        if self.session.history:  # continued, reloaded or in another language: the meter shows the last change too
            self._show_mood()
        self._show_feedback()
        self._show_moment()
        self.watch(self.app, "play_mode", self._mode_changed, init=False)

    # the widgets ----------------------------------------------------------------
    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    @property
    def meter(self) -> MoodMeter:
        return self.query_one(MoodMeter)

    @property
    def feedback(self) -> FeedbackPanel:
        return self.query_one(FeedbackPanel)

    @property
    def choices(self) -> ChoiceList:
        return self.query_one(ChoiceList)

    @property
    def exam(self) -> bool:
        return getattr(self.app, "play_mode", "coach") == "exam"

    # showing the session ---------------------------------------------------------
    def _show_moment(self) -> None:
        """The customer's current line and the replies on offer (or the way to the debrief)."""
        session = self.session
        self.query_one(CustomerLine).show(session)
        if session.finished:
            self._offered = 0
            self.choices.set_finished(_("The conversation is over. See how it went: open the debrief"))
        else:
            replies = [choice.reply for choice in session.offered()]
            self._offered = len(replies)
            self.choices.set_replies(replies)
        # The Footer is rebuilt (a frame of its own) on every refresh of the bindings: only when what it shows
        # changed. It shows the reply keys as one "1-9", so how many replies are on offer does not count.
        bindings_state = (session.finished, bool(session.history), self._offered > 0)
        if bindings_state != self._bindings_state:
            self._bindings_state = bindings_state
            self.refresh_bindings()

    def _show_feedback(self) -> None:
        if self.exam:
            self.feedback.show_exam()
        elif self.session.history:
            self.feedback.show_turn(self.session.history[-1][1], self.story.customer.name)
        else:
            self.feedback.show_intro()

    def _show_mood(self) -> None:
        turns = self.session.history
        change = turns[-1][1].mood_change if turns else None
        self.meter.show(self.session.mood, change)

    def _mode_changed(self, mode: str) -> None:
        self._show_feedback()

    # acting ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        if action == "choose":
            number = parameters[0]
            return not session.finished and isinstance(number, int) and number <= self._offered
        if action == "undo":
            return bool(session.history)
        if action == "restart":
            return bool(session.history)
        if action == "debrief":
            return session.finished
        return True

    @on(ReplyChosen)
    def reply_chosen(self, message: ReplyChosen) -> None:
        self.action_choose(message.number)

    @on(DebriefRequested)
    def debrief_requested(self) -> None:
        self.action_debrief()

    def action_choose(self, number: int) -> None:
        """Give reply ``number`` and show what it did."""
        try:
            result = self.session.choose(number)
        except ChoiceError as exc:
            self.notify(exception_text(exc), title=_("Not on offer"), severity="warning")
            return
        self.transcript.add_turn(result, self.story.customer.name)
        if result.finished:
            self.post_message(PlayFinished(self.session, coached=not self.exam))
        self._show_mood()
        self._show_feedback()
        self._show_moment()

    def action_move_highlight(self, step: int) -> None:
        """Highlight the reply above (-1) or below (1)."""
        choices = self.choices
        choices.focus()
        choices.action_cursor_up() if step < 0 else choices.action_cursor_down()

    def action_give_highlighted(self) -> None:
        """Give the highlighted reply (or open the debrief when the conversation is over)."""
        choices = self.choices
        choices.focus()
        if choices.highlighted is not None:
            choices.action_select()

    def action_scroll_coach(self, step: int) -> None:
        """Page the coach's notes down (1) or up (-1) without leaving the replies."""
        feedback = self.feedback
        feedback.scroll_page_down(animate=False) if step > 0 else feedback.scroll_page_up(animate=False)

    def action_undo(self) -> None:
        """Take back the last reply, so the learner can try another."""
        if self.session.undo() is None:
            return
        self._after_rewind()

    def rewind_to(self, turns: int) -> None:
        """Take back replies until only the first ``turns`` remain."""
        while len(self.session.history) > turns:
            self.session.undo()
        self._after_rewind()

    def action_restart(self) -> None:
        """Ask first, then start the story again: a restart cannot be undone."""
        from roleplay.tui.screens.confirm import ConfirmDialog

        turns = len(self.session.history)
        question = ngettext(
            "Start '{title}' again? The {count} reply so far will be lost.",
            "Start '{title}' again? The {count} replies so far will be lost.",
            turns,
        ).format(title=self.story.title, count=turns)
        self.app.push_screen(ConfirmDialog(question, _("Restart"), _("Keep playing")), self._restart_if_confirmed)

    def _restart_if_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self.restart()

    def restart(self) -> None:
        """Start the story again at once (the debrief's 'play again' has already been chosen)."""
        self.session.restart()
        self._after_rewind()

    def _after_rewind(self) -> None:
        self.transcript.truncate(len(self.session.history))
        self._show_mood()
        self._show_feedback()
        self._show_moment()

    def action_debrief(self) -> None:
        if not self.session.finished:
            return
        from roleplay.tui.screens.debrief import DebriefChoice, DebriefScreen, TurningPointFinder

        if self._turning_points is None:
            self._turning_points = TurningPointFinder(self.story, self.rulebook)

        self.app.push_screen(
            DebriefScreen(self.session, self._turning_points), lambda choice: DebriefChoice.carry_out(choice, self)
        )
