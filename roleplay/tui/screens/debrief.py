"""The debrief: how the conversation ended, the mood across it, the tactics used, and the turning point.

Everything shown comes from the finished session's turn results and from
:func:`roleplay.writing.analysis.find_turning_point` (worked out in a thread, since it
explores the whole story, and within a time budget, so that a huge story never keeps
the debrief waiting: when cut short, the debrief says so); nothing is scored here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import LoadingIndicator, Static

from roleplay.i18n import N_, _, ngettext
from roleplay.play.engine import Effect, Session, replay
from roleplay.rules.citations import sources_brief
from roleplay.rules.rulebook import Rulebook, Tactic
from roleplay.story.model import Story
from roleplay.tui.messages import ModeChosen
from roleplay.tui.widgets.feedback import KIND_MARKS, FeedbackNotes, turn_notes
from roleplay.tui.widgets.footer import Footer
from roleplay.tui.widgets.header import Header
from roleplay.tui.widgets.mood_chart import MoodChart

if TYPE_CHECKING:
    from roleplay.writing.analysis import StateSpace, TurningPoint, TurningSearch


@dataclass(frozen=True)
class DebriefChoice:
    """What the player chose to do next from the debrief."""

    action: Literal["again", "undo", "rewind", "stories"]
    turns: int | None = None
    """For 'rewind': how many replies to keep."""
    mode: str | None = None
    """For 'again': play again in this mode ('coach' or 'exam'); None keeps the mode."""

    @staticmethod
    def carry_out(choice: DebriefChoice | None, screen: ConversationControls) -> None:
        """Do what was chosen on the conversation screen the debrief was opened from (None: nothing)."""
        if choice is None:
            return
        if choice.action == "again":
            if choice.mode is not None:
                screen.app.post_message(ModeChosen(choice.mode))
            screen.restart()  # chosen on the debrief, after the play was recorded: no need to ask
        elif choice.action == "undo":
            screen.action_undo()
        elif choice.action == "rewind" and choice.turns is not None:
            screen.rewind_to(choice.turns)
        elif choice.action == "stories":
            screen.app.action_pick_story()  # type: ignore[attr-defined]


class ConversationControls(Protocol):
    """What a conversation screen offers a debrief: play again, undo, go back to a turn."""

    app: App

    def restart(self) -> None: ...

    def action_undo(self) -> None: ...

    def rewind_to(self, turns: int) -> None: ...


class TurningPointFinder:
    """Finds turning points in one story, keeping the explored state space between debriefs.

    Safe to call from worker threads: one search runs at a time.
    """

    def __init__(self, story: Story, rulebook: Rulebook) -> None:
        self.story = story
        self.rulebook = rulebook
        self._space: StateSpace | None = None
        self._lock = threading.Lock()

    def find(self, picks: list[int]) -> TurningSearch:
        """The turning point of the play ``picks`` gives, searched within the default budget."""
        from roleplay.writing.analysis import StateSpace, find_turning_point

        with self._lock:
            if self._space is None:
                self._space = StateSpace(self.story, self.rulebook)
            again = replay(self.story, picks, self.rulebook)
            if again.error is not None:
                raise again.error
            found = find_turning_point(again.session, self._space)
            if found.cut_short:
                self._space = None  # what a search too big for its budget built is not worth keeping
            return found


@dataclass
class TacticTally:
    """A tactic used in the conversation: how often, and its total effect with the context rules it set off."""

    tactic: Tactic
    times: int = 0
    mood: int = 0
    loyalty: int = 0
    contexts: dict[str, tuple[Effect, int]] = field(default_factory=dict)


def tally_tactics(session: Session) -> dict[str, list[TacticTally]]:
    """The tactics used, grouped by the rulebook's kind, in order of first use."""
    tallies: dict[str, TacticTally] = {}
    for result in session.turns:
        for effect in result.effects:
            if effect.tactic is None or effect.tactic not in session.rulebook.tactics:
                continue
            tally = tallies.setdefault(effect.tactic, TacticTally(session.rulebook.tactics[effect.tactic]))
            tally.mood += effect.mood
            tally.loyalty += effect.loyalty
            if effect.kind == "tactic":
                tally.times += 1
            elif effect.kind == "modifier":
                _first, count = tally.contexts.get(effect.rule, (effect, 0))
                tally.contexts[effect.rule] = (effect, count + 1)
    grouped: dict[str, list[TacticTally]] = {kind: [] for kind in session.rulebook.kinds}
    for tally in tallies.values():
        grouped.setdefault(tally.tactic.kind, []).append(tally)
    return {kind: items for kind, items in grouped.items() if items}


