"""Snapshots of presenter mode at the smallest size it supports (60x20) and a projector-friendly 120x35.

Animations are off and the discussion timer runs on a fake clock, so the
pictures are stable. Regenerate with
``pytest tests/presenter/test_presenter_snapshots.py --snapshot-update`` and
look at the SVGs under ``__snapshots__`` before committing them.
"""

from __future__ import annotations

import pytest

from roleplay.tui.themes import PRESENTER_DARK_THEME

from .conftest import LARGE, SMALL, FakeClock, press, settle

SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["60x20", "120x35"])


def after(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await press(pilot, *keys)

    return run_before


THROUGH_THE_END = (
    "1",
    "1",
    "2",
    "enter",
    "r",
    "enter",
    "1",
    "2",
    "2",
    "3",
    "enter",
    "r",
    "enter",
    "1",
    "2",
    "enter",
    "c",
    "1",
    "r",
)
"""Three turns: a clear majority, a three-way split, and a tie the trainer breaks."""


class TestVotingSnapshots:
    @SIZES
    def test_votes_as_bars(self, make_app, snap_compare, size) -> None:
        assert snap_compare(make_app(), run_before=after("1", "1", "2"), terminal_size=size)

    @SIZES
    def test_tie_is_explained(self, make_app, snap_compare, size) -> None:
        assert snap_compare(make_app(), run_before=after("1", "2", "enter"), terminal_size=size)


class TestRevealSnapshots:
    @SIZES
    def test_locked_in_waiting_for_the_reveal(self, make_app, snap_compare, size) -> None:
        assert snap_compare(make_app(), run_before=after("2", "2", "1", "enter"), terminal_size=size)

    @SIZES
    def test_revealed(self, make_app, snap_compare, size) -> None:
        assert snap_compare(make_app(), run_before=after("2", "2", "1", "enter", "r"), terminal_size=size)


class TestSummarySnapshots:
    @SIZES
    def test_room_summary(self, make_app, snap_compare, size) -> None:
        assert snap_compare(make_app(), run_before=after(*THROUGH_THE_END, "enter"), terminal_size=size)


class TestExtrasSnapshots:
    @SIZES
    def test_discussion_timer(self, make_app, snap_compare, size) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            timer = pilot.app.screen.timer
            clock = FakeClock()
            timer.clock = clock
            await press(pilot, "1", "t")
            clock.now += 25
            timer.tick()
            await settle(pilot)

        assert snap_compare(make_app(), run_before=run_before, terminal_size=size)

    def test_transcript(self, make_app, snap_compare) -> None:
        keys = ("1", "enter", "r", "enter", "2", "enter", "v")
        assert snap_compare(make_app(), run_before=after(*keys), terminal_size=LARGE)

    def test_help(self, make_app, snap_compare) -> None:
        assert snap_compare(make_app(), run_before=after("question_mark"), terminal_size=LARGE)

    def test_dark_presenter_theme(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            pilot.app.theme = PRESENTER_DARK_THEME.name
            await settle(pilot)
            await press(pilot, "1", "1", "2", "enter", "r")

        assert snap_compare(make_app(), run_before=run_before, terminal_size=LARGE)
