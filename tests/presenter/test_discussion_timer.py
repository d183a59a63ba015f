"""The discussion timer: start, stop, reset and the countdown, driven by a clock the test controls."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from roleplay.tui.widgets.discussion_timer import (
    LONGEST_SECONDS,
    SHORTEST_SECONDS,
    DiscussionTimer,
    clock_face,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TimerApp(App[None]):
    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.expired = 0

    def compose(self) -> ComposeResult:
        yield DiscussionTimer(60, clock=self.clock)

    def on_discussion_timer_expired(self) -> None:
        self.expired += 1


@pytest.mark.parametrize(("seconds", "face"), [(90, "1:30"), (59.2, "1:00"), (0.1, "0:01"), (0, "0:00"), (-3, "0:00")])
def test_clock_face(seconds: float, face: str) -> None:
    assert clock_face(seconds) == face


async def test_hidden_until_started_then_counts_down() -> None:
    clock = FakeClock()
    app = TimerApp(clock)
    async with app.run_test() as pilot:
        timer = app.query_one(DiscussionTimer)
        assert not timer.display
        timer.start()
        await pilot.pause()
        assert timer.display
        assert timer.has_class("-running")
        clock.now += 12.5
        timer.tick()
        assert timer.remaining == pytest.approx(47.5)
        assert str(timer.render()) == "Discuss 0:48"


async def test_stop_keeps_the_time_left_and_start_resumes() -> None:
    clock = FakeClock()
    app = TimerApp(clock)
    async with app.run_test():
        timer = app.query_one(DiscussionTimer)
        timer.toggle()
        clock.now += 10
        timer.toggle()
        assert not timer.running
        assert timer.has_class("-paused")
        clock.now += 100
        timer.tick()
        assert timer.remaining == pytest.approx(50)
        assert str(timer.render()) == "Paused 0:50"
        timer.toggle()
        clock.now += 5
        timer.tick()
        assert timer.remaining == pytest.approx(45)


async def test_reset_goes_back_to_the_full_length() -> None:
    clock = FakeClock()
    app = TimerApp(clock)
    async with app.run_test():
        timer = app.query_one(DiscussionTimer)
        timer.start()
        clock.now += 30
        timer.reset()
        assert not timer.running
        assert timer.remaining == 60
        assert str(timer.render()) == "Timer 1:00"
        assert timer.display, "a timer once used stays in view"


async def test_reaching_zero_stops_and_says_so() -> None:
    clock = FakeClock()
    app = TimerApp(clock)
    async with app.run_test() as pilot:
        timer = app.query_one(DiscussionTimer)
        timer.start()
        clock.now += 75
        timer.tick()
        await pilot.pause()
        assert timer.remaining == 0
        assert not timer.running
        assert timer.has_class("-expired")
        assert str(timer.render()) == "Time's up"
        assert app.expired == 1
        timer.start()
        assert timer.remaining == 60, "starting after time is up starts a fresh countdown"


async def test_ticks_come_from_the_interval() -> None:
    clock = FakeClock()
    app = TimerApp(clock)
    async with app.run_test() as pilot:
        timer = app.query_one(DiscussionTimer)
        timer.start()
        clock.now += 20
        await pilot.pause(DiscussionTimer.TICK_SECONDS * 3)
        assert timer.remaining == pytest.approx(40)


async def test_length_is_adjustable_within_bounds() -> None:
    app = TimerApp(FakeClock())
    async with app.run_test():
        timer = app.query_one(DiscussionTimer)
        timer.change_length(15)
        assert (timer.duration, timer.remaining) == (75, 75)
        timer.change_length(-10_000)
        assert timer.duration == SHORTEST_SECONDS
        timer.change_length(10_000)
        assert timer.duration == LONGEST_SECONDS


async def test_changing_the_length_of_a_running_timer_changes_what_is_left_at_once() -> None:
    clock = FakeClock()
    app = TimerApp(clock)
    async with app.run_test() as pilot:
        timer = app.query_one(DiscussionTimer)
        timer.start()
        clock.now += 20
        timer.tick()
        assert timer.remaining == pytest.approx(40)
        timer.change_length(15)
        assert timer.running and timer.duration == 75
        assert timer.remaining == pytest.approx(55)
        await pilot.pause()
        assert "0:55" in str(timer.render())
        timer.change_length(-10_000)
        assert timer.duration == SHORTEST_SECONDS and timer.remaining == pytest.approx(max(0.0, 55 - (75 - SHORTEST_SECONDS)))
