"""A bar chart of the customer's mood across the conversation, one bar per turn, coloured by mood band."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from roleplay.rules.rulebook import Rulebook, default_rulebook

_BLOCKS = " ▁▂▃▄▅▆▇█"
AXIS_WIDTH = 4
"""Cells for the scale on the left ('100 ')."""
MAX_BAR_WIDTH = 5


def resample(values: Sequence[int], columns: int) -> list[float]:
    """``values`` squeezed into at most ``columns`` by averaging neighbours."""
    if columns <= 0:
        return []
    if len(values) <= columns:
        return [float(v) for v in values]
    result = []
    for column in range(columns):
        start = column * len(values) // columns
        end = max(start + 1, (column + 1) * len(values) // columns)
        bucket = values[start:end]
        result.append(sum(bucket) / len(bucket))
    return result


class MoodChart(Widget):
    """Mood from the start (turn 0) to the last reply: the scale on the left, turn numbers underneath."""

    COMPONENT_CLASSES = {"mood-chart--axis", *(f"mood-chart--{band.word}" for band in default_rulebook().mood_bands)}
    """The scale, and one style per mood band of the rulebook (each has a colour in the stylesheet)."""

    values: reactive[tuple[int, ...]] = reactive((), layout=False)
    """Mood at the start and after each reply."""

    def __init__(
        self,
        values: Sequence[int] = (),
        *,
        rulebook: Rulebook | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.rulebook = rulebook or default_rulebook()
        self.set_reactive(MoodChart.values, tuple(values))

    def _band_style(self, mood: float):
        # The style's name is the rulebook's own (English) word, whatever language the words are shown in.
        name = f"mood-chart--{default_rulebook().mood_word(round(mood))}"
        return self.get_visual_style(name, partial=True)

    def render(self) -> Content:
        width, height = self.content_size
        if width <= AXIS_WIDTH or height < 2 or not self.values:
            return Content("")
        bar_rows = height - 1
        columns = resample(self.values, width - AXIS_WIDTH)
        squeezed = len(columns) < len(self.values)
        slot = max(1, min(MAX_BAR_WIDTH + 1, (width - AXIS_WIDTH) // len(columns)))
        bar_width = slot - 1 if slot > 2 else slot
        axis = self.get_visual_style("mood-chart--axis", partial=True)
        lines: list[Content] = []
        for row in range(bar_rows):
            from_bottom = bar_rows - 1 - row
            if row == 0:
                label = "100 "
            elif from_bottom == 0:
                label = "  0 "
            elif row == bar_rows // 2 and bar_rows >= 5:
                label = " 50 "
            else:
                label = "    "
            pieces: list[tuple[str, object]] = [(label, axis)]
            for value in columns:
                eighths = round(value / 100 * bar_rows * 8)
                fill = max(0, min(8, eighths - from_bottom * 8))
                pieces.append((_BLOCKS[fill] * bar_width, self._band_style(value)))
                if slot > bar_width:
                    pieces.append((" " * (slot - bar_width), ""))
            lines.append(Content.assemble(*pieces))  # type: ignore[arg-type]
        lines.append(Content.styled(" " * AXIS_WIDTH + self._turn_labels(len(columns), slot, squeezed), axis))
        return Content("\n").join(lines)

    def _turn_labels(self, count: int, slot: int, squeezed: bool) -> str:
        """Turn numbers under the bars where they fit (0 is the start); the last turn when squeezed."""
        cells = [" "] * (count * slot)
        turns = len(self.values) - 1
        free_from = 0
        for column in range(count):
            turn = round(column * turns / max(1, count - 1)) if squeezed else column
            label = str(turn)
            start = column * slot
            if start >= free_from and start + len(label) <= len(cells):
                cells[start : start + len(label)] = label
                free_from = start + len(label) + 1
        return "".join(cells).rstrip()
