"""Presenter mode driven as a trainer drives it: votes, lock in, reveal, take back, the timer, the summary."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.widgets import ContentSwitcher

from roleplay.cli import build_parser
from roleplay.play.engine import Session
from roleplay.tui.screens.conversation import ConversationScreen
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.presenter import PresenterScreen
from roleplay.tui.screens.presenter_help import PresenterHelpScreen
from roleplay.tui.screens.presenter_summary import RoomSummaryScreen, TurnVotesView
from roleplay.tui.themes import PRESENTER_THEME
from roleplay.tui.widgets.discussion_timer import DiscussionTimer
from roleplay.tui.widgets.feedback import FeedbackPanel
from roleplay.tui.widgets.presenter_meter import PresenterMoodMeter
from roleplay.tui.widgets.transcript import Transcript
from roleplay.tui.widgets.vote_tally import VoteTally
from tests.conftest import played

from .conftest import SMALL, STORY, FakeClock, press, settle


def engine_session(*picks: int) -> Session:
    """The engine's own play-through of the test story, to compare the screen with."""
    return played(STORY, *picks)


def presenter(pilot) -> PresenterScreen:
    screen = pilot.app.screen
    assert isinstance(screen, PresenterScreen), f"expected the presenter screen, not {type(screen).__name__}"
    return screen


def prompt(screen: PresenterScreen) -> str:
    return str(screen.query_one("#presenter-prompt").render())


def stage(screen: PresenterScreen) -> str | None:
    return screen.query_one(ContentSwitcher).current


