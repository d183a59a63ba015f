"""The turning point of a finished session: where another reply would have changed the outcome most."""

from __future__ import annotations

import time
from dataclasses import dataclass

from roleplay.play.engine import Session, State
from roleplay.writing.analysis.budget import OUT_OF_MEMORY, Budget, Stopped
from roleplay.writing.analysis.space import StateSpace

TURNING_SECONDS = 3.0
"""Default time the debrief gives the search for the turning point."""

TURNING_MEMORY_MB = 1024
"""Default memory (of the whole process) past which the search stops."""


@dataclass(frozen=True, slots=True)
class Value:
    """How good a finished state is: outcome rank first, then final loyalty, then mood."""

    rank: int
    loyalty: int
    mood: int

    def key(self) -> tuple[int, int, int]:
        return (self.rank, self.loyalty, self.mood)


def best_value(space: StateSpace, state: State) -> Value | None:
    """The best ending value reachable from an engine state (None if no ending is)."""
    found = space.best(state)
    return Value(*found) if found is not None else None


@dataclass(frozen=True)
class TurningPoint:
    """The turn where another reply would have kept the best outcome within reach."""

    turn: int
    """1-based turn number in the session."""
    node: str
    chosen_number: int
    chosen_best: str
    """The best outcome still reachable after the reply given."""
    alternative_number: int
    alternative_reply: str
    alternative_best: str
    """The best outcome reachable after the other reply: always a better rung than ``chosen_best``."""


@dataclass(frozen=True)
class TurningSearch:
    """What the search for the turning point found, and whether it checked every turn."""

    point: TurningPoint | None
    turns: int
    """Turns in the session."""
    checked: int
    """Turns whose every other reply was followed to the end (all of them unless cut short)."""
    stopped: str | None = None
    """Why the search stopped before checking every turn (None when it checked them all)."""
    seconds: float = 0.0

    @property
    def cut_short(self) -> bool:
        return self.stopped is not None


def turning_point(session: Session, space: StateSpace | None = None) -> TurningPoint | None:
    """The turn where another reply on offer would have kept a better outcome within reach
    than the reply given (the biggest gain; the earliest on a tie). None when no reply at
    any turn would have: the play reached the best outcome the story allows from its start.
    Searches with no budget: see :func:`find_turning_point` for one that stops in time."""
    return find_turning_point(session, space, Budget.unlimited()).point


def find_turning_point(session: Session, space: StateSpace | None = None, budget: Budget | None = None) -> TurningSearch:
    """:func:`turning_point` within a budget (by default :data:`TURNING_SECONDS` and
    :data:`TURNING_MEMORY_MB`). Turns are checked from the first; past the budget, the
    search stops and the result says how many turns it checked, with the best turning
    point among those (if any)."""
    started = time.monotonic()
    budget = budget if budget is not None else Budget(TURNING_SECONDS, TURNING_MEMORY_MB)
    turns = len(session.turns)
    if not session.turns:
        return TurningSearch(None, 0, 0)
    if space is None:
        space = StateSpace(session.story, session.rulebook)
    rules = space.rules
    candidates = []
    checked = 0
    stopped: str | None = None
    kept = space.budget
    space.budget = budget
    try:
        for position, (before, result) in enumerate(session.history, start=1):
            budget.check()
            options = []
            for number, choice in enumerate(rules.offered(before), start=1):
                after, _ = rules.apply(before, choice, number)
                value = best_value(space, after)
                if value is not None:
                    options.append((number, choice, value))
            checked = position
            chosen = next((o for o in options if o[0] == result.number), None)
            if chosen is None:
                continue
            for number, choice, value in options:
                gain = value.rank - chosen[2].rank
                if number != result.number and gain > 0:
                    candidates.append(
                        (gain, value.loyalty - chosen[2].loyalty, -position, result, number, choice, value, chosen[2])
                    )
    except Stopped as stop:
        stopped = stop.reason
    except MemoryError:
        stopped = OUT_OF_MEMORY
    finally:
        space.budget = kept
    seconds = time.monotonic() - started
    if not candidates:
        return TurningSearch(None, turns, checked, stopped, seconds)
    _, _, minus_position, result, number, choice, value, chosen_value = max(candidates, key=lambda c: c[:3])
    ladder = list(reversed([o.id for o in rules.rulebook.outcomes]))
    point = TurningPoint(
        turn=-minus_position,
        node=result.node,
        chosen_number=result.number,
        chosen_best=ladder[chosen_value.rank],
        alternative_number=number,
        alternative_reply=choice.reply,
        alternative_best=ladder[value.rank],
    )
    return TurningSearch(point, turns, checked, stopped, seconds)
