"""The room's state: who has joined, the turn being voted on, each device's vote, and what is revealed.

Pure Python. The projector (presenter mode) drives it: it opens a vote on a
turn, locks in the reply given, reveals its effect. Participants join with
the room's code and vote; each device holds one vote per turn, which it can
change until the vote is locked in. Votes are anonymous: a participant's view
holds only their own vote, and the projector sees only the counts.

Every change bumps :attr:`Room.version` and is announced to the listeners
(:meth:`Room.subscribe`) as a :class:`RoomEvent`; the server pushes new views
to the phones and the app redraws the projector from them.

What a phone reads is in the room's :attr:`Room.language` (the presenter's):
the model's refusals are English source strings, translated where they are
sent (:mod:`roleplay.room.text`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from roleplay.i18n import DEFAULT_LANGUAGE, N_
from roleplay.room.text import Phrases

CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
"""Consonants only: no words can be spelt, nothing to confuse (no 0/O, 1/I)."""
CODE_LENGTH = 5
"""20**5 = 3.2 million codes; with the server's connection limit, guessing one takes weeks."""
MAX_PARTICIPANTS = 500
"""A room is a training room: beyond this, joining is refused."""

Phase = Literal["waiting", "voting", "locked", "revealed", "finished"]
"""Nothing to vote on yet; voting; the reply locked in (effect hidden); the effect shown; the conversation over."""
EventKind = Literal["joined", "connected", "disconnected", "voted", "removed", "phase", "settings", "language"]


class RoomError(ValueError):
    """Something the room's rules do not allow; the message is for the participant's screen."""

    def __init__(self, message: str, reason: str = "rule") -> None:
        """``message`` is an English source string of :data:`roleplay.room.text.REFUSALS`."""
        super().__init__(message)
        self.reason = reason
        """'code' (wrong code), 'removed', 'closed' (joining closed), 'full' or 'rule'."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a participant typed, as a code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in text.upper() if ch not in " -")


@dataclass
class Participant:
    """One device in the room; known to the room by a random token, shown as 'Phone N'."""

    token: str
    number: int
    """Shown on the phone and in the trainer's list, so the trainer can remove a device without a name."""
    connections: int = 0
    """Open websockets for this device (a reconnect may overlap the old one for a moment)."""

    @property
    def connected(self) -> bool:
        return self.connections > 0


@dataclass(frozen=True)
class Ballot:
    """What the room votes on at one turn: the customer's words and the replies (numbered from 1)."""

    turn: int
    line: str
    replies: tuple[str, ...]
    key: str = ""
    """Where in the story the turn is (its node): the same turn in another language is the same ballot."""

    def same_turn(self, other: Ballot) -> bool:
        """The same turn of the same conversation, whatever language its words are in."""
        return (self.turn, self.key, len(self.replies)) == (other.turn, other.key, len(other.replies))


@dataclass(frozen=True)
class Reveal:
    """The effect of the reply given, for the phones: the mood change and the coaching."""

    given: int
    locked_by: Literal["majority", "trainer"]
    reply: str
    mood_before: int
    mood_after: int
    coaching: tuple[str, ...] = ()
    finished: bool = False
    closing: str = ""
    """At the end: the customer's last words and the outcome, for the phones."""


