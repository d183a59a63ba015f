"""What the phones read, in the room's language: the page's labels, each view's lines and the refusals.

The room's language is the presenter's (``--lang``, or a switch in the app).
Every string here goes through the interface catalogues
(``roleplay/locale/<lang>/LC_MESSAGES/roleplay.po``), looked up in the room's
language rather than the app's current one, so the server can speak to the
phones while the app is busy. The story's own words (the customer's line, the
replies, the coaching) come already in that language from the story's text
layer and the translated rulebook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, translations

if TYPE_CHECKING:
    from roleplay.room.model import Reveal

PAGE_STRINGS = {
    "title": N_("Roleplay room"),
    "code_label": N_("The room's code, as shown on the screen"),
    "join": N_("Join the room"),
    "connecting": N_("Connecting…"),
    "enter_code": N_("Enter the code shown on the screen."),
    "joining": N_("Joining…"),
    "reconnecting": N_("Connection lost: reconnecting…"),
}
"""The page's own words, by the name the page knows them by: in the page as served, and sent again when the language changes."""

REFUSALS = (
    N_("That is not this room's code."),
    N_("The trainer has removed this device from the room."),
    N_("The room is closed to new participants."),
    N_("The room is full."),
    N_("You are not in this room."),
    N_("Voting on that turn is closed."),
    N_("That reply is not on offer."),
    N_("Too many requests; wait a moment."),
    N_("Too many connections; wait a moment."),
    N_("Connect from the room's own page."),
)
"""What a phone may be told when something is refused (the model and the server raise these in English)."""


class Phrases:
    """The phones' words in one language (English for a language the game does not have)."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._catalogue = translations(self.language)

    def __call__(self, message: str) -> str:
        """``message`` (an English source string from the catalogues) in this language."""
        return self._catalogue.gettext(message)

    def page(self) -> dict[str, str]:
        return {name: self(text) for name, text in PAGE_STRINGS.items()}

    def phone(self, number: int) -> str:
        return self._catalogue.gettext("Phone {number}").format(number=number)

    def turn(self, number: int) -> str:
        return self._catalogue.gettext("Turn {number}").format(number=number)

    def status(self, phase: str, vote: int | None) -> str:
        """The line at the top of the phone: what is happening and what to do."""
        t = self._catalogue
        if phase == "waiting":
            return t.gettext("You are in. The vote opens when the trainer is ready.")
        if phase == "voting":
            if vote is None:
                return t.gettext("Tap the reply you would give.")
            return t.gettext("You voted {number}. Tap another to change it until the trainer locks it in.").format(number=vote)
        if phase == "locked":
            if vote is None:
                return t.gettext("The vote is locked in. Watch the screen.")
            return t.gettext("You voted {number}. The vote is locked in: watch the screen.").format(number=vote)
        if phase == "finished":
            return t.gettext("The conversation is over. Thank you for voting.")
        return t.gettext("Next: the customer's reply, on the screen.")

    def anonymous(self) -> str:
        return self._catalogue.gettext("Your vote is anonymous.")

    def phones_voted(self, count: int) -> str:
        """'12 phones voted on this turn.' (after lock-in; the live count is the projector's)."""
        return self._catalogue.ngettext("{count} phone voted on this turn.", "{count} phones voted on this turn.", count).format(
            count=count
        )

    def vote_sentence(self, mine: int | None, reveal: Reveal) -> str:
        """'You voted 2; the room chose 1.' (or the trainer's choice, or no vote)."""
        t = self._catalogue
        room = reveal.locked_by == "majority"
        if mine is None:
            text = (
                t.gettext("You did not vote; the room chose {given}.")
                if room
                else t.gettext("You did not vote; the trainer chose {given}.")
            )
        else:
            text = (
                t.gettext("You voted {mine}; the room chose {given}.")
                if room
                else t.gettext("You voted {mine}; the trainer chose {given}.")
            )
        return text.format(mine=mine, given=reveal.given)

    def mood(self, before: int, after: int) -> str:
        """'Mood 35 → 43 (+8).' or 'Mood stays at 35.' (the projector's words)."""
        t = self._catalogue
        if after == before:
            return t.gettext("Mood stays at {mood}.").format(mood=after)
        return t.gettext("Mood {before} → {after} ({change}).").format(before=before, after=after, change=f"{after - before:+d}")

    def given(self, number: int, reply: str) -> str:
        return self._catalogue.gettext("Reply {number}: {reply}").format(number=number, reply=reply)
