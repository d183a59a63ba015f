"""The report read off an explored state space: endings, routes, problems and the lesson audit."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeAlias, TypeVar

from roleplay.i18n import N_, Deferred
from roleplay.writing.analysis.budget import Stopped
from roleplay.writing.analysis.regions import COUNTERS, FINISHED, NODE, WALKED, Key
from roleplay.writing.analysis.report import (
    DEAD_END,
    NO_REPLY_ON_OFFER,
    NO_WAY_OUT,
    WALKED_OUT,
    Contradiction,
    EndingReport,
    LessonAudit,
    MarkedTop,
    Route,
    Stop,
    StoryAnalysis,
    UntakenBranch,
    dead_end_reason,
    unread_flags,
)
from roleplay.writing.analysis.space import StateSpace

Name = TypeVar("Name", bound=Hashable)
"""What a table of goals is keyed by: a node id, an ending, or (ending, outcome)."""

FoundRoute: TypeAlias = tuple[tuple[int, ...], Key, int, int]
"""(picks, class, mood, loyalty), as :meth:`StateSpace.routes` gives it."""


def read_report(space: StateSpace, report: StoryAnalysis) -> None:
    """Fill ``report`` from ``space``. With an exploration that stopped early, only what was
    reached is reported (every route listed is real and shortest); nothing is said about
    what was not reached. Routes come from one breadth-first search that stops as soon as
    every item below has its shortest route; an item whose route the budget did not leave
    time for has ``picks`` None."""
    story = space.story
    nodes = story.nodes
    report.endings, report.dead_ends, report.no_way_out, report.best, report.worst = [], [], [], None, None
    ladder = [o.id for o in space.rulebook.outcomes]
    complete = space.complete
    report.states = space.states
    report.classes = sum(1 for bits in space.seen if bits for _ in space.layers.layers_in(bits))
    top = space.rulebook.top_outcome.id
    marks = set(space.rulebook.mark_counters)
    goals: list[dict[int, int]] = []

    def goal(table: dict[Name, int], name: Name) -> dict[int, int]:
        if name not in table:
            table[name] = len(goals)
            goals.append({})
        return goals[table[name]]

    def add(target: dict[int, int], class_id: int, bits: int) -> None:
        target[class_id] = target.get(class_id, 0) | bits

    # Endings: finished classes grouped by (ending, outcome), with the lesson audit's cases.
    groups: dict[tuple[str, str], int] = {}
    moods: dict[tuple[str, str], tuple[int, int, bool]] = {}
    marked: dict[str, int] = {}
    clean: dict[str, int] = {}
    dead: dict[str, int] = {}
    for class_id, key in enumerate(space.keys):
        bits = space.seen[class_id]
        if not bits or not key[FINISHED]:
            continue
        node = nodes.get(key[NODE])
        walked_out = key[WALKED]
        if node is not None and node.end:
            ending = node.id
        elif walked_out:
            ending = WALKED_OUT
        else:
            ending = DEAD_END
            add(goal(dead, key[NODE]), class_id, bits)
        for full, layer, part in space.pieces(class_id, bits):
            is_marked = any(name in marks for name, _ in full[COUNTERS])
            for outcome, mask in space.outcomes(full):
                hit = part & space.layers.embed(mask, layer)
                if not hit:
                    continue
                low, high = space.layers.moods(hit)
                name = (ending, outcome.id)
                before = moods.get(name)
                moods[name] = (
                    (low, high, walked_out) if before is None else (min(before[0], low), max(before[1], high), walked_out)
                )
                add(goal(groups, name), class_id, hit)
                if outcome.id == top:
                    add(goal(marked, ending) if is_marked else goal(clean, top), class_id, hit)
    for class_id, bits in space.stuck.items():
        add(goal(dead, space.keys[class_id][NODE]), class_id, bits)
    trapped: dict[str, int] = {}
    able = None
    if complete:
        try:
            able = space.can_finish()
        except Stopped as stop:
            report.incomplete_reasons.append(
                Deferred(N_("{reason} while looking for loops with no way out: they are not checked"), reason=stop.reason)
            )
    if able is not None:
        for class_id, key in enumerate(space.keys):
            if key[FINISHED]:
                continue
            caught = space.seen[class_id] ^ able[class_id]  # what can finish is a part of what is reached
            if caught:
                add(goal(trapped, key[NODE]), class_id, caught)
        able = None  # as large as everything explored: gone before the routes are searched

    found = space.find_routes(goals)
    if space.routes_stopped is not None:
        report.incomplete_reasons.append(
            Deferred(N_("{reason} while working out shortest routes: items without one say so"), reason=space.routes_stopped)
        )
    routes_found = space.routes(goals, [met[0] if met is not None else None for met in found])

    def route(table: dict[Name, int], name: Name) -> FoundRoute | None:
        return routes_found[table[name]]

    def picks(table: dict[Name, int], name: Name) -> tuple[int, ...] | None:
        found_route = route(table, name)
        return found_route[0] if found_route is not None else None

    def order(table: dict[Name, int]) -> list[Name]:
        """Names in the order of their routes (shortest first); those without a route last."""

        def place(name: Name) -> tuple[int, int, tuple[int, ...], str]:
            ended = route(table, name)
            return (0, len(ended[0]), ended[0], str(name)) if ended is not None else (1, 0, (), str(name))

        return sorted(table, key=place)

    routes: list[tuple[str, str, FoundRoute]] = []
    for name in sorted(groups, key=lambda item: (ladder.index(item[1]), item[0])):
        ending, outcome_id = name
        low, high, walked_out = moods[name]
        report.endings.append(EndingReport(ending, outcome_id, low, high, picks(groups, name), walked_out))
        ended = route(groups, name) if found[groups[name]] is not None else None
        if ended is not None:
            routes.append((outcome_id, ending, ended))
    if routes:
        for attribute, rank in (("best", min), ("worst", max)):
            target = rank(ladder.index(outcome_id) for outcome_id, _, _ in routes)
            outcome_id, ending, (chosen, key, mood, loyalty) = min(
                (r for r in routes if ladder.index(r[0]) == target), key=lambda r: (len(r[2][0]), r[2][0])
            )
            setattr(report, attribute, Route(outcome_id, ending, chosen, mood, space.final_loyalty(key, loyalty)))

    for node_id in order(dead):
        ended = route(dead, node_id)
        if ended is not None:
            stuck = not ended[1][FINISHED]
        else:
            stuck = any(not space.keys[class_id][FINISHED] for class_id in goals[dead[node_id]])
        reason = NO_REPLY_ON_OFFER if stuck else dead_end_reason(nodes.get(node_id))
        report.dead_ends.append(Stop(node_id, reason, picks(dead, node_id)))
    for node_id in order(trapped):
        report.no_way_out.append(Stop(node_id, NO_WAY_OUT, picks(trapped, node_id)))

    audit = LessonAudit(top, complete=complete)
    audit.marked_tops = [MarkedTop(ending, picks(marked, ending)) for ending in order(marked)]
    audit.clean_top = picks(clean, top) if clean else None
    audit.contradictions = [
        Contradiction(ending, outcome, nodes[ending].outcomes, picks(groups, (ending, outcome)))
        for ending, outcome in order(groups)
        if ending in nodes and nodes[ending].end and nodes[ending].outcomes and outcome not in nodes[ending].outcomes
    ]
    reached_endings = {e.ending for e in report.endings}
    audit.undeclared_endings = [n.id for n in story.endings if n.id in reached_endings and not n.outcomes]
    audit.unread_flags = unread_flags(story, space.tested_flags)
    report.audit = audit
    if not complete:
        return

    reached_nodes = {key[NODE] for class_id, key in enumerate(space.keys) if space.seen[class_id]}
    report.unreached_nodes = [node_id for node_id, node in nodes.items() if node_id not in reached_nodes and not node.end]
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
                    report.never_taken.append(
                        UntakenBranch(node.id, choice.index + 1, index + 1, branch.goto, branch.condition.text)
                    )
