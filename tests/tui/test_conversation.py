"""A conversation played as a learner plays it: keys, arrows, the mouse, undo, modes, the turning point, the debrief."""

from __future__ import annotations

import pytest

from roleplay.rules.rulebook import default_rulebook
from roleplay.tui.screens.confirm import ConfirmDialog
from roleplay.tui.screens.conversation import ConversationScreen, CustomerLine
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.picker import PickerScreen
from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.feedback import FeedbackNotes, FeedbackPanel
from roleplay.tui.widgets.mood_meter import MoodMeter
from roleplay.tui.widgets.transcript import Transcript
from roleplay.writing.analysis import turning_point

from .conftest import (
    BUNDLED_LONG,
    HASH_NAME,
    SIZE,
    WASHER,
    open_washer,
    press,
    rule_notes,
    run_from_palette,
    settle,
    text_of,
    washer_session,
)


class TestConversation:
    async def test_play_by_number_keys_to_the_best_outcome(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            assert (
                str(screen.query_one(CustomerLine).render())
                == "Dana: Your machine has flooded my kitchen floor. Twice this week!"
            )
            assert screen.query_one(MoodMeter).mood == 30
            await press(pilot, "1", "1")
            expected = washer_session(1, 1)
            assert screen.query_one(MoodMeter).mood == expected.mood
            assert screen.query_one(MoodMeter).change == expected.turns[-1].mood_change
            transcript = screen.query_one(Transcript).text
            assert "Dana: Your machine has flooded my kitchen floor. Twice this week!" in transcript
            assert "You: Water from the door seal, twice in a week: I can see why you're fed up." in transcript
            await press(pilot, "1")
            assert screen.session.finished
            assert "Tomorrow morning." in str(screen.query_one(CustomerLine).render())
            await press(pilot, "enter")
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen)
            assert str(debrief.query_one("#outcome-label").render()) in ("R E C O M M E N D S   Y O U", "RECOMMENDS YOU")
            assert "loyalty 78 of 100" in str(debrief.query_one("#outcome-numbers").render())
            tactics = text_of(debrief, "#tactics Static")
            assert "What the articles recommend" in tactics
            assert "✓ Offer a solution: mood +12 · loyalty +8" in tactics
            assert "What the articles warn against" not in tactics

    async def test_the_coach_explains_each_rule(self, make_app) -> None:
        rulebook = default_rulebook()
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            assert "Pick a reply" in screen.query_one(FeedbackPanel).text
            await press(pilot, "1")
            assert rule_notes(screen) == [rulebook.tactics["apologize"].label, rulebook.tactics["ask_questions"].label]
            text = screen.query_one(FeedbackPanel).text
            assert "✓ Apologize\n  +8 mood · builds trust\n" + rulebook.tactics["apologize"].explain in text
            # The source in words: the heading as written and translated, the article's title and language, the quote.
            assert (
                "Atvainojieties (“Apologise”) · Five ways to handle a dissatisfied customer, even when the customer is wrong (Latvian)"
                in text
            )
            assert "“Pat ja tā nav Jūsu vaina vai pat Jūsu uzņēmuma vaina, klients ir pelnījis vismaz atvainošanos.”" in text
            assert (
                "In English: “Even if it is not your fault, or even your company's, the customer deserves at least an apology.”"
                in text
            )
            assert not HASH_NAME.search(text)
            assert "loyalty" not in text, "loyalty stays hidden until the debrief: words, not numbers"
            assert screen.query_one(FeedbackPanel).border_title == "Coach · reply 1"
            await press(pilot, "u", "2")
            text = screen.query_one(FeedbackPanel).text
            assert "✗ Tell them they're wrong\n  -12 mood · costs a lot of trust later" in text

    async def test_arrows_enter_and_mouse(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await pilot.press("down", "down", "enter")
            await settle(pilot)
            assert screen.session.picks == [3]
            assert screen.session.state.node == "defensive"
            screen.query_one(ChoiceList)
            # Click the first reply: the option list's first line, inside its border.
            await pilot.click(ChoiceList, offset=(4, 1))
            await settle(pilot)
            assert screen.session.picks == [3, 1]

    async def test_hidden_replies_keep_the_command_line_numbering(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await press(pilot, "2", "1")
            expected = washer_session(2, 1)
            offered = [choice.reply for choice in expected.offered()]
            assert len(offered) == 2, "the story hides its third reply here (mood below 40)"
            choices = screen.query_one(ChoiceList)
            assert choices.option_count == 2
            assert screen.check_action("choose", (3,)) is False and screen.check_action("choose", (2,)) is True
            assert "3" not in app.screen.active_bindings
            await press(pilot, "3")
            assert screen.session.picks == [2, 1], "a number that is not on offer does nothing"
            await press(pilot, "2")
            assert screen.session.picks == [2, 1, 2]
            assert screen.session.state.node == washer_session(2, 1, 2).state.node

    async def test_walk_out(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await press(pilot, "2", "2", "2", "2")
            assert screen.session.walked_out
            assert screen.query_one(MoodMeter).mood == 0
            assert "-furious" in screen.query_one(MoodMeter).classes
            assert screen.query_one(Transcript).text.endswith("Dana walked out.")
            assert str(screen.query_one(CustomerLine).render()) == "Dana: I've heard enough. Goodbye."
            feedback = screen.query_one(FeedbackPanel).text
            assert "Dana walked out" in feedback
            assert default_rulebook().walkout.explain in feedback
            await press(pilot, "d")
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen)
            assert debrief.session.outcome is not None and debrief.session.outcome.id == "leaves_complains"
            assert "-bad" in debrief.query_one("#outcome").classes  # its tone in the rulebook colours it
            assert "Dana walked out." in str(debrief.query_one("#outcome-walkout").render())
            assert "What the articles warn against" in text_of(debrief, "#tactics Static")

    async def test_undo_takes_back_the_last_reply(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            transcript = screen.query_one(Transcript)
            before = transcript.text
            await press(pilot, "2")
            assert screen.query_one(MoodMeter).mood == 18
            await press(pilot, "u")
            assert screen.session.picks == []
            assert transcript.text == before
            assert screen.query_one(MoodMeter).mood == 30
            assert screen.query_one(ChoiceList).option_count == 3
            assert not rule_notes(screen)
            await press(pilot, "1", "1", "ctrl+z")
            assert screen.session.picks == [1]
            assert screen.query_one(MoodMeter).mood == washer_session(1).mood
            assert "apology" in screen.query_one(FeedbackPanel).text.lower(), "the feedback is the remaining reply's"
            await press(pilot, "r")
            assert isinstance(app.screen, ConfirmDialog), "a restart cannot be undone, so it asks first"
            await press(pilot, "n")
            assert app.screen is screen and screen.session.picks == [1], "no keeps the conversation"
            await press(pilot, "r", "escape")
            assert screen.session.picks == [1], "Escape is no"
            await press(pilot, "r", "y")
            assert app.screen is screen
            assert screen.session.picks == []
            assert transcript.text == before

    @pytest.mark.slow
    async def test_undo_from_the_debrief_and_play_again(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await press(pilot, "1", "2", "d")
            assert isinstance(app.screen, DebriefScreen)
            await press(pilot, "u")
            assert app.screen is screen
            assert screen.session.picks == [1]
            await press(pilot, "1", "1", "d", "r")
            assert app.screen is screen
            assert screen.session.picks == []
            await press(pilot, "1", "1", "1", "d", "s")
            assert isinstance(app.screen, PickerScreen)

    async def test_turning_point_and_going_back_to_it(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await press(pilot, "1", "2", "d")
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen)
            expected = turning_point(washer_session(1, 2))
            assert expected is not None
            assert default_rulebook().outcome_rank(expected.alternative_best) > default_rulebook().outcome_rank(
                expected.chosen_best
            )
            assert debrief.turning_point == expected
            shown = text_of(debrief, "#turning-point Static")
            assert f"Reply {expected.alternative_number} instead: {expected.alternative_reply}" in shown
            assert default_rulebook().outcome(expected.alternative_best).label in shown
            settlement = text_of(debrief, "#settlement Static")
            assert "loyalty -16" in settlement
            await press(pilot, "t")
            assert app.screen is screen
            assert len(screen.session.picks) == expected.turn - 1

    async def test_a_turning_point_search_out_of_time_says_so(self, make_app, monkeypatch) -> None:
        """A story too big to search in the debrief's budget: the debrief says the search was cut
        short instead of calling the play flawless, and offers no turning point to go back to."""
        monkeypatch.setattr("roleplay.writing.analysis.turning.TURNING_SECONDS", 0.0)
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await press(pilot, "1", "2", "d")
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen)
            await settle(pilot)
            shown = text_of(debrief, "#turning-point Static")
            assert "This story is too big to look for the turning point in 0 s: no turn was checked." in shown
            assert "flawless" not in shown and debrief.turning_point is None
            assert not debrief.check_action("try_turning_point", ())

    async def test_exam_mode_hides_feedback_until_the_debrief(self, make_app) -> None:
        app = make_app(exam=True)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            assert app.sub_title == "Exam mode"
            await press(pilot, "1")
            assert screen.query_one(MoodMeter).mood == 42, "the meter still moves"
            assert not rule_notes(screen)
            assert "Exam mode" in screen.query_one(FeedbackPanel).text
            await press(pilot, "1", "1", "d")
            debrief = app.screen
            assert "✓ Apologize: mood +8 · loyalty +3" in text_of(debrief, "#tactics Static")
            replies = debrief.query_one("#replies")
            assert replies.border_title == "Reply by reply: the feedback exam mode held back"
            held_back = [notes.text for notes in replies.query(FeedbackNotes)]
            assert len(held_back) == 3
            assert held_back[0].startswith("✓ Apologize\n  +8 mood · builds trust")

    async def test_switching_modes(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await press(pilot, "1")
            assert rule_notes(screen)
            footer_actions = {b.binding.action for b in app.screen.active_bindings.values()}
            assert "set_mode('exam')" in footer_actions and "set_mode('coach')" not in footer_actions
            await press(pilot, "m")
            assert app.play_mode == "exam"
            assert not rule_notes(screen)
            footer_actions = {b.binding.action for b in app.screen.active_bindings.values()}
            assert "set_mode('coach')" in footer_actions
            await press(pilot, "m")
            assert app.play_mode == "coach"
            assert rule_notes(screen), "switching back shows the last reply's feedback"

    async def test_switching_mode_from_the_command_palette(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await run_from_palette(pilot, "exam mode")
            assert app.play_mode == "exam"

    async def test_undo_from_the_command_palette(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await press(pilot, "1")
            await run_from_palette(pilot, "undo the last")
            assert screen.session.picks == []

    async def test_escape_goes_back_to_the_stories(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await press(pilot, "escape")
            assert isinstance(app.screen, PickerScreen)


async def debrief_with_palette(pilot) -> tuple[DebriefScreen, list[str]]:
    """Play replies 1 and 2, open the debrief; the debrief and the titles its command palette offers."""
    from roleplay.tui.commands import RoleplayCommands

    await settle(pilot)
    await press(pilot, "1", "2", "d")
    await settle(pilot)
    debrief = pilot.app.screen
    assert isinstance(debrief, DebriefScreen)
    return debrief, [command.title for command in RoleplayCommands(debrief).available()]


@pytest.mark.slow
async def test_the_debrief_offers_play_again_and_the_turning_point_in_the_palette(make_app) -> None:
    app = make_app(WASHER)
    async with app.run_test(size=SIZE) as pilot:
        debrief, titles = await debrief_with_palette(pilot)
        assert "Play the story again" in titles
        assert ("Go back to the turning point" in titles) == (debrief.turning_point is not None)
        await run_from_palette(pilot, "play the story again")
        assert isinstance(app.screen, ConversationScreen) and app.screen.session.picks == []


async def test_the_debrief_offers_playing_again_in_the_other_mode(make_app) -> None:
    app = make_app(WASHER)
    async with app.run_test(size=SIZE) as pilot:
        _debrief, titles = await debrief_with_palette(pilot)
        assert app.play_mode == "coach"
        assert "Play again in exam mode" in titles and "Play again in coach mode" not in titles
        await run_from_palette(pilot, "play again in exam mode")
        assert app.play_mode == "exam"
        assert isinstance(app.screen, ConversationScreen) and app.screen.session.picks == []


class TestTranscriptPosition:
    """The transcript has no scroll bar (it would cost a second frame per reply): its border says what is out of view."""

    async def test_the_border_marks_earlier_lines_above_and_later_lines_below(self, make_app) -> None:
        from textual import events

        app = make_app(BUNDLED_LONG, library=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            transcript = app.screen.query_one(Transcript)
            await press(pilot, "1", "1", "1")
            assert isinstance(app.screen, ConversationScreen)
            assert transcript.max_scroll_y > 0, "three turns fill the transcript at 80x24"
            assert transcript.border_subtitle == "↑"
            assert transcript.scroll_y == transcript.max_scroll_y, "the latest line is in view"
            for _ in range(3):
                transcript.post_message(events.MouseScrollUp(transcript, 1, 1, 0, 0, 0, False, False, False))
                await pilot.pause()
            await settle(pilot)
            assert transcript.scroll_y < transcript.max_scroll_y, "the wheel scrolls the transcript"
            assert "↓" in transcript.border_subtitle
            await press(pilot, "1")
            assert transcript.scroll_y == transcript.max_scroll_y, "a reply brings the latest line back into view"


async def test_a_long_customer_line_scrolls_instead_of_being_cut(make_app) -> None:
    """At 60x20 in Latvian the first bundled story's second line is longer than its room: it scrolls, with a bar."""
    app = make_app(library=None, language="lv")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "1")
        line = app.screen.query_one(CustomerLine)
        text = line.render().plain
        assert line.virtual_size.height > line.scrollable_content_region.height, "the line is longer than its room"
        assert line.show_vertical_scrollbar and line.vertical_scrollbar.region.height, "a bar says there is more"
        replies = app.screen.query_one(ChoiceList).region
        assert replies.height >= 4 and replies.bottom <= 19, "the replies keep their room above the footer"
        line.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        last_word = text.split()[-1]
        shown = "\n".join(line.render_line(y).text for y in range(line.scrollable_content_region.height))
        assert last_word in shown, "the end of the line can be scrolled into view"


async def test_without_animations_the_meter_moves_with_the_reply(make_app) -> None:
    """Animations off: the bar is at the new mood in the frame that shows the reply, not a frame later."""
    app = make_app(WASHER)
    drawn: list[tuple[float, int]] = []
    display = app._display

    def noting(screen, renderable) -> None:
        if renderable is not None and isinstance(screen, ConversationScreen):
            meter = screen.query_one(MoodMeter)
            drawn.append((meter.shown, meter.mood))
        display(screen, renderable)

    app._display = noting
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        drawn.clear()
        await press(pilot, "1")
        shown, mood = drawn[0]
        assert mood == app.screen.session.mood != 50
        assert shown == mood, "the first frame after the reply has the bar at the new mood"
