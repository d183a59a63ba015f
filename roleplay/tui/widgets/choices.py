"""The replies on offer, numbered as the player sees them, to pick with keys, arrows or the mouse."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from roleplay.tui.messages import DebriefRequested, ReplyChosen

DEBRIEF_OPTION = "debrief"


def numbered(number: int | str, text: str) -> Table:
    """A prompt with its number in a column of its own, so wrapped lines stay under the text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(ratio=1)
    grid.add_row(Text(f"{number}."), Text(text))
    return grid


class ChoiceList(OptionList):
    """The numbered replies; Enter or a click on one sends :class:`ReplyChosen`.

    When the conversation is over it holds a single entry that opens the
    debrief instead (:class:`DebriefRequested`).
    """

    def set_replies(self, replies: Sequence[str]) -> None:
        """Offer ``replies``, numbered from 1 in the order given."""
        self.set_options(Option(numbered(number, reply), id=str(number)) for number, reply in enumerate(replies, start=1))
        self.highlighted = 0 if replies else None
        self.set_class(False, "-finished")

    def set_finished(self, prompt: str) -> None:
        """Replace the replies with one entry that opens the debrief."""
        self.set_options([Option(Text(prompt), id=DEBRIEF_OPTION)])
        self.highlighted = 0
        self.set_class(True, "-finished")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == DEBRIEF_OPTION:
            self.post_message(DebriefRequested())
        elif event.option.id is not None:
            self.post_message(ReplyChosen(int(event.option.id)))
