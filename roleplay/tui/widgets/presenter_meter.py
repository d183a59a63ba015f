"""The mood meter for a projector: the app's meter, with a bar as tall as the space it is given."""

from __future__ import annotations

from textual.content import Content

from roleplay.tui.widgets.mood_meter import MoodMeter


class PresenterMoodMeter(MoodMeter):
    """A :class:`MoodMeter` whose bar fills every line but the last; the last keeps the number, word and change.

    The stylesheet sets the height (and so the bar's thickness) per screen
    size; with one line it shows only the words.
    """

    def render(self) -> Content:
        bar, label = super().render().split("\n", allow_blank=True)[:2]
        rows = max(0, self.content_size.height - 1)
        if rows == 0:
            return label
        return Content("\n").join([bar] * rows + [label])
