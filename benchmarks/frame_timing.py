"""The baseline for the app benchmarks: a minimal Textual app, and a recorder of the frames an app draws.

Imported by ``startup_and_turns.py`` in its own process and in the child
processes it launches, so both sides are timed with the same code.
"""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

PAGE = " ".join(
    ["A baker has spent forty minutes redialling her local depot while the part for her dead oven sits on a shelf"]
    + ["there, with two wedding cakes due on Saturday. Now she has you, and the fastest way to lose her is a link."] * 17
)
"""About a screen of prose (24 lines at 80 columns once wrapped): what the story picker's first frame holds."""


class MinimalApp(App[None]):
    """A bare Textual app: one Static, showing ``text`` ("0" by default; a key counts up in it)."""

    BINDINGS = [Binding("1", "count", "Count")]

    def __init__(self, text: str = "0") -> None:
        super().__init__()
        self.count = 0
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text, id="count")

    def action_count(self) -> None:
        self.count += 1
        self.query_one(Static).update(str(self.count))


class Frames(list):
    """The times (``time.perf_counter``) of the frames drawn, and in ``cpu`` the processor time used by each."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []

    def clear(self) -> None:
        super().clear()
        self.cpu.clear()


def record_frames(app):
    """Note the time of every frame the app draws; render it as a terminal would receive it."""
    frames = Frames()
    display = app._display

    def recording(screen, renderable):
        if renderable is not None:
            renderable.render_segments(app.console)
            frames.append(time.perf_counter())
            frames.cpu.append(time.process_time())
        display(screen, renderable)

    app._display = recording
    return frames
