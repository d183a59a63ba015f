"""The room's votes in group training: a tally per turn, the reply locked in, and how divided the room was.

Pure Python, like the engine, and independent of it: a turn is a number of
replies on offer (numbered from 1, as the player sees them) and the votes the
trainer records for each.

Votes come two ways: keyed in by the trainer (``counts``) and sent from the
participants' phones (``remote``, set from the room as a whole). The rules
below apply to the two together (``votes``).

Rules, as the presenter screen and the room summary explain them:

* **Votes** are counts per reply. Removing a vote from a reply that has none
  does nothing: counts never go negative.
* **Majority** means the reply with the most votes (a plurality, not
  necessarily more than half the room). **Tie rule:** when two or more replies
  share the most votes, or nobody has voted, there is no majority; the trainer
  breaks the tie by choosing the reply to give (or by recording more votes).
* **Division** of a turn is the share of the room's votes that fell outside the
  largest group: ``1 - most / total``. 0 means everyone agreed; a two-way even
  split is 0.5; it cannot reach 1. A turn nobody voted on has no division. The
  *most divided* turns are those with the highest division; they are where the
  room's discussion is worth revisiting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

LockedBy = Literal["majority", "trainer"]
"""How a reply was locked in: the room's majority, or the trainer's choice."""


class VoteError(ValueError):
    """A vote or lock that the rules do not allow; the message says why, for the screen."""


def _check_number(number: int, options: int) -> None:
    if not 1 <= number <= options:
        raise VoteError(f"there is no reply {number}; the replies are numbered 1 to {options}")


def leaders_of(counts: Sequence[int]) -> tuple[int, ...]:
    """The reply numbers (1-based) with the most votes; empty when nobody has voted."""
    most = max(counts, default=0)
    if most == 0:
        return ()
    return tuple(number for number, count in enumerate(counts, start=1) if count == most)


def division_of(counts: Sequence[int]) -> float | None:
    """The share of votes outside the largest group (0 = unanimous), or None with no votes."""
    total = sum(counts)
    if total == 0:
        return None
    return 1 - max(counts) / total


@dataclass
class Tally:
    """The room's votes on the replies on offer at one turn."""

    options: int
    """How many replies are on offer (numbered 1 to ``options``)."""
    counts: list[int] = field(default_factory=list)
    """The votes the trainer keyed in, per reply."""
    remote: list[int] = field(default_factory=list)
    """The votes from participants' phones, per reply (the room sets them all at once)."""

    def __post_init__(self) -> None:
        if self.options < 1:
            raise VoteError("a vote needs at least one reply on offer")
        if not self.counts:
            self.counts = [0] * self.options
        if not self.remote:
            self.remote = [0] * self.options
        for counts in (self.counts, self.remote):
            if len(counts) != self.options or any(count < 0 for count in counts):
                raise VoteError("a tally needs one count of zero or more per reply")

    @property
    def votes(self) -> list[int]:
        """All the votes per reply: keyed in and from phones."""
        return [keyed + remote for keyed, remote in zip(self.counts, self.remote, strict=False)]

    def set_remote(self, counts: Sequence[int]) -> None:
        """The phones' votes per reply, as the room counts them now."""
        if len(counts) != self.options or any(count < 0 for count in counts):
            raise VoteError("a tally needs one count of zero or more per reply")
        self.remote = list(counts)

    def add(self, number: int) -> int:
        """One more vote for reply ``number``; returns its new count."""
        _check_number(number, self.options)
        self.counts[number - 1] += 1
        return self.counts[number - 1]

    def remove(self, number: int) -> int:
        """One vote fewer for reply ``number`` (never below zero); returns its new count."""
        _check_number(number, self.options)
        if self.counts[number - 1]:
            self.counts[number - 1] -= 1
        return self.counts[number - 1]

    def clear(self) -> None:
        """Forget every vote of this turn (the room clears the phones' votes itself)."""
        self.counts = [0] * self.options
        self.remote = [0] * self.options

    def count(self, number: int) -> int:
        _check_number(number, self.options)
        return self.counts[number - 1] + self.remote[number - 1]

    @property
    def total(self) -> int:
        return sum(self.counts) + sum(self.remote)

    def share(self, number: int) -> float:
        """Reply ``number``'s share of the votes (0 when nobody has voted)."""
        total = self.total
        return self.count(number) / total if total else 0.0

    @property
    def leaders(self) -> tuple[int, ...]:
        return leaders_of(self.votes)

    @property
    def majority(self) -> int | None:
        """The one reply with the most votes; None on a tie or with no votes."""
        leaders = self.leaders
        return leaders[0] if len(leaders) == 1 else None

    @property
    def division(self) -> float | None:
        return division_of(self.votes)

    def why_no_majority(self) -> str:
        """A sentence for the screen when Enter finds no majority."""
        leaders = self.leaders
        if not leaders:
            return "No votes yet: record the room's votes, or choose a reply yourself."
        listed = ", ".join(str(n) for n in leaders[:-1]) + f" and {leaders[-1]}"
        return f"Tie between replies {listed}: add a vote, or choose the reply yourself."


