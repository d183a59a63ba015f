"""Random plays, when the exact exploration cannot finish within its budget.

Like ChoiceScript's randomtest: play the story many times with random picks and
report what those plays reached, with coverage (nodes visited and replies given
out of all of them). At each turn a play picks at random among the replies that
lead to a node no play has visited yet, if any; else among the replies no play
has given yet, if any; else (half the time) one to the node the plays visited
least, else any reply on offer. Half the plays start where an earlier play first
reached a node, following its picks there (as coverage-guided fuzzers keep a
corpus of inputs that found something new). So the plays spread over the story
instead of going round its loops.

The plays run on the exploration's compiled form of the story
(:class:`~roleplay.writing.analysis.space.StateSpace`): a play is one history
class and one (mood, loyalty) pair, and a reply is the class's precomputed move
for that pair, so a turn costs a few integer operations instead of the engine's
whole bookkeeping. Every route the report then lists is replayed through the
engine itself and kept only if it ends where the plays said: everything a
sampled play finds is real; nothing it does not find is proven unreachable.
"""

from __future__ import annotations

import random
import time
from typing import TypeAlias, TypedDict

from roleplay import i18n
from roleplay.play.engine import Rules, State
from roleplay.rules.rulebook import Rulebook
from roleplay.story.model import Story
from roleplay.writing.analysis import plane
from roleplay.writing.analysis.budget import Budget, Stopped
from roleplay.writing.analysis.regions import COUNTERS, FINISHED, NODE, WALKED, Key
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
from roleplay.writing.analysis.space import StateSpace

DEFAULT_PLAYS = 20_000
"""Random plays at most, when the exact exploration stops early."""

TURN_LIMIT = 5_000
"""No sampled play goes on longer than this (loops can go round for ever)."""

SEEDED_SHARE = 0.5
"""The share of plays that start where an earlier play first reached a node (and follow its
picks there), so that plays get deep into stories whose loops keep sending them back."""

NEWEST_SEEDS = 8
"""Half the seeded plays start from one of this many newest starting points."""

SEEDS_KEPT = 100_000
"""Starting points kept at most (one per node first reached)."""

_HIGH = plane.WIDTH - 1


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


def _clamp(value: int) -> int:
    return 0 if value < 0 else _HIGH if value > _HIGH else value


