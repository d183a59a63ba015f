"""Exploring every way through a story over its finite state space, with memoisation.

A state is (node, mood, loyalty, flags, counts of the tactics that conditions
read, counters). Mood and loyalty are clamped to 0..100, counts and the turn
number are capped just above the largest constant any condition compares them
with (larger values cannot be told apart), so the space is finite and a story
with loops and millions of paths is explored state by state, not path by path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from roleplay.conditions import Condition
from roleplay.engine import COUNTER_LIMIT, Rules, Session, State
from roleplay.model import Story
from roleplay.rulebook import Rulebook

DEFAULT_STATE_LIMIT = 2_000_000
"""Exploration stops (and says so) after this many distinct states."""

WALKED_OUT = "(walked out)"
DEAD_END = "(dead end)"


def _conditions(rules: Rules) -> Iterable[Condition]:
    for node in rules.story.nodes.values():
        for choice in node.choices:
            if choice.condition is not None:
                yield choice.condition
            for branch in choice.branches:
                if branch.condition is not None:
                    yield branch.condition
    rulebook = rules.rulebook
    for modifier in rulebook.modifiers:
        yield modifier.when
    yield rulebook.walkout.when
    for outcome in rulebook.outcomes:
        if outcome.when is not None:
            yield outcome.when


@dataclass(frozen=True, slots=True)
class Value:
    """How good a finished state is: outcome rank first, then final loyalty, then mood."""

    rank: int
    loyalty: int
    mood: int

    def key(self) -> tuple[int, int, int]:
        return (self.rank, self.loyalty, self.mood)


class StateSpace:
    """The reachable states of a story, their transitions, and what each can still reach."""

    def __init__(self, story: Story, rulebook: Rulebook | None = None, limit: int = DEFAULT_STATE_LIMIT) -> None:
        self.rules = Rules(story, rulebook)
        self.limit = limit
        counted: dict[str, int] = {}
        turn_cap = 0
        for condition in _conditions(self.rules):
            wildcard = condition.thresholds.get("*", 0)
            for reference in condition.references:
                if reference.kind in ("used", "count"):
                    bound = max(condition.thresholds.get(f"count:{reference.name}", 0), wildcard, 0) + 1
                    counted[reference.name] = max(counted.get(reference.name, 1), bound)
                elif reference.kind == "var" and reference.name == "turn":
                    turn_cap = max(turn_cap, condition.thresholds.get("turn", 0), wildcard) + 1
        self.count_caps = counted
        self.turn_cap = turn_cap
        self.edges: dict[State, list[tuple[int, int, State]]] = {}
        """state -> [(pick number, choice index, next state)]"""
        self.parent: dict[State, tuple[State, int] | None] = {}
        self.complete = True
        self._values: dict[State, tuple[Value, Value]] | None = None

    def canonical(self, state: State) -> State:
        """The state with the quantities no condition can tell apart folded together."""
        used = tuple((name, min(times, self.count_caps[name])) for name, times in state.used if name in self.count_caps)
        turn = min(state.turn, self.turn_cap)
        if used == state.used and turn == state.turn:
            return state
        return replace(state, used=used, turn=turn)

    @property
    def start(self) -> State:
        return self.canonical(self.rules.initial_state())

    def explore(self, start: State | None = None) -> None:
        """Breadth-first from ``start`` (the story's start by default); parents give shortest picks."""
        start = self.start if start is None else self.canonical(start)
        if start in self.parent:
            return
        self.parent[start] = None
        queue = deque([start])
        rules = self.rules
        while queue:
            state = queue.popleft()
            successors: list[tuple[int, int, State]] = []
            for number, choice in enumerate(rules.offered(state), start=1):
                after, _ = rules.apply(state, choice, number)
                after = self.canonical(after)
                successors.append((number, choice.index, after))
                if after not in self.parent:
                    if len(self.parent) >= self.limit:
                        self.complete = False
                        continue
                    self.parent[after] = (state, number)
                    queue.append(after)
            self.edges[state] = successors
        self._values = None

    def picks_to(self, state: State) -> list[int]:
        """The shortest pick sequence from the start to ``state``."""
        picks = []
        link = self.parent.get(state)
        while link is not None:
            state, number = link
            picks.append(number)
            link = self.parent.get(state)
        return picks[::-1]

    def terminal_value(self, state: State) -> Value:
        outcome = self.rules.outcome(state)
        return Value(self.rules.rulebook.outcome_rank(outcome.id), self.rules.final_loyalty(state), state.mood)

    def values(self) -> dict[State, tuple[Value, Value]]:
        """For every explored state that can finish: (best, worst) value among the endings it can reach."""
        if self._values is not None:
            return self._values
        predecessors: dict[State, list[State]] = {}
        for state, successors in self.edges.items():
            for _, _, after in successors:
                predecessors.setdefault(after, []).append(state)
        values: dict[State, tuple[Value, Value]] = {}
        work = deque()
        for state in self.parent:
            if state.finished:
                value = self.terminal_value(state)
                values[state] = (value, value)
                work.append(state)
        # Propagate best and worst backwards until nothing improves (the lattice is finite).
        while work:
            state = work.popleft()
            best, worst = values[state]
            for before in predecessors.get(state, ()):
                known = values.get(before)
                if known is None:
                    values[before] = (best, worst)
                    work.append(before)
                    continue
                new_best = best if best.key() > known[0].key() else known[0]
                new_worst = worst if worst.key() < known[1].key() else known[1]
                if new_best is not known[0] or new_worst is not known[1]:
                    values[before] = (new_best, new_worst)
                    work.append(before)
        self._values = values
        return values

    def best(self, state: State) -> Value | None:
        found = self.values().get(self.canonical(state))
        return found[0] if found else None


@dataclass(frozen=True)
class EndingReport:
    """An ending (or a walk-out) reached with one outcome: mood range on arrival and a shortest route."""

    ending: str
    outcome: str
    mood_min: int
    mood_max: int
    picks: tuple[int, ...]


@dataclass
class StoryAnalysis:
    """Everything ``roleplay analyze`` reports about a story."""

    story: Story
    states: int
    complete: bool
    endings: list[EndingReport] = field(default_factory=list)
    best: EndingReport | None = None
    worst: EndingReport | None = None
    unreached_nodes: list[str] = field(default_factory=list)
    unreached_endings: list[str] = field(default_factory=list)
    never_offered: list[tuple[str, int]] = field(default_factory=list)
    """(node id, reply number among all the node's replies, from 1)"""
    no_way_out: list[str] = field(default_factory=list)
    """Nodes where some reachable state can never reach an ending (a loop with no way out)."""
    dead_ends: list[str] = field(default_factory=list)
    """Nodes where the conversation stops without an ending."""

    @property
    def outcomes(self) -> list[str]:
        return sorted({e.outcome for e in self.endings})


def analyze(story: Story, rulebook: Rulebook | None = None, limit: int = DEFAULT_STATE_LIMIT) -> StoryAnalysis:
    space = StateSpace(story, rulebook, limit)
    space.explore()
    rules = space.rules
    report = StoryAnalysis(story, len(space.parent), space.complete)
    reached_nodes: set[str] = set()
    offered: set[tuple[str, int]] = set()
    groups: dict[tuple[str, str], list[State]] = {}
    for state in space.parent:
        reached_nodes.add(state.node)
        for _, index, _ in space.edges.get(state, ()):
            offered.add((state.node, index))
        if state.finished:
            node = story.nodes.get(state.node)
            if state.walked_out and (node is None or not node.end or state.node != story.walkout):
                ending = state.node if state.node == story.walkout else WALKED_OUT
            elif node is not None and node.end:
                ending = state.node
            else:
                ending = DEAD_END
                report.dead_ends.append(state.node)
            groups.setdefault((ending, rules.outcome(state).id), []).append(state)
    ladder = [o.id for o in rules.rulebook.outcomes]
    for (ending, outcome), states in sorted(groups.items(), key=lambda item: (ladder.index(item[0][1]), item[0][0])):
        shortest = min(states, key=lambda s: (len(space.picks_to(s)), space.picks_to(s)))
        report.endings.append(
            EndingReport(ending, outcome, min(s.mood for s in states), max(s.mood for s in states), tuple(space.picks_to(shortest)))
        )
    if report.endings:
        report.best = report.endings[0]
        report.worst = report.endings[-1]
    report.unreached_nodes = [node_id for node_id in story.nodes if node_id not in reached_nodes]
    reached_endings = {e.ending for e in report.endings}
    report.unreached_endings = [n.id for n in story.endings if n.id not in reached_endings]
    for node in story.nodes.values():
        if node.id in reached_nodes:
            report.never_offered.extend((node.id, c.index + 1) for c in node.choices if (node.id, c.index) not in offered)
    values = space.values()
    stuck = {state.node for state in space.parent if state not in values and not state.finished}
    report.no_way_out = sorted(stuck)
    report.dead_ends = sorted(set(report.dead_ends))
    return report


@dataclass(frozen=True)
class TurningPoint:
    """The turn where another reply would have changed the outcome the most."""

    turn: int
    """1-based turn number in the session."""
    node: str
    chosen_number: int
    chosen_best: str
    """The best outcome still reachable after the reply given."""
    alternative_number: int
    alternative_reply: str
    alternative_best: str
    """The best outcome reachable after the other reply."""
    better: bool
    """True when the other reply could have led somewhere better; False when it would have closed off the outcome reached."""


def turning_point(session: Session, space: StateSpace | None = None) -> TurningPoint | None:
    """Compare, turn by turn, the best outcome reachable after each reply on offer."""
    if not session.turns:
        return None
    if space is None:
        space = StateSpace(session.story, session.rulebook)
    space.explore()
    rules = space.rules
    rulebook = rules.rulebook
    candidates = []
    for position, (before, result) in enumerate(session.history, start=1):
        options = []
        for number, choice in enumerate(rules.offered(before), start=1):
            after, _ = rules.apply(before, choice, number)
            value = space.best(after)
            if value is None:
                continue
            options.append((number, choice, value))
        chosen = next((o for o in options if o[0] == result.number), None)
        if chosen is None:
            continue
        for number, choice, value in options:
            if number == result.number:
                continue
            gain = value.rank - chosen[2].rank
            candidates.append((gain, value.loyalty - chosen[2].loyalty, position, result, number, choice, value, chosen[2]))
    if not candidates:
        return None
    improvements = [c for c in candidates if c[0] > 0 or (c[0] == 0 and c[1] > 0)]
    if improvements:
        pick = max(improvements, key=lambda c: (c[0], c[1], -c[2]))
    else:
        pick = min(candidates, key=lambda c: (c[0], c[1], c[2]))
    gain, _, position, result, number, choice, value, chosen_value = pick
    ladder = list(reversed([o.id for o in rulebook.outcomes]))
    return TurningPoint(
        turn=position,
        node=result.node,
        chosen_number=result.number,
        chosen_best=ladder[chosen_value.rank],
        alternative_number=number,
        alternative_reply=choice.reply,
        alternative_best=ladder[value.rank],
        better=gain > 0 or (gain == 0 and value.loyalty > chosen_value.loyalty),
    )
