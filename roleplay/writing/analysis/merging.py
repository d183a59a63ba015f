"""Tactic counts that no condition tells apart, kept as one.

A count that conditions only compare with 0 (``used(listen)``) is kept as "0 or
1 or more", one bit of the history. Often several such bits are only ever read
together, and only through whether any of them is set: the rulebook's "a fix
offered before the customer was heard" asks ``not (used(listen) or
used(ask_questions) or ...)``. Histories that differ only in which of them was
used cannot be told apart by anything, now or later (counts never go down), so
the exploration keeps one bit for the group: twice fewer histories per group of
two.

Whether a group can be merged is not read off the text of the conditions but
checked on their answers: every condition that reads any count of the group
reads all of them, and for every value of everything else it reads, gives the
same answer whichever non-empty part of the group was used.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

from roleplay.writing.analysis.regions import Key, Region

ENUMERATION_LIMIT = 4096
"""Most combinations of values a condition is checked at; past it, its counts are not merged."""


def merged_counts(
    regions: Iterable[Region],
    count_caps: Mapping[str, int],
    counter_caps: Mapping[str, int],
    turn_cap: int,
) -> dict[str, str]:
    """Tactic -> the tactic whose count stands for it (only for counts merged with others)."""
    regions = list(regions)
    readers: dict[str, set[int]] = {}
    for index, region in enumerate(regions):
        for kind, name in region.reads:
            if kind == "count" and count_caps.get(name) == 1:
                readers.setdefault(name, set()).add(index)
    groups: dict[frozenset[int], list[str]] = {}
    for name, read_by in readers.items():
        groups.setdefault(frozenset(read_by), []).append(name)
    aliases: dict[str, str] = {}
    for group_readers, members in groups.items():
        if len(members) < 2:
            continue
        members = sorted(members)
        domains = {"counter": counter_caps, "count": count_caps}
        if all(_reads_only_any(regions[index], set(members), domains, turn_cap) for index in group_readers):
            for name in members[1:]:
                aliases[name] = members[0]
    return aliases


def _reads_only_any(region: Region, members: set[str], caps: Mapping[str, Mapping[str, int]], turn_cap: int) -> bool:
    """Whether ``region`` depends on the counts ``members`` only through whether any is used."""
    others = [(kind, name) for kind, name in dict.fromkeys(region.reads) if not (kind == "count" and name in members)]
    values: list[range | tuple[bool, bool]] = []
    for kind, name in others:
        if kind in caps:
            values.append(range(caps[kind].get(name, 0) + 1))
        elif kind == "turn":
            values.append(range(turn_cap + 1))
        else:
            values.append((False, True))
    combinations = 1
    for choices in values:
        combinations *= len(choices)
    uses = [combo for combo in itertools.product((0, 1), repeat=len(members)) if any(combo)]
    if combinations * (len(uses) + 1) > ENUMERATION_LIMIT:
        return False
    names = sorted(members)
    for assignment in itertools.product(*values):
        none = region.of(*_key(others, assignment, {}))
        first = None
        for combo in uses:
            mask = region.of(*_key(others, assignment, dict(zip(names, combo, strict=True))))
            if first is None:
                first = mask
            elif mask != first:
                return False
        if first is None:
            return False
        del none
    return True


def _key(reads: list[tuple[str, str]], assignment: tuple[object, ...], members: dict[str, int]) -> tuple[Key, frozenset[str]]:
    """A made-up class (and reply) with the given values of what a condition reads."""
    turn, walked = 0, False
    flags: set[str] = set()
    used = {name: value for name, value in members.items() if value}
    counters: dict[str, int] = {}
    reply: set[str] = set()
    for (kind, name), value in zip(reads, assignment, strict=True):
        if kind == "turn":
            turn = int(value)  # type: ignore[call-overload]
        elif kind == "walked":
            walked = bool(value)
        elif kind == "flag" and value:
            flags.add(name)
        elif kind == "count" and value:
            used[name] = int(value)  # type: ignore[call-overload]
        elif kind == "counter" and value:
            counters[name] = int(value)  # type: ignore[call-overload]
        elif kind == "with" and value:
            reply.add(name)
    key: Key = ("", turn, frozenset(flags), tuple(sorted(used.items())), tuple(sorted(counters.items())), walked, False)
    return key, frozenset(reply)


def merge_used(used: Iterable[tuple[str, int]], aliases: Mapping[str, str]) -> tuple[tuple[str, int], ...]:
    """Counts (already capped) with each merged count folded into the one that stands for it."""
    merged: dict[str, int] = {}
    for name, times in used:
        name = aliases.get(name, name)
        merged[name] = max(merged.get(name, 0), times)
    return tuple(sorted(merged.items()))
