"""The transcript: what the customer and the player have said so far.

Lines are wrapped once, when they are added, and kept; adding a turn wraps
only that turn, so the transcript stays as quick after hundreds of turns as
after one. Everything is wrapped again only when the width or the styles
change.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from rich.style import Style as RichStyle
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from roleplay.i18n import _
from roleplay.play.engine import TurnResult

Speaker = Literal["scene", "customer", "player", "note"]
"""Who an entry is from: the scene-setting at the start, the customer, the player, or a note (a walk-out)."""

INDENT = 2
"""Cells by which a wrapped line is indented under the speaker's name."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing said (or a note such as a walk-out), and the turn it belongs to."""

    speaker: Speaker
    name: str
    text: str
    turn: int
    """How many replies the player had given when this was added, plus one for their own reply."""


class Transcript(ScrollView, can_focus=True):
    """A scrolling record of the conversation, appended turn by turn."""

    COMPONENT_CLASSES = {
        "transcript--customer-name",
        "transcript--player-name",
        "transcript--customer",
        "transcript--player",
        "transcript--note",
        "transcript--scene",
    }

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._entries: list[Entry] = []
        self._lines: list[Strip] = []
        self._starts: list[int] = []
        """The index in ``_lines`` where each entry starts."""
        self._wrapped_width = 0
        """The width ``_lines`` were wrapped to; 0 when they must be wrapped again."""
        self._line_cache: LRUCache[tuple[int, int, int], Strip] = LRUCache(1024)

    # what it holds -----------------------------------------------------------
    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def text(self) -> str:
        """The transcript as plain text, one entry a line."""
        return "\n".join(f"{entry.name}: {entry.text}" if entry.name else entry.text for entry in self._entries)

    # changing it -------------------------------------------------------------
    def add(self, speaker: Speaker, name: str, text: str, turn: int) -> None:
        """Add one entry at the end and scroll to it."""
        entry = Entry(speaker, name, text, turn)
        self._entries.append(entry)
        width = self._content_width
        if width and width == self._wrapped_width:
            self._starts.append(len(self._lines))
            self._lines.extend(self._wrap(entry, width, first=len(self._entries) == 1))
            self._update_size()
        else:
            self._wrapped_width = 0
        self.refresh()
        self._follow()

    def add_turn(self, result: TurnResult, customer: str, turn: int | None = None) -> None:
        """Add one turn: what the customer said, the reply, and a walk-out if there was one."""
        turn = result.turn if turn is None else turn
        for line in result.customer_said:
            self.add("customer", customer, line, turn)
        self.add("player", _("You"), result.reply, turn)
        if result.walked_out:
            self.add("note", "", _("{name} walked out.").format(name=customer), turn)

    def truncate(self, turns: int) -> None:
        """Keep only the entries of the first ``turns`` turns (for undo and restart)."""
        keep = bisect_right([entry.turn for entry in self._entries], turns)
        if keep == len(self._entries):
            return
        del self._entries[keep:]
        if self._wrapped_width:
            del self._lines[self._starts[keep] if keep < len(self._starts) else len(self._lines) :]
            del self._starts[keep:]
            self._line_cache.clear()
            self._update_size()
        self.refresh()
        self.scroll_end(animate=False, immediate=False, x_axis=False)

    def clear(self) -> None:
        self.truncate(-1)

    _following = True
    """Whether the latest line is kept in view: until the learner scrolls up, and again from the next turn."""

    @property
    def allow_vertical_scroll(self) -> bool:
        # No scroll bar is drawn (overflow is hidden: see widgets.tcss), but the wheel and the keys scroll.
        return self.max_scroll_y > 0

    def _follow(self) -> None:
        """Keep the latest line in view, scrolled to at once, so the layout that takes in the new lines
        draws them in the same frame (a scroll after the refresh would draw the screen twice)."""
        self._following = True
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        self._show_position(following=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._following = new_value >= self.max_scroll_y
        self._show_position()

    def _show_position(self, following: bool = False) -> None:
        """Mark the bottom border with ↑ when earlier lines are out of view above, ↓ when later ones are below.

        The transcript has no scroll bar: a bar changes with every line added and Textual redraws it
        in a frame of its own, after the screen. Following the latest line, the marks are known
        before the layout (the lines and the height are), so a reply draws the screen once.
        """
        height = self.scrollable_content_region.height
        if following:
            above, below = len(self._lines) > height > 0, False
        else:
            above, below = self.scroll_y > 0, self.scroll_y < self.max_scroll_y
        marks = ("↑" if above else "") + ("↓" if below else "")
        if self.border_subtitle != marks:
            self.border_subtitle = marks

    # drawing -----------------------------------------------------------------
    @property
    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    _base_style: RichStyle | None = None
    """The widget's own style under every line (Textual works it out from the ancestors at each call)."""

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._wrapped_width = 0
        self._line_cache.clear()
        self._base_style = None

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        """Following the latest line, a new height (the customer's line or the replies below took more or
        fewer lines) scrolls to the end in the frame being drawn, not in a frame of its own after it."""
        if self._following:
            # Where the end will be at the new height, set before Textual fits the scroll position to it
            # (which, changing it, would draw again).
            end = max(0, self.virtual_size.height - (size.height - self.styles.gutter.height))
            if self.scroll_y != end:
                self.set_reactive(Transcript.scroll_y, end)
                self.set_reactive(Transcript.scroll_target_y, end)
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if self._following:
            self._show_position(following=True)
        return resized

    def on_resize(self) -> None:
        if self._content_width != self._wrapped_width:
            self._rewrap()
        self.scroll_end(animate=False, immediate=False, x_axis=False)  # the latest line stays in view

    def _rewrap(self) -> None:
        width = self._content_width
        self._lines = []
        self._starts = []
        self._line_cache.clear()
        if width <= 0:
            self._wrapped_width = 0
            self.virtual_size = Size(0, 0)
            return
        for position, entry in enumerate(self._entries):
            self._starts.append(len(self._lines))
            self._lines.extend(self._wrap(entry, width, first=position == 0))
        self._wrapped_width = width
        self._update_size()

    def _update_size(self) -> None:
        self.virtual_size = Size(self._wrapped_width, len(self._lines))

    def _wrap(self, entry: Entry, width: int, first: bool) -> list[Strip]:
        """The strips for one entry: a blank line before each customer turn, then the text wrapped with a hanging indent."""
        text_style = self.get_visual_style(f"transcript--{entry.speaker}")
        if entry.name:
            name_style = self.get_visual_style(f"transcript--{entry.speaker}-name")
            content = Content.assemble((f"{entry.name}: ", name_style), (entry.text, text_style))
        else:
            content = Content.styled(entry.text, text_style)
        strips: list[Strip] = []
        if entry.speaker == "customer" and not first:
            strips.append(Strip.blank(width))
        indent = INDENT if entry.name else 0
        for number, line in enumerate(content.wrap(max(1, width - indent))):
            if number and indent:
                line = line.pad_left(indent)
            segments = line.render_segments()
            strips.append(Strip(segments, line.cell_length).extend_cell_length(width))
        return strips

    def render_line(self, y: int) -> Strip:
        if self._wrapped_width != self._content_width:
            self._rewrap()
        scroll_x, scroll_y = self.scroll_offset
        width = self._content_width
        index = scroll_y + y
        key = (index, scroll_x, width)
        cached = self._line_cache.get(key)
        if cached is not None:
            return cached
        base = self._base_style
        if base is None:
            base = self._base_style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._lines[index].crop_extend(scroll_x, scroll_x + width, None).apply_style(base)
        self._line_cache[key] = strip
        return strip
