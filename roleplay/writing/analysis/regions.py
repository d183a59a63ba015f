"""Conditions as regions of the (mood, loyalty) plane, worked out once per history class."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Final, TypeAlias

from roleplay.parsing.conditions import Condition
from roleplay.story.model import Story
from roleplay.writing.analysis import plane

Key: TypeAlias = tuple[str, int, frozenset[str], tuple[tuple[str, int], ...], tuple[tuple[str, int], ...], bool, bool]
"""A class: (node, turn, flags, used, counters, walked_out, finished)."""

NODE: Final = 0
TURN: Final = 1
FLAGS: Final = 2
USED: Final = 3
COUNTERS: Final = 4
WALKED: Final = 5
FINISHED: Final = 6

Getter: TypeAlias = Callable[[Key, frozenset[str]], object]
"""Reads one thing a condition depends on (besides mood and loyalty) from a class and a reply."""


def conditions_in(value: object, found: list[Condition] | None = None) -> list[Condition]:
    """Every :class:`Condition` held anywhere inside ``value`` (dataclasses, mappings, sequences)."""
    if found is None:
        found = []
    if isinstance(value, Condition):
        found.append(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            conditions_in(getattr(value, item.name), found)
    elif isinstance(value, Mapping):
        for item in value.values():
            conditions_in(item, found)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            conditions_in(item, found)
    return found


def story_conditions(story: Story) -> list[Condition]:
    found: list[Condition] = []
    for node in story.nodes.values():
        for choice in node.choices:
            if choice.condition is not None:
                found.append(choice.condition)
            for branch in choice.branches:
                if branch.condition is not None:
                    found.append(branch.condition)
    return found


def cuts(values: set[int]) -> list[int]:
    """Interval starts on 0..100 such that ``x < v`` and ``x <= v`` ... give the same answer inside each."""
    starts = {0}
    for value in values:
        for start in (value, value + 1):
            if 0 < start < plane.WIDTH:
                starts.add(start)
    return sorted(starts)


def intervals(starts: list[int]) -> list[tuple[int, int]]:
    ends = [*starts[1:], plane.WIDTH]
    return [(low, high - 1) for low, high in zip(starts, ends, strict=False)]


def _turn(key: Key, reply: frozenset[str]) -> object:
    return key[TURN]


def _walked(key: Key, reply: frozenset[str]) -> object:
    return key[WALKED]


def _counter(name: str) -> Getter:
    return lambda key, reply: dict(key[COUNTERS]).get(name, 0)


def _flag(name: str) -> Getter:
    return lambda key, reply: name in key[FLAGS]


def _used(name: str) -> Getter:
    return lambda key, reply: dict(key[USED]).get(name, 0)


def _with(name: str) -> Getter:
    return lambda key, reply: name in reply


class Reading:
    """A class at one (mood, loyalty) as conditions read it (the engine's context, without its overhead)."""

    __slots__ = ("aliases", "counters", "flags", "loyalty", "mood", "reply", "traits", "turn", "used", "walked_out")

    def __init__(
        self, key: Key, traits: frozenset[str], reply: frozenset[str] = frozenset(), aliases: Mapping[str, str] | None = None
    ) -> None:
        self.aliases = aliases or {}
        self.mood = 0
        self.loyalty = 0
        self.turn = key[TURN]
        self.walked_out = key[WALKED]
        self.flags = key[FLAGS]
        self.used = dict(key[USED])
        self.counters = dict(key[COUNTERS])
        self.traits = traits
        self.reply = reply

    def count(self, tactic: str) -> int:
        return self.used.get(self.aliases.get(tactic, tactic), 0)

    def counter(self, name: str) -> int:
        return self.counters.get(name, 0)


class Region:
    """Where in the plane a condition holds, worked out once for each thing it reads besides mood and loyalty."""

    __slots__ = ("_aliases", "_cells", "_memo", "_project", "_traits", "condition", "reads")

    def __init__(self, condition: Condition, traits: frozenset[str], aliases: Mapping[str, str] | None = None) -> None:
        self.condition = condition
        self._traits = traits
        self._aliases = aliases or {}
        self._memo: dict[tuple[object, ...], int] = {}
        getters: list[Getter] = []
        what: list[tuple[str, str]] = []
        """What each getter reads: ("turn" | "walked" | "counter" | "flag" | "count" | "with", name)."""
        for reference in condition.references:
            kind, name = reference.kind, reference.name
            if kind == "var":
                if name == "turn":
                    getters.append(_turn)
                    what.append(("turn", name))
                elif name == "walked_out":
                    getters.append(_walked)
                    what.append(("walked", name))
                elif name not in ("mood", "loyalty"):
                    getters.append(_counter(name))
                    what.append(("counter", name))
            elif kind == "flag":
                getters.append(_flag(name))
                what.append(("flag", name))
            elif kind in ("used", "count"):
                getters.append(_used(self._aliases.get(name, name)))
                what.append(("count", name))
            elif kind == "with":
                getters.append(_with(name))
                what.append(("with", name))
        self._project = getters
        self.reads = tuple(what)
        mood_values = set(condition.constants.get("mood", ()))
        loyalty_values = set(condition.constants.get("loyalty", ()))
        reads = {r.name for r in condition.references if r.kind == "var"}
        every = set(range(plane.WIDTH))
        if "mood" in condition.compared:
            mood_values = every
        if "loyalty" in condition.compared:
            loyalty_values = every
        mood_ranges = intervals(cuts(mood_values)) if "mood" in reads else [(0, plane.WIDTH - 1)]
        loyalty_ranges = intervals(cuts(loyalty_values)) if "loyalty" in reads else [(0, plane.WIDTH - 1)]
        self._cells = [
            (plane.box(moods, loyalties), moods[0], loyalties[0]) for moods in mood_ranges for loyalties in loyalty_ranges
        ]

    def of(self, key: Key, reply: frozenset[str] = frozenset()) -> int:
        """The pairs at which the condition holds in class ``key`` (for a reply using ``reply``)."""
        projection = tuple(get(key, reply) for get in self._project)
        found = self._memo.get(projection)
        if found is None:
            reading = Reading(key, self._traits, reply, self._aliases)
            found = 0
            test = self.condition.evaluate
            for mask, mood, loyalty in self._cells:
                reading.mood, reading.loyalty = mood, loyalty
                if test(reading):
                    found |= mask
            self._memo[projection] = found
        return found
