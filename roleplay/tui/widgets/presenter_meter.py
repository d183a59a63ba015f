"""The mood meter for a projector: the app's meter, with a bar as tall as the space it is given."""

from __future__ import annotations

from textual.content import Content

from roleplay.tui.widgets.mood_meter import MoodMeter, bar_cells

LINE_GAP = 2
"""Cells between the words and the bar when the meter has a single line."""
SHORTEST_BAR = 6


class PresenterMoodMeter(MoodMeter):
    """A :class:`MoodMeter` whose bar fills every line but the last; the last keeps the number, word and change.

    The stylesheet sets the height (and so the bar's thickness) per screen
    size. With a single line, the words come first and the bar fills the
    rest of the line.
    """

    def render(self) -> Content:
        bar, label = super().render().split("\n", allow_blank=True)[:2]
        width, height = self.content_size
        if height > 1:
            return Content("\n").join([bar] * (height - 1) + [label])
        bar_width = width - label.cell_length - LINE_GAP
        if bar_width < SHORTEST_BAR:
            return label
        filled = bar_cells(self.shown, bar_width)
        return Content.assemble(
            label,
            " " * LINE_GAP,
            (filled, self.get_visual_style("mood-meter--bar")),
            ("░" * (bar_width - len(filled)), self.get_visual_style("mood-meter--track")),
        )
