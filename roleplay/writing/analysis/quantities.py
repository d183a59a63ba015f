"""How much of each quantity a history keeps: caps on counts, the turn and counters, and layers.

A history (see :mod:`roleplay.writing.analysis.space`) keeps only what some condition or
rule can tell apart. Counts of tactics, the turn and counters that only ever grow are
capped just above the largest constant any condition compares them with (and, for
counters the settlement reads, where the settlement already takes all loyalty away);
flags no condition tests are dropped. Counters that nothing reads before the
conversation ends go into layers of the plane (:class:`~roleplay.writing.analysis.plane.Layers`)
instead of the history.
"""

from __future__ import annotations

from dataclasses import dataclass

from roleplay.parsing.conditions import Condition
from roleplay.play.engine import COUNTER_LIMIT
from roleplay.rules.rulebook import Rulebook
from roleplay.story.model import Story
from roleplay.writing.analysis import plane
from roleplay.writing.analysis.graphs import strongly_connected

COMPARED_COUNT_CAP = 101
"""Cap for a count or the turn compared with another changing quantity (not with a constant)."""

MAX_LAYERS = 16
"""Most layers (combinations of values) kept for the counters only the end of a conversation reads."""


@dataclass(frozen=True, slots=True)
class Quantities:
    """What the conditions of a story and its rulebook read, and how far each quantity is kept."""

    tested_flags: frozenset[str]
    """Flags some condition tests (the others are dropped from histories)."""
    count_caps: dict[str, int]
    """Tactic -> the count above which no condition can tell counts apart."""
    turn_cap: int
    counter_caps: dict[str, int]
    """Counter -> the value above which nothing can tell values apart (0: not tracked)."""


def read_quantities(conditions: list[Condition], rulebook: Rulebook) -> Quantities:
    """The caps of every quantity that ``conditions`` (every condition of the story and the
    rulebook) and the rulebook's settlement and lesson audit can tell apart."""
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
    caps: dict[str, int] = {}
    for quantity, compared_with in constants.items():
        if quantity.startswith("count:"):
            caps[quantity[6:]] = max(compared_with) + 1
    for quantity in compared:
        if quantity.startswith("count:"):
            caps[quantity[6:]] = COMPARED_COUNT_CAP
    turn_cap = COMPARED_COUNT_CAP if "turn" in compared else max(constants.get("turn", {-1})) + 1
    # Counters: exact when some tactic lowers them (a capped value would come down wrong);
    # otherwise capped above what conditions compare and where the settlement saturates.
    lowered = {name for tactic in rulebook.tactics.values() for name, change in tactic.counters.items() if change < 0}
    signs = {rule.loyalty > 0 for rule in rulebook.settlement if rule.loyalty}
    counter_caps: dict[str, int] = {}
    marks = set(rulebook.mark_counters)
    for name in rulebook.counters:
        if name in lowered or name in compared:
            counter_caps[name] = COUNTER_LIMIT
            continue
        cap = max(constants.get(name, {-1})) + 1
        for rule in rulebook.settlement:
            if rule.per == name and rule.loyalty:
                saturating = -(-(plane.WIDTH - 1) // abs(rule.loyalty)) if len(signs) == 1 else COUNTER_LIMIT
                cap = max(cap, saturating)
        if name in marks:
            cap = max(cap, 1)  # the lesson audit asks whether any warned reply was given
        counter_caps[name] = min(cap, COUNTER_LIMIT)
    return Quantities(frozenset(flags), caps, turn_cap, counter_caps)


def choose_layers(
    story: Story, rulebook: Rulebook, story_tests: list[Condition], counter_caps: dict[str, int]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The counters to keep in layers (see :class:`~plane.Layers`), with their caps: those
    that nothing reads before the conversation ends (no condition of the story, no modifier,
    not the walk-out). Counters the lesson audit reads are left out (they pile up at their
    cap, so most of their layers would stay empty)."""
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
        cap = min(counter_caps.get(name, 0), most(story, rulebook, name))
        if cap and name not in read and name not in marks and count * (cap + 1) <= MAX_LAYERS:
            names.append(name)
            caps.append(cap)
            count *= cap + 1
    return tuple(names), tuple(caps)


def most(story: Story, rulebook: Rulebook, counter: str) -> int:
    """The most ``counter`` can reach in one play, as far as the shape of the story tells:
    the sum of what every reply adds to it when no reply that adds to it can come round
    again (each is then given at most once), else no bound (:data:`COUNTER_LIMIT`)."""
    tactics = rulebook.tactics
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
    found = 0
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
            found += added
    return found
