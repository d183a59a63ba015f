"""The record in the app: notices about a damaged or unwritable record, quitting mid-story, continuing next time."""

from __future__ import annotations

import os
from pathlib import Path

from roleplay.play.record import (
    DATA_DIR_VARIABLE,
    DATABASE_FILE,
    HISTORY_FILE,
    TITLE_DAMAGED,
    TITLE_IMPORTED,
    TITLE_UNAVAILABLE,
    Record,
)
from roleplay.tui.record_keeping import CONTINUE_NO, CONTINUE_YES, QUIT_NO, QUIT_YES
from roleplay.tui.screens.confirm import ConfirmDialog
from roleplay.tui.screens.conversation import ConversationScreen
from roleplay.tui.screens.picker import PickerScreen
from tests.tui.conftest import open_washer, press, settle

SIZE = (100, 32)


def data_dir() -> Path:
    return Path(os.environ[DATA_DIR_VARIABLE])


def notices(app) -> list[tuple[str, str]]:
    return [(notification.title, notification.message) for notification in app._notifications]


def button_labels(dialog: ConfirmDialog) -> tuple[str, str]:
    return (str(dialog.query_one("#confirm-yes").label), str(dialog.query_one("#confirm-no").label))


class TestNotices:
    async def test_a_damaged_record_is_moved_aside_with_a_notice_and_play_is_recorded(self, make_app) -> None:
        folder = data_dir()
        (folder / DATABASE_FILE).write_bytes(b"\xff" * 5000)
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            [(title, message)] = notices(app)
            assert title == TITLE_DAMAGED
            [kept] = folder.glob(f"{DATABASE_FILE}.damaged-*")
            assert kept.read_bytes() == b"\xff" * 5000
            assert f"It is kept as {kept.name}; a fresh record starts now." in message
            await open_washer(pilot)
            await press(pilot, "1", "1", "1")
        [play] = Record(folder).plays()
        assert play.story == "leaking-washer.yaml"

    async def test_an_unwritable_folder_gives_a_notice_and_the_play_goes_on(self, make_app, tmp_path: Path, monkeypatch) -> None:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        monkeypatch.setenv(DATA_DIR_VARIABLE, str(blocker / "roleplay"))
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            [(title, message)] = notices(app)
            assert title == TITLE_UNAVAILABLE and "You can play on" in message
            screen = await open_washer(pilot)
            await press(pilot, "1", "1", "1")
            assert screen.session.finished and screen.session.outcome.id == "recommends"
            assert screen.check_action("debrief", ()) is True
            assert [title for title, _ in notices(app)] == [TITLE_UNAVAILABLE, TITLE_UNAVAILABLE]  # and again at the end

    async def test_a_damaged_old_record_is_imported_without_a_traceback(self, make_app) -> None:
        folder = data_dir()
        good = (
            b'{"story": "leaking-washer.yaml", "title": "The leaking washer", "outcome": "stays", "mood": 60, '
            b'"loyalty": 60, "walked_out": false, "picks": [1, 3], "coached": true, "finished_at": "2026-11-01T10:00:00+00:00"}'
        )
        damaged = [good[:40] + "é".encode()[:1], b"\xff\xfe stray", good.replace(b'"stays"', b'["x"]'), b"[" * 50_000]
        (folder / HISTORY_FILE).write_bytes(b"\n".join([good, *damaged]) + b"\n")
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            [(title, message)] = notices(app)
            assert title == TITLE_IMPORTED
            assert message.endswith("4 lines of history.jsonl could not be read and were left out.")
            await open_washer(pilot)
            await press(pilot, "1", "1", "1")
        assert [play.outcome for play in Record(folder).plays()] == ["stays", "recommends"]


