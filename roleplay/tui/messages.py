"""Messages the widgets send to the screens that hold them, and the screens to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from roleplay.play.engine import Session


@dataclass
class ReplyChosen(Message):
    """The player picked a reply, by its number among the replies on offer (from 1)."""

    number: int


@dataclass
class DebriefRequested(Message):
    """The conversation is over and the player asked to see how it went."""


@dataclass
class RoomChanged(Message):
    """The room changed (a device joined, voted, left; a setting): redraw from the room's state.

    Posted by a :class:`~roleplay.tui.room_link.RoomFollower`; several changes in a row post one message.
    """


@dataclass
class ModeChosen(Message):
    """The player chose coach or exam mode for what comes next (from the debrief: play again in that mode)."""

    mode: str


@dataclass
class PlayFinished(Message):
    """A conversation has just ended: the app adds it to the learner's record."""

    session: Session
    coached: bool
