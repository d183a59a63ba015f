"""The replies on offer, numbered as the player sees them, to pick with keys, arrows or the mouse."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
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
