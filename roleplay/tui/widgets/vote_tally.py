"""The replies on offer with the room's votes beside each, as bars, for presenter mode.

A :class:`~roleplay.tui.widgets.choices.ChoiceList` whose rows also carry a
vote bar and count. It only shows votes; the screen keeps them in a
:class:`~roleplay.play.voting.RoomVotes` and passes the counts in.

The replies are laid out (wrapped) once per width, with room left blank for
the bar and the count; the bars are drawn into that room when the list is
painted. New counts therefore only ask for a repaint: no row is laid out again
and the list keeps its height, so a room of sixty voting at once costs at most
one cheap repaint a frame, however many votes arrive within it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.mood_meter import bar_cells

NARROW_BAR = 8
WIDE_BAR = 20
WIDE_FROM = 90
"""From this many cells wide the bars get longer."""
COUNT_WIDTH = 3
"""The count after the bar, right-aligned (up to 999 votes)."""


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
        self._built_bar_width = 0
        """The bar width the rows were laid out for (they are laid out again when it changes)."""
        self._marks: dict[tuple[int, VisualStyle], list[Segment]] = {}
        """Each row's bar and count as drawn for the current counts, by row and row style."""

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
            self._relayout()

    def rows_needed(self, width: int, spaced: bool) -> int:
        """How many lines the replies take at ``width`` cells, with or without the blank lines between them."""
        if not self._replies:
            return 0
        size = Size(width, 0)
        rows = self.get_content_height(size, size, width)
        separators = len(self._replies) - 1 if self._spaced else 0
        return rows - separators + (len(self._replies) - 1 if spaced else 0)

    def _build(self) -> None:
        self._built_bar_width = self._bar_width()
        self._marks.clear()
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
        hidden = counts is None
        counts = self._counts if counts is None else tuple(counts)
        if hidden == self._hidden and counts == self._counts:
            return
        self._hidden, self._counts = hidden, counts
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
        """The bars' length for the width the list has, or (while hidden behind the coaching) the width of its stage."""
        width = self.size.width or (self.parent.size.width if isinstance(self.parent, Widget) else 0)
        return WIDE_BAR if width >= WIDE_FROM else NARROW_BAR

    def _style(self, component: str) -> Style:
        return self.get_component_rich_style(component, partial=True)

    def _row(self, number: int) -> Table:
        """One reply: its number and its text (wrapping), with room left blank for its bar and count."""
        width = self._built_bar_width or self._bar_width()
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(ratio=1)
        grid.add_column(no_wrap=True, width=width)
        grid.add_column(no_wrap=True, justify="right", width=COUNT_WIDTH)
        grid.add_row(Text(f"{number}."), Text(self._replies[number - 1]), Text(), Text())
        return grid

    def _mark(self, number: int, style: VisualStyle) -> list[Segment]:
        """Reply ``number``'s bar, a space and its count, in ``style`` (the row's) under the bar's own colours."""
        key = (number, style)
        marks = self._marks.get(key)
        if marks is None:
            counts, hidden = self._counts, self._hidden
            count = counts[number - 1] if number <= len(counts) and not hidden else 0
            total = 0 if hidden else sum(counts)
            width = self._built_bar_width
            bar = vote_bar(count, total, width)
            leader = total > 0 and count == max(counts)
            base = style.rich_style
            marks = [
                Segment(bar, base + self._style("vote-tally--bar")),
                Segment("·" * (width - len(bar)), base + self._style("vote-tally--track")),
                Segment(" ", base),
                Segment(
                    ("?" if hidden else str(count)).rjust(COUNT_WIDTH),
                    base + self._style("vote-tally--leader" if leader else "vote-tally--count"),
                ),
            ]
            self._marks[key] = marks
        return marks

    def _get_option_render(self, option: Option, style: VisualStyle) -> list[Strip]:
        """The row as laid out (kept by the list until the width changes), with its bar and count drawn in."""
        strips = super()._get_option_render(option, style)
        if option.id is None or not option.id.isdigit() or not strips:
            return strips
        padding = self.get_component_styles("option-list--option").padding
        first = strips[0]
        end = first.cell_length - padding.right
        start = end - self._built_bar_width - 1 - COUNT_WIDTH
        if start < 0:
            return strips
        marks = Strip(self._mark(int(option.id), style))
        under = next(iter(first.crop(start, start + 1)), None)
        if under is not None and under.style is not None and under.style.meta:
            marks = marks.apply_meta(under.style.meta)  # a click on the bar is a click on its reply
        return [Strip.join([first.crop(0, start), marks, first.crop(end)]), *strips[1:]]

    def _redraw(self) -> None:
        """New counts: the bars are drawn again at the next repaint; the rows keep their layout."""
        self._marks.clear()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self._replies and self._bar_width() != self._built_bar_width:
            self._relayout()
        else:
            self._redraw()

    def _relayout(self) -> None:
        """Lay the rows out again (the bars got longer or shorter), keeping the reply given."""
        given = self._given
        self._build()
        if given is not None:
            self.show_given(given)

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
