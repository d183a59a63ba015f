"""The discussion timer: an optional countdown the trainer starts while the room talks a turn over."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from roleplay.i18n import _

DEFAULT_SECONDS = 90
STEP_SECONDS = 15
"""How much one press of the longer/shorter keys changes the length."""
SHORTEST_SECONDS = 15
LONGEST_SECONDS = 15 * 60


def clock_face(seconds: float) -> str:
    """Whole seconds left as m:ss, rounded up so 0:00 appears only when the time is up."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60}:{whole % 60:02d}"


class DiscussionTimer(Widget):
    """A countdown shown as m:ss; hidden until the trainer first starts it.

    States are classes for the stylesheet: ``-running``, ``-paused``,
    ``-expired``; ``-used`` once it has been started, which shows it.
    """

    class Expired(Message):
        """The countdown reached zero."""

    duration: reactive[int] = reactive(DEFAULT_SECONDS)
    """The length of a discussion in seconds; clamped to SHORTEST..LONGEST_SECONDS."""
    remaining: reactive[float] = reactive(float(DEFAULT_SECONDS))
    """Seconds left."""
    running: reactive[bool] = reactive(False)

    DEFAULT_CSS = """
    DiscussionTimer {
        width: auto;
        height: 1;
        display: none;
        &.-used { display: block; }
    }
    """

    TICK_SECONDS = 0.2

    def __init__(
        self,
        duration: int = DEFAULT_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        """Where time comes from (seconds, monotonic); tests pass their own."""
        self.set_reactive(DiscussionTimer.duration, self.validate_duration(duration))
        self.set_reactive(DiscussionTimer.remaining, float(self.duration))
        self._started_at = 0.0
        self._remaining_at_start = float(self.duration)

    def on_mount(self) -> None:
        self._ticker = self.set_interval(self.TICK_SECONDS, self.tick, pause=True)
        self._update_classes()

    def validate_duration(self, duration: int) -> int:
        return max(SHORTEST_SECONDS, min(LONGEST_SECONDS, int(duration)))

    def validate_remaining(self, remaining: float) -> float:
        return max(0.0, float(remaining))

    @property
    def expired(self) -> bool:
        return self.remaining <= 0

    @property
    def used(self) -> bool:
        return self.has_class("-used")

    # controls ----------------------------------------------------------------
    def start(self) -> None:
        """Count down from where it stands (from the full length once the time is up)."""
        if self.running:
            return
        if self.expired:
            self.remaining = float(self.duration)
        self._started_at = self.clock()
        self._remaining_at_start = self.remaining
        self.running = True
        self.add_class("-used")
        self._ticker.resume()

    def stop(self) -> None:
        if not self.running:
            return
        self.tick()
        self.running = False
        self._ticker.pause()

    def toggle(self) -> None:
        """Start when stopped, stop when running."""
        self.stop() if self.running else self.start()

    def reset(self) -> None:
        """Stop and go back to the full length."""
        self.running = False
        self._ticker.pause()
        self.remaining = float(self.duration)

    def change_length(self, seconds: int) -> None:
        """Lengthen (or with a negative number shorten) the discussion. A stopped timer shows the new
        length; a running one gains (or loses) the same time on what is left, at once."""
        before = self.duration
        self.duration += seconds
        if self.running:
            self._remaining_at_start += self.duration - before
            self.tick()
        else:
            self.remaining = float(self.duration)

    def tick(self) -> None:
        """Bring ``remaining`` up to date with the clock."""
        if not self.running:
            return
        self.remaining = self._remaining_at_start - (self.clock() - self._started_at)
        if self.expired:
            self.running = False
            self._ticker.pause()
            self.post_message(self.Expired())

    # display -----------------------------------------------------------------
    def watch_running(self) -> None:
        self._update_classes()

    def watch_remaining(self) -> None:
        self._update_classes()

    def _update_classes(self) -> None:
        self.set_class(self.running, "-running")
        self.set_class(not self.running and not self.expired and self.remaining < self.duration, "-paused")
        self.set_class(self.expired, "-expired")

    def render(self) -> Content:
        if self.expired:
            return Content(_("Time's up"))
        label = _("Discuss") if self.running else _("Paused") if self.remaining < self.duration else _("Timer")
        return Content.assemble(f"{label} ", (clock_face(self.remaining), "bold"))
