"""The replies on offer, numbered as the player sees them, to pick with keys, arrows or the mouse."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from roleplay.tui.messages import DebriefRequested, ReplyChosen

DEBRIEF_OPTION = "debrief"


class Numbered(Visual):
    """A reply with its number before it and the wrapped lines indented under the text, not the number.

    Drawn with Textual's own text wrapping (a Rich table did the same at several times the cost, on
    every reply); the lines are kept for the last width asked, since the list measures and then draws.
    """

    def __init__(self, number: int | str, text: str) -> None:
        self.label = f"{number}. "
        self.text = Content(text)
        self._wrapped: tuple[int, list[Content]] | None = None

    def _lines(self, width: int) -> list[Content]:
        if self._wrapped is None or self._wrapped[0] != width:
            indent = len(self.label)
            lines = self.text.wrap(max(1, width - indent))
            shown = [Content(self.label) + lines[0], *(line.pad_left(indent) for line in lines[1:])]
            self._wrapped = (width, shown)
        return self._wrapped[1]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return len(self.label) + self.text.cell_length

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._lines(width))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        lines = self._lines(width)
        return [Strip(line.render_segments(style), line.cell_length) for line in lines[:height]]

    @property
    def plain(self) -> str:
        return self.label + self.text.plain


def numbered(number: int | str, text: str) -> Numbered:
    """A prompt with its number before it, so wrapped lines stay under the text."""
    return Numbered(number, text)


class ChoiceList(OptionList):
    """The numbered replies; Enter or a click on one sends :class:`ReplyChosen`.

    When the conversation is over it holds a single entry that opens the
    debrief instead (:class:`DebriefRequested`).

    It has no scroll bar (see widgets.tcss): replies that do not all fit are marked ↓ (and ↑) on the
    bottom border, as the transcript's lines are. A bar appears and disappears as the replies on offer
    fit or not, and Textual lays the screen out and draws it again each time; the marks are worked
    out with the replies, before the layout, so a reply draws the screen once.
    """

    _drawn_width = 0
    """The width the options were last drawn at."""

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        # Textual's OptionList forgets every drawn option on any resize, and redraws in a frame of its own.
        # The list changes height with each set of replies, but the options' lines depend on the width only.
        width = self.scrollable_content_region.width
        if width == self._drawn_width:
            event.prevent_default()
        self._drawn_width = width
        self._show_position()

    @property
    def allow_vertical_scroll(self) -> bool:
        # No scroll bar is drawn (overflow is hidden), but replies that do not fit still scroll into view.
        return self.max_scroll_y > 0

    def watch_virtual_size(self) -> None:
        # The replies wrapped again to a new width (after a resize) may fit, or no longer fit.
        self._show_position()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._show_position()

    def _show_position(self, *, from_the_top: bool = False) -> None:
        """Mark the bottom border with ↑ when replies are out of view above, ↓ when some are below.

        ``from_the_top``: the replies were just set and will show from the first, in a list as tall as
        the stylesheet lets it grow for them (worked out here, since the layout has not run yet).
        """
        if from_the_top:
            width = self.scrollable_content_region.width
            if width <= 0 or not self.is_attached:
                return
            lines = self.get_content_height(Size(0, 0), Size(0, 0), width)
            room = lines
            max_height = self.styles.max_height
            parent = self.parent
            if max_height is not None and isinstance(parent, Widget):
                # A height in % is of the parent's room once the widgets docked in it (header, footer) are placed.
                region = parent.scrollable_content_region
                docked = sum(
                    child.outer_size.height
                    for child in parent.children
                    if child.display and child.styles.dock in ("top", "bottom")
                )
                tallest = int(max_height.resolve(Size(region.width, region.height - docked), self.app.size))
                room = max(0, tallest - self.styles.gutter.height)
            above, below = False, lines > room
        else:
            above, below = self.scroll_y > 0, self.scroll_y < self.max_scroll_y
        marks = ("↑" if above else "") + ("↓" if below else "")
        if self.border_subtitle != marks:
            self.border_subtitle = marks

    def set_replies(self, replies: Sequence[str]) -> None:
        """Offer ``replies``, numbered from 1 in the order given."""
        self.set_options(Option(numbered(number, reply), id=str(number)) for number, reply in enumerate(replies, start=1))
        self.highlighted = 0 if replies else None
        self.set_class(False, "-finished")
        self._show_position(from_the_top=True)

    def set_finished(self, prompt: str) -> None:
        """Replace the replies with one entry that opens the debrief."""
        self.set_options([Option(Text(prompt), id=DEBRIEF_OPTION)])
        self.highlighted = 0
        self.set_class(True, "-finished")
        self._show_position(from_the_top=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == DEBRIEF_OPTION:
            self.post_message(DebriefRequested())
        elif event.option.id is not None:
            self.post_message(ReplyChosen(int(event.option.id)))
