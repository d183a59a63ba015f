"""The help screen: how to play, coach and exam mode, and every key (listed from the bindings themselves)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from roleplay.i18n import N_, _
from roleplay.tui.keys import PRESENTER_KEYS
from roleplay.tui.widgets.key_table import KeyTable, key_rows, palette_row

HOW_TO_PLAY = N_("""\
# How to play

Read what the customer says, then choose a reply: press its number, move
with ↑ and ↓ and press Enter, or click it.

Only the replies that fit the moment are listed. A reply whose condition is
not met (one that needs the customer calmer, say, or something said earlier)
is hidden, and the replies shown are numbered 1, 2, 3 in order: the same
numbers `roleplay run --choose` takes.

## The customer

The **mood meter** shows how the customer feels now, from 0 to 100, with the
word for it and the last change. If mood reaches 0 the customer walks out.

**Loyalty**, whether they will stay with you, is hidden until the end. The
coach says in words whether a reply builds trust or costs trust later; the
debrief gives the numbers and the outcome: {outcomes}.

## Coach and exam

In **coach mode** (the default) a panel explains each reply: every rule it
set off, its effect on mood and trust, why, and the article and section the
advice comes from. In **exam mode** that panel stays quiet until the
debrief; the meter still moves. Press **m** or use the command palette
(ctrl+p) to switch; `roleplay --exam` and `roleplay play STORY --exam` start
in exam mode.

## Trying again

Undo takes back your last reply so you can try another. The debrief shows the
turning point, the reply that mattered most, and can take you back to it.

## Keys
""")


def help_groups(app) -> list[tuple[str, list[BindingType]]]:
    """The bindings the help lists, by the screen they work on."""
    from roleplay.tui.screens.conversation import ConversationScreen
    from roleplay.tui.screens.debrief import DebriefScreen
    from roleplay.tui.screens.picker import PickerScreen, StoryList
    from roleplay.tui.screens.progress import ProgressScreen

    return [
        (_("Everywhere"), list(type(app).BINDINGS)),
        (_("Story picker"), [*StoryList.BINDINGS, *PickerScreen.BINDINGS]),
        (_("Conversation"), ConversationScreen.BINDINGS),
        (_("Debrief"), DebriefScreen.BINDINGS),
        (_("Your progress"), ProgressScreen.BINDINGS),
        (_("Presenter mode"), PRESENTER_KEYS),
    ]


class HelpScreen(ModalScreen[None]):
    """How to play and the keys; any of Escape, q or ? closes it."""

    AUTO_FOCUS = "#help-scroll"
    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("question_mark", "close", N_("Close"), show=False),
        Binding("q", "close", N_("Close"), show=False),
    ]

    def compose(self) -> ComposeResult:
        outcomes = ", ".join(outcome.label for outcome in self.app.rulebook.outcomes)  # type: ignore[attr-defined]
        with Vertical(id="help-dialog", classes="dialog") as dialog:
            dialog.border_title = _("Help")
            dialog.border_subtitle = _("Escape to close")
            with VerticalScroll(id="help-scroll"):
                yield Markdown(_(HOW_TO_PLAY).format(outcomes=outcomes), id="help-text")
                yield KeyTable([*key_rows(self.app, help_groups(self.app)), palette_row()], id="help-keys")

    def language_changed(self) -> None:
        self.refresh(recompose=True)

    def action_close(self) -> None:
        self.dismiss(None)
