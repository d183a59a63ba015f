"""Random plays, when the exact exploration cannot finish within its budget.

Like ChoiceScript's randomtest: play the story many times with random picks,
through the engine itself, and report what those plays reached, with coverage
(nodes visited and replies given out of all of them). At each turn a play picks
at random among the replies that lead to a node no play has visited yet, if
any; else among the replies no play has given yet, if any; else among all the
replies on offer. So the plays spread over the story instead of going round
its loops. Everything a sampled
play finds is real (its picks replay to it); nothing it does not find is
proven unreachable.
"""

from __future__ import annotations

import random
import time
from typing import TypeAlias, TypedDict

from roleplay.play.engine import Rules
from roleplay.rules.rulebook import Rulebook
from roleplay.story.model import Story
from roleplay.writing.analysis.budget import Budget, Stopped
from roleplay.writing.analysis.report import (
    DEAD_END,
    NO_REPLY_ON_OFFER,
    WALKED_OUT,
    Contradiction,
    EndingReport,
    MarkedTop,
    Route,
    Sampled,
    Stop,
    StoryAnalysis,
    dead_end_reason,
)

DEFAULT_PLAYS = 20_000
"""Random plays at most, when the exact exploration stops early."""

TURN_LIMIT = 5_000
"""No sampled play goes on longer than this (loops can go round for ever)."""


class _Group(TypedDict):
    """What the sampled plays found of one (ending, outcome)."""

    low: int
    high: int
    picks: tuple[int, ...]
    walked_out: bool


_Play: TypeAlias = tuple[int, int, str, str, tuple[int, ...], int, int]
"""(outcome rank, number of picks, outcome, ending, picks, mood, final loyalty) of one play."""


def turn_limit(story: Story) -> int:
    return min(TURN_LIMIT, 2 * len(story.nodes) + 50)


