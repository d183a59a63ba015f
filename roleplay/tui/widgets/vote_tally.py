"""The replies on offer with the room's votes beside each, as bars, for presenter mode.

A :class:`~roleplay.tui.widgets.choices.ChoiceList` whose rows also carry a
vote bar and count. It only shows votes; the screen keeps them in a
:class:`~roleplay.play.voting.RoomVotes` and passes the counts in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.mood_meter import bar_cells

NARROW_BAR = 8
WIDE_BAR = 20
WIDE_FROM = 90
"""From this many cells wide the bars get longer."""


def vote_bar(count: int, total: int, width: int) -> str:
    """A bar ``width`` cells long, filled to ``count``'s share of ``total`` (to an eighth of a cell)."""
    share = count / total * 100 if total else 0.0
    return bar_cells(share, width)


class VoteTally(ChoiceList, can_focus=False):
    """Numbered replies, each with the room's votes as a bar and a count.

    Clicking a reply sends :class:`VoteTally.Voted` (one more vote for it).
    Once the room's reply is locked in, :meth:`show_given` highlights it and
    dims the others.
    """

    COMPONENT_CLASSES = {"vote-tally--bar", "vote-tally--track", "vote-tally--count", "vote-tally--leader"}

    @dataclass
    class Voted(Message):
        """The trainer clicked reply ``number``: one more vote for it."""

        number: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._replies: tuple[str, ...] = ()
        self._counts: tuple[int, ...] = ()
        self._given: int | None = None
        self._spaced = True
        self._hidden = False

    @property
    def spaced(self) -> bool:
        """True when a blank line (a separator the stylesheet hides) parts the replies."""
        return self._spaced

    @property
    def counts(self) -> tuple[int, ...]:
        return self._counts

    @property
    def given(self) -> int | None:
        """The reply locked in, or None while the room is voting."""
        return self._given

    def set_replies(self, replies: Sequence[str], counts: Sequence[int] | None = None) -> None:
        """Offer ``replies`` (numbered from 1) with ``counts`` votes (none by default)."""
        self._replies = tuple(replies)
        self._counts = tuple(counts) if counts is not None else (0,) * len(self._replies)
        self._given = None
        self._hidden = False
        self._build()
        self.set_class(False, "-finished")
        self.set_class(False, "-given")

    def set_spaced(self, spaced: bool) -> None:
        """Part the replies with a blank line, or not (when they would not fit otherwise)."""
        if spaced != self._spaced:
            self._spaced = spaced
            given = self._given
            self._build()
            if given is not None:
                self.show_given(given)

    def rows_needed(self, width: int, spaced: bool) -> int:
        """How many lines the replies take at ``width`` cells, with or without the blank lines between them."""
        if not self._replies:
            return 0
        size = Size(width, 0)
        rows = self.get_content_height(size, size, width)
        separators = len(self._replies) - 1 if self._spaced else 0
        return rows - separators + (len(self._replies) - 1 if spaced else 0)

    def _build(self) -> None:
        options: list[Option | None] = []
        for number in range(1, len(self._replies) + 1):
            if number > 1 and self._spaced:
                options.append(None)
            options.append(Option(self._row(number), id=str(number)))
        self.set_options(options)
        self.highlighted = None

    @property
    def hidden(self) -> bool:
        """True while the counts are hidden (the room votes without seeing the tally)."""
        return self._hidden

    def show_votes(self, counts: Sequence[int] | None) -> None:
        """Redraw the bars for new ``counts`` (one per reply); None hides the counts until the next call."""
        self._hidden = counts is None
        if counts is not None:
            self._counts = tuple(counts)
        self._redraw()

    def show_given(self, number: int | None) -> None:
        """Highlight reply ``number`` as the one given and dim the rest (None: back to voting)."""
        self._given = number
        for index in range(self.option_count):
            if number is None or index == number - 1:
                self.enable_option_at_index(index)
            else:
                self.disable_option_at_index(index)
        self.highlighted = None if number is None else number - 1
        self.set_class(number is not None, "-given")

    # drawing ---------------------------------------------------------------------
    def _bar_width(self) -> int:
        return WIDE_BAR if self.size.width >= WIDE_FROM else NARROW_BAR

    def _style(self, component: str) -> Style:
        return self.get_component_rich_style(component, partial=True)

    def _row(self, number: int) -> Table:
        """One reply: its number, its text (wrapping), then its vote bar and count."""
        count = self._counts[number - 1] if number <= len(self._counts) and not self._hidden else 0
        total = 0 if self._hidden else sum(self._counts)
        width = self._bar_width()
        bar = vote_bar(count, total, width)
        leader = total > 0 and count == max(self._counts)
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(ratio=1)
        grid.add_column(no_wrap=True, width=width)
        grid.add_column(no_wrap=True, justify="right", width=3)
        count_style = self._style("vote-tally--leader" if leader else "vote-tally--count")
        grid.add_row(
            Text(f"{number}."),
            Text(self._replies[number - 1]),
            Text.assemble((bar, self._style("vote-tally--bar")), ("·" * (width - len(bar)), self._style("vote-tally--track"))),
            Text("?" if self._hidden else str(count), style=count_style),
        )
        return grid

    def _redraw(self) -> None:
        for index in range(min(self.option_count, len(self._replies))):
            self.replace_option_prompt_at_index(index, self._row(index + 1))

    def on_resize(self, event: events.Resize) -> None:
        self._redraw()

    def on_mount(self) -> None:
        # The bars are drawn in the theme's colours: draw them again when the theme changes.
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.call_after_refresh(self._redraw_if_shown)

    def _redraw_if_shown(self) -> None:
        if self.is_attached:
            self._redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._redraw()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        event.prevent_default()  # a click here is a vote, not the ChoiceList's "give this reply"
        if self._given is None and event.option.id is not None and event.option.id.isdigit():
            self.highlighted = None
            self.post_message(self.Voted(int(event.option.id)))
