"""Messages the widgets send to the screens that hold them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ReplyChosen(Message):
    """The player picked a reply, by its number among the replies on offer (from 1)."""

    number: int


@dataclass
class DebriefRequested(Message):
    """The conversation is over and the player asked to see how it went."""
