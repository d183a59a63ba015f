"""Help for presenter mode: running a session for a room, every key, the tie rule and what 'divided' means."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from roleplay.i18n import N_, _
from roleplay.tui.keys import PRESENTER_KEYS, ROOM_SUMMARY_KEYS
from roleplay.tui.widgets.key_table import KeyRow, KeyTable, key_rows, palette_row

GUIDE = N_("""\
# Presenter mode

For training a group: the screen goes on a projector and the room decides
each reply together. Start it with `roleplay --present`,
`roleplay play STORY --present`, **p** in the app, or in a web browser with
`roleplay serve --present` (zoom the browser, or open the address with
`?fontsize=24`, to make the text larger).

## Each turn

1. **Vote.** Read the customer's line aloud, let the room talk (**t** starts
   the discussion timer), then count hands: press a reply's number once per
   vote. The bars beside the replies show the tally.
2. **Lock in.** **Enter** gives the reply with the most votes. To give
   another reply, press **c** and then its number.
3. **Predict.** The mood meter has not moved yet. Ask the room what the reply
   will do to the customer.
4. **Reveal.** **r** moves the meter and shows the coaching: every rule the
   reply set off, why, and the article it comes from. **Enter** goes on to the
   customer's next line; after the last turn it opens the room's summary.

## Counting the votes

* **Majority** is the reply with the most votes, even if fewer than half the
  room chose it.
* **Ties:** when two or more replies share the most votes, or nobody has
  voted, Enter does nothing but say so. Add a vote (a show of hands between
  the tied replies), or choose the reply yourself with **c** and a number.
* **Mistakes:** **-** then a number takes one vote away from that reply; so
  does alt and the number (Option and the number on a Mac), in terminals and
  browsers that pass it through. **-** works everywhere. **x** clears the
  turn's votes. A count never goes below zero.
* **Taking back:** **u** takes back the last reply given and reopens its vote
  with the room's votes as they were.

## Votes from phones

`roleplay room STORY` (or `roleplay serve --room`) lets the room vote from
their phones. **j** shows the address, the join code and a QR code; people
vote anonymously and can change their vote until you lock it in. The line at
the top says how many of those who joined have voted. Keyed-in votes still
add to the phones' votes. **h** hides the tally until lock-in, **o** opens or
closes joining, **l** lists the phones to remove one. After **r**, each phone
shows the mood change, the coaching and how its vote compared.

## The room's summary

The outcome, the customer's mood across the conversation, and the votes at
each turn. **How divided the room was** at a turn is the share of its votes
that went to something other than the most popular reply: 0% means everyone
agreed, 50% an even split between two replies, and more means the room was
spread across several. The turn with the highest share is where the room was
most divided, and usually the one most worth talking over again.

## Keys
""")


def presenter_key_rows(app) -> list[KeyRow]:
    """Presenter mode's keys and the room summary's, with the keys no single binding stands for."""
    presenter = _("Presenter")
    rows = key_rows(app, [(presenter, PRESENTER_KEYS), (_("Summary"), ROOM_SUMMARY_KEYS)])
    rows.insert(1, (presenter, "alt+1-9", _("One vote fewer for that reply (Option+1-9 on a Mac)")))
    rows.append((_("Everywhere"), "p", _("Presenter mode on or off")))
    rows.append(palette_row())
    return rows


class PresenterHelpScreen(ModalScreen[None]):
    """The presenter guide and keys; any of Escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("q", "close", N_("Close"), show=False),
        Binding("question_mark", "close", N_("Close"), show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="presenter-help"):
            yield Markdown(_(GUIDE))
            yield KeyTable(presenter_key_rows(self.app), id="presenter-help-keys")

    def action_close(self) -> None:
        self.dismiss(None)
