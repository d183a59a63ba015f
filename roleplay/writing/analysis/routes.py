"""Shortest routes, what can still finish, and the best reachable value, over an explored space."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from roleplay.play.engine import Rules, State
from roleplay.rules.rulebook import Outcome, Rulebook
from roleplay.writing.analysis import plane
from roleplay.writing.analysis.budget import Budget, Stopped
from roleplay.writing.analysis.regions import COUNTERS, FINISHED, WALKED, Key, cuts, intervals

if TYPE_CHECKING:
    from roleplay.writing.analysis.space import Move

OutcomeProjection: TypeAlias = Key | tuple[bool, tuple[tuple[str, int], ...]]
"""The parts of a finished class that its outcome can depend on."""


BAND = 16
"""The search keeps the pairs it first reached in each band of this many depths (not each depth
apart: each kept integer is long however few pairs it holds); rebuilding routes may work the
depths of one band apart again from those."""

MARKING_WORK = 0.25
"""Marking a band with every pair of the band allowed may move this many times as many sets
of pairs as the search did in the band; past that, the band's depths are worked out again."""

DEPTH_BITS = (BAND - 1).bit_length()
"""Bits of a depth inside a band."""


@dataclass(slots=True)
class Checkpoint:
    """What the search of :meth:`Routes.find_routes` keeps of one band of depths."""

    first: dict[int, int] = field(default_factory=dict)
    """Class id -> pairs first reached in the band."""
    work: int = 0
    """Replies the search applied to pairs of the band (to sets of pairs, one operation each)."""


def _anywhere_in(first: dict[int, int]) -> Callable[[int, int], int]:
    """``reached_by`` for :meth:`Routes._mark_band` allowing every pair first reached in a band."""
    return lambda class_id, depth: first.get(class_id, 0)


