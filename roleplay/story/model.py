"""The story model: a customer conversation as a graph of nodes, as loaded from a story file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from roleplay.parsing.conditions import Condition
from roleplay.parsing.diagnostics import Location


@dataclass(frozen=True, slots=True)
class Branch:
    """One arm of a reply's ``next``: go to ``goto`` if ``condition`` holds (or always)."""

    goto: str
    condition: Condition | None
    location: Location


@dataclass(frozen=True, slots=True)
class Choice:
    """A reply the player can give, with the tactics it uses."""

    index: int
    """Position among all of the node's replies, from 0."""
    reply: str
    tactics: tuple[str, ...]
    branches: tuple[Branch, ...]
    condition: Condition | None
    sets: tuple[str, ...]
    clears: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Node:
    """A point in the conversation: what the customer says and the replies on offer."""

    id: str
    say: tuple[str, ...]
    choices: tuple[Choice, ...]
    end: bool
    sets: tuple[str, ...]
    clears: tuple[str, ...]
    location: Location
    outcomes: tuple[str, ...] = ()
    """For an ending: the outcomes its words fit (the lesson audit checks every play
    that ends here lands on one of them). Empty when the ending does not say."""


@dataclass(frozen=True, slots=True)
class Customer:
    name: str
    about: str
    mood: int
    loyalty: int
    traits: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Playtest:
    """A recorded play-through the story promises: these picks reach this outcome."""

    picks: tuple[int, ...]
    outcome: str | None
    ending: str | None
    location: Location


@dataclass(frozen=True)
class Story:
    """A whole story file, checked and ready to play."""

    path: str
    title: str
    language: str
    summary: str
    sources: tuple[str, ...]
    customer: Customer
    start: str
    walkout: str | None
    """The node that plays when the customer walks out, or None for the engine's own."""
    nodes: Mapping[str, Node]
    playtests: tuple[Playtest, ...] = ()

    @property
    def endings(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.end]
