"""The reachable states of a story, explored a whole (mood, loyalty) plane at a time.

A conversation's state is (node, mood, loyalty, turn, flags, tactic counts,
counters, walked out, finished). The exploration splits it in two:

- a **class**: everything but mood and loyalty, keeping only what some
  condition or rule can tell apart. Counts of tactics, the turn and counters
  that only ever grow are capped just above the largest constant any condition
  compares them with (and, for counters the settlement reads, where the
  settlement already takes all loyalty away); flags no condition tests are
  dropped;
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

Shortest pick sequences come afterwards, from an A* search (as short as a
breadth-first search finds, without following plays that wander away from the
items still to meet) that stops once every item of the report is met (see
:mod:`~roleplay.writing.analysis.routes`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass

from roleplay import i18n
from roleplay.parsing.conditions import Condition
from roleplay.play.engine import COUNTER_LIMIT, Rules, State
from roleplay.rules.rulebook import Outcome, Rulebook
from roleplay.story.model import Choice, Story
from roleplay.writing.analysis import plane
from roleplay.writing.analysis.budget import Budget, Stopped
from roleplay.writing.analysis.merging import merge_used, merged_counts

LISTING_SHARE = 0.4
"""The part of the exploration's time that listing the histories (to put them in order) may take."""

COMPARED_COUNT_CAP = 101
"""Cap for a count or the turn compared with another changing quantity (not with a constant)."""

MAX_LAYERS = 16
"""Most layers (combinations of values) kept for the counters only the end of a conversation reads."""

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
from roleplay.writing.analysis.routes import OutcomeProjection, Routes

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


