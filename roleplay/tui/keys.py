"""The key tables of presenter mode and the room's summary, in one place: the screens bind them
and the presenter help lists them, so no screen imports another to read its keys."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from roleplay.i18n import N_
from roleplay.tui.widgets.discussion_timer import STEP_SECONDS

MAX_NUMBER_KEY = 9
ALT_DIGIT_KEYS = (
    "inverted_exclamation_mark",
    "trade_mark_sign",
    "pound_sign",
    "cent_sign",
    "infinity",
    "section_sign",
    "pilcrow_sign",
    "bullet",
    "ª",
)
"""How alt+1 .. alt+9 arrive: Textual reads a terminal's escape-and-digit as the characters a Mac's
Option key types with the digits (¡ ™ £ ¢ ∞ § ¶ • ª), and a Mac keyboard in a browser types them directly."""

PRESENTER_KEYS: list[BindingType] = [
    Binding("1", "number(1)", N_("Vote"), key_display="1-9", tooltip=N_("One more vote for that reply (or click it)")),
    *(Binding(str(n), f"number({n})", f"Vote for {n}", show=False) for n in range(2, MAX_NUMBER_KEY + 1)),
    # After - or c, the same keys answer "which reply?" (the footer says so instead of "Vote").
    Binding("1", "answer(1)", N_("Which reply?"), key_display="1-9"),
    *(Binding(str(n), f"answer({n})", f"Reply {n}", show=False) for n in range(2, MAX_NUMBER_KEY + 1)),
    Binding("minus", "pend('remove')", N_("Remove"), key_display="-", tooltip=N_("Then a number: one vote fewer for that reply")),
    *(
        Binding(f"alt+{n},{ALT_DIGIT_KEYS[n - 1]}", f"unvote({n})", f"Remove a vote from {n}", show=False)
        for n in range(1, MAX_NUMBER_KEY + 1)
    ),
    Binding("enter", "lock", N_("Lock in"), tooltip=N_("Give the reply with the most votes")),
    Binding("c", "pend('choose')", N_("Choose"), tooltip=N_("Then a number: give that reply, whatever the votes")),
    Binding("question_mark", "presenter_help", N_("Help"), key_display="?", tooltip=N_("How presenter mode works, and its keys")),
    Binding("r", "reveal", N_("Reveal"), tooltip=N_("Move the mood meter and show the coaching")),
    Binding("enter", "next", N_("Next"), tooltip=N_("The customer's next line and a new vote")),
    Binding("enter", "summary", N_("Summary"), tooltip=N_("The room's summary: outcome, mood chart, votes")),
    Binding("t", "timer", N_("Timer"), tooltip=N_("Start or stop the discussion timer")),
    Binding("T", "reset_timer", N_("Reset timer"), show=False, key_display="shift+t"),
    Binding("left_square_bracket", f"timer_length({-STEP_SECONDS})", N_("Shorter timer"), show=False, key_display="["),
    Binding("right_square_bracket", f"timer_length({STEP_SECONDS})", N_("Longer timer"), show=False, key_display="]"),
    Binding("x", "clear_votes", N_("Clear votes"), show=False, tooltip=N_("Start this turn's count again")),
    Binding("v", "transcript", N_("Transcript"), show=False, tooltip=N_("Show or hide everything said so far")),
    Binding("u", "undo", N_("Take back"), show=False, tooltip=N_("Take back the last reply given, with its votes")),
    Binding("escape", "cancel", N_("Cancel"), tooltip=N_("Cancel the key waiting for a number; close the transcript")),
    Binding("j", "room_join", N_("Join"), tooltip=N_("Room: show the address, code and QR code for phones")),
    Binding("o", "room_joining", N_("Joining"), show=False, tooltip=N_("Room: open or close joining")),
    Binding("h", "room_hide_tally", N_("Hide tally"), show=False, tooltip=N_("Room: hide or show the live tally until lock-in")),
    Binding("l", "room_participants", N_("Phones"), show=False, tooltip=N_("Room: the phones that joined; remove one")),
    Binding("down", "scroll_stage('down')", "Scroll down", show=False),
    Binding("up", "scroll_stage('up')", "Scroll up", show=False),
    Binding("pagedown", "scroll_stage('page_down')", "Page down", show=False),
    Binding("pageup", "scroll_stage('page_up')", "Page up", show=False),
]
"""Presenter mode's keys (the screen's BINDINGS)."""

ROOM_SUMMARY_KEYS: list[BindingType] = [
    Binding("d", "debrief", N_("Full debrief"), tooltip=N_("Tactics used and the turning point")),
    Binding("a", "again", N_("Play again"), tooltip=N_("Start this story again, with a fresh count")),
    Binding("u", "undo", N_("Take back"), tooltip=N_("Take back the last reply and vote again")),
    Binding("s", "stories", N_("Stories"), tooltip=N_("Pick another story")),
    Binding("escape", "back", N_("Back"), tooltip=N_("Back to the conversation")),
    Binding("question_mark", "presenter_help", N_("Help"), key_display="?", tooltip=N_("How presenter mode works, and its keys")),
]
"""The room summary's keys (the screen's BINDINGS)."""
