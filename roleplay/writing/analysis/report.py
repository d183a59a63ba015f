"""What ``roleplay analyze`` reports: endings and outcomes, problems, the lesson audit."""

from __future__ import annotations

from dataclasses import dataclass, field

from roleplay.i18n import N_, Deferred
from roleplay.parsing.diagnostics import Location
from roleplay.story.model import Node, Story

WALKED_OUT = Deferred(N_("(walked out)"))
"""The ending reported when the customer walks out of a story with no walkout node."""

DEAD_END = Deferred(N_("(dead end)"))
"""The ending reported when a conversation stops somewhere that is not an ending."""


def _picks(picks: tuple[int, ...] | None) -> list[int] | None:
    return list(picks) if picks is not None else None


@dataclass(frozen=True)
class EndingReport:
    """An ending (or a walk-out) reached with one outcome: mood range on arrival and a shortest route."""

    ending: str
    outcome: str
    mood_min: int
    mood_max: int
    picks: tuple[int, ...] | None
    """None when the budget left no time to work out a route."""
    walked_out: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "ending": self.ending,
            "outcome": self.outcome,
            "walked_out": self.walked_out,
            "mood": {"min": self.mood_min, "max": self.mood_max},
            "picks": _picks(self.picks),
        }


@dataclass(frozen=True)
class Route:
    """One play-through that reaches an outcome: its picks and how it ends."""

    outcome: str
    ending: str
    picks: tuple[int, ...]
    mood: int
    loyalty: int
    """Final loyalty, settlement included."""

    def to_json(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "ending": self.ending,
            "picks": _picks(self.picks),
            "mood": self.mood,
            "loyalty": self.loyalty,
        }


@dataclass(frozen=True)
class Stop:
    """A place where some play gets stuck, with a shortest pick sequence that gets there."""

    node: str
    reason: str
    picks: tuple[int, ...] | None

    def to_json(self) -> dict[str, object]:
        return {"node": self.node, "reason": self.reason, "picks": _picks(self.picks)}


@dataclass(frozen=True)
class UntakenBranch:
    """A conditional branch of a reply's ``next`` that no play takes: its condition never
    holds when the reply is given (or the customer always walks out first)."""

    node: str
    reply: int
    """The reply's number among all of the node's replies, from 1."""
    branch: int
    """The branch's number in the ``next`` list, from 1."""
    goto: str
    condition: str | None

    def to_json(self) -> dict[str, object]:
        return {"node": self.node, "reply": self.reply, "branch": self.branch, "goto": self.goto, "if": self.condition}


@dataclass(frozen=True)
class MarkedTop:
    """A play that reaches the top rung although it used a reply the articles warn against."""

    ending: str
    picks: tuple[int, ...] | None

    def to_json(self) -> dict[str, object]:
        return {"ending": self.ending, "picks": _picks(self.picks)}


@dataclass(frozen=True)
class Contradiction:
    """A play that ends at an ending whose words do not fit the outcome it lands on."""

    ending: str
    outcome: str
    fits: tuple[str, ...]
    picks: tuple[int, ...] | None

    def to_json(self) -> dict[str, object]:
        return {"ending": self.ending, "outcome": self.outcome, "fits": list(self.fits), "picks": _picks(self.picks)}


@dataclass
class LessonAudit:
    """Does every play teach what the articles teach? Checked over every reachable state."""

    top_outcome: str
    marked_tops: list[MarkedTop] = field(default_factory=list)
    """Plays reaching the top rung with a warned-against reply (one per ending, shortest)."""
    clean_top: tuple[int, ...] | None = None
    """A shortest play reaching the top rung with no warned-against reply, or None."""
    contradictions: list[Contradiction] = field(default_factory=list)
    undeclared_endings: list[str] = field(default_factory=list)
    """Endings some play reaches that do not say which outcomes their words fit (a note:
    such an ending cannot be checked)."""
    unread_flags: list[tuple[str, Location]] = field(default_factory=list)
    """Flags the story sets that no condition reads, with the first place each is set."""
    complete: bool = True
    """False when the audit saw only part of the plays (an exploration that stopped early, or
    sampling): then a missing clean route to the top is not a finding."""

    @property
    def problems(self) -> int:
        return (
            len(self.marked_tops)
            + (1 if self.clean_top is None and self.complete else 0)
            + len(self.contradictions)
            + len(self.unread_flags)
        )

    def to_json(self) -> dict[str, object]:
        return {
            "top_outcome": self.top_outcome,
            "top_with_warned_replies": [m.to_json() for m in self.marked_tops],
            "top_without_warned_replies": list(self.clean_top) if self.clean_top is not None else None,
            "contradicted_endings": [c.to_json() for c in self.contradictions],
            "endings_without_outcomes": list(self.undeclared_endings),
            "unread_flags": [
                {"flag": flag, "path": where.path, "line": where.line, "column": where.column}
                for flag, where in self.unread_flags
            ],
            "complete": self.complete,
        }