class TestStarting:
    async def test_present_opens_the_story_on_the_presenter_screen_in_high_contrast(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            app = pilot.app
            screen = presenter(pilot)
            assert app.theme == PRESENTER_THEME.name
            assert app.sub_title == "Presenter mode"
            assert screen.query_one(PresenterMoodMeter).mood == engine_session().mood
            assert "Noor: You've taken the money twice" in str(screen.query_one("#presenter-line").render())
            assert screen.tally.counts == (0, 0, 0)
            assert stage(screen) == "presenter-replies"
            assert not screen.query_one(DiscussionTimer).display, "the timer stays out of sight until it is used"

    async def test_without_present_the_ordinary_conversation_opens(self, run_presenter) -> None:
        async with run_presenter(present=False) as pilot:
            app = pilot.app
            assert isinstance(app.screen, ConversationScreen)
            assert app.theme != PRESENTER_THEME.name

    def test_command_line_passes_present_through(self, monkeypatch: pytest.MonkeyPatch) -> None:
        calls: list[tuple] = []
        monkeypatch.setattr(
            "roleplay.tui.app.run_app",
            lambda story, exam=False, present=False, watch=False, language="en": calls.append((story, exam, present)) or 0,
        )
        parser = build_parser()
        for argv, expected in (
            (["--present"], (None, False, True)),
            (["play", "cracked-kettle", "--present"], ("cracked-kettle", False, True)),
            (["play", "cracked-kettle"], ("cracked-kettle", False, False)),
        ):
            args = parser.parse_args(argv)
            handler = getattr(args, "handler", None) or parser.default_handler  # type: ignore[attr-defined]
            assert handler(args) == 0
            assert calls.pop() == expected


class TestVoting:
    async def test_number_keys_add_votes_shown_as_bars(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "1", "1", "2")
            screen = presenter(pilot)
            assert screen.room.tally is not None and screen.room.tally.counts == [2, 1, 0]
            assert screen.tally.counts == (2, 1, 0)
            assert prompt(screen) == "3 votes · reply 1 leads · Enter locks it in."

    async def test_minus_then_a_number_or_alt_number_removes_a_vote_never_below_zero(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            app = pilot.app
            await press(pilot, "1", "1", "2", "minus")
            screen = presenter(pilot)
            assert screen.pending == "remove"
            assert "Take a vote from which reply?" in prompt(screen)
            # The footer asks the same question instead of offering "Vote".
            shown = {binding.description for binding in (b.binding for b in app.active_bindings.values()) if binding.show}
            assert "Which reply?" in shown and "Vote" not in shown
            await press(pilot, "1")
            assert screen.tally.counts == (1, 1, 0)
            assert screen.pending is None
            await press(pilot, "alt+2", "alt+2", "minus", "3")
            assert screen.tally.counts == (1, 0, 0)

    @pytest.mark.parametrize(
        ("keys", "counts"),
        [
            # Option and a number, as a Mac types it or a terminal's escape prefix arrives: ¡ is 1, £ is 3.
            (("1", "1", "3", "3", "inverted_exclamation_mark", "pound_sign"), (1, 0, 1)),
            (("4", "9", "1"), (1, 0, 0)),  # numbers beyond the replies on offer do nothing
            (("1", "3", "x"), (0, 0, 0)),  # x clears the turn's votes
        ],
        ids=["option-number-removes-a-vote", "numbers-beyond-the-replies-do-nothing", "x-clears-the-votes"],
    )
    async def test_keys_change_the_count(self, run_presenter, keys, counts) -> None:
        async with run_presenter() as pilot:
            await press(pilot, *keys)
            assert presenter(pilot).tally.counts == counts

    async def test_clicking_a_reply_adds_a_vote(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            screen = presenter(pilot)
            assert await pilot.click(VoteTally, offset=(5, 0))
            await settle(pilot)
            assert screen.tally.counts == (1, 0, 0)

    async def test_enter_on_a_tie_gives_nothing_and_says_why(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "1", "2", "enter")
            screen = presenter(pilot)
            assert screen.session.turns == []
            assert screen.phase == "voting"
            assert prompt(screen) == "Tie between replies 1 and 2: add a vote, or choose the reply yourself."

    async def test_enter_with_no_votes_gives_nothing(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "enter")
            screen = presenter(pilot)
            assert screen.session.turns == []
            assert prompt(screen).startswith("No votes yet")

    async def test_the_footer_is_rebuilt_only_when_its_keys_change_and_once_for_several_changes(
        self, run_presenter, monkeypatch
    ) -> None:
        from roleplay.tui.widgets.footer import Footer

        async with run_presenter() as pilot:
            screen = presenter(pilot)
            footer = screen.query_one(Footer)
            rebuilds: list[str] = []
            recompose = Footer.recompose

            async def counted(self):
                rebuilds.append(str(screen.phase))
                await recompose(self)

            monkeypatch.setattr(Footer, "recompose", counted)
            await press(pilot, "1", "2", "1")  # votes: the keys stay as they are
            assert rebuilds == []
            screen.refresh_bindings()
            screen.refresh_bindings()
            await settle(pilot)
            assert rebuilds == [], "nothing the footer shows changed"
            await press(pilot, "enter")  # locked in: Reveal replaces the voting keys
            assert rebuilds == ["locked"]
            assert "Reveal" in [str(key.description) for key in footer.query("FooterKey")]


class TestLockAndReveal:
    async def test_enter_locks_the_majority_and_hides_its_effect(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "2", "2", "1", "enter")
            screen = presenter(pilot)
            expected = engine_session(2)
            assert screen.session.picks == [2]
            assert screen.phase == "locked"
            assert screen.tally.given == 2
            assert screen.meter.mood == expected.turns[0].mood_before, "the meter waits for the reveal"
            assert stage(screen) == "presenter-replies"
            assert prompt(screen) == "The room gave reply 2 (2 of 3 votes). Predict the effect, then press r."
            record = screen.room.record_for(1)
            assert record is not None and (record.counts, record.locked_by) == ((1, 2, 0), "majority")
            assert screen.check_action("number", (1,)) is False, "no more votes once it is locked in"

    async def test_r_reveals_the_mood_change_and_the_coaching(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "1", "enter", "r")
            screen = presenter(pilot)
            result = engine_session(1).turns[0]
            assert screen.phase == "revealed"
            assert screen.meter.mood == result.mood_after
            assert screen.meter.change == result.mood_change
            assert stage(screen) == "presenter-coaching"
            coaching = screen.query_one(FeedbackPanel)
            assert coaching.border_title == "Coach · turn 1, reply 1"
            assert "Apologize" in coaching.text
            assert f"Mood {result.mood_before} → {result.mood_after} ({result.mood_change:+d})" in prompt(screen)

    async def test_reveal_only_after_a_lock(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "1", "r")
            screen = presenter(pilot)
            assert screen.phase == "voting"
            assert screen.meter.mood == engine_session().mood

    async def test_enter_after_the_reveal_opens_the_next_vote(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "1", "enter", "r", "enter")
            screen = presenter(pilot)
            assert screen.phase == "voting"
            assert "The 3rd and the 4th" in str(screen.query_one("#presenter-line").render())
            assert screen.tally.counts == (0, 0, 0)
            assert screen.room.turn == 2

    async def test_c_then_a_number_gives_the_trainers_choice(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "1", "1", "c")
            screen = presenter(pilot)
            assert prompt(screen).startswith("Give which reply?")
            await press(pilot, "3")
            assert screen.session.picks == [3]
            record = screen.room.record_for(1)
            assert record is not None and record.locked_by == "trainer"
            assert prompt(screen).startswith("The trainer gave reply 3 (0 of 2 votes).")

    async def test_escape_cancels_a_waiting_key(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "c", "escape", "2")
            screen = presenter(pilot)
            assert screen.session.picks == []
            assert screen.tally.counts == (0, 1, 0)

    async def test_u_takes_back_the_reply_and_reopens_its_votes(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "1", "1", "3", "enter", "r", "u")
            screen = presenter(pilot)
            assert screen.session.picks == []
            assert screen.phase == "voting"
            assert screen.tally.counts == (2, 0, 1)
            assert screen.meter.mood == engine_session().mood
            assert screen.room.records == []


class TestExtras:
    async def test_timer_starts_stops_and_resets_with_keys(self, run_presenter) -> None:
        async with run_presenter(size=SMALL) as pilot:
            screen = presenter(pilot)
            clock = FakeClock()
            screen.timer.clock = clock
            await press(pilot, "t")
            assert screen.timer.running and screen.timer.display
            clock.now += 30
            await press(pilot, "t")
            assert not screen.timer.running
            assert screen.timer.remaining == pytest.approx(screen.timer.duration - 30)
            assert str(screen.timer.render()) == "Paused 1:00"
            await press(pilot, "T")
            assert screen.timer.remaining == screen.timer.duration
            await press(pilot, "right_square_bracket")
            assert screen.timer.duration == 105

    async def test_a_new_turn_resets_the_timer(self, run_presenter) -> None:
        async with run_presenter(size=SMALL) as pilot:
            screen = presenter(pilot)
            clock = FakeClock()
            screen.timer.clock = clock
            await press(pilot, "t")
            clock.now += 20
            await press(pilot, "1", "enter")
            assert not screen.timer.running, "locking in stops the discussion"
            await press(pilot, "r", "enter")
            assert screen.timer.remaining == screen.timer.duration

    async def test_v_shows_the_transcript_and_escape_hides_it(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            await press(pilot, "1", "enter", "v")
            screen = presenter(pilot)
            assert stage(screen) == "presenter-transcript"
            transcript = screen.query_one(Transcript)
            assert "You: I'm sorry. Tell me the dates of both charges?" in transcript.text
            for segment in transcript.render_line(0):
                if segment.text.strip():
                    assert segment.style.color != segment.style.bgcolor, f"{segment.text!r} is invisible"
            await press(pilot, "escape")
            assert stage(screen) == "presenter-replies"

    async def test_help_lists_the_keys_and_the_rules(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            app = pilot.app
            await press(pilot, "question_mark")
            assert isinstance(app.screen, PresenterHelpScreen)
            from textual.widgets import Markdown

            from roleplay.tui.widgets.key_table import KeyTable

            rows = app.screen.query_one(KeyTable).rows
            assert ("Presenter", "⏎", "Give the reply with the most votes") in rows
            assert ("Presenter", "-", "Then a number: one vote fewer for that reply") in rows
            assert rows[:2] == [
                ("Presenter", "1-9", "One more vote for that reply (or click it)"),
                ("Presenter", "alt+1-9", "One vote fewer for that reply (Option+1-9 on a Mac)"),
            ]
            assert ("Summary", "d", "Tactics used and the turning point") in rows
            text = app.screen.query_one(Markdown).source
            assert "Ties:" in text and "most divided" in text
            await press(pilot, "escape")
            assert isinstance(app.screen, PresenterScreen)

    async def test_palette_offers_only_what_applies(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            screen = presenter(pilot)
            from roleplay.tui.commands import RoleplayCommands

            def offered() -> set[str]:
                return {command.action for command in RoleplayCommands(screen).available()}

            assert screen.check_action("reveal", ()) is False
            assert screen.check_action("lock", ()) is True
            assert "lock" in offered() and "reveal" not in offered()
            await press(pilot, "1", "enter")
            assert screen.check_action("reveal", ()) is True
            assert screen.check_action("lock", ()) is False
            assert "reveal" in offered() and "lock" not in offered()


class TestSwitching:
    async def test_p_switches_the_open_conversation_both_ways_keeping_the_votes(self, run_presenter) -> None:
        async with run_presenter(present=False) as pilot:
            app = pilot.app
            before = app.theme
            await press(pilot, "p")
            screen = presenter(pilot)
            assert app.theme == PRESENTER_THEME.name
            await press(pilot, "2", "2", "enter", "r", "enter", "1")
            session = screen.session
            await press(pilot, "p")
            assert isinstance(app.screen, ConversationScreen)
            assert app.screen.session is session
            assert app.theme == before
            await press(pilot, "p")
            again = presenter(pilot)
            assert again.session is session
            record = again.room.record_for(1)
            assert record is not None and record.counts == (0, 2, 0)

    async def test_turns_given_before_presenter_mode_show_without_a_vote(self, run_presenter) -> None:
        async with run_presenter(present=False) as pilot:
            app = pilot.app
            await press(pilot, "1", "p")
            screen = presenter(pilot)
            assert screen.room.turn == 2
            await press(pilot, "2", "enter", "r", "enter", "1", "enter", "r", "enter")
            summary = app.screen
            assert isinstance(summary, RoomSummaryScreen)
            first, *rest = summary.query(TurnVotesView)
            assert first.record is None
            assert first.border_title == "Turn 1 · no vote"
            console = Console(width=100, record=True, file=io.StringIO())
            console.print(first.render())
            assert "Given without a vote (before presenter mode)." in console.export_text()
            assert [view.record.turn for view in rest if view.record] == [2, 3]

    async def test_presenter_mode_from_the_picker_applies_to_the_next_story(self, run_presenter) -> None:
        async with run_presenter(story=None, present=False) as pilot:
            app = pilot.app
            await press(pilot, "p")
            assert app.presenting
            app.open_story(str(STORY))
            await settle(pilot)
            presenter(pilot)


class TestSummary:
    async def play_through(self, pilot) -> PresenterScreen:
        await settle(pilot)
        # turn 1: 2-1 for reply 1; turn 2: split 1-2-1, reply 2 wins; turn 3: a tie the trainer breaks
        await press(pilot, "1", "1", "2", "enter", "r", "enter")
        await press(pilot, "1", "2", "2", "3", "enter", "r", "enter")
        await press(pilot, "1", "2", "enter", "c", "1", "r")
        return presenter(pilot)

    @pytest.mark.slow
    async def test_the_end_leads_to_the_rooms_summary_and_its_full_debrief(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            app = pilot.app
            screen = await self.play_through(pilot)
            expected = engine_session(1, 2, 1)
            assert screen.session.finished
            assert prompt(screen).endswith("Enter: the room's summary.")
            coaching = screen.query_one(FeedbackPanel).text
            assert coaching.endswith("The conversation is over: Enter shows the room's summary.")
            assert "debrief" not in coaching
            await press(pilot, "enter")
            summary = app.screen
            assert isinstance(summary, RoomSummaryScreen)
            outcome = expected.outcome
            assert outcome is not None
            assert str(summary.query_one("#room-outcome-label").render()) == outcome.label
            assert "Noor: Fine. Thank you." in str(summary.query_one("#room-outcome-closing").render())
            views = list(summary.query(TurnVotesView))
            assert [view.result.turn for view in views] == [1, 2, 3]
            assert [view.border_title for view in views] == [
                "Turn 1 · 3 votes · 33% divided",
                "Turn 2 · 4 votes · 50% divided",
                "Turn 3 · 2 votes · 50% divided",
            ]
            assert [view.has_class("-most-divided") for view in views] == [False, True, True]
            divided = str(summary.query_one("#room-divided").render())
            assert divided.startswith("The room was most divided at turns 2 and 3: 50% of the votes")
            assert summary.query_one("#room-mood-chart").values == (35, *[t.mood_after for t in expected.turns])
            await press(pilot, "d")
            assert isinstance(app.screen, DebriefScreen), "d opens the full debrief"

    async def test_play_again_from_the_summary_starts_a_fresh_count(self, run_presenter) -> None:
        async with run_presenter() as pilot:
            app = pilot.app
            await self.play_through(pilot)
            await press(pilot, "enter", "r")
            assert isinstance(app.screen, RoomSummaryScreen), "r reveals; it does not restart from the summary"
            await press(pilot, "a")
            screen = presenter(pilot)
            assert screen.session.picks == []
            assert screen.room.records == []
            assert screen.phase == "voting"

    async def test_a_walk_out_ends_in_the_summary_too(self, run_presenter, write_story) -> None:
        path = write_story(
            """
            title: Short fuse
            summary: One wrong word and she is gone.
            sources: [002_ebedcf5b5245cf8b.txt]
            customer: {name: Ada, about: Angry already., mood: 10, loyalty: 40}
            start: first
            nodes:
              first:
                say: "Well?"
                choices:
                  - reply: "Calm down."
                    tactics: [retaliate]
                    next: done
                  - reply: "I'm sorry."
                    tactics: [apologize]
                    next: done
              done:
                say: "Fine."
                end: true
            """
        )
        async with run_presenter(path, size=SMALL) as pilot:
            app = pilot.app
            await press(pilot, "1", "enter", "r")
            screen = presenter(pilot)
            assert screen.session.walked_out
            await press(pilot, "enter")
            summary = app.screen
            assert isinstance(summary, RoomSummaryScreen)
            assert str(summary.query_one("#room-outcome-walkout").render()) == "Ada walked out."


class TestSmallScreens:
    """Replies that do not all fit show a scroll bar (the presenter's list has no border to mark them), and a
    long customer's line leaves the replies room, down to 40x12."""

    @pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 12)])
    async def test_replies_below_the_fold_show_a_bar_and_stay_in_view_of_the_keys(self, run_presenter, size) -> None:
        async with run_presenter("cracked-kettle", size=size) as pilot:
            screen = presenter(pilot)
            tally = screen.tally
            assert tally.virtual_size.height > tally.scrollable_content_region.height, f"all replies fit at {size}"
            assert tally.show_vertical_scrollbar, "replies out of view, and nothing on screen says so"
            assert tally.region.bottom <= size[1] - 1 and tally.region.height >= 5, "the replies have no room"
            await press(pilot, "pagedown")
            assert tally.scroll_y > 0, "PgDn reads on in the replies"