class StateSpace(Routes):
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
        self._read_quantities(conditions)
        self._choose_layers(story_tests + list(extra_conditions))
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
        self.checkpoints: list[tuple[int, dict[int, int]]] = []
        """(first depth of a band, class id -> pairs first reached in the band's depths) for each
        band of :data:`~routes.BAND` depths the last :meth:`find_routes` searched (only pairs
        it had to take: see there)."""
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

    def _read_quantities(self, conditions: list[Condition]) -> None:
        constants: dict[str, set[int]] = {}
        compared: set[str] = set()
        flags: set[str] = set()
        for condition in conditions:
            for quantity, values in condition.constants.items():
                constants.setdefault(quantity, set()).update(values)
            compared |= condition.compared
            for reference in condition.references:
                if reference.kind == "flag":
                    flags.add(reference.name)
        self.tested_flags = frozenset(flags)
        caps: dict[str, int] = {}
        for quantity, compared_with in constants.items():
            if quantity.startswith("count:"):
                caps[quantity[6:]] = max(compared_with) + 1
        for quantity in compared:
            if quantity.startswith("count:"):
                caps[quantity[6:]] = COMPARED_COUNT_CAP
        self.count_caps = caps
        """Tactic -> the count above which no condition can tell counts apart."""
        self.turn_cap = COMPARED_COUNT_CAP if "turn" in compared else max(constants.get("turn", {-1})) + 1
        # Counters: exact when some tactic lowers them (a capped value would come down wrong);
        # otherwise capped above what conditions compare and where the settlement saturates.
        lowered = {name for tactic in self.rulebook.tactics.values() for name, change in tactic.counters.items() if change < 0}
        signs = {rule.loyalty > 0 for rule in self.rulebook.settlement if rule.loyalty}
        counter_caps: dict[str, int] = {}
        marks = set(self.rulebook.mark_counters)
        for name in self.rulebook.counters:
            if name in lowered or name in compared:
                counter_caps[name] = COUNTER_LIMIT
                continue
            cap = max(constants.get(name, {-1})) + 1
            for rule in self.rulebook.settlement:
                if rule.per == name and rule.loyalty:
                    saturating = -(-(plane.WIDTH - 1) // abs(rule.loyalty)) if len(signs) == 1 else COUNTER_LIMIT
                    cap = max(cap, saturating)
            if name in marks:
                cap = max(cap, 1)  # the lesson audit asks whether any warned reply was given
            counter_caps[name] = min(cap, COUNTER_LIMIT)
        self.counter_caps = counter_caps
        """Counter -> the value above which nothing can tell values apart (0: not tracked)."""

    def _choose_layers(self, story_tests: list[Condition]) -> None:
        """Keep in layers (see :class:`~plane.Layers`) the counters that nothing
        reads before the conversation ends: no condition of the story, no modifier, not the
        walk-out. Counters the lesson audit reads are left out (they pile up at their cap,
        so most of their layers would stay empty)."""
        rulebook = self.rulebook
        during = story_tests + [modifier.when for modifier in rulebook.modifiers if modifier.when is not None]
        during.append(rulebook.walkout.when)
        read = {r.name for c in during for r in c.references if r.kind == "var"}
        for condition in during:
            read |= set(condition.compared)
        marks = set(rulebook.mark_counters)
        names: list[str] = []
        caps: list[int] = []
        count = 1
        for name in rulebook.counters:
            cap = min(self.counter_caps.get(name, 0), self._most(name))
            if cap and name not in read and name not in marks and count * (cap + 1) <= MAX_LAYERS:
                names.append(name)
                caps.append(cap)
                count *= cap + 1
        self.layered = tuple(names)
        """The counters kept in layers, in the order of :attr:`layers`'s caps."""
        self.layers = plane.Layers(tuple(caps))
        self.full = self.layers.full
        """Every pair at every value of the layered counters."""

    def _most(self, counter: str) -> int:
        """The most ``counter`` can reach in one play, as far as the shape of the story tells:
        the sum of what every reply adds to it when no reply that adds to it can come round
        again (each is then given at most once), else no bound (:data:`COUNTER_LIMIT`)."""
        story, tactics = self.story, self.rulebook.tactics
        names = list(story.nodes)
        number = {name: index for index, name in enumerate(names)}
        following = {
            number[node.id]: [number[b.goto] for c in node.choices for b in c.branches if b.goto in number]
            for node in story.nodes.values()
        }
        if story.start not in number:
            return COUNTER_LIMIT
        part_of = {}
        for index, part in enumerate(strongly_connected(number[story.start], following)):
            for member in part:
                part_of[member] = (index, len(part))
        most = 0
        for node in story.nodes.values():
            here = part_of.get(number[node.id])
            for choice in node.choices:
                added = sum(tactics[name].counters.get(counter, 0) for name in choice.tactics if name in tactics)
                if added <= 0 or here is None:
                    continue
                again = any(
                    branch.goto == node.id or (here[1] > 1 and part_of.get(number.get(branch.goto, -1)) == here)
                    for branch in choice.branches
                )
                if again:
                    return COUNTER_LIMIT
                most += added
        return most

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

    # exploring ----------------------------------------------------------------------------------
    def explore(self) -> None:
        """Every reachable (class, mood, loyalty), with which replies are offered and which
        branches taken. Raises :class:`Stopped` past the budget (or KeyboardInterrupt); what
        was reached so far stays readable, and every pair in ``seen`` is really reached.

        First the classes a play might reach are listed (every reply taken as possible, so a
        few more than are reached) and put in order: each loop of classes (a strongly connected
        part of their graph) after every part that leads into it (:meth:`_rank_classes`). Then
        classes wait in a queue in that order, and each takes every pair that reached it since
        its last turn at once: a part is worked out to the end before anything after it, so a
        class is worked out as few times as the loops through it need. Inside a part, the
        classes taken fewer times go first (in rounds, so pairs pile up between turns), and
        within a round in the order a depth-first walk from the start finishes them, last
        first (so a class mostly comes after those leading into it)."""
        if self.explored:
            return
        self.explored = True
        key, bits = self.in_layers(*self.start)
        start = self.intern(key)
        self.seen[start] = bits
        try:
            self.ranks = self._rank_classes(start, self.budget.share(LISTING_SHARE))
        except Stopped as stop:
            if not stop.reason.startswith("the time budget"):
                raise
            # Too many histories to list in time: order them by their node's place in the story.
            self.ranks = _ByNode(self)
            self._places = _Itself()
        self._pending = {start: bits}
        self._queue = [(self.ranks[start], 0, 0, start)]
        self._continue()

    def _continue(self) -> None:
        seen, stuck, offered, taken = self.seen, self.stuck, self.offered, self.taken
        pending, queue, ranks, places, rounds = self._pending, self._queue, self.ranks, self._places, self._rounds
        moves_of, silent, shift, check = self.moves, self._silent, self.layers.shift, self.budget.check
        full = self.full
        push, pop = heapq.heappush, heapq.heappop
        while queue:
            self._visits += 1
            if not self._visits & 63:
                check(self)
            _, _, _, class_id = pop(queue)
            bits = pending.pop(class_id)
            moves = moves_of(class_id)
            loops = self._loops.get(class_id)
            if loops:
                bits = self._close(class_id, bits, loops)
            quiet = silent[class_id] & bits
            if quiet:
                stuck[class_id] = stuck.get(class_id, 0) | quiet
            for move in moves:
                part = bits if move.region is full else bits & move.region
                if not part:
                    continue
                offered.add(move.offer)
                moved = shift(part, move.mood, move.loyalty, move.changes)
                for mask, branch, target in move.routes:
                    if mask is full:
                        arriving = moved
                        if not arriving:
                            continue
                    else:
                        arriving = moved & mask
                        if not arriving:
                            continue
                        moved ^= arriving
                    if branch >= 0:
                        taken.add(move.taken[branch])
                    old = seen[target]
                    new = arriving ^ (arriving & old)
                    if new:
                        seen[target] = old | new
                        if target in pending:
                            pending[target] |= new
                        else:
                            pending[target] = new
                            turns = rounds[target] = rounds.get(target, 0) + 1
                            push(queue, (ranks[target], turns, places[target], target))
        self.complete = True

    def _close(self, class_id: int, bits: int, loops: list[tuple[Move, int]]) -> int:
        """``bits`` with every pair the replies that lead back into the same class reach from
        them, again and again, added (to ``bits`` and to what the class is reached with)."""
        seen, shift = self.seen, self.layers.shift
        fresh = bits
        while fresh:
            grown = 0
            for move, mask in loops:
                part = fresh & move.region
                if part:
                    grown |= shift(part, move.mood, move.loyalty, move.changes) & mask
            old = seen[class_id]
            fresh = grown ^ (grown & old)
            if fresh:
                seen[class_id] = old | fresh
                bits |= fresh
        return bits

    def _rank_classes(self, start: int, budget: Budget) -> dict[int, int]:
        """Each class a play might reach (every reply on offer somewhere in the class taken as
        possible), numbered in the order of the strongly connected parts of the class graph,
        from the start on: a class's part comes after every part with a way into it."""
        check = budget.check
        following: dict[int, list[int]] = {start: []}
        work = [start]
        while work:
            class_id = work.pop()
            self._visits += 1
            if not self._visits & 255:
                check(self)
            targets = []
            for move in self.moves(class_id):
                for _, _, target in move.landings:
                    targets.append(target)
                    if target not in following:
                        following[target] = []
                        work.append(target)
            following[class_id] = list(dict.fromkeys(targets))
        finished: list[int] = []
        parts = strongly_connected(start, following, finished)
        self._places = {class_id: -place for place, class_id in enumerate(finished)}
        return {class_id: rank for rank, part in enumerate(reversed(parts)) for class_id in part}

    @property
    def states(self) -> int:
        """Distinct (class, mood, loyalty) states reached."""
        return sum(bits.bit_count() for bits in self.seen)

    def describe_progress(self) -> str:
        if self.complete:
            return i18n.ngettext(
                "finding shortest routes, {count} reply deep", "finding shortest routes, {count} replies deep", self.depth
            ).format(count=i18n.format_number(self.depth))
        if not self.ranks and not isinstance(self.ranks, _ByNode):
            return i18n._("listing histories, {count} so far").format(count=i18n.format_number(len(self.keys)))
        return i18n.ngettext(
            "exploring, {count} history, {waiting} waiting", "exploring, {count} histories, {waiting} waiting", len(self.keys)
        ).format(count=i18n.format_number(len(self.keys)), waiting=i18n.format_number(len(self._pending)))


class _Itself(dict[int, int]):
    """Class id -> itself: the order inside a part when the histories could not be listed."""

    def __missing__(self, class_id: int) -> int:
        return class_id


class _ByNode(dict[int, int]):
    """Class id -> the place of its node in the order of the story graph's strongly connected
    parts: the order used when there are too many histories to list first."""

    def __init__(self, space: StateSpace) -> None:
        super().__init__()
        story = space.story
        names = list(story.nodes)
        number = {name: index for index, name in enumerate(names)}
        following = {
            number[node.id]: [number[b.goto] for c in node.choices for b in c.branches]
            + ([number[story.walkout]] if story.walkout and node.choices else [])
            for node in story.nodes.values()
        }
        parts = strongly_connected(number[story.start], following)
        self._node_rank = {names[node]: rank for rank, part in enumerate(reversed(parts)) for node in part}
        self._keys = space.keys

    def __missing__(self, class_id: int) -> int:
        rank = self[class_id] = self._node_rank.get(self._keys[class_id][NODE], len(self._node_rank))
        return rank


def strongly_connected(start: int, following: dict[int, list[int]], finished: list[int] | None = None) -> list[list[int]]:
    """The strongly connected parts of the graph reachable from ``start`` (Tarjan's algorithm,
    without recursion), each part listed after every part it leads to. ``finished``, if
    given, gets every node in the order the depth-first walk finishes with it."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    parts: list[list[int]] = []
    work = [(start, 0)]
    while work:
        node, position = work.pop()
        if position == 0:
            index[node] = low[node] = len(index)
            stack.append(node)
            on_stack.add(node)
        successors = following.get(node, ())
        for offset in range(position, len(successors)):
            successor = successors[offset]
            if successor not in index:
                work.append((node, offset + 1))
                work.append((successor, 0))
                break
            if successor in on_stack:
                low[node] = min(low[node], index[successor])
        else:
            if finished is not None:
                finished.append(node)
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                parts.append(part)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return parts