def changes(mood: int, loyalty: int) -> str:
    parts = [
        _("mood {change}").format(change=f"{mood:+d}") if mood else "",
        _("loyalty {change}").format(change=f"{loyalty:+d}") if loyalty else "",
    ]
    return " · ".join(part for part in parts if part) or _("no change")


def mood_path(session: Session) -> list[int]:
    """Mood at the start and after each reply."""
    if not session.history:
        return [session.mood]
    return [session.history[0][0].mood] + [result.mood_after for result in session.turns]


def mood_caption(values: list[int], rulebook: Rulebook) -> str:
    start, end = values[0], values[-1]
    lowest = min(range(len(values)), key=lambda i: (values[i], i))
    parts = [_("Started at {mood} ({word})").format(mood=start, word=rulebook.mood_word(start))]
    if 0 < lowest < len(values) - 1:
        parts.append(_("lowest {mood} after reply {number}").format(mood=values[lowest], number=lowest))
    parts.append(_("ended at {mood} ({word})").format(mood=end, word=rulebook.mood_word(end)))
    return " · ".join(parts)


def spaced(text: str) -> str:
    """'STAYS' as 'S T A Y S': a headline that reads larger, since a terminal has one font size."""
    return "   ".join(" ".join(word) for word in text.upper().split())


class OutcomeTitle(Static):
    """The outcome's label as a headline: letter-spaced capitals when they fit, plain capitals when not."""

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.label = label

    def render(self) -> str:
        headline = spaced(self.label)
        return headline if len(headline) <= self.content_size.width else self.label.upper()


class Lines(Static):
    """Lines of text, each in the style of its component class (none for plain): one widget for what was a
    widget a line (a tactic's line, what it means and its source), so the debrief opens with fewer to lay out."""

    COMPONENT_CLASSES = {"lines--tactic", "lines--source"}

    def __init__(self, *lines: tuple[str, str], classes: str) -> None:
        super().__init__(classes=classes, markup=False)
        self.lines = lines

    def render(self) -> Content:
        return Content("\n").join(
            Content.styled(text, self.get_visual_style(kind, partial=True)) if kind else Content(text)
            for text, kind in self.lines
        )