class TestQuitAndContinue:
    async def test_quitting_at_the_start_of_a_story_asks_nothing(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await press(pilot, "q")
            assert app._exit
        assert Record(data_dir()).unfinished() is None

    async def test_quitting_mid_story_asks_first_and_keep_playing_stays(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await press(pilot, "1", "q")
            dialog = app.screen
            assert isinstance(dialog, ConfirmDialog) and button_labels(dialog) == (QUIT_YES, QUIT_NO)
            assert "Quit in the middle of 'The leaking washer'? Your 1 reply so far is kept" in dialog.question
            await press(pilot, "n")
            assert app.screen is screen and not app._exit
        assert Record(data_dir()).unfinished() is None

    async def test_quit_mid_story_then_continue_where_you_left_off(self, make_app) -> None:
        app = make_app(exam=True)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await press(pilot, "1", "1", "ctrl+q")
            picks, state = screen.session.picks, screen.session.state
            await press(pilot, "y")
            assert app._exit
        saved = Record(data_dir()).unfinished()
        assert saved is not None and saved.exam and saved.session["picks"] == picks == [1, 1]

        again = make_app()
        async with again.run_test(size=SIZE) as pilot:
            await settle(pilot)
            dialog = again.screen
            assert isinstance(dialog, ConfirmDialog) and button_labels(dialog) == (CONTINUE_YES, CONTINUE_NO)
            assert dialog.question.startswith("Continue where you left off?\nThe leaking washer: 2 replies given, kept on ")
            assert dialog.question.endswith("in exam mode.")
            await press(pilot, "y")
            resumed = again.screen
            assert isinstance(resumed, ConversationScreen)
            assert resumed.session.picks == [1, 1] and resumed.session.state == state
            assert again.play_mode == "exam"
            washer = resumed.session.story
            first_reply = washer.nodes[washer.start].choices[0].reply
            assert first_reply in resumed.transcript.text  # the replies so far are in the transcript
            last = resumed.session.history[-1][1]
            assert (resumed.meter.mood, resumed.meter.change) == (last.mood_after, last.mood_change or None)
            assert Record(data_dir()).unfinished() is None  # it is being played: no longer kept
            await press(pilot, "1")
            assert resumed.session.finished
        [play] = Record(data_dir()).plays()
        assert play.picks == (1, 1, 1) and not play.coached

    async def test_the_record_is_opened_after_the_first_frame_and_the_best_so_far_shown_then(self, make_app) -> None:
        from roleplay.tui.screens.picker import StoryDetails

        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await press(pilot, "1", "1", "1")
        again = make_app()
        at_first_frame: list[tuple[bool, bool]] = []
        display = again._display

        def noting(screen, renderable) -> None:
            if renderable is not None and not at_first_frame:
                record = again._record
                at_first_frame.append((again.record_open, record is not None and record._db is not None))
            display(screen, renderable)

        again._display = noting
        async with again.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "down")
            shown = str(again.screen.query_one(StoryDetails).render())
        assert at_first_frame == [(False, False)], "the first frame waited for the record"
        assert "Your best so far\nRecommends you (mood " in shown

    async def test_not_now_keeps_it_and_a_story_opened_before_the_offer_is_not_covered_by_it(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await press(pilot, "1", "q", "ctrl+q")  # quit pressed again over the question: yes
            assert app._exit
        again = make_app()
        async with again.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(again.screen, ConfirmDialog)
            await press(pilot, "escape")
            assert isinstance(again.screen, PickerScreen)
            screen = await open_washer(pilot)
            again.offer_to_continue_on_the_picker()  # as when a key opened a story before the record was read
            await settle(pilot)
            assert again.screen is screen
            await press(pilot, "escape")
            assert isinstance(again.screen, PickerScreen)
            again.offer_to_continue_on_the_picker()
            await settle(pilot)
            dialog = again.screen
            assert isinstance(dialog, ConfirmDialog) and button_labels(dialog) == (CONTINUE_YES, CONTINUE_NO)
        assert Record(data_dir()).unfinished().session["picks"] == [1]

    async def test_a_story_changed_since_is_explained_and_forgotten(self, make_app, tmp_path: Path) -> None:
        from tests.tui.conftest import WASHER

        story = tmp_path / "leaking-washer.yaml"
        story.write_text(WASHER.read_text(encoding="utf-8"), encoding="utf-8")
        app = make_app(story)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "1", "q", "y")
        story.write_text(story.read_text(encoding="utf-8").replace("mood: 30", "mood: 35", 1), encoding="utf-8")
        again = make_app()
        async with again.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "y")
            assert isinstance(again.screen, PickerScreen)
            assert (
                "Cannot continue where you left off",
                "the story has changed since this session was saved; the replies no longer lead to the same place",
            ) in notices(again)
        assert Record(data_dir()).unfinished() is None

    async def test_a_story_file_gone_since_is_explained_and_forgotten(self, make_app, tmp_path: Path) -> None:
        from tests.tui.conftest import WASHER

        story = tmp_path / "leaking-washer.yaml"
        story.write_text(WASHER.read_text(encoding="utf-8"), encoding="utf-8")
        app = make_app(story)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "1", "q", "y")
        story.unlink()
        again = make_app()
        async with again.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "y")
            assert isinstance(again.screen, PickerScreen)
            assert ("Cannot continue where you left off", f"The story file {story} is no longer there.") in notices(again)
        assert Record(data_dir()).unfinished() is None


class TestPresenterQuit:
    async def test_quitting_mid_story_in_presenter_mode_asks_and_keeps_the_rooms_replies(self) -> None:
        from roleplay.tui.app import create_app
        from tests.presenter.conftest import FIXTURES, LARGE, STORY

        app = create_app(str(STORY), present=True, library=FIXTURES)
        app.animation_level = "none"
        async with app.run_test(size=LARGE) as pilot:
            await settle(pilot)
            await press(pilot, "2", "2", "1", "enter", "ctrl+q")
            dialog = app.screen
            assert isinstance(dialog, ConfirmDialog) and button_labels(dialog) == (QUIT_YES, QUIT_NO)
            await press(pilot, "y")
            assert app._exit
        saved = Record(data_dir()).unfinished()
        assert saved is not None and saved.session["picks"] == [2]