def sample(
    story: Story, rulebook: Rulebook, report: StoryAnalysis, budget: Budget, plays: int = DEFAULT_PLAYS, seed: int = 1
) -> None:
    """Play ``story`` at random until ``plays`` plays or the budget is spent; add what they find to ``report``."""
    started = time.monotonic()
    space = StateSpace(story, rulebook, budget)
    rng = random.Random(seed)
    limit = turn_limit(story)
    ladder = [o.id for o in space.rulebook.outcomes]
    top = ladder[0]
    marks = set(space.rulebook.mark_counters)
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
    done = unfinished = replies = 0
    start_key, start_bit = space.start
    start_mood, start_loyalty = plane.lowest(start_bit)
    step = Stepper(space)
    outcome_memo: dict[tuple[Key, int, int], tuple[str, int]] = {}
    visits: dict[str, int] = {}
    seeds: list[tuple[Key, int, int, tuple[int, ...]]] = []
    """Where a play first reached a node: (class, mood, loyalty, picks that got there)."""
    try:
        while done < plays:
            if not done & 15:
                budget.check(_Progress(done, replies))
            if seeds and rng.random() < SEEDED_SHARE:
                # Half of these from the newest starting points: the plays' frontier moves on.
                key, mood, loyalty, prefix = rng.choice(seeds[-NEWEST_SEEDS:] if rng.random() < 0.5 else seeds)
                picks = list(prefix)
            else:
                key, mood, loyalty = start_key, start_mood, start_loyalty
                picks = []
            visited.add(start_key[NODE])
            stuck = False
            given = 0
            while given < limit:
                if key[FINISHED]:
                    break
                options = step.options(key, mood, loyalty)
                if not options:
                    stuck = True
                    break
                choice = _pick(rng, options, visited, taken, visits)
                number, offer, key, mood, loyalty = choice
                taken.add(offer)
                picks.append(number)
                given += 1
                node_id = key[NODE]
                if node_id not in visited:
                    visited.add(node_id)
                    if not key[FINISHED] and len(seeds) < SEEDS_KEPT:
                        seeds.append((key, mood, loyalty, tuple(picks)))
                visits[node_id] = visits.get(node_id, 0) + 1
            replies += given
            done += 1
            node_id = key[NODE]
            node = story.nodes.get(node_id)
            if not key[FINISHED]:
                if not stuck:
                    unfinished += 1
                elif node_id not in dead or len(picks) < len(dead[node_id][0]):
                    dead[node_id] = (tuple(picks), NO_REPLY_ON_OFFER)
                continue
            walked_out = key[WALKED]
            if node is not None and node.end:
                ending = node_id
            elif walked_out:
                ending = WALKED_OUT
            else:
                ending = DEAD_END
                if node_id not in dead or len(picks) < len(dead[node_id][0]):
                    dead[node_id] = (tuple(picks), dead_end_reason(node))
            memo = (key, mood, loyalty)
            settled = outcome_memo.get(memo)
            if settled is None:
                bit = plane.point(mood, loyalty)
                outcome_id = next(outcome.id for outcome, mask in space.outcomes(key) if mask & bit)
                settled = outcome_memo[memo] = (outcome_id, space.final_loyalty(key, loyalty))
            outcome, final = settled
            group = found.setdefault(
                (ending, outcome), {"low": mood, "high": mood, "picks": tuple(picks), "walked_out": walked_out}
            )
            group["low"], group["high"] = min(group["low"], mood), max(group["high"], mood)
            if len(picks) < len(group["picks"]):
                group["picks"] = tuple(picks)
            rank = ladder.index(outcome)
            route: _Play = (rank, len(picks), outcome, ending, tuple(picks), mood, final)
            if best is None or route[:2] < best[:2]:
                best = route
            if worst is None or (-route[0], route[1]) < (-worst[0], worst[1]):
                worst = route
            if outcome == top:
                if any(name in marks and value for name, value in key[COUNTERS]):
                    if ending not in marked or len(picks) < len(marked[ending]):
                        marked[ending] = tuple(picks)
                elif clean is None or len(picks) < len(clean):
                    clean = tuple(picks)
            if node is not None and node.end and node.outcomes and outcome not in node.outcomes:
                if (ending, outcome) not in contradicted or len(picks) < len(contradicted[(ending, outcome)]):
                    contradicted[(ending, outcome)] = tuple(picks)
    except Stopped:
        pass
    except MemoryError:
        outcome_memo.clear()
    outcome_memo.clear()
    seconds = time.monotonic() - started
    confirm = _Confirm(Rules(story, space.rulebook), story)
    choices = [(node.id, choice.index) for node in story.nodes.values() for choice in node.choices]
    report.sampled = Sampled(
        plays=done,
        seconds=seconds,
        nodes_visited=len(visited),
        nodes_total=len(story.nodes),
        replies_taken=len(taken),
        replies_total=len(choices),
        seed=seed,
        unvisited_nodes=[node_id for node_id in story.nodes if node_id not in visited],
        untaken_replies=[(node, index + 1) for node, index in choices if (node, index) not in taken],
        unfinished=unfinished,
        turn_limit=limit,
        replies_given=replies,
    )
    for (ending, outcome), group in sorted(found.items(), key=lambda item: (ladder.index(item[0][1]), item[0][0])):
        if (ending, outcome) not in known and confirm.ends(group["picks"], ending, outcome):
            report.sampled_endings.append(
                EndingReport(ending, outcome, group["low"], group["high"], group["picks"], group["walked_out"])
            )
    if best is not None and (report.best is None or ladder.index(report.best.outcome) > best[0]):
        if confirm.ends(best[4], best[3], best[2]):
            report.best = Route(best[2], best[3], best[4], best[5], best[6])
    if worst is not None and (report.worst is None or ladder.index(report.worst.outcome) < worst[0]):
        if confirm.ends(worst[4], worst[3], worst[2]):
            report.worst = Route(worst[2], worst[3], worst[4], worst[5], worst[6])
    known_dead = {stop.node for stop in report.dead_ends}
    for node_id, (shortest, reason) in dead.items():
        if node_id not in known_dead and confirm.stops(shortest, node_id):
            report.dead_ends.append(Stop(node_id, reason, shortest))
    audit = report.audit
    if audit is not None:
        have = {m.ending for m in audit.marked_tops}
        audit.marked_tops += [
            MarkedTop(ending, shortest)
            for ending, shortest in marked.items()
            if ending not in have and confirm.ends(shortest, ending, top)
        ]
        if audit.clean_top is None and clean is not None and confirm.finishes(clean, top):
            audit.clean_top = clean
        have_wrong = {(c.ending, c.outcome) for c in audit.contradictions}
        audit.contradictions += [
            Contradiction(ending, outcome, story.nodes[ending].outcomes, shortest)
            for (ending, outcome), shortest in contradicted.items()
            if (ending, outcome) not in have_wrong and confirm.ends(shortest, ending, outcome)
        ]
        reached = {e.ending for e in [*report.endings, *report.sampled_endings]}
        audit.undeclared_endings = [n.id for n in story.endings if n.id in reached and not n.outcomes]
    report.sampled.confirmed = confirm.confirmed
    report.sampled.disagreed = confirm.disagreed