@dataclass
class Sampled:
    """What random plays found when the exact exploration could not finish (as ChoiceScript's randomtest)."""

    plays: int
    seconds: float
    nodes_visited: int
    nodes_total: int
    replies_taken: int
    replies_total: int
    seed: int
    unvisited_nodes: list[str] = field(default_factory=list)
    untaken_replies: list[tuple[str, int]] = field(default_factory=list)
    """(node id, reply number among all the node's replies, from 1) no sampled play gave."""
    unfinished: int = 0
    """Plays cut off at the turn limit without reaching an ending."""
    turn_limit: int = 0
    replies_given: int = 0
    """Replies given in all the plays together."""
    confirmed: int = 0
    """Routes the report lists from the plays that the engine, replaying them, agreed with."""
    disagreed: int = 0
    """Routes the engine did not agree with (left out of the report; always 0 unless something is wrong)."""

    def to_json(self) -> dict[str, object]:
        return {
            "plays": self.plays,
            "seconds": round(self.seconds, 3),
            "seed": self.seed,
            "turn_limit": self.turn_limit,
            "unfinished_plays": self.unfinished,
            "replies_given": self.replies_given,
            "routes_confirmed": self.confirmed,
            "routes_disagreed": self.disagreed,
            "coverage": {
                "nodes": {"visited": self.nodes_visited, "total": self.nodes_total},
                "replies": {"taken": self.replies_taken, "total": self.replies_total},
            },
            "unvisited_nodes": list(self.unvisited_nodes),
            "untaken_replies": [{"node": node, "reply": number} for node, number in self.untaken_replies],
        }


@dataclass
class StoryAnalysis:
    """Everything ``roleplay analyze`` reports about a story.

    When ``complete`` is False, the exploration stopped (``stopped`` says why) and only what
    it found is certain: the endings, routes and audit findings listed were reached by real
    plays, but the lists of things *never* reached are left empty, since nothing is proven
    about them. ``sampled`` then holds what random plays found on top."""

    story: Story
    states: int
    complete: bool
    endings: list[EndingReport] = field(default_factory=list)
    best: Route | None = None
    worst: Route | None = None
    unreached_nodes: list[str] = field(default_factory=list)
    """Nodes other than endings that no play reaches (endings are in ``unreached_endings``)."""
    unreached_endings: list[str] = field(default_factory=list)
    never_offered: list[tuple[str, int]] = field(default_factory=list)
    """(node id, reply number among all the node's replies, from 1)"""
    never_taken: list[UntakenBranch] = field(default_factory=list)
    no_way_out: list[Stop] = field(default_factory=list)
    """Places where some play enters a loop that can never reach an ending."""
    dead_ends: list[Stop] = field(default_factory=list)
    """Places where a play stops without reaching an ending."""
    incomplete_reasons: list[str] = field(default_factory=list)
    audit: LessonAudit | None = None
    stopped: str | None = None
    """Why the exact exploration stopped early (time, memory, interrupted), or None."""
    interrupted: bool = False
    """True when the user interrupted the analysis (Ctrl-C)."""
    seconds: float = 0.0
    """How long the exact exploration ran."""
    classes: int = 0
    """Histories the exploration told apart (states without mood and loyalty)."""
    sampled: Sampled | None = None
    sampled_endings: list[EndingReport] = field(default_factory=list)
    """Endings and outcomes that only sampled plays reached (not in ``endings``)."""

    ladder: tuple[str, ...] = ()
    """The rulebook's outcomes, best first."""
    good: frozenset[str] = frozenset()
    """The rulebook's good outcomes (tone ``good``): the customer stays with the company."""

    @property
    def outcomes(self) -> list[str]:
        """The outcomes some play reaches (exactly or in a sample), best first."""
        seen: list[str] = []
        for ending in [*self.endings, *self.sampled_endings]:
            if ending.outcome not in seen:
                seen.append(ending.outcome)
        if self.ladder:
            seen.sort(key=self.ladder.index)
        return seen

    @property
    def good_outcome(self) -> bool:
        """True when some play ends with the customer staying (an outcome of tone ``good`` in the rulebook)."""
        return any(outcome in self.good for outcome in self.outcomes)

    @property
    def problems(self) -> int:
        """How many things ``--strict`` counts against the story."""
        return (
            len(self.unreached_nodes)
            + len(self.unreached_endings)
            + len(self.never_offered)
            + len(self.never_taken)
            + len(self.no_way_out)
            + len(self.dead_ends)
            + (0 if self.complete and not self.incomplete_reasons else 1)
            + (self.audit.problems if self.audit is not None else 0)
        )


def unread_flags(story: Story, tested: frozenset[str]) -> list[tuple[str, Location]]:
    """Flags the story sets that no condition (the story's or the rulebook's) ever reads."""
    found: dict[str, Location] = {}
    for node in story.nodes.values():
        for flag in node.sets:
            found.setdefault(flag, node.location)
        for choice in node.choices:
            for flag in choice.sets:
                found.setdefault(flag, choice.location)
    return [(flag, where) for flag, where in found.items() if flag not in tested]


def dead_end_reason(node: Node | None) -> str:
    if node is not None and not node.choices:
        return Deferred(N_("the conversation stops here: the node has no replies and is not an ending"))
    return Deferred(N_("the conversation stops here: no branch of the reply's 'next' holds"))


NO_REPLY_ON_OFFER = Deferred(N_("no reply is on offer here: the 'if' of every reply is false"))
NO_WAY_OUT = Deferred(N_("from here every play goes round without reaching an ending"))
