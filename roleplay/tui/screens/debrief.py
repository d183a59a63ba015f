"""The debrief: how the conversation ended, the mood across it, the tactics used, and the turning point.

Everything shown comes from the finished session's turn results and from
:func:`roleplay.analysis.turning_point` (worked out in a thread, since it
explores the whole story); nothing is scored here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, LoadingIndicator, Static

from roleplay.engine import Effect, Session
from roleplay.model import Story
from roleplay.rulebook import TACTIC_KINDS, Rulebook, Tactic
from roleplay.tui.widgets.feedback import KIND_MARKS, FeedbackNotes, turn_notes
from roleplay.tui.widgets.mood_chart import MoodChart

if TYPE_CHECKING:
    from roleplay.analysis import StateSpace, TurningPoint

KIND_HEADINGS = {
    "recommended": "What the articles recommend",
    "situational": "What depends on what follows",
    "warned": "What the articles warn against",
}


@dataclass(frozen=True)
class DebriefChoice:
    """What the player chose to do next from the debrief."""

    action: Literal["again", "undo", "rewind", "stories"]
    turns: int | None = None
    """For 'rewind': how many replies to keep."""

    @staticmethod
    def carry_out(choice: DebriefChoice | None, screen: ConversationControls) -> None:
        """Do what was chosen on the conversation screen the debrief was opened from (None: nothing)."""
        if choice is None:
            return
        if choice.action == "again":
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

    def find(self, picks: list[int]) -> TurningPoint | None:
        from roleplay.analysis import StateSpace, turning_point

        with self._lock:
            if self._space is None:
                self._space = StateSpace(self.story, self.rulebook)
            replay = Session(self.story, self.rulebook)
            for number in picks:
                replay.choose(number)
            return turning_point(replay, self._space)


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
                _, count = tally.contexts.get(effect.rule, (effect, 0))
                tally.contexts[effect.rule] = (effect, count + 1)
    grouped: dict[str, list[TacticTally]] = {kind: [] for kind in TACTIC_KINDS}
    for tally in tallies.values():
        grouped.setdefault(tally.tactic.kind, []).append(tally)
    return {kind: items for kind, items in grouped.items() if items}


def changes(mood: int, loyalty: int) -> str:
    parts = [f"mood {mood:+d}" if mood else "", f"loyalty {loyalty:+d}" if loyalty else ""]
    return " · ".join(part for part in parts if part) or "no change"


def mood_path(session: Session) -> list[int]:
    """Mood at the start and after each reply."""
    if not session.history:
        return [session.mood]
    return [session.history[0][0].mood] + [result.mood_after for result in session.turns]


def mood_caption(values: list[int], rulebook: Rulebook) -> str:
    start, end = values[0], values[-1]
    lowest = min(range(len(values)), key=lambda i: (values[i], i))
    parts = [f"Started at {start} ({rulebook.mood_word(start)})"]
    if 0 < lowest < len(values) - 1:
        parts.append(f"lowest {values[lowest]} after reply {lowest}")
    parts.append(f"ended at {end} ({rulebook.mood_word(end)})")
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


class DebriefScreen(Screen[DebriefChoice]):
    """How it went: the outcome, the mood chart, the tactics used, promises at the end, and the turning point."""

    AUTO_FOCUS = "#debrief"
    BINDINGS = [
        Binding("r", "again", "Play again", tooltip="Start this story again"),
        Binding("u", "undo", "Undo", tooltip="Take back the last reply and try another"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("t", "try_turning_point", "Turning point", tooltip="Go back to the turning point"),
        Binding("s", "stories", "Stories", tooltip="Pick another story"),
        Binding("escape", "back", "Back", tooltip="Back to the conversation"),
    ]

    def __init__(self, session: Session, finder: TurningPointFinder | None = None) -> None:
        super().__init__()
        self.session = session
        self.rulebook = session.rulebook
        self.finder = finder or TurningPointFinder(session.story, session.rulebook)
        self.turning_point: TurningPoint | None = None
        self.title = f"Debrief: {session.story.title}"

    def compose(self) -> ComposeResult:
        session = self.session
        outcome = session.outcome
        assert outcome is not None, "the debrief is only for finished conversations"
        customer = session.story.customer.name
        yield Header()
        with VerticalScroll(id="debrief"):
            with Vertical(id="outcome", classes=f"-{outcome.id}"):
                yield OutcomeTitle(outcome.label, id="outcome-label")
                yield Static(outcome.meaning, id="outcome-meaning", markup=False)
                yield Static(str(outcome.source), id="outcome-source", classes="source", markup=False)
                yield Static(
                    f"Final mood {session.mood} ({session.mood_word}) · loyalty {session.loyalty} of 100 · "
                    f"{len(session.turns)} repl{'y' if len(session.turns) == 1 else 'ies'}",
                    id="outcome-numbers",
                    markup=False,
                )
                if session.ceilings:
                    marks = ", ".join(f"turn {result.turn}" for result, _ in session.marks)
                    for ceiling in session.ceilings:
                        yield Static(
                            f"Held at {self.rulebook.outcome(ceiling.best).label} at best: {ceiling.explain} "
                            f"(replies the articles warn against: {marks})",
                            classes="outcome-ceiling",
                            markup=False,
                        )
                        yield Static(str(ceiling.source), classes="source", markup=False)
                if session.walked_out:
                    walkout = self.rulebook.walkout
                    yield Static(f"{customer} walked out. {walkout.explain}", id="outcome-walkout", markup=False)
                    yield Static(str(walkout.source), classes="source", markup=False)
            with Horizontal(id="debrief-columns"):
                with Vertical(id="debrief-left"):
                    values = mood_path(session)
                    with Vertical(id="mood-panel", classes="panel") as panel:
                        panel.border_title = "Mood, reply by reply"
                        yield MoodChart(values, rulebook=self.rulebook, id="mood-chart")
                        yield Static(mood_caption(values, self.rulebook), id="mood-caption", markup=False)
                    with Vertical(id="turning-point", classes="panel") as panel:
                        panel.border_title = "Turning point"
                        yield LoadingIndicator()
                with Vertical(id="debrief-right"):
                    with Vertical(id="tactics", classes="panel") as panel:
                        panel.border_title = "Tactics you used"
                        yield from self._tactic_widgets()
                    with Vertical(id="settlement", classes="panel") as panel:
                        panel.border_title = "Promises at the end"
                        yield from self._settlement_widgets()
            with Vertical(id="replies", classes="panel") as panel:
                panel.border_title = "Reply by reply: what the coach said" if self.app_mode == "coach" else "Reply by reply: the feedback exam mode held back"
                for result in session.turns:
                    yield Static(f"{result.turn}. You said: {result.reply}", classes="reply-heading", markup=False)
                    yield FeedbackNotes(turn_notes(result, self.rulebook, customer, point_to_debrief=False), classes="reply-notes")
        yield Footer(compact=True)

    @property
    def app_mode(self) -> str:
        return getattr(self.app, "play_mode", "coach")

    def _tactic_widgets(self) -> list[Widget]:
        grouped = tally_tactics(self.session)
        if not grouped:
            return [Static("None of your replies used a tactic from the rulebook.", classes="note")]
        widgets: list[Widget] = []
        for kind, tallies in grouped.items():
            widgets.append(Static(KIND_HEADINGS.get(kind, kind), classes=f"kind-heading -{kind}"))
            for tally in tallies:
                times = f" ×{tally.times}" if tally.times > 1 else ""
                widgets.append(
                    Static(
                        f"{KIND_MARKS.get(kind, '·')} {tally.tactic.label}{times}: {changes(tally.mood, tally.loyalty)}",
                        classes=f"tactic-line -{kind}",
                        markup=False,
                    )
                )
                widgets.append(Static(tally.tactic.explain, classes="explain", markup=False))
                widgets.append(Static(str(tally.tactic.source), classes="source", markup=False))
                for effect, count in tally.contexts.values():
                    times = f" (×{count})" if count > 1 else ""
                    widgets.append(
                        Static(
                            f"In this situation{times}: {effect.explain} ({changes(effect.mood, effect.loyalty)})",
                            classes="context",
                            markup=False,
                        )
                    )
                    widgets.append(Static(str(effect.source), classes="source context-source", markup=False))
        return widgets

    def _settlement_widgets(self) -> list[Widget]:
        settlement = self.session.settlement
        if not settlement:
            return [Static("No promise was left open: nothing more was lost at the end.", classes="note")]
        widgets: list[Widget] = []
        for effect in settlement:
            widgets.append(Static(f"loyalty {effect.loyalty:+d}: {effect.explain}", classes="settlement-line", markup=False))
            widgets.append(Static(str(effect.source), classes="source", markup=False))
        return widgets

    def on_mount(self) -> None:
        self.find_turning_point(list(self.session.picks))

    @work(thread=True, exclusive=True, group="turning-point")
    def find_turning_point(self, picks: list[int]) -> None:
        found = self.finder.find(picks)
        self.app.call_from_thread(self.show_turning_point, found)

    def show_turning_point(self, found: TurningPoint | None) -> None:
        self.turning_point = found
        panel = self.query_one("#turning-point")
        panel.remove_children()
        panel.mount_all(self._turning_point_widgets(found))
        self.refresh_bindings()

    def _turning_point_widgets(self, found: TurningPoint | None) -> list[Widget]:
        outcome = self.session.outcome
        if found is None:
            if outcome is not None and outcome.id == self.rulebook.top_outcome.id:
                verdict = "A flawless conversation: no other reply, at any turn, would have led anywhere better."
            else:
                verdict = (
                    "No other reply, at any turn, would have led anywhere better: "
                    "this is the best this conversation could end."
                )
            return [Static(verdict, classes="note tp-flawless")]

        def label(outcome_id: str) -> str:
            return self.rulebook.outcome(outcome_id).label

        story = self.session.story
        chosen = self.session.turns[found.turn - 1]
        node = story.nodes.get(found.node)
        widgets: list[Widget] = []
        if node is not None and node.say:
            widgets.append(Static(f"Turn {found.turn}. {story.customer.name}: {chr(10).join(node.say)}", classes="tp-moment", markup=False))
        widgets.append(Static(f"You chose reply {found.chosen_number}: {chosen.reply}", classes="tp-chosen", markup=False))
        widgets.append(
            Static(f"After that, the best still possible was: {label(found.chosen_best)}.", classes="tp-verdict", markup=False)
        )
        widgets.append(Static(f"Reply {found.alternative_number} instead: {found.alternative_reply}", classes="tp-alternative", markup=False))
        widgets.append(
            Static(f"It could still have reached: {label(found.alternative_best)}.", classes="tp-verdict -better", markup=False)
        )
        widgets.append(Static("Press t to go back to that moment and try the other reply.", classes="note"))
        return widgets

    # actions -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "try_turning_point":
            return self.turning_point is not None
        if action == "undo":
            return bool(self.session.history)
        if action == "set_mode":
            return False  # the debrief shows everything in either mode
        return True

    def action_again(self) -> None:
        self.dismiss(DebriefChoice("again"))

    def action_undo(self) -> None:
        self.dismiss(DebriefChoice("undo"))

    def action_try_turning_point(self) -> None:
        if self.turning_point is not None:
            self.dismiss(DebriefChoice("rewind", self.turning_point.turn - 1))

    def action_stories(self) -> None:
        self.dismiss(DebriefChoice("stories"))

    def action_back(self) -> None:
        self.dismiss(None)