class Routes:
    """The parts of :class:`~roleplay.writing.analysis.space.StateSpace` that read an exploration:
    shortest routes to goals, the outcome of finished classes, loops with no way out, and the
    best value reachable from a state (for the turning point)."""

    if TYPE_CHECKING:
        # What the exploration (StateSpace) provides for these passes to read.
        rules: Rules
        rulebook: Rulebook
        budget: Budget
        keys: list[Key]
        ids: dict[Key, int]
        seen: list[int]
        stuck: dict[int, int]
        ranks: dict[int, int]
        _places: dict[int, int]
        layers: plane.Layers
        full: int
        checkpoints: list[Checkpoint]
        _before: dict[int, set[int]] | None
        depth: int
        routes_stopped: str | None
        _visits: int
        shifts: int
        _moves: dict[int, tuple[Move, ...]]
        _reverse: dict[int, list[tuple[int, Move, int]]] | None
        _outcome_memo: dict[OutcomeProjection, tuple[tuple[Outcome, int], ...]]
        _best_memo: dict[tuple[int, int], tuple[int, int, int] | None]

        @property
        def start(self) -> tuple[Key, int]: ...

        def moves(self, class_id: int) -> tuple[Move, ...]: ...

        def canonical(self, state: State) -> tuple[Key, int]: ...

        def intern(self, key: Key) -> int: ...

        def in_layers(self, key: Key, bits: int) -> tuple[Key, int]: ...

        def full_key(self, key: Key, layer: int) -> Key: ...

        def state_of(self, key: Key, mood: int, loyalty: int) -> State: ...

        def step(self, class_id: int, bits: int) -> Iterator[tuple[Move, int, int, int]]: ...

        def arrivals(self, class_id: int, bits: int, wanted: dict[int, int] | None = None) -> Iterator[tuple[int, int]]: ...

    # shortest routes ------------------------------------------------------------------------------
    def find_routes(self, goals: list[dict[int, int]]) -> list[tuple[int, int, int, int] | None]:
        """For each goal (class id -> pairs), the first (depth, class id, mood, loyalty) a
        breadth-first search from the start would reach in it, or None.

        The search is an A* search over whole sets of pairs: a pair reached ``depth`` replies
        deep in a class that is at least ``h`` replies from any goal still open (in the graph of
        classes, whatever mood and loyalty) waits until every pair with a smaller
        ``depth + h`` is done. Pairs on a shortest route to a goal never wait past it, so each
        goal is met at the depth a breadth-first search would meet it, and the plays that wander
        round loops away from every goal are never followed. Each pair is taken once, at the
        fewest replies it is reached in; the search keeps, for each band of :data:`BAND` depths,
        the pairs first reached there (for :meth:`routes`), and stops once every goal is met."""
        by_class: dict[int, list[tuple[int, int]]] = {}
        for number, goal in enumerate(goals):
            for class_id, bits in goal.items():
                if bits:
                    by_class.setdefault(class_id, []).append((number, bits))
        found: list[tuple[int, int, int, int] | None] = [None] * len(goals)
        open_goals = {number for number, goal in enumerate(goals) if any(goal.values())}
        self.depth = 0
        self.routes_stopped = None
        bands: dict[int, Checkpoint] = {}
        try:
            self._search(goals, by_class, open_goals, found, bands)
        except Stopped as stop:
            self.routes_stopped = stop.reason
        self.checkpoints = [bands.get(band) or Checkpoint() for band in range(max(bands, default=0) + 1)]
        return found

    def _distances(self, goals: list[dict[int, int]], open_goals: set[int]) -> dict[int, int]:
        """Class id -> the fewest replies from it to a class of an open goal, in the graph of
        classes (every reply taken as possible); classes with no way to one are left out."""
        if self._before is None:
            before: dict[int, set[int]] = {}
            for target, sources in self.reverse().items():
                before[target] = {source for source, _, _ in sources}
            self._before = before
        distance: dict[int, int] = {}
        frontier = [class_id for number in open_goals for class_id, bits in goals[number].items() if bits]
        for class_id in frontier:
            distance[class_id] = 0
        steps = 0
        while frontier:
            steps += 1
            following = []
            for class_id in frontier:
                for source in self._before.get(class_id, ()):
                    if source not in distance:
                        distance[source] = steps
                        following.append(source)
            frontier = following
        return distance

    def _search(
        self,
        goals: list[dict[int, int]],
        by_class: dict[int, list[tuple[int, int]]],
        open_goals: set[int],
        found: list[tuple[int, int, int, int] | None],
        bands: dict[int, Checkpoint],
    ) -> None:
        check, arrivals = self.budget.check, self.arrivals
        key, bits = self.in_layers(*self.start)
        start = self.ids[key]
        distance = self._distances(goals, open_goals)
        waiting: dict[tuple[int, int], dict[int, int]] = {}
        """(depth + distance, depth) -> class id -> pairs reached that many replies deep."""
        if start in distance:
            waiting[(distance[start], 0)] = {start: bits}
        queue = list(waiting)
        done: dict[int, int] = {}
        """Class id -> pairs taken (each at the fewest replies it is reached in)."""
        while queue and open_goals:
            bound, depth = heapq.heappop(queue)
            batch = waiting.pop((bound, depth))
            self.depth = bound
            deeper = depth + 1
            checkpoint = bands.get(depth // BAND)
            if checkpoint is None:
                checkpoint = bands[depth // BAND] = Checkpoint()
            first = checkpoint.first
            shifts_before = self.shifts
            met = False
            for class_id, bits in batch.items():
                old = done.get(class_id, 0)
                bits ^= bits & old
                if not bits:
                    continue
                done[class_id] = old | bits
                first[class_id] = first.get(class_id, 0) | bits
                for number, goal_bits in by_class.get(class_id, ()):
                    if number in open_goals and found[number] is None and bits & goal_bits:
                        _, mood, loyalty = self.layers.lowest(bits & goal_bits)
                        found[number] = (depth, class_id, mood, loyalty)
                        met = True
                self._visits += 1
                if not self._visits & 63:
                    check(self)
                for target, arriving in arrivals(class_id, bits):
                    away = distance.get(target)
                    if away is None:
                        continue
                    arriving ^= arriving & done.get(target, 0)
                    if arriving:
                        slot = (deeper + away, deeper)
                        later = waiting.get(slot)
                        if later is None:
                            waiting[slot] = {target: arriving}
                            heapq.heappush(queue, slot)
                        else:
                            later[target] = later.get(target, 0) | arriving
            checkpoint.work += self.shifts - shifts_before
            if met:
                # Every pair of this depth and bound is taken: goals met here have all their
                # shortest routes. The rest are searched with distances to the goals still open.
                open_goals.difference_update(number for number in list(open_goals) if found[number] is not None)
                if open_goals:
                    distance = self._distances(goals, open_goals)
                    rekeyed: dict[tuple[int, int], dict[int, int]] = {}
                    for (_, at), classes in waiting.items():
                        for class_id, pairs in classes.items():
                            away = distance.get(class_id)
                            if away is not None:
                                kept = rekeyed.setdefault((at + away, at), {})
                                kept[class_id] = kept.get(class_id, 0) | pairs
                    waiting = rekeyed
                    queue = list(waiting)
                    heapq.heapify(queue)

    def reverse(self) -> dict[int, list[tuple[int, Move, int]]]:
        """Next class id -> [(class id, move, pairs after the move that land there)]."""
        if self._reverse is None:
            reverse: dict[int, list[tuple[int, Move, int]]] = {}
            for class_id, moves in self._moves.items():
                for move in moves:
                    for mask, _, target in move.landings:
                        reverse.setdefault(target, []).append((class_id, move, mask))
            self._reverse = reverse
        return self._reverse

    def routes(self, goals: list[dict[int, int]], met: list[int | None]) -> list[tuple[tuple[int, ...], Key, int, int] | None]:
        """For each goal (class id -> pairs) that the last :meth:`find_routes` met (at depth
        ``met[number]``), the first in reading order of the shortest pick sequences into it, with
        where it ends: (picks, class with the layered counters, mood, loyalty); None for the others.
        Once for each search: it uses up the search's checkpoints.

        Backwards from each goal, step by step, it marks the pairs that lead into it in exactly
        the remaining number of replies and that the search first reached at that step (a pair
        on a shortest route is always first reached at its step, or the goal would be nearer,
        and the search took every such pair); then forwards from the start it gives, at each
        turn, the lowest-numbered reply that stays on a marked pair.

        The marking goes one band of depths at a time, from the last band down, for every goal
        at once. It first marks every pair of the band that leads into the goal in the remaining
        number of replies (a few more than needed: that changes nothing); when that takes more
        than :data:`MARKING_WORK` of the work the search did in the band (loops give the marks
        many ways round), it works out again the depth each pair of the band was first reached
        at (:meth:`_band_depths`) and marks only the pairs first reached at their step."""
        shift = self.layers.shift
        wanted = {number: depth for number, depth in enumerate(met) if depth is not None}
        marked: dict[int, list[dict[int, int]]] = {number: [{} for _ in range(depth + 1)] for number, depth in wanted.items()}
        deepest = max(wanted.values(), default=-1)
        for band in range(deepest // BAND, -1, -1):
            low, last = band * BAND, min(deepest, band * BAND + BAND - 1)
            checkpoint = self.checkpoints[band]
            most = checkpoint.work * MARKING_WORK
            if not self._mark_band(goals, wanted, marked, low, last, _anywhere_in(checkpoint.first), most):
                self._mark_band(goals, wanted, marked, low, last, self._band_depths(band, last), None)
            self.checkpoints[band] = Checkpoint()  # not needed again: its memory goes
        found: list[tuple[tuple[int, ...], Key, int, int] | None] = [None] * len(goals)
        key, start_point = self.in_layers(*self.start)
        start = self.ids[key]
        for number, depth in wanted.items():
            marks = marked.pop(number)
            class_id, point = start, start_point
            if not marks[0].get(class_id, 0) & point:  # pragma: no cover - the start leads to every goal met
                raise AssertionError("broken breadth-first layers")
            picks: list[int] = []
            for at in range(depth):
                for move in self.moves(class_id):
                    if not point & move.region:
                        continue
                    moved = shift(point, move.mood, move.loyalty, move.changes)
                    target = next(t for mask, _, t in move.landings if moved & mask)
                    if moved & marks[at + 1].get(target, 0):
                        picks.append(move.number)
                        class_id, point = target, moved
                        break
                else:  # pragma: no cover - a marked pair always has a marked successor
                    raise AssertionError("broken breadth-first layers")
            layer_number, mood, loyalty = self.layers.lowest(point)
            found[number] = (tuple(picks), self.full_key(self.keys[class_id], layer_number), mood, loyalty)
        return found

    def _mark_band(
        self,
        goals: list[dict[int, int]],
        wanted: dict[int, int],
        marked: dict[int, list[dict[int, int]]],
        low: int,
        last: int,
        reached_by: Callable[[int, int], int],
        most: float | None,
    ) -> bool:
        """Mark, for each goal (number -> depth in ``wanted``) met at ``low`` or deeper, the pairs
        at each depth from ``low`` to ``last`` that lead into it in the remaining number of
        replies and that ``reached_by(class id, depth)`` allows. False, with the band's marks
        left unfinished, once it has moved more than ``most`` sets of pairs (None: no limit)."""
        reverse, unshift = self.reverse(), self.layers.unshift
        work = 0
        for number, depth in wanted.items():
            if depth < low:
                continue
            marks = marked[number]
            if depth <= last:
                marks[depth] = {}
                for class_id, bits in goals[number].items():
                    bits &= reached_by(class_id, depth)
                    if bits:
                        marks[depth][class_id] = bits
            for at in range(min(depth - 1, last), low - 1, -1):
                here = marks[at] = {}
                for target, bits in marks[at + 1].items():
                    for source, move, mask in reverse.get(target, ()):
                        allowed = reached_by(source, at)
                        if not allowed:
                            continue
                        back = bits & mask
                        if not back:
                            continue
                        work += 1
                        before = unshift(back, move.mood, move.loyalty, move.changes) & move.region & allowed
                        if before:
                            here[source] = here.get(source, 0) | before
                if most is not None and work > most:
                    return False
        return True

    def _step_into(self, sources: dict[int, int], rest: dict[int, int]) -> dict[int, int]:
        """Class id -> the pairs of ``rest`` (class id -> pairs) that a reply moves a pair of
        ``sources`` into, taken out of ``rest``."""
        found: dict[int, int] = {}
        for class_id, bits in sources.items():
            for target, arriving in self.arrivals(class_id, bits, rest):
                left = rest.get(target)
                if left:
                    arriving &= left
                    if arriving:
                        rest[target] = left ^ arriving
                        found[target] = found.get(target, 0) | arriving
        return found

    def _band_depths(self, band: int, last: int) -> Callable[[int, int], int]:
        """``reached_by(class id, depth)``: the pairs of a class that the last :meth:`find_routes`
        first reached in a band of depths, at that depth or before (a depth of the band up to
        ``last``).

        The depths are worked out again forwards: the band's first depth holds the band's pairs
        that a reply moves a pair of the band before into (these were first reached a depth
        before, so they are first reached just then), then each depth's are the band's pairs
        that a reply moves those of the depth before into and that no earlier depth has. Each
        pair's depth in the band is kept as bits (:data:`DEPTH_BITS` integers for each class,
        not one for each depth: an integer is long however few pairs it holds), and read back
        as one comparison. The band's checkpoint is used up; the band before must be whole."""
        low = band * BAND
        rest = self.checkpoints[band].first
        """Class id -> the band's pairs not yet given a depth."""
        if band:
            start = self._step_into(self.checkpoints[band - 1].first, rest)
        else:
            key, bits = self.in_layers(*self.start)
            first_class = self.ids[key]
            start = {first_class: bits & rest.get(first_class, 0)}
            rest[first_class] = rest.get(first_class, 0) ^ start[first_class]
        frontier = start
        planes: list[dict[int, int]] = [{} for _ in range(DEPTH_BITS)]
        """For each bit of a depth in the band: class id -> the pairs whose depth has it."""
        for depth in range(low, last):
            following = self._step_into(frontier, rest)
            offset = depth + 1 - low
            for bit, plane_bits in enumerate(planes):
                if offset >> bit & 1:
                    for class_id, bits in following.items():
                        plane_bits[class_id] = plane_bits.get(class_id, 0) | bits
            frontier = following
        del rest, frontier
        memo: dict[tuple[int, int], int] = {}

        def reached_by(class_id: int, depth: int) -> int:
            found = memo.get((class_id, depth))
            if found is None:
                found = start.get(class_id, 0)
                for plane_bits in planes:
                    found |= plane_bits.get(class_id, 0)
                offset = depth - low
                same = found
                for bit in range(DEPTH_BITS - 1, -1, -1):
                    has = planes[bit].get(class_id, 0)
                    if offset >> bit & 1:
                        same &= has
                    else:
                        found ^= found & same & has
                        same ^= same & has
                memo[(class_id, depth)] = found
            return found

        return reached_by

    # endings ------------------------------------------------------------------------------------
    def settled(self, key: Key) -> int:
        """The loyalty change the settlement makes to a finished class."""
        counters = dict(key[COUNTERS])
        return sum(rule.loyalty * counters.get(rule.per, 0) for rule in self.rulebook.settlement)

    def outcomes(self, key: Key) -> tuple[tuple[Outcome, int], ...]:
        """For a finished class: each outcome it can end in, with the pairs (mood and loyalty
        before the settlement) that give it, best rung first. Decided by the engine's own
        ``Rules.outcome`` once per part of the plane where no condition can tell pairs apart."""
        memo = self._outcome_projection(key)
        found = self._outcome_memo.get(memo)
        if found is not None:
            return found
        change = self.settled(key)
        loyalty_cuts = cuts({value - change for value in self._outcome_loyalties} | {-change})
        masks: dict[str, int] = {}
        ladder = self.rulebook.outcomes
        for moods in intervals(self._outcome_moods):
            for loyalties in intervals(loyalty_cuts):
                outcome = self.rules.outcome(self.state_of(key, moods[0], loyalties[0]))
                masks[outcome.id] = masks.get(outcome.id, 0) | plane.box(moods, loyalties)
        found = tuple((outcome, masks[outcome.id]) for outcome in ladder if outcome.id in masks)
        self._outcome_memo[memo] = found
        return found

    def _outcome_projection(self, key: Key) -> OutcomeProjection:
        """The parts of a finished class that the outcome can depend on."""
        if self._outcome_whole_key:
            return key
        counters = tuple(item for item in key[COUNTERS] if item[0] in self._outcome_counters)
        return (key[WALKED], counters)

    def _read_outcome_conditions(self) -> None:
        """What the outcome (the ladder, then any ceilings, after the settlement) reads."""
        rulebook = self.rulebook
        conditions = [o.when for o in rulebook.outcomes if o.when is not None]
        conditions += [c.when for c in getattr(rulebook, "ceilings", ())]
        moods: set[int] = set()
        loyalties: set[int] = set()
        counters = {rule.per for rule in rulebook.settlement}
        whole = False
        for condition in conditions:
            moods |= set(condition.constants.get("mood", ()))
            loyalties |= set(condition.constants.get("loyalty", ()))
            if condition.compared & {"mood", "loyalty"}:
                moods |= set(range(plane.WIDTH))
                loyalties |= set(range(plane.WIDTH))
            for reference in condition.references:
                if reference.kind == "var" and reference.name in rulebook.counters:
                    counters.add(reference.name)
                elif reference.kind in ("flag", "used", "count") or reference.name == "turn":
                    whole = True
        self._outcome_moods = cuts(moods)
        self._outcome_loyalties = loyalties
        self._outcome_counters = frozenset(counters)
        self._outcome_whole_key = whole

    def final_loyalty(self, key: Key, loyalty: int) -> int:
        value = loyalty + self.settled(key)
        return 0 if value < 0 else min(value, plane.WIDTH - 1)

    # what can still be reached --------------------------------------------------------------------
    def can_finish(self) -> list[int]:
        """For each class id, the pairs from which some play reaches an ending or stops (worked
        out anew at each call: it is as large as everything explored, and needed once)."""
        seeds: dict[int, int] = {}
        for class_id, key in enumerate(self.keys):
            bits = self.seen[class_id] if key[FINISHED] else self.stuck.get(class_id, 0)
            if bits:
                seeds[class_id] = bits
        return self.backwards(seeds)

    def backwards(self, seeds: dict[int, int]) -> list[int]:
        """For each class id, the reached pairs from which some play leads into ``seeds``
        (class id -> pairs).

        Worked backwards, classes later in the order of the class graph's parts first, so each
        part is settled before the parts leading into it; inside a part, in rounds as the
        exploration goes (see :meth:`~StateSpace.explore`), each round in the order the
        depth-first walk finished the classes (those a class leads to mostly first)."""
        reverse = self.reverse()
        ranks, places = self.ranks, self._places
        seen = self.seen
        able = [0] * len(self.keys)
        pending: dict[int, int] = {}
        queue: list[tuple[int, int, int, int]] = []
        rounds: dict[int, int] = {}

        def wait(class_id: int) -> tuple[int, int, int, int]:
            turns = rounds[class_id] = rounds.get(class_id, 0) + 1
            return (-ranks.get(class_id, 0), turns, -places.get(class_id, class_id), class_id)

        whole: set[int] = set()
        """Classes every reached pair of which is found: nothing more can be found for them."""
        for class_id, bits in seeds.items():
            bits &= seen[class_id]
            if bits:
                able[class_id] = bits
                if bits == seen[class_id]:
                    whole.add(class_id)
                pending[class_id] = bits
                queue.append(wait(class_id))
        heapq.heapify(queue)
        check, visits = self.budget.check, 0
        unshift = self.layers.unshift
        while queue:
            _, _, _, target = heapq.heappop(queue)
            gained = pending.pop(target)
            visits += 1
            if not visits & 63:
                check(self)
            for source, move, mask in reverse.get(target, ()):
                if source in whole:
                    continue
                back = gained & mask
                if not back:
                    continue
                found = unshift(back, move.mood, move.loyalty, move.changes) & move.region & seen[source]
                before = able[source]
                grown = before | found
                if grown != before:
                    able[source] = grown
                    found = grown ^ before
                    if grown == seen[source]:
                        whole.add(source)
                    if source in pending:
                        pending[source] |= found
                    else:
                        pending[source] = found
                        heapq.heappush(queue, wait(source))
        return able

    def best(self, state: State) -> tuple[int, int, int] | None:
        """The best (outcome rank, final loyalty, mood) reachable from an engine state, or None."""
        key, bits = self.in_layers(*self.canonical(state))
        start = self.intern(key)
        memo = (start, bits)
        if memo in self._best_memo:
            return self._best_memo[memo]
        reached = {start: bits}
        pending = {start: bits}
        check, visits = self.budget.check, 0
        while pending:
            visits += 1
            if not visits & 63:
                check(self)
            class_id, new = pending.popitem()
            for _, _, target, arriving in self.step(class_id, new):
                fresh = arriving & ~reached.get(target, 0)
                if fresh:
                    reached[target] = reached.get(target, 0) | fresh
                    pending[target] = pending.get(target, 0) | fresh
        best: tuple[int, int, int] | None = None
        for class_id, bits in reached.items():
            if not self.keys[class_id][FINISHED]:
                continue
            for layer in self.layers.layers_in(bits):
                key = self.full_key(self.keys[class_id], layer)
                for outcome, mask in self.outcomes(key):
                    hit = bits & self.layers.embed(mask, layer)
                    if hit:
                        mood, loyalty = self.layers.highest_loyalty_then_mood(hit)
                        value = (self.rulebook.outcome_rank(outcome.id), self.final_loyalty(key, loyalty), mood)
                        if best is None or value > best:
                            best = value
        self._best_memo[memo] = best
        return best
