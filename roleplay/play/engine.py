"""The engine: plays a story turn by turn, scoring each reply with the rulebook.

Pure Python and deterministic: the same story, rulebook and picks always give
the same turns. :class:`Rules` holds the pure transition function over
immutable :class:`State` values (the analysis explores it); :class:`Session`
is one play-through with history, undo and save/restore.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from roleplay.i18n import N_, Deferred
from roleplay.rules.rulebook import WARNED, Ceiling, Outcome, Rulebook, Source, default_rulebook
from roleplay.story.model import Choice, Node, Story

MOOD_RANGE = (0, 100)
COUNTER_LIMIT = 10
"""Counters (open promises and the like) stop counting here."""

SAVE_FORMAT = 1


class ChoiceError(ValueError):
    """A pick that is not on offer, or a move in a finished conversation."""


@dataclass(frozen=True, slots=True)
class State:
    """Everything that decides what happens next; immutable and hashable."""

    node: str
    mood: int
    loyalty: int
    turn: int = 0
    """Replies given so far."""
    flags: frozenset[str] = frozenset()
    used: tuple[tuple[str, int], ...] = ()
    """How often each tactic was used, sorted by tactic."""
    counters: tuple[tuple[str, int], ...] = ()
    walked_out: bool = False
    finished: bool = False


@dataclass(frozen=True, slots=True)
class Effect:
    """One rule applied: its change to mood and loyalty, why, and where it comes from."""

    rule: str
    kind: str
    """'tactic', 'modifier', 'settlement' or 'walkout'."""
    tactic: str | None
    mood: int
    loyalty: int
    explain: str
    sources: tuple[Source, ...]
    """Where the rule comes from: every passage cited, the first being the main one."""

    @property
    def source(self) -> Source:
        return self.sources[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "tactic": self.tactic,
            "mood": self.mood,
            "loyalty": self.loyalty,
            "explain": self.explain,
            "source": self.source.to_json(),
            "sources": [source.to_json() for source in self.sources],
        }


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What one reply did: the moment it answered, its effects, and where it led."""

    turn: int
    node: str
    customer_said: tuple[str, ...]
    number: int
    """The reply's number as the player saw it (1-based among the replies on offer)."""
    choice_index: int
    reply: str
    tactics: tuple[str, ...]
    mood_before: int
    mood_after: int
    loyalty_before: int
    loyalty_after: int
    effects: tuple[Effect, ...]
    next_node: str | None
    walked_out: bool = False
    finished: bool = False
    ending: str | None = None
    settlement: tuple[Effect, ...] = ()
    outcome: str | None = None
    ceilings: tuple[str, ...] = ()
    """Ceilings that held the outcome below where loyalty alone would have put it."""

    @property
    def mood_change(self) -> int:
        return self.mood_after - self.mood_before

    def to_json(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "node": self.node,
            "customer_said": list(self.customer_said),
            "number": self.number,
            "reply": self.reply,
            "tactics": list(self.tactics),
            "mood_before": self.mood_before,
            "mood_after": self.mood_after,
            "effects": [effect.to_json() for effect in self.effects],
            "next": self.next_node,
            "walked_out": self.walked_out,
        }


@dataclass(frozen=True, slots=True)
class _Context:
    """A state as conditions see it, plus the reply being scored."""

    state: State
    traits: frozenset[str]
    reply: frozenset[str] = frozenset()

    @property
    def mood(self) -> int:
        return self.state.mood

    @property
    def loyalty(self) -> int:
        return self.state.loyalty

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def walked_out(self) -> bool:
        return self.state.walked_out

    @property
    def flags(self) -> frozenset[str]:
        return self.state.flags

    def count(self, tactic: str) -> int:
        for name, times in self.state.used:
            if name == tactic:
                return times
        return 0

    def counter(self, name: str) -> int:
        for counter, value in self.state.counters:
            if counter == name:
                return value
        return 0


def _clamp(value: int, low: int = MOOD_RANGE[0], high: int = MOOD_RANGE[1]) -> int:
    return low if value < low else high if value > high else value