_Option: TypeAlias = tuple[int, tuple[str, int], Key, int, int]
"""(reply number, (node id, choice index), class after, mood after, loyalty after)."""


def _pick(
    rng: random.Random, options: list[_Option], visited: set[str], taken: set[tuple[str, int]], visits: dict[str, int]
) -> _Option:
    """A reply to a node no play has visited, else one no play has given, else (half the time)
    one to the node the plays have visited least, else any."""
    new_node = [option for option in options if option[2][NODE] not in visited]
    if new_node:
        return rng.choice(new_node)
    fresh = [option for option in options if option[1] not in taken]
    if fresh:
        return rng.choice(fresh)
    if rng.random() < 0.5:
        least = min(visits.get(option[2][NODE], 0) for option in options)
        return rng.choice([option for option in options if visits.get(option[2][NODE], 0) == least])
    return rng.choice(options)


KEYS_KEPT = 50_000
"""Classes whose compiled replies the sampler keeps; past this it starts again, so that long
runs stay in bounded memory."""

_Compiled: TypeAlias = tuple[
    tuple[int, tuple[str, int], int, int, tuple[tuple[int, int, int], ...], tuple[tuple[int, Key], ...]], ...
]
"""Per reply of a class: (offered where, (node id, choice index), mood change, loyalty change,
modifiers as (where, mood, loyalty), landings as (where after the reply, class after))."""


