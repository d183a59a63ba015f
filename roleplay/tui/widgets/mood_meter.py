"""The mood meter: a coloured bar from 0 to 100 with the mood word and the last change."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from roleplay.rules.rulebook import Rulebook, default_rulebook

MOOD_MIN = 0
MOOD_MAX = 100

ONE_LINE_GAP = 2
SHORTEST_BAR = 6
"""On a single line, the bar is left out when fewer cells than this are left for it."""

_EIGHTHS = " ▏▎▍▌▋▊▉"
"""Partial blocks for the tip of the bar, in eighths of a cell."""


def bar_cells(value: float, width: int) -> str:
    """A left-aligned bar ``width`` cells wide, filled to ``value`` out of 100, to an eighth of a cell."""
    if width <= 0:
        return ""
    eighths = round(max(MOOD_MIN, min(MOOD_MAX, value)) / MOOD_MAX * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full
    if part and full < width:
        bar += _EIGHTHS[part]
    return bar


class MoodMeter(Widget):
    """How the customer feels: a bar that slides to each new mood, coloured by band.

    The band is also a class on the widget (``-furious`` ... ``-delighted``, the
    rulebook's mood words), so the stylesheet decides the colours.
    """

    COMPONENT_CLASSES = {
        "mood-meter--bar",
        "mood-meter--track",
        "mood-meter--word",
        "mood-meter--up",
        "mood-meter--down",
        "mood-meter--level",
    }

    who = ""
    """A name to put before the number when the meter has a single line (the card's border, with the name, is gone then)."""

    mood: reactive[int] = reactive(50)
    """The customer's mood, 0 (walks out) to 100; clamped on the way in."""
    shown: reactive[float] = reactive(50.0)
    """The mood the bar shows right now; it slides towards ``mood``."""
    change: reactive[int | None] = reactive(None)
    """The last change of mood to show beside the word, or None for none."""

    ANIMATION_SECONDS = 0.6

    def __init__(
        self,
        mood: int = 50,
        *,
        rulebook: Rulebook | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rulebook = rulebook or default_rulebook()
        # The classes are the rulebook's own (English) mood words, whatever language the words are shown in.
        self._band_classes = [f"-{band.word}" for band in default_rulebook().mood_bands]
        self.set_reactive(MoodMeter.mood, self.validate_mood(mood))
        self.set_reactive(MoodMeter.shown, float(self.mood))

    def on_mount(self) -> None:
        self._set_band(self.mood)

    def validate_mood(self, mood: int) -> int:
        return max(MOOD_MIN, min(MOOD_MAX, int(mood)))

    def watch_mood(self, mood: int) -> None:
        self._set_band(mood)
        if self.app.animation_level == "none":
            # At once, in the frame that shows the reply (an animation, even one switched off, lands a frame later).
            self.shown = float(mood)
        else:
            self.animate("shown", float(mood), duration=self.ANIMATION_SECONDS, easing="out_cubic")

    def _set_band(self, mood: int) -> None:
        active = f"-{default_rulebook().mood_word(mood)}"
        for band_class in self._band_classes:
            self.set_class(band_class == active, band_class)

    @property
    def word(self) -> str:
        return self.rulebook.mood_word(self.mood)

    def show(self, mood: int, change: int | None) -> None:
        """Move to ``mood`` and show ``change`` beside the word (None before any reply; 0 shows as ±0)."""
        self.change = change
        self.mood = mood

    def render(self) -> Content:
        width, height = self.content_size
        label = Content.assemble(
            (f"{self.mood:>3} ", "bold"),
            (self.word, self.get_visual_style("mood-meter--word", partial=True)),
        )
        if self.change is not None:
            style = "mood-meter--up" if self.change > 0 else "mood-meter--down" if self.change < 0 else "mood-meter--level"
            shown = f"{self.change:+d}" if self.change else "±0"
            label = label + Content.styled(f"  {shown}", self.get_visual_style(style, partial=True))
        if height == 1:
            # One line: the name (when given), the number, the word and the change, then the bar in what is left.
            if self.who:
                label = Content.styled(f"{self.who} ", "bold") + label
            bar_width = width - label.cell_length - ONE_LINE_GAP
            if bar_width < SHORTEST_BAR:
                return label
            filled = bar_cells(self.shown, bar_width)
            return Content.assemble(
                label,
                " " * ONE_LINE_GAP,
                (filled, self.get_visual_style("mood-meter--bar", partial=True)),
                ("░" * (bar_width - len(filled)), self.get_visual_style("mood-meter--track", partial=True)),
            )
        bar_width = width
        bar = bar_cells(self.shown, bar_width)
        track = "░" * (bar_width - len(bar))
        bar_line = Content.assemble(
            (bar, self.get_visual_style("mood-meter--bar", partial=True)),
            (track, self.get_visual_style("mood-meter--track", partial=True)),
        )
        return Content("\n").join([bar_line, label])
