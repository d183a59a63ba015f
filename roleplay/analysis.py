"""Exploring every way through a story over its finite state space, with memoisation.

A conversation's state is (node, mood, loyalty, turn, flags, counts of the
tactics used, counters). The exploration keeps only what some condition or
rule can tell apart:

- counts of tactics and the turn number are capped just above the largest
  constant any condition compares them with (larger values behave the same);
- flags that no condition tests are dropped;
- loyalty is not part of the explored state at all. Conditions only compare
  it with constants, so the range 0..100 falls into intervals inside which
  every condition gives the same answer, and every reply does the same thing
  (moves mood and flags the same way and adds the same loyalty). Each state
  therefore carries the *set* of loyalties it is reached with, as a 101-bit
  integer, and a reply is worked out once per interval, not once per value.

The result is exact: each (state, loyalty) pair is reached at the same
breadth-first depth as in a plain search of the full state space, so pick
sequences are shortest, and outcomes (which read the final loyalty) are
decided value by value. Only when a condition compares loyalty, a count or
the turn with another changing quantity (``count(a) > count(b)``) do those
quantities fall back to being tracked value by value (counts up to 100).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from roleplay.conditions import Condition
from roleplay.diagnostics import Location
from roleplay.engine import COUNTER_LIMIT, MOOD_RANGE, Rules, Session, State
from roleplay.model import Choice, Node, Story
from roleplay.rulebook import Outcome, Rulebook
from roleplay.yamlfile import gc_paused

DEFAULT_STATE_LIMIT = 2_000_000
"""Exploration stops (and says so) after this many distinct states."""

WALKED_OUT = "(walked out)"
"""The ending reported when the customer walks out of a story with no walkout node."""

DEAD_END = "(dead end)"
"""The ending reported when a conversation stops somewhere that is not an ending."""

GOOD_OUTCOMES = frozenset({"recommends", "stays"})
"""The outcomes that count as the customer staying with the company."""

COMPARED_COUNT_CAP = 101
"""Cap for a count or turn compared with another changing quantity (not with a constant)."""

_LOW, _HIGH = MOOD_RANGE
_VALUES = _HIGH - _LOW + 1
_ALL = (1 << _VALUES) - 1
_TOP_BIT = 1 << (_VALUES - 1)


# --- sets of loyalty values as bits ---------------------------------------------------------


def _shift(bits: int, change: int) -> int:
    """The set {clamp(x + change) for x in bits}."""
    if change > 0:
        moved = bits << change
        if moved >> _VALUES:
            moved = (moved & _ALL) | _TOP_BIT
        return moved
    if change < 0:
        if -change >= _VALUES:
            return 1 if bits else 0
        low = bits & ((1 << -change) - 1)
        moved = bits >> -change
        return moved | 1 if low else moved
    return bits


def _range_bits(first: int, last: int) -> int:
    """The set {first..last} (clipped to 0..100)."""
    first, last = max(first, 0), min(last, _VALUES - 1)
    return 0 if first > last else ((1 << (last - first + 1)) - 1) << first


def _preimage(bits: int, change: int) -> int:
    """The set {x in 0..100 : clamp(x + change) in bits}."""
    if change > 0:
        found = bits >> change
        if bits & _TOP_BIT:
            found |= _range_bits(_VALUES - 1 - change, _VALUES - 1)
        return found & _ALL
    if change < 0:
        found = (bits << -change) & _ALL
        if bits & 1:
            found |= _range_bits(0, -change)
        return found
    return bits


def _lowest(bits: int) -> int:
    return (bits & -bits).bit_length() - 1


def _highest(bits: int) -> int:
    return bits.bit_length() - 1


def _all_conditions(story: Story, rulebook: Rulebook) -> Iterator[tuple[Condition, bool]]:
    """Every condition the engine evaluates, with True for those that steer a conversation
    (replies, branches, context rules, walking out) and False for outcome rungs."""
    for node in story.nodes.values():
        for choice in node.choices:
            if choice.condition is not None:
                yield choice.condition, True
            for branch in choice.branches:
                if branch.condition is not None:
                    yield branch.condition, True
    for modifier in rulebook.modifiers:
        yield modifier.when, True
    yield rulebook.walkout.when, True
    for outcome in rulebook.outcomes:
        if outcome.when is not None:
            yield outcome.when, False
    for ceiling in rulebook.ceilings:
        yield ceiling.when, False


# --- the state space ------------------------------------------------------------------------

Key = tuple
"""An explored state without loyalty: (node, mood, turn, flags, used, counters, walked_out, finished)."""

_NODE, _MOOD, _TURN, _FLAGS, _USED, _COUNTERS, _WALKED, _FINISHED = range(8)


@dataclass(frozen=True, slots=True)
class Value:
    """How good a finished state is: outcome rank first, then final loyalty, then mood."""

    rank: int
    loyalty: int
    mood: int

    def key(self) -> tuple[int, int, int]:
        return (self.rank, self.loyalty, self.mood)


class _Reading:
    """A state as conditions read it (the engine's context, built without dataclass overhead)."""

    __slots__ = ("mood", "loyalty", "turn", "walked_out", "flags", "traits", "reply", "used", "counters")

    def __init__(self, mood, loyalty, turn, flags, used, counters, traits, reply=frozenset()) -> None:
        self.mood = mood
        self.loyalty = loyalty
        self.turn = turn
        self.walked_out = False
        self.flags = flags
        self.used = used
        self.counters = counters
        self.traits = traits
        self.reply = reply

    def count(self, tactic: str) -> int:
        return self.used.get(tactic, 0)

    def counter(self, name: str) -> int:
        return self.counters.get(name, 0)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What giving one reply does, worked out once from the rulebook."""

    number: int
    """A number unique to the plan within its state space."""
    choice: Choice
    mood: int
    loyalty: int
    modifiers: tuple[tuple[Callable[..., bool], int, int], ...]
    branches: tuple[tuple[int, str, Callable[..., bool] | None], ...]
    """(index, goto, condition test or None) for each branch of ``next``."""
    reply: frozenset[str]
    counted: tuple[str, ...]
    counter_changes: tuple[tuple[str, int], ...]
    sets: frozenset[str]
    clears: frozenset[str]


class StateSpace:
    """The reachable states of a story, how each reply moves between them, and what each can still reach."""

    def __init__(self, story: Story, rulebook: Rulebook | None = None, limit: int = DEFAULT_STATE_LIMIT) -> None:
        self.rules = Rules(story, rulebook)
        self.story = story
        self.rulebook = self.rules.rulebook
        self.limit = limit
        self.complete = True
        self.incomplete_reasons: list[str] = []
        self._read_quantities()
        by_tactic: dict[str, list] = {}
        for modifier in self.rulebook.modifiers:
            by_tactic.setdefault(modifier.tactic, []).append((modifier.when.evaluate, modifier.mood, modifier.loyalty))
        self._modifiers = by_tactic
        self._plans = {}
        for node in story.nodes.values():
            for choice in node.choices:
                self._plans[(node.id, choice.index)] = self._plan(len(self._plans), choice)
        self._offers = {
            node.id: tuple(
                (choice.condition.evaluate if choice.condition is not None else None, self._plans[(node.id, choice.index)])
                for choice in node.choices
            )
            for node in story.nodes.values()
        }
        """Node id -> (condition test or None, plan) for each of its replies, in order."""
        self._arrivals = {
            node.id: (frozenset(node.sets) & self.tested_flags, frozenset(node.clears), node.end or not node.choices)
            for node in story.nodes.values()
        }
        """Node id -> (flags it sets that conditions test, flags it clears, whether arriving finishes)."""
        self._walkout_test = self.rulebook.walkout.when.evaluate
        self.keys: list[Key] = []
        """Explored states by id."""
        self.ids: dict[Key, int] = {}
        self.seen: list[int] = []
        """For each state id, the loyalties it is reached with (bits)."""
        self.found: list[list[tuple[int, int, list[tuple[int, int, int, int]]]]] = []
        """For each state id: (depth, loyalties first reached at that depth, [(parent id, pick, loyalty change, parent interval)])."""
        self._steps: dict[int, list[tuple[int, int, int, int]]] = {}
        """(state id * intervals + interval) -> [(pick number, choice index, loyalty change, reply result id)]."""
        self._results: list[tuple[Key, _Plan]] = []
        self._result_ids: dict[tuple[Key, int], int] = {}
        self._landings: dict[int, tuple[int, int]] = {}
        """(reply result id * intervals + interval after) -> (branch index or -1, next state id)."""
        self.stuck: dict[int, int] = {}
        """State id -> loyalties at which no reply is on offer."""
        self.offered: set[tuple[str, int]] = set()
        self.taken: set[tuple[str, int, int]] = set()
        self._explored = False
        self._outcomes: dict[tuple, list[tuple[Outcome, int]]] = {}
        self._best_cache: dict[tuple[int, int], Value | None] = {}

    # setting up --------------------------------------------------------------------------------
    def _read_quantities(self) -> None:
        constants: dict[str, set[int]] = {}
        compared: set[str] = set()
        steering_loyalty = False
        flags: set[str] = set()
        for condition, steers in _all_conditions(self.story, self.rulebook):
            for quantity, values in condition.constants.items():
                constants.setdefault(quantity, set()).update(values)
            compared |= condition.compared
            for reference in condition.references:
                if reference.kind == "flag":
                    flags.add(reference.name)
                if steers and reference.kind == "var" and reference.name == "loyalty":
                    steering_loyalty = True
        self.tested_flags = frozenset(flags)
        caps: dict[str, int] = {}
        for quantity, values in constants.items():
            if quantity.startswith("count:"):
                caps[quantity[6:]] = max(values) + 1
        for quantity in compared:
            if quantity.startswith("count:"):
                caps[quantity[6:]] = COMPARED_COUNT_CAP
        self.count_caps = caps
        """Tactic -> the count above which no condition can tell counts apart."""
        rulebook = self.rulebook
        exact = {rule.per for rule in rulebook.settlement} | {
            name for tactic in rulebook.tactics.values() for name, change in tactic.counters.items() if change < 0
        } | (compared & set(rulebook.counters))
        marks = set(rulebook.mark_counters)
        self.counter_caps = {
            name: COUNTER_LIMIT if name in exact else min(COUNTER_LIMIT, max(constants.get(name, {0 if name in marks else -1})) + 1)
            for name in rulebook.counters
        }
        """Counter -> the value above which nothing (condition, settlement, audit) can tell it apart."""
        self.turn_cap = COMPARED_COUNT_CAP if "turn" in compared else max(constants.get("turn", {-1})) + 1
        self._capped_exactly = {name for name, cap in caps.items() if cap == COMPARED_COUNT_CAP and f"count:{name}" in compared}
        if "turn" in compared:
            self._capped_exactly.add("turn")
        # Loyalty intervals: every condition gives the same answer for all loyalties in one.
        if "loyalty" in compared:
            cuts = set(range(1, _VALUES))
        elif steering_loyalty or constants.get("loyalty"):
            cuts = {c for value in constants.get("loyalty", ()) for c in (value, value + 1) if 0 < c < _VALUES}
        else:
            cuts = set()
        bounds = [0, *sorted(cuts), _VALUES]
        self.intervals = [_range_bits(low, high - 1) for low, high in zip(bounds, bounds[1:])]
        """Loyalty sets (bits) inside which every condition answers the same."""
        self._interval_of = [index for index, (low, high) in enumerate(zip(bounds, bounds[1:])) for _ in range(low, high)]
        # What outcome rungs read, so that finished states that differ only elsewhere share one evaluation.
        read: set[str] = set()
        for condition in [o.when for o in self.rulebook.outcomes if o.when is not None] + [c.when for c in self.rulebook.ceilings]:
            read.update(f"{r.kind}:{r.name}" for r in condition.references)
        self._outcome_reads = read
        self._outcome_whole_key = "var:turn" in read or any(r.startswith(("flag:", "used:", "count:")) for r in read)
        self._outcome_counters = frozenset(r[4:] for r in read if r.startswith("var:")) - {"mood", "loyalty", "turn", "walked_out"}
        self._outcome_mood = "var:mood" in read

    def _plan(self, number: int, choice: Choice) -> _Plan:
        rulebook = self.rulebook
        mood = loyalty = 0
        modifiers = []
        changes: dict[str, int] = {}
        for name in choice.tactics:
            tactic = rulebook.tactics[name]
            mood += tactic.mood
            loyalty += tactic.loyalty
            modifiers.extend(self._modifiers.get(name, ()))
            for counter, change in tactic.counters.items():
                changes[counter] = changes.get(counter, 0) + change
        return _Plan(
            number=number,
            choice=choice,
            mood=mood,
            loyalty=loyalty,
            modifiers=tuple(modifiers),
            branches=tuple(
                (index, branch.goto, branch.condition.evaluate if branch.condition is not None else None)
                for index, branch in enumerate(choice.branches)
            ),
            reply=frozenset(choice.tactics),
            counted=tuple(name for name in choice.tactics if name in self.count_caps),
            counter_changes=tuple(changes.items()),
            sets=frozenset(choice.sets) & self.tested_flags,
            clears=frozenset(choice.clears),
        )

    # states -------------------------------------------------------------------------------------
    def canonical(self, state: State) -> tuple[Key, int]:
        """The explored form of an engine state: its key and its loyalty as a one-bit set."""
        caps = self.count_caps
        used = tuple((name, min(times, caps[name])) for name, times in state.used if name in caps)
        key = (
            state.node,
            state.mood,
            min(state.turn, self.turn_cap),
            state.flags & self.tested_flags,
            used,
            tuple((name, min(value, self.counter_caps[name])) for name, value in state.counters if self.counter_caps[name]),
            state.walked_out,
            state.finished,
        )
        return key, 1 << state.loyalty

    def state_of(self, key: Key, loyalty: int) -> State:
        """An engine state equivalent to ``key`` with ``loyalty`` (for the engine's own rules)."""
        node, mood, turn, flags, used, counters, walked_out, finished = key
        return State(node, mood, loyalty, turn, flags, used, counters, walked_out, finished)

    def _intern(self, key: Key) -> int | None:
        found = self.ids.get(key)
        if found is not None:
            return found
        if len(self.keys) >= self.limit:
            if self.complete:
                self.complete = False
                self.incomplete_reasons.append(f"the exploration stopped at {self.limit:,} states")
            return None
        number = len(self.keys)
        self.ids[key] = number
        self.keys.append(key)
        self.seen.append(0)
        self.found.append([])
        if self._capped_exactly:
            self._check_cap(key)
        return number

    def _check_cap(self, key: Key) -> None:
        reached = [name for name, times in key[_USED] if name in self._capped_exactly and times >= COMPARED_COUNT_CAP]
        if "turn" in self._capped_exactly and key[_TURN] >= COMPARED_COUNT_CAP:
            reached.append("turn")
        if reached and self.complete:
            self.complete = False
            self.incomplete_reasons.append(
                f"{', '.join(reached)} reached {COMPARED_COUNT_CAP - 1}, beyond which values compared with another quantity are treated as equal"
            )

    @property
    def start(self) -> tuple[Key, int]:
        return self.canonical(self.rules.initial_state())

    # one reply ----------------------------------------------------------------------------------
    def _steps_from(self, state_id: int, interval: int, loyalty: int) -> list[tuple[int, int, int, int]]:
        """The replies on offer in a state at loyalties of one interval, and what each does before
        the walk-out test and the branches (those read the state after the reply)."""
        memo = state_id * len(self.intervals) + interval
        steps = self._steps.get(memo)
        if steps is not None:
            return steps
        steps = []
        key = self.keys[state_id]
        offers = self._offers.get(key[_NODE])
        if not key[_FINISHED] and offers:
            used = dict(key[_USED])
            counters = dict(key[_COUNTERS])
            reading = _Reading(key[_MOOD], loyalty, key[_TURN], key[_FLAGS], used, counters, self.rules.traits)
            reading.walked_out = key[_WALKED]
            number = 0
            offered = self.offered
            for test, plan in offers:
                if test is not None and not test(reading):
                    continue
                number += 1
                offered.add((key[_NODE], plan.choice.index))
                mood_change, loyalty_change = plan.mood, plan.loyalty
                if plan.modifiers:
                    reading.reply = plan.reply
                    for when, mood, loyalty_effect in plan.modifiers:
                        if when(reading):
                            mood_change += mood
                            loyalty_change += loyalty_effect
                    reading.reply = frozenset()
                result = self._result_id(self._after(key, plan, mood_change, used, counters), plan)
                steps.append((number, plan.choice.index, loyalty_change, result))
        self._steps[memo] = steps
        return steps

    def _after(self, key: Key, plan: _Plan, mood_change: int, used: dict, counters: dict) -> Key:
        mood = key[_MOOD] + mood_change
        mood = _LOW if mood < _LOW else _HIGH if mood > _HIGH else mood
        if plan.counted:
            caps = self.count_caps
            bumped = dict(used)
            for name in plan.counted:
                bumped[name] = min(bumped.get(name, 0) + 1, caps[name])
            new_used = tuple(sorted(bumped.items()))
        else:
            new_used = key[_USED]
        if plan.counter_changes:
            merged = dict(counters)
            caps = self.counter_caps
            for name, change in plan.counter_changes:
                value = merged.get(name, 0) + change
                cap = caps[name]
                merged[name] = 0 if value < 0 else cap if value > cap else value
            new_counters = tuple(sorted((name, value) for name, value in merged.items() if value))
        else:
            new_counters = key[_COUNTERS]
        flags = key[_FLAGS]
        if plan.sets or plan.clears:
            flags = (flags | plan.sets) - plan.clears
        return (key[_NODE], mood, min(key[_TURN] + 1, self.turn_cap), flags, new_used, new_counters, False, False)

    def _result_id(self, after: Key, plan: _Plan) -> int:
        marker = (after, plan.number)
        found = self._result_ids.get(marker)
        if found is None:
            found = len(self._results)
            self._result_ids[marker] = found
            self._results.append((after, plan))
        return found

    def _landing(self, result: int, interval: int, loyalty: int) -> tuple[int, int | None]:
        """Where a reply leads at a loyalty (after the reply) in ``interval``: (branch, next state id)."""
        memo = result * len(self.intervals) + interval
        found = self._landings.get(memo)
        if found is not None:
            return found
        after, plan = self._results[result]
        reading = _Reading(after[_MOOD], loyalty, after[_TURN], after[_FLAGS], dict(after[_USED]), dict(after[_COUNTERS]), self.rules.traits)
        branch_index = -1
        walked_out = bool(self._walkout_test(reading))
        if walked_out:
            next_id = self.story.walkout
        else:
            next_id = None
            for index, goto, test in plan.branches:
                if test is None or test(reading):
                    next_id, branch_index = goto, index
                    self.taken.add((after[_NODE], plan.choice.index, index))
                    break
        flags, finished, at = after[_FLAGS], False, after[_NODE]
        if next_id is not None:
            sets, clears, finished = self._arrivals[next_id]
            if sets or clears:
                flags = (flags | sets) - clears
            at = next_id
        if walked_out or next_id is None:
            finished = True
        state = self._intern((at, after[_MOOD], after[_TURN], flags, after[_USED], after[_COUNTERS], walked_out, finished))
        landing = (branch_index, state)
        if state is not None:
            self._landings[memo] = landing
        return landing

    def moves(self, state_id: int, bits: int) -> Iterator[tuple[int, int, int, int, int, int]]:
        """Every move from a state reached with the loyalties ``bits``:
        (interval, pick number, choice index, loyalty change, next state id, loyalties arriving)."""
        intervals = self.intervals
        interval_of = self._interval_of
        for interval in range(interval_of[_lowest(bits)], interval_of[_highest(bits)] + 1):
            part = bits & intervals[interval]
            if not part:
                continue
            steps = self._steps_from(state_id, interval, _lowest(part))
            if not steps and not self.keys[state_id][_FINISHED]:
                self.stuck[state_id] = self.stuck.get(state_id, 0) | part
            for number, index, change, result in steps:
                moved = _shift(part, change) if change else part
                first, last = interval_of[_lowest(moved)], interval_of[_highest(moved)]
                if first == last:
                    _, target = self._landing(result, first, _lowest(moved))
                    if target is not None:
                        yield interval, number, index, change, target, moved
                    continue
                for after_interval in range(first, last + 1):
                    arriving = moved & intervals[after_interval]
                    if not arriving:
                        continue
                    _, target = self._landing(result, after_interval, _lowest(arriving))
                    if target is not None:
                        yield interval, number, index, change, target, arriving

    # exploring ----------------------------------------------------------------------------------
    def explore(self) -> None:
        """Breadth-first from the start, layer by layer, so every (state, loyalty) pair is first
        reached by a shortest pick sequence."""
        if self._explored:
            return
        self._explored = True
        with gc_paused():
            self._explore()

    def _explore(self) -> None:
        key, bits = self.start
        start = self._intern(key)
        assert start is not None
        self.seen[start] = bits
        self.found[start].append((0, bits, []))
        frontier = {start: bits}
        depth = 0
        seen, found = self.seen, self.found
        intervals, interval_of = self.intervals, self._interval_of
        count = len(intervals)
        all_steps, landings, keys, stuck = self._steps, self._landings, self.keys, self.stuck
        steps_from, landing = self._steps_from, self._landing
        while frontier:
            depth += 1
            arrivals: dict[int, list] = {}
            for state_id, bits in frontier.items():
                first = interval_of[(bits & -bits).bit_length() - 1]
                last = interval_of[bits.bit_length() - 1]
                for interval in range(first, last + 1):
                    part = bits & intervals[interval] if first != last else bits
                    if not part:
                        continue
                    steps = all_steps.get(state_id * count + interval)
                    if steps is None:
                        steps = steps_from(state_id, interval, (part & -part).bit_length() - 1)
                    if not steps:
                        if not keys[state_id][_FINISHED]:
                            stuck[state_id] = stuck.get(state_id, 0) | part
                        continue
                    for number, _, change, result in steps:
                        moved = _shift(part, change) if change else part
                        low = interval_of[(moved & -moved).bit_length() - 1]
                        high = interval_of[moved.bit_length() - 1]
                        for after_interval in range(low, high + 1):
                            arriving = moved & intervals[after_interval] if low != high else moved
                            if not arriving:
                                continue
                            target = landings.get(result * count + after_interval)
                            if target is None:
                                target = landing(result, after_interval, (arriving & -arriving).bit_length() - 1)
                            target = target[1]
                            if target is None:
                                continue
                            new = arriving & ~seen[target]
                            if not new:
                                continue
                            seen[target] |= new
                            entry = arrivals.get(target)
                            if entry is None:
                                arrivals[target] = [new, [(state_id, number, change, interval)]]
                            else:
                                entry[0] |= new
                                entry[1].append((state_id, number, change, interval))
            frontier = {}
            for target, (new, parents) in arrivals.items():
                found[target].append((depth, new, parents))
                frontier[target] = new

    @property
    def states(self) -> int:
        """Distinct states explored, counting each loyalty a state is reached with."""
        return sum(bits.bit_count() for bits in self.seen)

    def first_reached(self, state_id: int, bits: int) -> tuple[int, int] | None:
        """(depth, loyalty) of the earliest arrival at a state with one of the loyalties ``bits``."""
        for depth, new, _ in self.found[state_id]:
            if new & bits:
                return depth, _lowest(new & bits)
        return None

    def picks_to(self, state_id: int, loyalty: int) -> list[int]:
        """A shortest pick sequence from the start to a state reached with ``loyalty``."""
        reached = self.first_reached(state_id, 1 << loyalty)
        if reached is None:
            raise ValueError("that state is not reached with that loyalty")
        depth = reached[0]
        picks: list[int] = []
        while depth:
            entry = next(e for e in self.found[state_id] if e[0] == depth)
            for parent, number, change, interval in entry[2]:
                before = next((bits for d, bits, _ in self.found[parent] if d == depth - 1), 0)
                candidates = _preimage(1 << loyalty, change) & before & self.intervals[interval]
                if candidates:
                    loyalty = _lowest(candidates)
                    state_id = parent
                    picks.append(number)
                    break
            else:  # pragma: no cover - the layers always hold a parent
                raise AssertionError("broken breadth-first layers")
            depth -= 1
        return picks[::-1]

    # endings ------------------------------------------------------------------------------------
    def settled(self, key: Key) -> int:
        """The loyalty change the settlement makes to a finished state."""
        counters = dict(key[_COUNTERS])
        return sum(rule.loyalty * counters.get(rule.per, 0) for rule in self.rulebook.settlement)

    def outcomes(self, key: Key) -> list[tuple[Outcome, int]]:
        """For a finished state: each outcome it can end in, with the final loyalties
        (settlement applied) that give it, best outcome first."""
        projection = self._outcome_projection(key)
        cached = self._outcomes.get(projection)
        if cached is not None:
            return cached
        masks: dict[str, int] = {}
        ladder = self.rulebook.outcomes
        for mask in self.intervals:
            loyalty = _lowest(mask)
            outcome = self.rulebook.rung(self.rules.context(self.state_of(key, loyalty)))
            masks[outcome.id] = masks.get(outcome.id, 0) | mask
        result = [(o, masks[o.id]) for o in ladder if o.id in masks]
        self._outcomes[projection] = result
        return result

    def _outcome_projection(self, key: Key) -> tuple:
        """The parts of a finished state that outcome rungs can read (settlement counters included)."""
        if self._outcome_whole_key:
            return key
        counters = tuple(item for item in key[_COUNTERS] if item[0] in self._outcome_counters) if self._outcome_counters else ()
        return (key[_MOOD] if self._outcome_mood else None, key[_WALKED], counters)

    def terminal_values(self, key: Key, bits: int) -> Iterator[tuple[Outcome, int, int]]:
        """(outcome, final loyalties, arriving loyalties) for a finished state reached with ``bits``."""
        change = self.settled(key)
        final = _shift(bits, change) if change else bits
        for outcome, mask in self.outcomes(key):
            hit = final & mask
            if hit:
                yield outcome, hit, bits & _preimage(hit, change)

    def best(self, state: State) -> Value | None:
        """The best ending value reachable from an engine state (None if no ending is)."""
        key, bits = self.canonical(state)
        state_id = self._intern(key)
        if state_id is None:
            return None
        memo = (state_id, bits)
        if memo in self._best_cache:
            return self._best_cache[memo]
        reached: dict[int, int] = {state_id: bits}
        work = [state_id]
        pending = {state_id: bits}
        while work:
            current = work.pop()
            new = pending.pop(current)
            for _, _, _, _, target, arriving in self.moves(current, new):
                fresh = arriving & ~reached.get(target, 0)
                if fresh:
                    reached[target] = reached.get(target, 0) | fresh
                    if target in pending:
                        pending[target] |= fresh
                    else:
                        pending[target] = fresh
                        work.append(target)
        ranks = {o.id: self.rulebook.outcome_rank(o.id) for o in self.rulebook.outcomes}
        best: Value | None = None
        for target, bits in reached.items():
            key = self.keys[target]
            if not key[_FINISHED]:
                continue
            for outcome, final, _ in self.terminal_values(key, bits):
                value = Value(ranks[outcome.id], _highest(final), key[_MOOD])
                if best is None or value.key() > best.key():
                    best = value
        self._best_cache[memo] = best
        return best

    def can_finish(self) -> list[int]:
        """For each state id, the loyalties from which some play reaches an ending or stops."""
        count = len(self.intervals)
        sources: dict[int, list[tuple[int, int, int]]] = {}
        for memo, steps in self._steps.items():
            state_id, interval = divmod(memo, count)
            for _, _, change, result in steps:
                sources.setdefault(result, []).append((state_id, self.intervals[interval], change))
        reverse: dict[int, list[tuple[int, int, int, int]]] = {}
        for memo, (_, target) in self._landings.items():
            result, after_interval = divmod(memo, count)
            after_mask = self.intervals[after_interval]
            entries = reverse.setdefault(target, [])
            for state_id, mask, change in sources.get(result, ()):
                entries.append((state_id, mask, change, after_mask))
        able = [0] * len(self.keys)
        work = []
        for state_id, key in enumerate(self.keys):
            bits = self.seen[state_id] if key[_FINISHED] else self.stuck.get(state_id, 0)
            if bits:
                able[state_id] = bits
                work.append(state_id)
        while work:
            target = work.pop()
            for source, mask, change, after_mask in reverse.get(target, ()):
                gained = _preimage(able[target] & after_mask, change) & mask & self.seen[source] & ~able[source]
                if gained:
                    able[source] |= gained
                    work.append(source)
        return able


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EndingReport:
    """An ending (or a walk-out) reached with one outcome: mood range on arrival and a shortest route."""

    ending: str
    outcome: str
    mood_min: int
    mood_max: int
    picks: tuple[int, ...]
    walked_out: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "ending": self.ending,
            "outcome": self.outcome,
            "walked_out": self.walked_out,
            "mood": {"min": self.mood_min, "max": self.mood_max},
            "picks": list(self.picks),
        }


@dataclass(frozen=True)
class Route:
    """One play-through that reaches an outcome: its picks and how it ends."""

    outcome: str
    ending: str
    picks: tuple[int, ...]
    mood: int
    loyalty: int
    """Final loyalty, settlement included."""

    def to_json(self) -> dict[str, object]:
        return {"outcome": self.outcome, "ending": self.ending, "picks": list(self.picks), "mood": self.mood, "loyalty": self.loyalty}


@dataclass(frozen=True)
class Stop:
    """A place where some play gets stuck, with a shortest pick sequence that gets there."""

    node: str
    reason: str
    picks: tuple[int, ...]

    def to_json(self) -> dict[str, object]:
        return {"node": self.node, "reason": self.reason, "picks": list(self.picks)}


@dataclass(frozen=True)
class UntakenBranch:
    """A conditional branch of a reply's ``next`` that no play takes: its condition never
    holds when the reply is given (or the customer always walks out first)."""

    node: str
    reply: int
    """The reply's number among all of the node's replies, from 1."""
    branch: int
    """The branch's number in the ``next`` list, from 1."""
    goto: str
    condition: str | None

    def to_json(self) -> dict[str, object]:
        return {"node": self.node, "reply": self.reply, "branch": self.branch, "goto": self.goto, "if": self.condition}


@dataclass(frozen=True)
class MarkedTop:
    """A play that reaches the top rung although it used a reply the articles warn against."""

    ending: str
    picks: tuple[int, ...]

    def to_json(self) -> dict[str, object]:
        return {"ending": self.ending, "picks": list(self.picks)}


@dataclass(frozen=True)
class Contradiction:
    """A play that ends at an ending whose words do not fit the outcome it lands on."""

    ending: str
    outcome: str
    fits: tuple[str, ...]
    picks: tuple[int, ...]

    def to_json(self) -> dict[str, object]:
        return {"ending": self.ending, "outcome": self.outcome, "fits": list(self.fits), "picks": list(self.picks)}


@dataclass
class LessonAudit:
    """Does every play teach what the articles teach? Checked over every reachable state."""

    top_outcome: str
    marked_tops: list[MarkedTop] = field(default_factory=list)
    """Plays reaching the top rung with a warned-against reply (one per ending, shortest)."""
    clean_top: tuple[int, ...] | None = None
    """A shortest play reaching the top rung with no warned-against reply, or None."""
    contradictions: list[Contradiction] = field(default_factory=list)
    undeclared_endings: list[str] = field(default_factory=list)
    """Endings some play reaches that do not say which outcomes their words fit (a note:
    such an ending cannot be checked)."""
    unread_flags: list[tuple[str, Location]] = field(default_factory=list)
    """Flags the story sets that no condition reads, with the first place each is set."""

    @property
    def problems(self) -> int:
        return (
            len(self.marked_tops)
            + (1 if self.clean_top is None else 0)
            + len(self.contradictions)
            + len(self.unread_flags)
        )

    def to_json(self) -> dict[str, object]:
        return {
            "top_outcome": self.top_outcome,
            "top_with_warned_replies": [m.to_json() for m in self.marked_tops],
            "top_without_warned_replies": list(self.clean_top) if self.clean_top is not None else None,
            "contradicted_endings": [c.to_json() for c in self.contradictions],
            "endings_without_outcomes": list(self.undeclared_endings),
            "unread_flags": [
                {"flag": flag, "path": where.path, "line": where.line, "column": where.column} for flag, where in self.unread_flags
            ],
        }


@dataclass
class StoryAnalysis:
    """Everything ``roleplay analyze`` reports about a story."""

    story: Story
    states: int
    complete: bool
    endings: list[EndingReport] = field(default_factory=list)
    best: Route | None = None
    worst: Route | None = None
    unreached_nodes: list[str] = field(default_factory=list)
    """Nodes other than endings that no play reaches (endings are in ``unreached_endings``)."""
    unreached_endings: list[str] = field(default_factory=list)
    never_offered: list[tuple[str, int]] = field(default_factory=list)
    """(node id, reply number among all the node's replies, from 1)"""
    never_taken: list[UntakenBranch] = field(default_factory=list)
    no_way_out: list[Stop] = field(default_factory=list)
    """Places where some play enters a loop that can never reach an ending."""
    dead_ends: list[Stop] = field(default_factory=list)
    """Places where a play stops without reaching an ending."""
    incomplete_reasons: list[str] = field(default_factory=list)
    audit: LessonAudit | None = None

    @property
    def outcomes(self) -> list[str]:
        """The outcomes some play reaches, best first."""
        seen: list[str] = []
        for ending in self.endings:
            if ending.outcome not in seen:
                seen.append(ending.outcome)
        return seen

    @property
    def good_outcome(self) -> bool:
        """True when some play ends with the customer staying (see :data:`GOOD_OUTCOMES`)."""
        return any(outcome in GOOD_OUTCOMES for outcome in self.outcomes)

    @property
    def problems(self) -> int:
        """How many things ``--strict`` counts against the story."""
        return (
            len(self.unreached_nodes)
            + len(self.unreached_endings)
            + len(self.never_offered)
            + len(self.never_taken)
            + len(self.no_way_out)
            + len(self.dead_ends)
            + (0 if self.complete else 1)
            + (self.audit.problems if self.audit is not None else 0)
        )


def analyze(story: Story, rulebook: Rulebook | None = None, limit: int = DEFAULT_STATE_LIMIT) -> StoryAnalysis:
    """Explore every way through ``story`` and report what a writer needs to know."""
    with gc_paused():
        return _analyze(story, rulebook, limit)


def _analyze(story: Story, rulebook: Rulebook | None, limit: int) -> StoryAnalysis:
    space = StateSpace(story, rulebook, limit)
    space.explore()
    report = StoryAnalysis(story, space.states, space.complete, incomplete_reasons=list(space.incomplete_reasons))
    nodes = story.nodes
    ladder = [o.id for o in space.rulebook.outcomes]

    # Endings: group finished states by (ending, outcome); the shortest route of each group.
    top = space.rulebook.top_outcome.id
    marks = set(space.rulebook.mark_counters)
    marked: dict[str, tuple[int, int, int]] = {}
    clean: tuple[int, int, int] | None = None
    contradicted: dict[tuple[str, str], tuple[int, int, int]] = {}
    groups: dict[tuple[str, str], dict] = {}
    dead: dict[str, tuple[tuple[int, int, int], str]] = {}
    for state_id, key in enumerate(space.keys):
        if not key[_FINISHED]:
            continue
        node = nodes.get(key[_NODE])
        walked_out = key[_WALKED]
        if node is not None and node.end:
            ending = node.id
        elif walked_out:
            ending = WALKED_OUT
        else:
            ending = DEAD_END
        for outcome, final, arriving in space.terminal_values(key, space.seen[state_id]):
            group = groups.setdefault((ending, outcome.id), {"moods": [], "first": None, "walked_out": walked_out})
            group["moods"].append(key[_MOOD])
            depth, loyalty = space.first_reached(state_id, arriving)  # type: ignore[misc]
            final_loyalty = _shift(1 << loyalty, space.settled(key)).bit_length() - 1
            candidate = (depth, state_id, loyalty, final_loyalty)
            if group["first"] is None or candidate[:2] < group["first"][:2]:
                group["first"] = candidate
            first = (depth, state_id, loyalty)
            if outcome.id == top:
                if any(name in marks for name, _ in key[_COUNTERS]):
                    if ending not in marked or first < marked[ending]:
                        marked[ending] = first
                elif clean is None or first < clean:
                    clean = first
            if node is not None and node.end and node.outcomes and outcome.id not in node.outcomes:
                if (ending, outcome.id) not in contradicted or first < contradicted[(ending, outcome.id)]:
                    contradicted[(ending, outcome.id)] = first
            if ending == DEAD_END:
                reason = _dead_end_reason(node)
                if key[_NODE] not in dead or (depth, state_id, loyalty) < dead[key[_NODE]][0]:
                    dead[key[_NODE]] = ((depth, state_id, loyalty), reason)
    routes: list[tuple[str, str, tuple[int, int, int, int], int]] = []
    for (ending, outcome), group in sorted(groups.items(), key=lambda item: (ladder.index(item[0][1]), item[0][0])):
        depth, state_id, loyalty, final_loyalty = group["first"]
        picks = tuple(space.picks_to(state_id, loyalty))
        report.endings.append(
            EndingReport(ending, outcome, min(group["moods"]), max(group["moods"]), picks, group["walked_out"])
        )
        routes.append((outcome, ending, group["first"], space.keys[state_id][_MOOD]))
    if routes:
        for pick_best, attribute in ((True, "best"), (False, "worst")):
            rank = min if pick_best else max
            target = rank(ladder.index(outcome) for outcome, *_ in routes)
            chosen = min((r for r in routes if ladder.index(r[0]) == target), key=lambda r: r[2][:2])
            outcome, ending, (depth, state_id, loyalty, final_loyalty), mood = chosen
            setattr(report, attribute, Route(outcome, ending, tuple(space.picks_to(state_id, loyalty)), mood, final_loyalty))

    # Stuck plays: no reply on offer, or no branch that holds.
    for state_id, bits in space.stuck.items():
        node_id = space.keys[state_id][_NODE]
        depth, loyalty = space.first_reached(state_id, bits)  # type: ignore[misc]
        if node_id not in dead or (depth, state_id, loyalty) < dead[node_id][0]:
            dead[node_id] = ((depth, state_id, loyalty), "no reply is on offer here: the 'if' of every reply is false")
    for node_id in sorted(dead, key=lambda n: dead[n][0]):
        (_, state_id, loyalty), reason = dead[node_id]
        report.dead_ends.append(Stop(node_id, reason, tuple(space.picks_to(state_id, loyalty))))

    # Loops with no way out.
    able = space.can_finish()
    trapped: dict[str, tuple[int, int, int]] = {}
    for state_id, key in enumerate(space.keys):
        caught = space.seen[state_id] & ~able[state_id]
        if caught and not key[_FINISHED]:
            depth, loyalty = space.first_reached(state_id, caught)  # type: ignore[misc]
            if key[_NODE] not in trapped or (depth, state_id) < trapped[key[_NODE]][:2]:
                trapped[key[_NODE]] = (depth, state_id, loyalty)
    for node_id in sorted(trapped, key=lambda n: trapped[n]):
        _, state_id, loyalty = trapped[node_id]
        report.no_way_out.append(
            Stop(node_id, "from here every play goes round without reaching an ending", tuple(space.picks_to(state_id, loyalty)))
        )

    reached_nodes = {key[_NODE] for key in space.keys}
    report.unreached_nodes = [node_id for node_id, node in nodes.items() if node_id not in reached_nodes and not node.end]
    reached_endings = {e.ending for e in report.endings}
    report.unreached_endings = [n.id for n in story.endings if n.id not in reached_endings]
    for node in nodes.values():
        if node.id not in reached_nodes:
            continue
        for choice in node.choices:
            if (node.id, choice.index) not in space.offered:
                report.never_offered.append((node.id, choice.index + 1))
                continue
            for index, branch in enumerate(choice.branches):
                if branch.condition is not None and (node.id, choice.index, index) not in space.taken:
                    condition = branch.condition.text if branch.condition is not None else None
                    report.never_taken.append(UntakenBranch(node.id, choice.index + 1, index + 1, branch.goto, condition))

    audit = LessonAudit(top)
    audit.marked_tops = [MarkedTop(ending, tuple(space.picks_to(f[1], f[2]))) for ending, f in sorted(marked.items(), key=lambda i: i[1])]
    audit.clean_top = tuple(space.picks_to(clean[1], clean[2])) if clean is not None else None
    audit.contradictions = [
        Contradiction(ending, outcome, nodes[ending].outcomes, tuple(space.picks_to(f[1], f[2])))
        for (ending, outcome), f in sorted(contradicted.items(), key=lambda i: i[1])
    ]
    audit.undeclared_endings = [n.id for n in story.endings if n.id in reached_endings and not n.outcomes]
    audit.unread_flags = _unread_flags(story, space.tested_flags)
    report.audit = audit
    return report


def _unread_flags(story: Story, tested: frozenset[str]) -> list[tuple[str, Location]]:
    """Flags the story sets that no condition (the story's or the rulebook's) ever reads."""
    found: dict[str, Location] = {}
    for node in story.nodes.values():
        for flag in node.sets:
            found.setdefault(flag, node.location)
        for choice in node.choices:
            for flag in choice.sets:
                found.setdefault(flag, choice.location)
    return [(flag, where) for flag, where in found.items() if flag not in tested]


def _dead_end_reason(node: Node | None) -> str:
    if node is not None and not node.choices:
        return "the conversation stops here: the node has no replies and is not an ending"
    return "the conversation stops here: no branch of the reply's 'next' holds"


# --- the turning point of a finished session ------------------------------------------------


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


def turning_point(session: Session, space: StateSpace | None = None) -> TurningPoint | None:
    """The turn where another reply on offer would have kept a better outcome within reach
    than the reply given (the biggest gain; the earliest on a tie). None when no reply at
    any turn would have: the play reached the best outcome the story allows from its start."""
    if not session.turns:
        return None
    if space is None:
        space = StateSpace(session.story, session.rulebook)
    rules = space.rules
    candidates = []
    for position, (before, result) in enumerate(session.history, start=1):
        options = []
        for number, choice in enumerate(rules.offered(before), start=1):
            after, _ = rules.apply(before, choice, number)
            value = space.best(after)
            if value is not None:
                options.append((number, choice, value))
        chosen = next((o for o in options if o[0] == result.number), None)
        if chosen is None:
            continue
        for number, choice, value in options:
            gain = value.rank - chosen[2].rank
            if number != result.number and gain > 0:
                candidates.append((gain, value.loyalty - chosen[2].loyalty, -position, result, number, choice, value, chosen[2]))
    if not candidates:
        return None
    _, _, minus_position, result, number, choice, value, chosen_value = max(candidates, key=lambda c: c[:3])
    ladder = list(reversed([o.id for o in rules.rulebook.outcomes]))
    return TurningPoint(
        turn=-minus_position,
        node=result.node,
        chosen_number=result.number,
        chosen_best=ladder[chosen_value.rank],
        alternative_number=number,
        alternative_reply=choice.reply,
        alternative_best=ladder[value.rank],
    )