class Stepper:
    """The replies on offer at one concrete state and where each leads, read from the
    exploration's compiled replies and condition regions: per class, each reply's regions are
    worked out once, and a turn tests one bit of each."""

    def __init__(self, space: StateSpace) -> None:
        self.space = space
        self.plans = space.plans
        self.walkout = space._walkout
        self.walkout_node = space.story.walkout
        self.memo: dict[Key, _Compiled] = {}

    def compile(self, key: Key) -> _Compiled:
        space = self.space
        replies = []
        for plan in self.plans.get(key[NODE], ()):
            offer = plan.offer.of(key) if plan.offer is not None else plane.FULL
            if not offer:
                continue
            modifiers = tuple(
                (where, mood, loyalty)
                for where, mood, loyalty in ((m.of(key, plan.reply), mood, loyalty) for m, mood, loyalty in plan.modifiers)
                if where
            )
            after = space._after(key, plan)
            landings = []
            walked = self.walkout.of(after)
            if walked:
                landings.append((walked, space._arrive(after, self.walkout_node, True)))
            rest = plane.FULL & ~walked
            for _, goto, test in plan.branches:
                holds = rest & (test.of(after) if test is not None else plane.FULL)
                if holds:
                    landings.append((holds, space._arrive(after, goto, False)))
                    rest &= ~holds
                if not rest:
                    break
            if rest:
                landings.append((rest, space._arrive(after, None, False)))
            replies.append((offer, (plan.node, plan.choice.index), plan.mood, plan.loyalty, modifiers, tuple(landings)))
        return tuple(replies)

    def options(self, key: Key, mood: int, loyalty: int) -> list[_Option]:
        compiled = self.memo.get(key)
        if compiled is None:
            if len(self.memo) >= KEYS_KEPT:
                self.memo.clear()
            compiled = self.memo[key] = self.compile(key)
        bit = 1 << (mood * plane.WIDTH + loyalty)
        found: list[_Option] = []
        for offer, offered, change_mood, change_loyalty, modifiers, landings in compiled:
            if not offer & bit:
                continue
            for where, extra_mood, extra_loyalty in modifiers:
                if where & bit:
                    change_mood += extra_mood
                    change_loyalty += extra_loyalty
            after_mood, after_loyalty = _clamp(mood + change_mood), _clamp(loyalty + change_loyalty)
            after_bit = 1 << (after_mood * plane.WIDTH + after_loyalty)
            for where, landed in landings:
                if where & after_bit:
                    found.append((len(found) + 1, offered, landed, after_mood, after_loyalty))
                    break
        return found


class _Confirm:
    """Replays a sampled play's picks through the engine and says whether it ends as the plays said."""

    def __init__(self, rules: Rules, story: Story) -> None:
        self.rules = rules
        self.story = story
        self.confirmed = 0
        self.disagreed = 0

    def _replay(self, picks: tuple[int, ...]) -> State | None:
        rules = self.rules
        state = rules.initial_state()
        for number in picks:
            offered = rules.offered(state)
            if state.finished or not 0 < number <= len(offered):
                return None
            state, _ = rules.apply(state, offered[number - 1], number)
        return state

    def _count(self, agrees: bool) -> bool:
        if agrees:
            self.confirmed += 1
        else:
            self.disagreed += 1
        return agrees

    def ends(self, picks: tuple[int, ...], ending: str, outcome: str) -> bool:
        state = self._replay(picks)
        if state is None or not state.finished:
            return self._count(False)
        node = self.story.nodes.get(state.node)
        if node is not None and node.end:
            where = node.id
        elif state.walked_out:
            where = WALKED_OUT
        else:
            where = DEAD_END
        return self._count(where == ending and self.rules.outcome(state).id == outcome)

    def finishes(self, picks: tuple[int, ...], outcome: str) -> bool:
        state = self._replay(picks)
        return self._count(state is not None and state.finished and self.rules.outcome(state).id == outcome)

    def stops(self, picks: tuple[int, ...], node_id: str) -> bool:
        state = self._replay(picks)
        if state is None or state.node != node_id:
            return self._count(False)
        node = self.story.nodes.get(node_id)
        stopped = (state.finished and not (node is not None and node.end) and not state.walked_out) or (
            not state.finished and not self.rules.offered(state)
        )
        return self._count(stopped)


class _Progress:
    def __init__(self, plays: int, replies: int) -> None:
        self.plays = plays
        self.replies = replies

    def describe_progress(self) -> str:
        return i18n.ngettext(
            "sampling random plays, {plays} so far ({replies} reply)",
            "sampling random plays, {plays} so far ({replies} replies)",
            self.replies,
        ).format(plays=i18n.format_number(self.plays), replies=i18n.format_number(self.replies))