def _bump(pairs: tuple[tuple[str, int], ...], changes: Mapping[str, int], limit: int) -> tuple[tuple[str, int], ...]:
    merged = dict(pairs)
    for name, change in changes.items():
        merged[name] = _clamp(merged.get(name, 0) + change, 0, limit)
    return tuple(sorted((name, value) for name, value in merged.items() if value))


class Rules:
    """A story and a rulebook together: the pure rules of one conversation."""

    def __init__(self, story: Story, rulebook: Rulebook | None = None) -> None:
        self.story = story
        self.rulebook = rulebook or default_rulebook()
        self.traits = frozenset(story.customer.traits)

    def context(self, state: State, reply: Sequence[str] = ()) -> _Context:
        return _Context(state, self.traits, frozenset(reply))

    def initial_state(self) -> State:
        customer = self.story.customer
        state = State(self.story.start, customer.mood, customer.loyalty)
        return self._arrive(state, self.story.nodes[self.story.start])

    def node(self, state: State) -> Node | None:
        return self.story.nodes.get(state.node)

    def offered(self, state: State) -> list[Choice]:
        """The replies on offer, in the order the player sees and numbers them."""
        node = self.node(state)
        if state.finished or node is None:
            return []
        context = self.context(state)
        return [choice for choice in node.choices if choice.condition is None or choice.condition(context)]

    def score(self, state: State, tactics: Sequence[str]) -> list[Effect]:
        """The effects of a reply using ``tactics`` in ``state``, tactic by tactic."""
        context = self.context(state, tactics)
        effects: list[Effect] = []
        for name in tactics:
            tactic = self.rulebook.tactics[name]
            effects.append(Effect(name, "tactic", name, tactic.mood, tactic.loyalty, tactic.explain, tactic.sources))
            for modifier in self.rulebook.modifiers_for(name):
                if modifier.when(context):
                    effects.append(
                        Effect(modifier.id, "modifier", name, modifier.mood, modifier.loyalty, modifier.explain, modifier.sources)
                    )
        return effects

    def apply(self, state: State, choice: Choice, number: int = 0) -> tuple[State, TurnResult]:
        """Give ``choice`` in ``state``: the next state and what happened."""
        node = self.story.nodes[state.node]
        effects = self.score(state, choice.tactics)
        counter_changes: dict[str, int] = {}
        for name in choice.tactics:
            for counter, change in self.rulebook.tactics[name].counters.items():
                counter_changes[counter] = counter_changes.get(counter, 0) + change
        moved = State(
            node=state.node,
            mood=_clamp(state.mood + sum(e.mood for e in effects)),
            loyalty=_clamp(state.loyalty + sum(e.loyalty for e in effects)),
            turn=state.turn + 1,
            flags=(state.flags | frozenset(choice.sets)) - frozenset(choice.clears),
            used=_bump(state.used, {name: 1 for name in choice.tactics}, 1_000_000),
            counters=_bump(state.counters, counter_changes, COUNTER_LIMIT),
        )
        walked_out = self.rulebook.walkout.when(self.context(moved))
        next_id = self.story.walkout if walked_out else self._branch(moved, choice)
        # The state after the reply, built once (the analysis applies millions of replies).
        node_id, flags, finished = moved.node, moved.flags, walked_out or next_id is None
        if next_id is not None:
            arrived = self.story.nodes[next_id]
            node_id, flags = next_id, self._arrival_flags(flags, arrived)
            finished = finished or arrived.end or not arrived.choices
        after = State(node_id, moved.mood, moved.loyalty, moved.turn, flags, moved.used, moved.counters, walked_out, finished)
        settlement: tuple[Effect, ...] = ()
        outcome = None
        ceilings: tuple[str, ...] = ()
        if after.finished:
            settlement = tuple(self.settlement(after))
            outcome = self.outcome(after).id
            ceilings = tuple(c.id for c in self.holding_ceilings(after))
        result = TurnResult(
            turn=after.turn,
            node=node.id,
            customer_said=node.say,
            number=number,
            choice_index=choice.index,
            reply=choice.reply,
            tactics=choice.tactics,
            mood_before=state.mood,
            mood_after=after.mood,
            loyalty_before=state.loyalty,
            loyalty_after=after.loyalty,
            effects=tuple(effects),
            next_node=next_id,
            walked_out=walked_out,
            finished=after.finished,
            ending=next_id if after.finished and next_id and self.story.nodes[next_id].end else None,
            settlement=settlement,
            outcome=outcome,
            ceilings=ceilings,
        )
        return after, result

    def _branch(self, state: State, choice: Choice) -> str | None:
        context = self.context(state)
        for branch in choice.branches:
            if branch.condition is None or branch.condition(context):
                return branch.goto
        return None

    def _arrive(self, state: State, node: Node) -> State:
        finished = node.end or not node.choices
        return replace(state, flags=self._arrival_flags(state.flags, node), finished=finished or state.finished)

    @staticmethod
    def _arrival_flags(flags: frozenset[str], node: Node) -> frozenset[str]:
        """The flags on arriving at ``node``: those it sets added, those it clears taken away."""
        return (flags | frozenset(node.sets)) - frozenset(node.clears)

    def settlement(self, state: State) -> list[Effect]:
        """End-of-conversation effects (unkept promises and the like)."""
        context = self.context(state)
        effects = []
        for rule in self.rulebook.settlement:
            times = context.counter(rule.per)
            if times:
                effects.append(Effect(rule.id, "settlement", None, 0, rule.loyalty * times, rule.explain, rule.sources))
        return effects

    def final_loyalty(self, state: State) -> int:
        return _clamp(state.loyalty + sum(e.loyalty for e in self.settlement(state)))

    def outcome(self, state: State) -> Outcome:
        """The rung a finished state lands on: the ladder (settlement included), then the ceilings."""
        return self.rulebook.rung(self._settled_context(state))

    def holding_ceilings(self, state: State) -> tuple[Ceiling, ...]:
        """The ceilings that keep a finished state below the rung its loyalty and mood earn."""
        context = self._settled_context(state)
        ladder = [o.id for o in self.rulebook.outcomes]
        earned = next((o.id for o in self.rulebook.outcomes if o.when is None or o.when(context)), ladder[-1])
        return tuple(c for c in self.rulebook.ceilings_for(context) if ladder.index(c.best) > ladder.index(earned))

    def _settled_context(self, state: State) -> _Context:
        return self.context(replace(state, loyalty=self.final_loyalty(state)))


