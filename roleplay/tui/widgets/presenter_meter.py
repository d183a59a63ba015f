"""The mood meter for a projector: the app's meter, with a bar as tall as the space it is given."""

from __future__ import annotations

from textual.content import Content

from roleplay.tui.widgets.mood_meter import MoodMeter


class PresenterMoodMeter(MoodMeter):
    """A :class:`MoodMeter` whose bar fills every line but the last; the last keeps the number, word and change.

    The stylesheet sets the height (and so the bar's thickness) per screen
    size. With a single line, the words come first and the bar fills the
    rest of the line.
    """

    def render(self) -> Content:
        height = self.content_size.height
        if height <= 1:
            return super().render()  # the words first, the bar in the rest of the line
        bar, label = super().render().split("\n", allow_blank=True)[:2]
        return Content("\n").join([bar] * (height - 1) + [label])
