"""What presenter mode says in words: the prompt under the customer's line at each step of a turn,
the room line on the projector, and the reveal the phones are sent. Text only; the screen shows it.
"""

from __future__ import annotations

from roleplay.i18n import _, ngettext
from roleplay.play.engine import Session, TurnResult
from roleplay.play.voting import RoomVotes, Tally, TurnVotes
from roleplay.room.model import Reveal, Room
from roleplay.tui.room_link import voted_phrase
from roleplay.tui.widgets.feedback import KIND_MARKS, Note, turn_notes


def votes_phrase(count: int) -> str:
    return ngettext("{count} vote", "{count} votes", count).format(count=count)


def locked_phrase(record: TurnVotes) -> str:
    """'The room gave reply 2 (4 of 7 votes)' or 'The trainer gave reply 3 (1 of 7 votes)'."""
    if record.total:
        votes = ngettext("{given} of {count} vote", "{given} of {count} votes", record.total).format(
            given=record.counts[record.given - 1], count=record.total
        )
        if record.locked_by == "majority":
            return _("The room gave reply {number} ({votes}).").format(number=record.given, votes=votes)
        return _("The trainer gave reply {number} ({votes}).").format(number=record.given, votes=votes)
    if record.locked_by == "majority":
        return _("The room gave reply {number}.").format(number=record.given)
    return _("The trainer gave reply {number}.").format(number=record.given)


def phone_note(note: Note) -> str:
    """One coaching note as plain text for the phones: '✓ Acknowledge the feeling (+8 mood): why...'."""
    if note.kind == "remark":
        return note.title
    head = f"{KIND_MARKS.get(note.kind, '·')} {note.title}"
    if note.change:
        head += f" ({note.change})"
    return f"{head}: {note.explain}" if note.explain else head


def voting_prompt(tally: Tally | None, *, hidden: bool, phones: bool) -> str:
    """While the room votes: how to vote, or the count so far and what Enter will do."""
    if hidden:
        return _("The tally is hidden until the vote is locked in (h shows it).")
    if tally is None or tally.total == 0:
        if phones:
            return _("The room votes on their phones (or press a reply's number once per raised hand).")
        return _("The room votes: press a reply's number once per vote.")
    majority = tally.majority
    if majority is not None:
        return votes_phrase(tally.total) + " · " + _("reply {number} leads · Enter locks it in.").format(number=majority)
    leaders = tally.leaders
    return (
        votes_phrase(tally.total)
        + " · "
        + _("tie between {first} and {last}.").format(first=", ".join(map(str, leaders[:-1])), last=leaders[-1])
    )


def locked_prompt(record: TurnVotes | None) -> str:
    """A reply locked in: who gave it, and to predict its effect."""
    given = locked_phrase(record) if record is not None else ""
    return (given + " " + _("Predict the effect, then press r.")).strip()


def revealed_prompt(result: TurnResult | None, *, finished: bool) -> str:
    """The effect revealed: what was said, the mood's change, and what Enter does next."""
    change = ""
    if result is not None:
        mood = (
            _("Mood {before} → {after} ({change}).").format(
                before=result.mood_before, after=result.mood_after, change=f"{result.mood_change:+d}"
            )
            if result.mood_change
            else _("Mood stays at {mood}.").format(mood=result.mood_after)
        )
        change = _("You said: {reply}").format(reply=result.reply) + f"\n{mood} "
    if finished:
        return change + _("Enter: the room's summary.")
    return change + _("Enter: the customer's next line.")


def room_line(audience: Room, url: str, *, voting: bool) -> str:
    """'Room BCDFG · http://... · 12 of 15 joined have voted' (the projector's room line)."""
    parts = [voted_phrase(audience) if voting else _("{count} joined").format(count=audience.joined)]
    if not audience.joining_open:
        parts.append(_("joining closed"))
    parts += [_("Room {code}").format(code=audience.code), url]
    return " · ".join(parts)


def reveal_for_phones(result: TurnResult, session: Session, votes: RoomVotes) -> Reveal:
    """What the phones show after the reveal: the mood change, the coaching, the reply given."""
    record = votes.record_for(result.turn)
    notes = turn_notes(result, session.rulebook, session.story.customer.name, point_to_debrief=False)
    coaching = tuple(phone_note(note) for note in notes)
    closing = ""
    if result.finished:
        outcome = session.outcome
        words = " ".join(session.node.say) if session.node is not None else ""
        closing = " ".join(
            part
            for part in (f"{session.story.customer.name}: {words}" if words else "", outcome.label if outcome else "")
            if part
        )
    return Reveal(
        given=result.number,
        locked_by=record.locked_by if record is not None else "trainer",
        reply=result.reply,
        mood_before=result.mood_before,
        mood_after=result.mood_after,
        coaching=coaching,
        finished=result.finished,
        closing=closing,
    )