@dataclass(frozen=True)
class RoomTurn:
    """The record of one locked turn, for the room summary: how many were in the room and how they voted."""

    turn: int
    joined: int
    counts: tuple[int, ...]

    @property
    def voted(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class RoomEvent:
    """A change in the room: its kind, and the device concerned (None for the whole room)."""

    kind: EventKind
    token: str | None = None
    version: int = 0


Listener = Callable[[RoomEvent], None]


@dataclass
class Room:
    """A room of participants voting from their devices, driven by the projector."""

    code: str = field(default_factory=lambda: new_code())
    joining_open: bool = True
    tally_hidden: bool = False
    """Hide the live counts on the projector until the vote is locked in."""
    participants: dict[str, Participant] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    phase: Phase = "waiting"
    ballot: Ballot | None = None
    votes: dict[str, int] = field(default_factory=dict)
    """This turn's votes: device token -> reply number."""
    reveal_shown: Reveal | None = None
    turns: list[RoomTurn] = field(default_factory=list)
    """The locked turns, for the summary."""
    version: int = 0
    language: str = DEFAULT_LANGUAGE
    """The language the phones read (the presenter's)."""
    _kept: dict[int, tuple[Ballot, dict[str, int]]] = field(default_factory=dict)
    """The votes of locked turns, so a taken-back turn reopens with them."""
    _listeners: list[Listener] = field(default_factory=list)
    _numbers: int = 0

    # listening ------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _changed(self, kind: EventKind, token: str | None = None) -> None:
        self.version += 1
        event = RoomEvent(kind, token, self.version)
        for listener in list(self._listeners):
            listener(event)

    # joining --------------------------------------------------------------------
    def check_code(self, code: str) -> bool:
        return secrets.compare_digest(normalise_code(code), self.code)

    def join(self, code: str, token: str | None = None) -> Participant:
        """A device joins (or comes back, with the token it was given): raises :class:`RoomError` when refused."""
        if not self.check_code(code):
            raise RoomError(N_("That is not this room's code."), "code")
        if token is not None and token in self.removed:
            raise RoomError(N_("The trainer has removed this device from the room."), "removed")
        if token is not None and token in self.participants:
            participant = self.participants[token]
            participant.connections += 1
            self._changed("connected", token)
            return participant
        if not self.joining_open:
            raise RoomError(N_("The room is closed to new participants."), "closed")
        if len(self.participants) >= MAX_PARTICIPANTS:
            raise RoomError(N_("The room is full."), "full")
        self._numbers += 1
        participant = Participant(secrets.token_urlsafe(16), self._numbers, connections=1)
        self.participants[participant.token] = participant
        self._changed("joined", participant.token)
        return participant

    def disconnect(self, token: str) -> None:
        """A device's connection closed; its vote stands (it may come back)."""
        participant = self.participants.get(token)
        if participant is not None and participant.connections:
            participant.connections -= 1
            self._changed("disconnected", token)

    def remove(self, token: str) -> None:
        """The trainer removes a device: its vote on the open turn goes, and it cannot come back."""
        if token not in self.participants:
            raise RoomError(N_("No such participant."))
        del self.participants[token]
        self.removed.add(token)
        self.votes.pop(token, None)
        self._changed("removed", token)

    def set_joining(self, open_: bool) -> None:
        self.joining_open = open_
        self._changed("settings")

    def set_tally_hidden(self, hidden: bool) -> None:
        self.tally_hidden = hidden
        self._changed("settings")

    def set_language(self, language: str) -> None:
        """The phones read ``language`` from now on (their page and every view)."""
        if language != self.language:
            self.language = language
            self._changed("language")

    @property
    def phrases(self) -> Phrases:
        return Phrases(self.language)

    # voting ---------------------------------------------------------------------
    def open_vote(self, turn: int, line: str, replies: Sequence[str], key: str = "") -> None:
        """Voting opens on ``turn`` (at node ``key``); a turn taken back reopens with the votes it had.

        A turn already open stays open with its votes: presenter mode switched off
        and on again, or the language switched (the new words replace the old).
        """
        ballot = Ballot(turn, line, tuple(replies), key)
        if self.phase == "voting" and self.ballot is not None and self.ballot.same_turn(ballot):
            if ballot != self.ballot:
                self.ballot = ballot
                self._changed("phase")
            return
        kept = self._kept.pop(turn, None)
        self.votes = {}
        if kept is not None and kept[0].same_turn(ballot):
            self.votes = {token: number for token, number in kept[1].items() if token in self.participants}
        self._kept = {number: value for number, value in self._kept.items() if number < turn}
        self.turns = [record for record in self.turns if record.turn < turn]
        self.ballot = ballot
        self.phase = "voting"
        self.reveal_shown = None
        self._changed("phase")

    def vote(self, token: str, turn: int, number: int) -> None:
        """A device's vote for reply ``number`` on ``turn`` (replacing its earlier one)."""
        if token not in self.participants:
            raise RoomError(N_("You are not in this room."))
        ballot = self.ballot
        if self.phase != "voting" or ballot is None or ballot.turn != turn:
            raise RoomError(N_("Voting on that turn is closed."))
        if not 1 <= number <= len(ballot.replies):
            raise RoomError(N_("That reply is not on offer."))
        if self.votes.get(token) == number:
            return
        self.votes[token] = number
        self._changed("voted", token)

    def clear_votes(self) -> None:
        """The trainer starts this turn's count again: every device votes afresh."""
        if self.votes:
            self.votes = {}
            self._changed("phase")

    def counts(self) -> list[int]:
        """The devices' votes per reply on the open (or just locked) turn."""
        options = len(self.ballot.replies) if self.ballot is not None else 0
        counts = [0] * options
        for number in self.votes.values():
            if 1 <= number <= options:
                counts[number - 1] += 1
        return counts

    @property
    def joined(self) -> int:
        """Participants in the room now: connected, or (connection lost) with a vote on this turn."""
        return sum(1 for token, p in self.participants.items() if p.connected or token in self.votes)

    @property
    def voted(self) -> int:
        return len(self.votes)

    def lock(self) -> RoomTurn:
        """The vote is locked in: no more changes; the turn is recorded for the summary."""
        if self.ballot is None or self.phase != "voting":
            raise RoomError("There is no vote open.")
        record = RoomTurn(self.ballot.turn, self.joined, tuple(self.counts()))
        self.turns.append(record)
        self._kept[self.ballot.turn] = (self.ballot, dict(self.votes))
        self.phase = "locked"
        self._changed("phase")
        return record

    def reveal(self, reveal: Reveal) -> None:
        """The projector reveals the effect of the reply given; the phones show it."""
        if self.phase != "locked":
            raise RoomError("Nothing is locked in to reveal.")
        self.reveal_shown = reveal
        self.phase = "finished" if reveal.finished else "revealed"
        self._changed("phase")

    def restart(self) -> None:
        """The story starts again: no vote open, no turns recorded."""
        self.ballot = None
        self.votes = {}
        self._kept = {}
        self.turns = []
        self.reveal_shown = None
        self.phase = "waiting"
        self._changed("phase")

    def participants_by_number(self) -> list[Participant]:
        return sorted(self.participants.values(), key=lambda p: p.number)

    # what a phone sees ----------------------------------------------------------
    def view_for(self, token: str) -> dict[str, Any]:
        """Everything one device may see, as JSON, in the room's language: never another device's vote."""
        phrases = self.phrases
        participant = self.participants.get(token)
        if participant is None:
            return {"type": "removed", "message": phrases("The trainer has removed this device from the room.")}
        mine = self.votes.get(token)
        view: dict[str, Any] = {
            "type": "state",
            "lang": phrases.language,
            "phase": self.phase,
            "you": phrases.phone(participant.number),
            "vote": mine,
            "status": phrases.status(self.phase, mine),
        }
        ballot = self.ballot
        if ballot is not None and self.phase != "waiting":
            view.update(turn=ballot.turn, line=ballot.line, replies=list(ballot.replies), turn_label=phrases.turn(ballot.turn))
        if self.phase == "voting":
            view["hint"] = phrases.anonymous()
        elif self.phase != "waiting" and self.turns and ballot is not None and self.turns[-1].turn == ballot.turn:
            view["hint"] = phrases.phones_voted(self.turns[-1].voted)
        reveal = self.reveal_shown
        if reveal is not None and self.phase in ("revealed", "finished"):
            change = reveal.mood_after - reveal.mood_before
            view["reveal"] = {
                "given": reveal.given,
                "reply": reveal.reply,
                "mood_before": reveal.mood_before,
                "mood_after": reveal.mood_after,
                "mood_change": change,
                "mood": phrases.mood(reveal.mood_before, reveal.mood_after),
                "given_text": phrases.given(reveal.given, reveal.reply),
                "coaching": list(reveal.coaching),
                "closing": reveal.closing,
                "summary": phrases.vote_sentence(mine, reveal),
            }
        return view