@dataclass(frozen=True, slots=True)
class TurnVotes:
    """The record of one turn's vote: the counts, the reply given, and how it was chosen."""

    turn: int
    """The turn number, from 1."""
    counts: tuple[int, ...]
    given: int
    """The reply number locked in and given to the customer."""
    locked_by: LockedBy
    replies: tuple[str, ...] = ()
    """The replies' text as offered, for the summary (optional)."""
    remote: tuple[int, ...] = ()
    """How many of ``counts`` came from participants' phones, per reply (empty: none did)."""

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def leaders(self) -> tuple[int, ...]:
        return leaders_of(self.counts)

    @property
    def division(self) -> float | None:
        return division_of(self.counts)

    @property
    def against(self) -> float | None:
        """The share of votes for some other reply than the one given; None with no votes."""
        total = self.total
        return None if total == 0 else 1 - self.counts[self.given - 1] / total

    @property
    def went_with_room(self) -> bool:
        """True when the reply given was one of those with the most votes."""
        return self.given in self.leaders

    def reply_text(self, number: int) -> str:
        return self.replies[number - 1] if 0 < number <= len(self.replies) else ""


@dataclass
class RoomVotes:
    """A whole session's voting: the open tally and the record of every locked turn.

    Turns are numbered as the conversation numbers them (from 1). A turn played
    without a vote (before presenter mode was switched on, say) simply has no
    record.
    """

    records: list[TurnVotes] = field(default_factory=list)
    tally: Tally | None = None
    replies: tuple[str, ...] = ()
    """The text of the replies on offer in the open turn."""
    turn: int = 1
    """The turn being voted on (or the next one)."""

    def open(self, options: int | Sequence[str], turn: int | None = None) -> Tally:
        """Start the vote on a turn (by default the one after the last record): a number of replies, or their texts."""
        if turn is not None:
            if turn < 1:
                raise VoteError("turns are numbered from 1")
            if self.records and turn <= self.records[-1].turn:
                raise VoteError(f"turn {turn} already has a vote; take it back first")
            self.turn = turn
        else:
            self.turn = self.records[-1].turn + 1 if self.records else 1
        if isinstance(options, int):
            self.replies = ()
            self.tally = Tally(options)
        else:
            self.replies = tuple(options)
            self.tally = Tally(len(self.replies))
        return self.tally

    def _open_tally(self) -> Tally:
        if self.tally is None:
            raise VoteError("there is no vote open: the conversation has ended")
        return self.tally

    def add(self, number: int) -> int:
        return self._open_tally().add(number)

    def remove(self, number: int) -> int:
        return self._open_tally().remove(number)

    def lock(self, number: int | None = None) -> TurnVotes:
        """Lock in reply ``number`` (the trainer's choice), or the majority when None.

        Raises :class:`VoteError` when there is no majority (a tie, or no votes)
        or the number is not on offer. Closes the tally; call :meth:`open` for
        the next turn.
        """
        tally = self._open_tally()
        locked_by: LockedBy
        if number is None:
            majority = tally.majority
            if majority is None:
                raise VoteError(tally.why_no_majority())
            given, locked_by = majority, "majority"
        else:
            _check_number(number, tally.options)
            given = number
            locked_by = "majority" if tally.majority == number else "trainer"
        remote = tuple(tally.remote) if any(tally.remote) else ()
        record = TurnVotes(self.turn, tuple(tally.votes), given, locked_by, self.replies, remote)
        self.records.append(record)
        self.tally = None
        self.replies = ()
        self.turn += 1
        return record

    def take_back(self) -> TurnVotes | None:
        """Undo the last turn (when its reply is taken back): reopen its tally with its votes.

        Returns the record taken back, or None when the last turn had no vote
        (the tally is then closed; open the turn again).
        """
        self.tally = None
        self.replies = ()
        self.turn = max(1, self.turn - 1)
        if not self.records or self.records[-1].turn != self.turn:
            return None
        record = self.records.pop()
        remote = list(record.remote) or [0] * len(record.counts)
        keyed = [count - phones for count, phones in zip(record.counts, remote, strict=False)]
        self.tally = Tally(len(record.counts), keyed, remote)
        self.replies = record.replies
        return record

    def keep_matching(self, picks: Sequence[int]) -> None:
        """Forget records that no longer match the conversation: ``picks[i]`` is the reply given at turn ``i + 1``.

        Closes any open tally; open the next turn afterwards.
        """
        kept = []
        for record in self.records:
            if record.turn > len(picks) or picks[record.turn - 1] != record.given:
                break
            kept.append(record)
        self.records = kept
        self.tally = None
        self.replies = ()
        self.turn = len(picks) + 1

    def record_for(self, turn: int) -> TurnVotes | None:
        return next((record for record in self.records if record.turn == turn), None)

    def most_divided(self) -> list[TurnVotes]:
        """The turns with the highest division (several on a tie); empty if no turn had votes."""
        voted = [record for record in self.records if record.division is not None]
        if not voted:
            return []
        highest = max(record.division for record in voted)  # type: ignore[type-var]
        return [record for record in voted if record.division == highest]

    @property
    def total_votes(self) -> int:
        return sum(record.total for record in self.records)
