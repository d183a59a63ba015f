"""The exploration: every reachable (history, mood, loyalty), a whole plane at a time.

The histories a play might reach are first listed and put in the order of the strongly
connected parts of their graph, then worked out in that order from a queue, each taking
every pair that reached it since its last turn at once (see :meth:`Exploration.explore`).
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from roleplay import i18n
from roleplay.story.model import Story
from roleplay.writing.analysis import plane
from roleplay.writing.analysis.budget import Budget, Stopped
from roleplay.writing.analysis.graphs import strongly_connected
from roleplay.writing.analysis.regions import NODE, Key

if TYPE_CHECKING:
    from roleplay.writing.analysis.space import Move

LISTING_SHARE = 0.4
"""The part of the exploration's time that listing the histories (to put them in order) may take."""


class Exploration:
    """The part of :class:`~roleplay.writing.analysis.space.StateSpace` that explores: which
    pairs each class is reached with, which replies are offered and which branches taken."""

    if TYPE_CHECKING:
        # What the state space (StateSpace) provides for the exploration.
        story: Story
        budget: Budget
        keys: list[Key]
        seen: list[int]
        stuck: dict[int, int]
        offered: set[tuple[str, int]]
        taken: set[tuple[str, int, int]]
        layers: plane.Layers
        full: int
        depth: int
        explored: bool
        complete: bool
        ranks: dict[int, int]
        _places: dict[int, int]
        _rounds: dict[int, int]
        _visits: int
        _loops: dict[int, list[tuple[Move, int]]]
        _silent: dict[int, int]

        @property
        def start(self) -> tuple[Key, int]: ...

        def moves(self, class_id: int) -> tuple[Move, ...]: ...

        def intern(self, key: Key) -> int: ...

        def in_layers(self, key: Key, bits: int) -> tuple[Key, int]: ...

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
                    grown = old | arriving
                    if grown != old:
                        seen[target] = grown
                        new = grown ^ old
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
            merged = old | grown
            fresh = merged ^ old if merged != old else 0
            if fresh:
                seen[class_id] = merged
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

    def __init__(self, space: Exploration) -> None:
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