def sample(
    story: Story, rulebook: Rulebook, report: StoryAnalysis, budget: Budget, plays: int = DEFAULT_PLAYS, seed: int = 1
) -> None:
    """Play ``story`` at random until ``plays`` plays or the budget is spent; add what they find to ``report``."""
    rules = Rules(story, rulebook)
    rng = random.Random(seed)
    limit = turn_limit(story)
    ladder = [o.id for o in rulebook.outcomes]
    top = ladder[0]
    marks = set(rulebook.mark_counters)
    known = {(e.ending, e.outcome) for e in report.endings}
    found: dict[tuple[str, str], _Group] = {}
    best: _Play | None = None
    worst: _Play | None = None
    visited: set[str] = set()
    taken: set[tuple[str, int]] = set()
    marked: dict[str, tuple[int, ...]] = {}
    clean: tuple[int, ...] | None = None
    contradicted: dict[tuple[str, str], tuple[int, ...]] = {}
    dead: dict[str, tuple[tuple[int, ...], str]] = {}
    started = time.monotonic()
    done = unfinished = 0
    start = rules.initial_state()
    try:
        while done < plays:
            if not done & 15:
                budget.check(_Progress(done))
            state = start
            picks: list[int] = []
            visited.add(state.node)
            while not state.finished and len(picks) < limit:
                offered = rules.offered(state)
                if not offered:
                    break
                outcomes = [rules.apply(state, choice, n)[0] for n, choice in enumerate(offered, start=1)]
                new_node = [n for n, after in enumerate(outcomes, start=1) if after.node not in visited]
                fresh = [n for n, c in enumerate(offered, start=1) if (state.node, c.index) not in taken]
                number = rng.choice(new_node or fresh or range(1, len(offered) + 1))
                choice = offered[number - 1]
                taken.add((state.node, choice.index))
                state = outcomes[number - 1]
                picks.append(number)
                visited.add(state.node)
            done += 1
            node = story.nodes.get(state.node)
            if not state.finished:
                if len(picks) >= limit:
                    unfinished += 1
                elif state.node not in dead or len(picks) < len(dead[state.node][0]):
                    dead[state.node] = (tuple(picks), NO_REPLY_ON_OFFER)
                continue
            if node is not None and node.end:
                ending = node.id
            elif state.walked_out:
                ending = WALKED_OUT
            else:
                ending = DEAD_END
                if state.node not in dead or len(picks) < len(dead[state.node][0]):
                    dead[state.node] = (tuple(picks), dead_end_reason(node))
            outcome = rules.outcome(state).id
            loyalty = rules.final_loyalty(state)
            group = found.setdefault(
                (ending, outcome), {"low": state.mood, "high": state.mood, "picks": tuple(picks), "walked_out": state.walked_out}
            )
            group["low"], group["high"] = min(group["low"], state.mood), max(group["high"], state.mood)
            if len(picks) < len(group["picks"]):
                group["picks"] = tuple(picks)
            rank = ladder.index(outcome)
            route: _Play = (rank, len(picks), outcome, ending, tuple(picks), state.mood, loyalty)
            if best is None or route[:2] < best[:2]:
                best = route
            if worst is None or (-route[0], route[1]) < (-worst[0], worst[1]):
                worst = route
            if outcome == top:
                if any(name in marks and value for name, value in state.counters):
                    if ending not in marked or len(picks) < len(marked[ending]):
                        marked[ending] = tuple(picks)
                elif clean is None or len(picks) < len(clean):
                    clean = tuple(picks)
            if node is not None and node.end and node.outcomes and outcome not in node.outcomes:
                if (ending, outcome) not in contradicted or len(picks) < len(contradicted[(ending, outcome)]):
                    contradicted[(ending, outcome)] = tuple(picks)
    except Stopped:
        pass
    choices = [(node.id, choice.index) for node in story.nodes.values() for choice in node.choices]
    report.sampled = Sampled(
        plays=done,
        seconds=time.monotonic() - started,
        nodes_visited=len(visited),
        nodes_total=len(story.nodes),
        replies_taken=len(taken),
        replies_total=len(choices),
        seed=seed,
        unvisited_nodes=[node_id for node_id in story.nodes if node_id not in visited],
        untaken_replies=[(node, index + 1) for node, index in choices if (node, index) not in taken],
        unfinished=unfinished,
        turn_limit=limit,
    )
    for (ending, outcome), group in sorted(found.items(), key=lambda item: (ladder.index(item[0][1]), item[0][0])):
        if (ending, outcome) not in known:
            report.sampled_endings.append(
                EndingReport(ending, outcome, group["low"], group["high"], group["picks"], group["walked_out"])
            )
    if best is not None and (report.best is None or ladder.index(report.best.outcome) > best[0]):
        report.best = Route(best[2], best[3], best[4], best[5], best[6])
    if worst is not None and (report.worst is None or ladder.index(report.worst.outcome) < worst[0]):
        report.worst = Route(worst[2], worst[3], worst[4], worst[5], worst[6])
    known_dead = {stop.node for stop in report.dead_ends}
    for node_id, (shortest, reason) in dead.items():
        if node_id not in known_dead:
            report.dead_ends.append(Stop(node_id, reason, shortest))
    audit = report.audit
    if audit is not None:
        have = {m.ending for m in audit.marked_tops}
        audit.marked_tops += [MarkedTop(ending, shortest) for ending, shortest in marked.items() if ending not in have]
        if audit.clean_top is None:
            audit.clean_top = clean
        have_wrong = {(c.ending, c.outcome) for c in audit.contradictions}
        audit.contradictions += [
            Contradiction(ending, outcome, story.nodes[ending].outcomes, shortest)
            for (ending, outcome), shortest in contradicted.items()
            if (ending, outcome) not in have_wrong
        ]
        reached = {e.ending for e in [*report.endings, *report.sampled_endings]}
        audit.undeclared_endings = [n.id for n in story.endings if n.id in reached and not n.outcomes]


class _Progress:
    def __init__(self, plays: int) -> None:
        self.plays = plays

    def describe_progress(self) -> str:
        return f"sampling random plays, {self.plays:,} so far"
