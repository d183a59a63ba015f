"""The reachable states of a story, explored a whole (mood, loyalty) plane at a time.

A conversation's state is (node, mood, loyalty, turn, flags, tactic counts,
counters, walked out, finished). The exploration splits it in two:

- a **class**: everything but mood and loyalty, keeping only what some
  condition or rule can tell apart. Counts of tactics, the turn and counters
  that only ever grow are capped just above the largest constant any condition
  compares them with (and, for counters the settlement reads, where the
  settlement already takes all loyalty away); flags no condition tests are
  dropped (see :mod:`~roleplay.writing.analysis.quantities`);
- the **plane**: the set of (mood, loyalty) pairs the class is reached with,
  as the bits of one integer (see :mod:`roleplay.writing.analysis.plane`).
  Counters that nothing reads before the conversation ends (in the bundled
  rulebook, the count of reckless promises, which only the settlement reads)
  are not part of the class but extra rows of its integer, one per value
  (:class:`~roleplay.writing.analysis.plane.Layers`): one operation moves the
  pairs at all their values, and a reply that changes such a counter moves rows.

Every condition's answer, for a given class, depends on mood and loyalty only
through the constants it compares them with, so it is worked out once per
class as a region of the plane. A reply then moves a whole region at once:
shift by its change to mood and loyalty (clamped as the engine clamps), split
by where the walk-out test and each branch hold, and land in the next class.
The exploration itself, in the order of the strongly connected parts of the
classes' graph, is in :mod:`~roleplay.writing.analysis.exploring`.

Shortest pick sequences come afterwards, from an A* search (as short as a
breadth-first search finds, without following plays that wander away from the
items still to meet) that stops once every item of the report is met (see
:mod:`~roleplay.writing.analysis.routes`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from roleplay.parsing.conditions import Condition
from roleplay.play.engine import COUNTER_LIMIT, Rules, State
from roleplay.rules.rulebook import Outcome, Rulebook
from roleplay.story.model import Choice, Story
from roleplay.writing.analysis import plane
from roleplay.writing.analysis.budget import Budget
from roleplay.writing.analysis.exploring import Exploration
from roleplay.writing.analysis.merging import merge_used, merged_counts
from roleplay.writing.analysis.quantities import COMPARED_COUNT_CAP, choose_layers, read_quantities
from roleplay.writing.analysis.regions import (
    COUNTERS,
    FINISHED,
    FLAGS,
    NODE,
    TURN,
    USED,
    WALKED,
    Key,
    Region,
    conditions_in,
    story_conditions,
)
from roleplay.writing.analysis.routes import Checkpoint, OutcomeProjection, Routes

__all__ = ["COMPARED_COUNT_CAP", "DEAD_END_BRANCH", "WALKOUT_BRANCH", "Move", "Plan", "StateSpace"]

WALKOUT_BRANCH = -1
DEAD_END_BRANCH = -2


@dataclass(frozen=True, slots=True)
class Plan:
    """What giving one reply does, worked out once from the rulebook."""

    number: int
    node: str
    choice: Choice
    offer: Region | None
    mood: int
    loyalty: int
    modifiers: tuple[tuple[Region, int, int], ...]
    branches: tuple[tuple[int, str, Region | None], ...]
    reply: frozenset[str]
    counted: tuple[str, ...]
    counter_changes: tuple[tuple[str, int], ...]
    """Changes to every tracked counter (as an engine state holds them)."""
    history_changes: tuple[tuple[str, int], ...]
    """Changes to the counters kept in the history (not in layers)."""
    layer_changes: tuple[tuple[int, int], ...]
    """(counter's place in :class:`~plane.Layers`, change) for the counters kept in layers."""
    sets: frozenset[str]
    clears: frozenset[str]


@dataclass(frozen=True, slots=True)
class Move:
    """One reply from one class, over the part of the plane where it has one number and one effect."""

    region: int
    """Pairs (before the reply) where the reply is on offer under this number with this effect."""
    number: int
    """The reply's number as the player sees it there."""
    plan: Plan
    mood: int
    loyalty: int
    changes: tuple[tuple[int, int], ...]
    """Changes to the counters kept in layers (see :class:`~plane.Layers`)."""
    landings: tuple[tuple[int, int, int], ...]
    """(pairs after the reply, branch index or WALKOUT_BRANCH / DEAD_END_BRANCH, next class id)."""
    routes: tuple[tuple[int, int, int], ...]
    """The landings with the last one's pairs :attr:`StateSpace.full`, standing for all that the
    others leave (the exploration takes those away as it goes)."""
    offer: tuple[str, int]
    """(node id, choice index), as ``offered`` records it."""
    taken: tuple[tuple[str, int, int], ...]
    """(node id, choice index, branch index) for each branch, as ``taken`` records it."""


class StateSpace(Exploration, Routes):
    """The reachable states of a story, how each reply moves between them, and what each can still reach."""

    def __init__(
        self,
        story: Story,
        rulebook: Rulebook | None = None,
        budget: Budget | None = None,
        extra_conditions: tuple[Condition, ...] = (),
    ) -> None:
        self.rules = Rules(story, rulebook)
        self.story = story
        self.rulebook = self.rules.rulebook
        self.budget = budget or Budget.unlimited()
        self.traits = self.rules.traits
        story_tests = story_conditions(story)
        self.rule_conditions = conditions_in(self.rulebook)
        conditions = story_tests + self.rule_conditions + list(extra_conditions)
        quantities = read_quantities(conditions, self.rulebook)
        self.tested_flags = quantities.tested_flags
        self.count_caps = quantities.count_caps
        """Tactic -> the count above which no condition can tell counts apart."""
        self.turn_cap = quantities.turn_cap
        self.counter_caps = quantities.counter_caps
        """Counter -> the value above which nothing can tell values apart (0: not tracked)."""
        self.layered, caps = choose_layers(story, self.rulebook, story_tests + list(extra_conditions), self.counter_caps)
        """The counters kept in layers, in the order of :attr:`layers`'s caps."""
        self.layers = plane.Layers(caps)
        self.full = self.layers.full
        """Every pair at every value of the layered counters."""
        self.count_aliases = merged_counts(
            (Region(c, self.traits) for c in conditions), self.count_caps, self.counter_caps, self.turn_cap
        )
        """Tactic -> the tactic whose count stands for it (see :mod:`~roleplay.writing.analysis.merging`)."""
        self._regions: dict[int, Region] = {}
        modifiers: dict[str, list[tuple[Region, int, int]]] = {}
        for modifier in self.rulebook.modifiers:
            modifiers.setdefault(modifier.tactic, []).append((self.region(modifier.when), modifier.mood, modifier.loyalty))
        self._modifiers = modifiers
        self.plans: dict[str, tuple[Plan, ...]] = {}
        number = 0
        for node in story.nodes.values():
            plans = []
            for choice in node.choices:
                plans.append(self._plan(number, node.id, choice))
                number += 1
            self.plans[node.id] = tuple(plans)
        self._arrivals = {
            node.id: (frozenset(node.sets) & self.tested_flags, frozenset(node.clears), node.end or not node.choices)
            for node in story.nodes.values()
        }
        self._walkout = self.region(self.rulebook.walkout.when)
        self._read_outcome_conditions()
        self.keys: list[Key] = []
        """Explored classes by id."""
        self.ids: dict[Key, int] = {}
        self.seen: list[int] = []
        """For each class id, the (layer, mood, loyalty) it is reached with (see :class:`~plane.Layers`)."""
        self.checkpoints: list[Checkpoint] = []
        """For each band of :data:`~routes.BAND` depths the last :meth:`find_routes` searched, the
        pairs it first reached in the band and at its first depth (only pairs it had to take:
        see there)."""
        self._before: dict[int, set[int]] | None = None
        """Class id -> the classes with a reply leading to it."""
        self._moves: dict[int, tuple[Move, ...]] = {}
        self._loops: dict[int, list[tuple[Move, int]]] = {}
        """Class id -> (move, pairs after it) for each reply that can lead back into the class."""
        self._masks: dict[int, int] = {plane.FULL: self.full}
        """Plane mask -> the same pairs at every layer, one integer for each distinct mask."""
        self._results: dict[tuple[Key, int], tuple[tuple[int, int, int], ...]] = {}
        self.stuck: dict[int, int] = {}
        """Class id -> pairs at which no reply is on offer."""
        self.offered: set[tuple[str, int]] = set()
        self.taken: set[tuple[str, int, int]] = set()
        self.depth = 0
        self.explored = False
        self.complete = False
        self.incomplete_reasons: list[str] = []
        self._outcome_memo: dict[OutcomeProjection, tuple[tuple[Outcome, int], ...]] = {}
        self._reverse: dict[int, list[tuple[int, Move, int]]] | None = None
        self._best_memo: dict[tuple[int, int], tuple[int, int, int] | None] = {}
        self._silent: dict[int, int] = {}
        self.routes_stopped: str | None = None
        """Why the last :meth:`find_routes` stopped before every goal had its route, or None."""
        self._visits = 0
        self.shifts = 0
        """How many sets of pairs :meth:`arrivals` has moved (the route search's measure of its work)."""
        self._rounds: dict[int, int] = {}
        """Class id -> how many times it waited in the exploration's queue."""
        self._places: dict[int, int] = {}
        """Class id -> its place in the order inside a strongly connected part (see :meth:`explore`)."""
        self.ranks: dict[int, int] = {}
        """Class id -> its place in the order of the class graph's strongly connected parts."""

    # setting up --------------------------------------------------------------------------------
    def region(self, condition: Condition) -> Region:
        found = self._regions.get(id(condition))
        if found is None:
            found = self._regions[id(condition)] = Region(condition, self.traits, self.count_aliases)
        return found

    def _plan(self, number: int, node: str, choice: Choice) -> Plan:
        rulebook = self.rulebook
        mood = loyalty = 0
        modifiers: list[tuple[Region, int, int]] = []
        changes: dict[str, int] = {}
        for name in choice.tactics:
            tactic = rulebook.tactics[name]
            mood += tactic.mood
            loyalty += tactic.loyalty
            modifiers.extend(self._modifiers.get(name, ()))
            for counter, change in tactic.counters.items():
                changes[counter] = changes.get(counter, 0) + change
        return Plan(
            number=number,
            node=node,
            choice=choice,
            offer=self.region(choice.condition) if choice.condition is not None else None,
            mood=mood,
            loyalty=loyalty,
            modifiers=tuple(modifiers),
            branches=tuple(
                (index, branch.goto, self.region(branch.condition) if branch.condition is not None else None)
                for index, branch in enumerate(choice.branches)
            ),
            reply=frozenset(choice.tactics),
            counted=tuple(dict.fromkeys(self.count_aliases.get(n, n) for n in choice.tactics if n in self.count_caps)),
            counter_changes=tuple((name, change) for name, change in changes.items() if self.counter_caps.get(name)),
            history_changes=tuple(
                (name, change) for name, change in changes.items() if self.counter_caps.get(name) and name not in self.layered
            ),
            layer_changes=tuple(
                (self.layered.index(name), change) for name, change in changes.items() if name in self.layered and change
            ),
            sets=frozenset(choice.sets) & self.tested_flags,
            clears=frozenset(choice.clears),
        )

    # classes ------------------------------------------------------------------------------------
    def canonical(self, state: State) -> tuple[Key, int]:
        """The explored form of an engine state: its class and its (mood, loyalty) as a one-pair set."""
        caps, counter_caps = self.count_caps, self.counter_caps
        key = (
            state.node,
            min(state.turn, self.turn_cap),
            state.flags & self.tested_flags,
            merge_used(((name, min(times, caps[name])) for name, times in state.used if name in caps), self.count_aliases),
            tuple((name, min(value, counter_caps[name])) for name, value in state.counters if counter_caps.get(name)),
            state.walked_out,
            state.finished,
        )
        return key, plane.point(state.mood, state.loyalty)

    def in_layers(self, key: Key, bits: int) -> tuple[Key, int]:
        """A class and pairs (as :meth:`canonical` gives them) in the explored form: the layered
        counters taken out of the class and put into the layer of the pairs."""
        if not self.layered:
            return key, bits
        counters = dict(key[COUNTERS])
        layer = self.layers.layer(tuple(counters.get(name, 0) for name in self.layered))
        mood, loyalty = plane.lowest(bits)
        return self.history(key), self.layers.point(layer, mood, loyalty)

    def history(self, key: Key) -> Key:
        """``key`` without the layered counters."""
        counters = tuple(item for item in key[COUNTERS] if item[0] not in self.layered)
        return (key[NODE], key[TURN], key[FLAGS], key[USED], counters, key[WALKED], key[FINISHED])

    def full_key(self, key: Key, layer: int) -> Key:
        """An explored class with the layered counters' values of ``layer`` put back."""
        if not self.layered:
            return key
        counters = dict(key[COUNTERS])
        for name, value in zip(self.layered, self.layers.values(layer), strict=True):
            if value:
                counters[name] = value
        return (key[NODE], key[TURN], key[FLAGS], key[USED], tuple(sorted(counters.items())), key[WALKED], key[FINISHED])

    def pieces(self, class_id: int, bits: int | None = None) -> Iterator[tuple[Key, int, int]]:
        """(class with the layered counters, layer, pairs in that layer) for each layer of a
        class's pairs (by default those it is reached with) that holds any."""
        key = self.keys[class_id]
        if bits is None:
            bits = self.seen[class_id]
        if not self.layered:
            if bits:
                yield key, 0, bits
            return
        for layer in self.layers.layers_in(bits):
            yield self.full_key(key, layer), layer, bits & self.layers.in_layer(layer)

    def histories(self) -> dict[Key, int]:
        """Every class reached, with the layered counters, and the pairs (a plane) it is reached with."""
        return {
            full: self.layers.extract(part, layer)
            for class_id, bits in enumerate(self.seen)
            if bits
            for full, layer, part in self.pieces(class_id, bits)
        }

    def state_of(self, key: Key, mood: int, loyalty: int) -> State:
        """An engine state in class ``key`` at (mood, loyalty), for the engine's own rules."""
        node, turn, flags, used, counters, walked_out, finished = key
        return State(node, mood, loyalty, turn, flags, used, counters, walked_out, finished)

    def intern(self, key: Key) -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.keys)
            self.keys.append(key)
            self.seen.append(0)
        return found

    @property
    def start(self) -> tuple[Key, int]:
        return self.canonical(self.rules.initial_state())

    # one reply ----------------------------------------------------------------------------------
    def moves(self, class_id: int) -> tuple[Move, ...]:
        """Every reply from a class, split into parts of the plane with one number and one effect."""
        found = self._moves.get(class_id)
        if found is not None:
            return found
        key = self.keys[class_id]
        moves: list[Move] = []
        plans = () if key[FINISHED] else self.plans.get(key[NODE], ())
        full = self.full
        earlier = [(plane.FULL, 0)]
        """Parts of the plane with how many earlier replies are on offer there. Worked out on
        one plane (nothing these conditions read is in the layers: see :meth:`_choose_layers`),
        then spread to every layer."""
        for plan in plans:
            offer = plan.offer.of(key) if plan.offer is not None else plane.FULL
            if not offer:
                continue
            after = self._after(key, plan, history=True)
            split = []
            for mask, count in earlier:
                inside = mask & offer
                if inside:
                    landings = self._landings(after, plan)
                    routes = (*landings[:-1], (full, *landings[-1][1:]))
                    offered_as = (plan.node, plan.choice.index)
                    taken = tuple((plan.node, plan.choice.index, index) for index in range(len(plan.branches)))
                    for part, mood, loyalty in self._effects(key, plan, inside):
                        region = self._shared(part)
                        moves.append(
                            Move(region, count + 1, plan, mood, loyalty, plan.layer_changes, landings, routes, offered_as, taken)
                        )
                    split.append((inside, count + 1))
                outside = mask & ~offer
                if outside:
                    split.append((outside, count))
            earlier = split
        found = tuple(moves)
        self._moves[class_id] = found
        loops = [(move, mask) for move in found for mask, _, target in move.landings if target == class_id]
        if loops:
            self._loops[class_id] = loops
        self._silent[class_id] = 0
        for mask, count in earlier:
            if count == 0 and not key[FINISHED]:
                self._silent[class_id] = self._shared(mask)
        return found

    def _shared(self, mask: int) -> int:
        """A plane mask at every layer, as the one integer kept for every equal mask (few
        differ, and each is large)."""
        found = self._masks.get(mask)
        if found is None:
            found = self._masks[mask] = self.layers.embed(mask)
        return found

    def forget_moves(self) -> None:
        """Drop the worked-out replies of every class (they are worked out again when needed)."""
        self._moves.clear()
        self._results.clear()
        self._silent.clear()
        self._loops.clear()

    def _effects(self, key: Key, plan: Plan, region: int) -> list[tuple[int, int, int]]:
        parts = [(region, plan.mood, plan.loyalty)]
        for modifier, mood, loyalty in plan.modifiers:
            holds = modifier.of(key, plan.reply)
            if not holds:
                continue
            split = []
            for part, part_mood, part_loyalty in parts:
                inside = part & holds
                if inside:
                    split.append((inside, part_mood + mood, part_loyalty + loyalty))
                if part & ~holds:
                    split.append((part & ~holds, part_mood, part_loyalty))
            parts = split
        return parts

    def _after(self, key: Key, plan: Plan, history: bool = False) -> Key:
        """The class after ``plan``'s reply, before its branch is taken (``history``: an
        explored class, whose layered counters change in its planes instead)."""
        used = key[USED]
        if plan.counted:
            caps = self.count_caps
            bumped = dict(used)
            for name in plan.counted:
                bumped[name] = min(bumped.get(name, 0) + 1, caps[name])
            used = tuple(sorted(bumped.items()))
        counters = key[COUNTERS]
        changes = plan.history_changes if history else plan.counter_changes
        if changes:
            merged = dict(counters)
            caps = self.counter_caps
            for name, change in changes:
                value = merged.get(name, 0) + change
                merged[name] = 0 if value < 0 else min(value, COUNTER_LIMIT, caps[name])
            counters = tuple(sorted((name, value) for name, value in merged.items() if value))
        flags = key[FLAGS]
        if plan.sets or plan.clears:
            flags = (flags | plan.sets) - plan.clears
        return (key[NODE], min(key[TURN] + 1, self.turn_cap), flags, used, counters, False, False)

    def _landings(self, after: Key, plan: Plan) -> tuple[tuple[int, int, int], ...]:
        memo = (after, plan.number)
        found = self._results.get(memo)
        if found is not None:
            return found
        landings = []
        walked = self._walkout.of(after)
        if walked:
            landings.append((walked, WALKOUT_BRANCH, self.intern(self._arrive(after, self.story.walkout, True))))
        remaining = plane.FULL & ~walked
        for index, goto, test in plan.branches:
            if not remaining:
                break
            holds = test.of(after) if test is not None else plane.FULL
            taken = remaining & holds
            if taken:
                landings.append((taken, index, self.intern(self._arrive(after, goto, False))))
                remaining &= ~holds
        if remaining:
            landings.append((remaining, DEAD_END_BRANCH, self.intern(self._arrive(after, None, False))))
        found = self._results[memo] = tuple((self._shared(mask), branch, target) for mask, branch, target in landings)
        return found

    def _arrive(self, after: Key, node_id: str | None, walked_out: bool) -> Key:
        node, turn, flags, used, counters, _, _ = after
        finished = walked_out or node_id is None
        if node_id is not None:
            sets, clears, ends = self._arrivals[node_id]
            if sets or clears:
                flags = (flags | sets) - clears
            node = node_id
            finished = finished or ends
        return (node, turn, flags, used, counters, walked_out, finished)

    def arrivals(self, class_id: int, bits: int, wanted: dict[int, int] | None = None) -> Iterator[tuple[int, int]]:
        """(next class id, pairs arriving) for every move from a class reached with ``bits``, by
        the moves' :attr:`~Move.routes` (each landing takes what the ones before it leave).
        With ``wanted`` (class id -> pairs), a move none of whose landings leads to a class
        with pairs there is not worked out (what it would give is not wanted)."""
        shift, full = self.layers.shift, self.full
        for move in self.moves(class_id):
            if wanted is not None and not any(wanted.get(target) for _, _, target in move.routes):
                continue
            part = bits if move.region is full else bits & move.region
            if not part:
                continue
            moved = shift(part, move.mood, move.loyalty, move.changes)
            self.shifts += 1
            for mask, _, target in move.routes:
                if mask is full:
                    arriving = moved
                else:
                    arriving = moved & mask
                    moved ^= arriving
                if arriving:
                    yield target, arriving

    def step(self, class_id: int, bits: int) -> Iterator[tuple[Move, int, int, int]]:
        """Every move from a class reached with ``bits``: (move, branch, next class id, pairs arriving)."""
        shift = self.layers.shift
        for move in self.moves(class_id):
            part = bits & move.region
            if not part:
                continue
            moved = shift(part, move.mood, move.loyalty, move.changes)
            for mask, branch, target in move.landings:
                arriving = moved & mask
                if arriving:
                    yield move, branch, target, arriving