@dataclass
class Session:
    """One play-through of a story: current state, history, undo, save and restore."""

    story: Story
    rulebook: Rulebook = field(default_factory=default_rulebook)
    rules: Rules = field(init=False)
    state: State = field(init=False)
    history: list[tuple[State, TurnResult]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.rules = Rules(self.story, self.rulebook)
        self.state = self.rules.initial_state()

    # reading -----------------------------------------------------------------
    @property
    def node(self) -> Node | None:
        return self.rules.node(self.state)

    @property
    def mood(self) -> int:
        return self.state.mood

    @property
    def loyalty(self) -> int:
        """Loyalty now; once finished, with the settlement applied."""
        return self.rules.final_loyalty(self.state) if self.finished else self.state.loyalty

    @property
    def mood_word(self) -> str:
        return self.rulebook.mood_word(self.state.mood)

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def walked_out(self) -> bool:
        return self.state.walked_out

    @property
    def ending(self) -> str | None:
        node = self.node
        return node.id if self.finished and node is not None and node.end else None

    @property
    def outcome(self) -> Outcome | None:
        return self.rules.outcome(self.state) if self.finished else None

    @property
    def settlement(self) -> list[Effect]:
        return self.rules.settlement(self.state) if self.finished else []

    @property
    def marks(self) -> list[tuple[TurnResult, tuple[str, ...]]]:
        """The replies that used tactics the articles warn against, with those tactics."""
        tactics = self.rulebook.tactics
        found = []
        for result in self.turns:
            warned = tuple(name for name in result.tactics if tactics[name].kind == WARNED)
            if warned:
                found.append((result, warned))
        return found

    @property
    def ceilings(self) -> tuple[Ceiling, ...]:
        """Once finished, the ceilings that held the outcome below what loyalty earned."""
        return self.rules.holding_ceilings(self.state) if self.finished else ()

    @property
    def turns(self) -> list[TurnResult]:
        return [result for _, result in self.history]

    @property
    def picks(self) -> list[int]:
        return [result.number for result in self.turns]

    def offered(self) -> list[Choice]:
        return self.rules.offered(self.state)

    # acting ------------------------------------------------------------------
    def choose(self, number: int) -> TurnResult:
        """Give reply ``number`` (1-based among the replies on offer)."""
        if self.finished:
            raise ChoiceError(Deferred(N_("the conversation has ended; there is nothing more to reply to")))
        offered = self.offered()
        if not 1 <= number <= len(offered):
            raise ChoiceError(
                Deferred(
                    N_("reply {number} is not on offer at node {node!r}; choose from 1 to {count}"),
                    number=number,
                    node=self.state.node,
                    count=len(offered),
                )
            )
        before = self.state
        self.state, result = self.rules.apply(before, offered[number - 1], number)
        self.history.append((before, result))
        return result

    def undo(self) -> TurnResult | None:
        """Take back the last reply; returns it, or None at the start."""
        if not self.history:
            return None
        self.state, result = self.history.pop()
        return result

    def restart(self) -> None:
        self.history.clear()
        self.state = self.rules.initial_state()

    # saving ------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format": SAVE_FORMAT,
            "story": self.story.path,
            "title": self.story.title,
            "picks": self.picks,
            "mood": self.mood,
            "loyalty": self.state.loyalty,
            "node": self.state.node,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, story: Story, data: Mapping[str, Any], rulebook: Rulebook | None = None) -> Session:
        """Rebuild a saved session by replaying its picks; the saved state must match.

        Anything that is not a save of this story raises :class:`ValueError` with a message.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a saved session is a JSON object, not {_json_kind(data)}")
        if data.get("format") != SAVE_FORMAT:
            raise ValueError(f"unknown save format {data.get('format')!r}; expected {SAVE_FORMAT}")
        picks = data.get("picks")
        if not isinstance(picks, list) or not all(isinstance(p, int) and not isinstance(p, bool) for p in picks):
            raise ValueError("the save has no list of picks")
        again = replay(story, picks, rulebook)
        if again.error is not None:
            raise again.error
        session = again.session
        if (session.state.node, session.mood, session.state.loyalty) != (data.get("node"), data.get("mood"), data.get("loyalty")):
            raise ValueError("the story has changed since this session was saved; the replies no longer lead to the same place")
        return session

    @classmethod
    def loads(cls, story: Story, text: str, rulebook: Rulebook | None = None) -> Session:
        try:
            data = json.loads(text)
        except RecursionError:
            raise ValueError("the save is not valid JSON: it is nested too deeply") from None
        except ValueError as exc:
            raise ValueError(f"the save is not valid JSON: {exc}") from None
        return cls.from_json(story, data, rulebook)


@dataclass(frozen=True)
class Replay:
    """Picks given again, one by one, onto a fresh session of a story."""

    session: Session
    replayed: int
    """How many of the picks were given: all of them, unless one was refused."""
    refused: int | None = None
    """The pick that was not on offer (the one after ``replayed``), where the replay stopped."""
    error: ChoiceError | None = None
    """Why that pick was refused; None when every pick was given."""


def replay(story: Story, picks: Sequence[int], rulebook: Rulebook | None = None) -> Replay:
    """Give ``picks`` again in a new session of ``story``, up to the first that is not on offer."""
    session = Session(story, rulebook or default_rulebook())
    for position, number in enumerate(picks):
        try:
            session.choose(number)
        except ChoiceError as exc:
            return Replay(session, position, number, exc)
    return Replay(session, len(picks))


def _json_kind(value: object) -> str:
    """How JSON would name ``value``'s type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