class DebriefScreen(Screen[DebriefChoice]):
    """How it went: the outcome, the mood chart, the tactics used, promises at the end, and the turning point."""

    AUTO_FOCUS = "#debrief"
    BINDINGS = [
        Binding("r", "again", N_("Play again"), tooltip=N_("Start this story again")),
        Binding("u", "undo", N_("Undo"), tooltip=N_("Take back the last reply and try another")),
        Binding("ctrl+z", "undo", N_("Undo"), show=False),
        Binding("t", "try_turning_point", N_("Turning point"), tooltip=N_("Go back to the turning point")),
        Binding("s", "stories", N_("Stories"), tooltip=N_("Pick another story")),
        Binding("escape", "back", N_("Back"), tooltip=N_("Back to the conversation")),
    ]

    def __init__(self, session: Session, finder: TurningPointFinder | None = None) -> None:
        super().__init__()
        self.session = session
        self.rulebook = session.rulebook
        self.finder = finder or TurningPointFinder(session.story, session.rulebook)
        self.turning_point: TurningPoint | None = None
        self.title = _("Debrief: {title}").format(title=session.story.title)

    def compose(self) -> ComposeResult:
        session = self.session
        outcome = session.outcome
        assert outcome is not None, "the debrief is only for finished conversations"
        customer = session.story.customer.name
        yield Header()
        with VerticalScroll(id="debrief"):
            with Vertical(id="outcome", classes=f"-{outcome.tone}"):
                yield OutcomeTitle(outcome.label, id="outcome-label")
                yield Static(outcome.meaning, id="outcome-meaning", markup=False)
                yield Static(sources_brief(outcome.sources), id="outcome-source", classes="source", markup=False)
                yield Static(
                    _("Final mood {mood} ({word}) · loyalty {loyalty} of 100").format(
                        mood=session.mood, word=session.mood_word, loyalty=session.loyalty
                    )
                    + " · "
                    + ngettext("{count} reply", "{count} replies", len(session.turns)).format(count=len(session.turns)),
                    id="outcome-numbers",
                    markup=False,
                )
                if session.ceilings:
                    marks = ", ".join(_("turn {number}").format(number=result.turn) for result, _effect in session.marks)
                    for ceiling in session.ceilings:
                        yield Static(
                            _("Held at {outcome} at best: {explain} (replies the articles warn against: {turns})").format(
                                outcome=self.rulebook.outcome(ceiling.best).label, explain=ceiling.explain, turns=marks
                            ),
                            classes="outcome-ceiling",
                            markup=False,
                        )
                        yield Static(sources_brief(ceiling.sources), classes="source", markup=False)
                if session.walked_out:
                    walkout = self.rulebook.walkout
                    yield Static(
                        _("{name} walked out.").format(name=customer) + f" {walkout.explain}", id="outcome-walkout", markup=False
                    )
                    yield Static(sources_brief(walkout.sources), classes="source", markup=False)
            with Horizontal(id="debrief-columns"):
                with Vertical(id="debrief-left"):
                    values = mood_path(session)
                    with Vertical(id="mood-panel", classes="panel") as panel:
                        panel.border_title = _("Mood, reply by reply")
                        yield MoodChart(values, rulebook=self.rulebook, id="mood-chart")
                        yield Static(mood_caption(values, self.rulebook), id="mood-caption", markup=False)
                    with Vertical(id="turning-point", classes="panel") as panel:
                        panel.border_title = _("Turning point")
                        yield LoadingIndicator()
                with Vertical(id="debrief-right"):
                    with Vertical(id="tactics", classes="panel") as panel:
                        panel.border_title = _("Tactics you used")
                        yield from self._tactic_widgets()
                    with Vertical(id="settlement", classes="panel") as panel:
                        panel.border_title = _("Promises at the end")
                        yield from self._settlement_widgets()
            with Vertical(id="replies", classes="panel") as panel:
                panel.border_title = (
                    _("Reply by reply: what the coach said")
                    if self.app_mode == "coach"
                    else _("Reply by reply: the feedback exam mode held back")
                )
                for result in session.turns:
                    yield Static(
                        _("{number}. You said: {reply}").format(number=result.turn, reply=result.reply),
                        classes="reply-heading",
                        markup=False,
                    )
                    yield FeedbackNotes(
                        turn_notes(result, self.rulebook, customer, point_to_debrief=False), classes="reply-notes"
                    )
        yield Footer(compact=True)

    @property
    def app_mode(self) -> str:
        return getattr(self.app, "play_mode", "coach")

    def _tactic_widgets(self) -> list[Widget]:
        grouped = tally_tactics(self.session)
        if not grouped:
            return [Static(_("None of your replies used a tactic from the rulebook."), classes="note")]
        widgets: list[Widget] = []
        for kind, tallies in grouped.items():
            heading = self.rulebook.kinds[kind].heading if kind in self.rulebook.kinds else kind
            widgets.append(Static(heading, classes=f"kind-heading -{kind}", markup=False))
            for tally in tallies:
                times = f" ×{tally.times}" if tally.times > 1 else ""
                widgets.append(
                    Lines(
                        (
                            f"{KIND_MARKS.get(kind, '·')} {tally.tactic.label}{times}: {changes(tally.mood, tally.loyalty)}",
                            "lines--tactic",
                        ),
                        (tally.tactic.explain, ""),
                        (sources_brief(tally.tactic.sources), "lines--source"),
                        classes=f"tactic -{kind}",
                    )
                )
                for effect, count in tally.contexts.values():
                    times = f" (×{count})" if count > 1 else ""
                    situation = _("In this situation{times}: {explain} ({change})").format(
                        times=times, explain=effect.explain, change=changes(effect.mood, effect.loyalty)
                    )
                    widgets.append(Lines((situation, ""), (sources_brief(effect.sources), "lines--source"), classes="context"))
        return widgets

    def _settlement_widgets(self) -> list[Widget]:
        settlement = self.session.settlement
        if not settlement:
            return [Static(_("No promise was left open: nothing more was lost at the end."), classes="note")]
        widgets: list[Widget] = []
        for effect in settlement:
            widgets.append(
                Static(
                    _("loyalty {change}: {explain}").format(change=f"{effect.loyalty:+d}", explain=effect.explain),
                    classes="settlement-line",
                    markup=False,
                )
            )
            widgets.append(Static(sources_brief(effect.sources), classes="source", markup=False))
        return widgets

    def on_mount(self) -> None:
        self.find_turning_point(list(self.session.picks))

    @work(thread=True, exclusive=True, group="turning-point")
    def find_turning_point(self, picks: list[int]) -> None:
        found = self.finder.find(picks)
        self.app.call_from_thread(self.show_turning_point, found)

    def show_turning_point(self, search: TurningSearch) -> None:
        self.turning_point = search.point
        panel = self.query_one("#turning-point")
        panel.remove_children()
        if search.cut_short and search.point is None:
            panel.mount_all([Static(self._cut_short_note(search), classes="note tp-cut-short")])
        else:
            panel.mount_all(self._turning_point_widgets(search.point))
            if search.cut_short:
                panel.mount(Static(self._cut_short_note(search), classes="note tp-cut-short"))
        self.refresh_bindings()

    @staticmethod
    def _cut_short_note(search: TurningSearch) -> str:
        """What the debrief says when the search for the turning point ran out of time."""
        seconds = f"{search.seconds:.0f}"
        if not search.checked:
            return _("This story is too big to look for the turning point in {seconds} s: no turn was checked.").format(
                seconds=seconds
            )
        if search.point is None:
            return _(
                "No other reply in the first {checked} of {turns} turns would have led anywhere better. "
                "The search stopped after {seconds} s, so the later turns were not checked."
            ).format(checked=search.checked, turns=search.turns, seconds=seconds)
        return _(
            "Only the first {checked} of {turns} turns were checked: the search stopped after {seconds} s, "
            "so a later turn may have mattered more."
        ).format(checked=search.checked, turns=search.turns, seconds=seconds)

    def _turning_point_widgets(self, found: TurningPoint | None) -> list[Widget]:
        outcome = self.session.outcome
        if found is None:
            if outcome is not None and outcome.id == self.rulebook.top_outcome.id:
                verdict = _("A flawless conversation: no other reply, at any turn, would have led anywhere better.")
            else:
                verdict = _(
                    "No other reply, at any turn, would have led anywhere better: this is the best this conversation could end."
                )
            return [Static(verdict, classes="note tp-flawless")]

        def label(outcome_id: str) -> str:
            return self.rulebook.outcome(outcome_id).label

        story = self.session.story
        chosen = self.session.turns[found.turn - 1]
        node = story.nodes.get(found.node)
        widgets: list[Widget] = []
        instead = _("Reply {number} instead: {reply}").format(number=found.alternative_number, reply=found.alternative_reply)
        if node is not None and node.say:
            widgets.append(
                Static(
                    _("Turn {number}.").format(number=found.turn) + f" {story.customer.name}: {chr(10).join(node.say)}",
                    classes="tp-moment",
                    markup=False,
                )
            )
        widgets.append(
            Static(
                _("You chose reply {number}: {reply}").format(number=found.chosen_number, reply=chosen.reply),
                classes="tp-chosen",
                markup=False,
            )
        )
        widgets.append(
            Static(
                _("After that, the best still possible was: {outcome}.").format(outcome=label(found.chosen_best)),
                classes="tp-verdict",
                markup=False,
            )
        )
        widgets.append(Static(instead, classes="tp-alternative", markup=False))
        widgets.append(
            Static(
                _("It could still have reached: {outcome}.").format(outcome=label(found.alternative_best)),
                classes="tp-verdict -better",
                markup=False,
            )
        )
        widgets.append(Static(_("Press t to go back to that moment and try the other reply."), classes="note"))
        return widgets

    # actions -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "try_turning_point":
            return self.turning_point is not None
        if action == "undo":
            return bool(self.session.history)
        if action == "set_mode":
            return False  # the debrief shows everything in either mode
        if action == "again_in":
            return parameters[0] != getattr(self.app, "play_mode", None)
        return True

    def action_again(self) -> None:
        self.dismiss(DebriefChoice("again"))

    def action_again_in(self, mode: str) -> None:
        """Play the story again in the other mode (coach or exam)."""
        self.dismiss(DebriefChoice("again", mode=mode))

    def action_undo(self) -> None:
        self.dismiss(DebriefChoice("undo"))

    def action_try_turning_point(self) -> None:
        if self.turning_point is not None:
            self.dismiss(DebriefChoice("rewind", self.turning_point.turn - 1))

    def action_stories(self) -> None:
        self.dismiss(DebriefChoice("stories"))

    def action_back(self) -> None:
        self.dismiss(None)
