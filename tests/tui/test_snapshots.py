"""Snapshots of what a learner sees at 80x24 (and a narrow terminal), on the test library.

Animations and the cursor blink are off (see ``make_app``), and each
snapshot waits for background work, so the pictures are stable. Regenerate
with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the
SVGs under ``__snapshots__`` before committing them.
"""

from __future__ import annotations

from pathlib import Path

from .conftest import BROKEN, WASHER, press, settle

ROOT = Path(__file__).resolve().parents[2]


async def play(pilot, *keys: str) -> None:
    await settle(pilot)
    await press(pilot, *keys)


class TestPickerSnapshots:
    def test_picker(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await play(pilot, "down")

        assert snap_compare(make_app(), run_before=run_before)

    def test_picker_broken_story(self, make_app, snap_compare) -> None:
        assert snap_compare(make_app(), run_before=settle)

    def test_errors_dialog(self, make_app, snap_compare, monkeypatch) -> None:
        monkeypatch.chdir(ROOT)  # the dialog shows paths relative to the working folder
        assert snap_compare(make_app(BROKEN), run_before=settle)


class TestConversationSnapshots:
    def test_conversation_start(self, make_app, snap_compare) -> None:
        assert snap_compare(make_app(WASHER), run_before=settle)

    def test_feedback_after_a_reply(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await play(pilot, "1")

        assert snap_compare(make_app(WASHER), run_before=run_before)

    def test_exam_mode_after_a_reply(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await play(pilot, "2")

        assert snap_compare(make_app(WASHER, exam=True), run_before=run_before)

    def test_narrow_terminal(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await play(pilot, "1")

        assert snap_compare(make_app(WASHER), run_before=run_before, terminal_size=(40, 12))


class TestDebriefSnapshots:
    def test_debrief_with_turning_point(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await play(pilot, "1", "2", "d")

        assert snap_compare(make_app(WASHER), run_before=run_before)

    def test_debrief_after_a_walk_out(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await play(pilot, "2", "2", "2", "2", "d")

        assert snap_compare(make_app(WASHER), run_before=run_before)

    def test_debrief_scrolled_to_the_end(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await play(pilot, "2", "1", "1", "1", "d", "end")

        assert snap_compare(make_app(WASHER), run_before=run_before)


class TestHelpSnapshots:
    def test_help(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await play(pilot, "question_mark")

        assert snap_compare(make_app(WASHER), run_before=run_before)


class TestConfirmSnapshots:
    def test_restart_asks_first(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await play(pilot, "1", "r")

        assert snap_compare(make_app(WASHER), run_before=run_before)


class TestSourcesSnapshots:
    def test_sources_screen(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await play(pilot, "i")

        assert snap_compare(make_app(), run_before=run_before)
