"""The coaching panel: after each reply, every rule it triggered, what it did, why, and the source.

Loyalty stays hidden until the debrief, so here a rule's effect on loyalty is
described in words (:func:`loyalty_hint`), never as a number; mood changes,
which the meter shows anyway, are given as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from roleplay.engine import Effect, TurnResult
from roleplay.rulebook import Rulebook

COACH_INTRO = (
    "Pick a reply. After each one this panel shows the rules it triggered, "
    "what each did to the customer's mood and trust, why, and which article says so."
)
EXAM_NOTE = "Exam mode: the feedback for each reply waits for the debrief. The mood meter still moves."


def loyalty_hint(loyalty: int) -> str:
    """A loyalty change in words, for while loyalty is hidden ('' for no change)."""
    if loyalty == 0:
        return ""
    amount = "a lot of trust" if abs(loyalty) >= 10 else "trust"
    return f"builds {amount}" if loyalty > 0 else f"costs {amount} later"


def effect_summary(effect: Effect) -> str:
    """'+8 mood · builds trust': the effect as the coach shows it."""
    parts = []
    if effect.mood:
        parts.append(f"{effect.mood:+d} mood")
    hint = loyalty_hint(effect.loyalty)
    if hint:
        parts.append(hint)
    return " · ".join(parts) or "no change"


def effect_title(effect: Effect, rulebook: Rulebook) -> str:
    """The rule's name as a learner reads it."""
    if effect.kind == "tactic" and effect.tactic in rulebook.tactics:
        return rulebook.tactics[effect.tactic].label
    if effect.kind == "modifier":
        return "In this situation"
    if effect.kind == "settlement":
        return "At the end"
    return effect.rule.replace("_", " ").capitalize()


def effect_kind_class(effect: Effect, rulebook: Rulebook) -> str:
    """A class for the effect's box: the tactic's kind in the rulebook, or -context for a context rule."""
    if effect.kind == "tactic" and effect.tactic in rulebook.tactics:
        return f"-{rulebook.tactics[effect.tactic].kind}"
    return "-context"


def direction_class(mood: int, loyalty: int) -> str:
    if mood > 0 or (mood == 0 and loyalty > 0):
        return "-up"
    if mood < 0 or loyalty < 0:
        return "-down"
    return "-level"


class EffectView(Vertical):
    """One rule applied, and the context rules that changed it: name, effect, the one-line why, the source."""

    def __init__(self, effect: Effect, rulebook: Rulebook, contexts: Sequence[Effect] = ()) -> None:
        super().__init__(classes=f"effect {effect_kind_class(effect, rulebook)}")
        self.effect = effect
        self.contexts = tuple(contexts)
        self.rulebook = rulebook

    def compose(self) -> ComposeResult:
        yield from self._describe(self.effect)
        for context in self.contexts:
            with Vertical(classes="effect-context"):
                yield from self._describe(context)

    def _describe(self, effect: Effect) -> ComposeResult:
        yield Static(effect_title(effect, self.rulebook), classes="effect-title", markup=False)
        yield Static(
            effect_summary(effect), classes=f"effect-change {direction_class(effect.mood, effect.loyalty)}", markup=False
        )
        yield Static(effect.explain, classes="effect-explain", markup=False)
        yield Static(str(effect.source), classes="effect-source", markup=False)


def group_effects(effects: Sequence[Effect]) -> list[tuple[Effect, list[Effect]]]:
    """Each tactic's effect with the context rules that follow it (the engine lists them in that order)."""
    groups: list[tuple[Effect, list[Effect]]] = []
    for effect in effects:
        if effect.kind == "modifier" and groups:
            groups[-1][1].append(effect)
        else:
            groups.append((effect, []))
    return groups


class FeedbackPanel(VerticalScroll):
    """The coach's notes on the last reply, or a note that exam mode holds them back."""

    def __init__(self, rulebook: Rulebook, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rulebook = rulebook
        self.border_title = "Coach"
        self.can_focus = False

    def _replace(self, widgets: list[Widget]) -> None:
        self.remove_children()
        self.mount_all(widgets)
        self.scroll_home(animate=False)

    def show_intro(self) -> None:
        self.border_title = "Coach"
        self._replace([Static(COACH_INTRO, classes="feedback-note")])

    def show_exam(self) -> None:
        self.border_title = "Exam"
        self._replace([Static(EXAM_NOTE, classes="feedback-note")])

    def show_turn(self, result: TurnResult, customer: str) -> None:
        """The notes on ``result``: the mood change, each rule applied, and a walk-out if there was one."""
        self.border_title = f"Coach · reply {result.turn}"
        widgets: list[Widget] = []
        if not result.effects:
            widgets.append(
                Static("This reply uses none of the rulebook's tactics, so it changes nothing.", classes="feedback-note", markup=False)
            )
        widgets.extend(EffectView(effect, self.rulebook, contexts) for effect, contexts in group_effects(result.effects))
        if result.walked_out:
            walkout = self.rulebook.walkout
            widgets.append(
                Vertical(
                    Static(f"{customer} walked out", classes="effect-title", markup=False),
                    Static(walkout.explain, classes="effect-explain", markup=False),
                    Static(str(walkout.source), classes="effect-source", markup=False),
                    classes="effect -walkout",
                )
            )
        elif result.finished:
            widgets.append(Static("The conversation is over: open the debrief to see how it ended.", classes="feedback-note"))
        self._replace(widgets)
