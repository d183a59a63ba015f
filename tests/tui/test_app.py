"""The app played as a learner plays it: keys, arrows, the mouse, undo, modes, help, errors, the debrief."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from textual.widgets import Markdown

from roleplay.play.engine import Session
from roleplay.play.library import bundled_story_paths
from roleplay.rules.rulebook import default_rulebook
from roleplay.tui.screens.confirm import ConfirmDialog
from roleplay.tui.screens.conversation import ConversationScreen, CustomerLine
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.errors import ErrorsScreen
from roleplay.tui.screens.help import HelpScreen
from roleplay.tui.screens.open_file import OpenFileScreen
from roleplay.tui.screens.picker import PickerScreen, StoryDetails, StoryList
from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.feedback import FeedbackNotes, FeedbackPanel
from roleplay.tui.widgets.key_table import KeyTable
from roleplay.tui.widgets.mood_meter import MoodMeter
from roleplay.tui.widgets.transcript import Transcript
from roleplay.writing.analysis import turning_point
from tests.conftest import played

from .conftest import BROKEN, WASHER, run_from_palette, settle

SIZE = (80, 24)
BUNDLED_LONG = "savings-rate-cut"
"""A bundled story whose lines and replies are long: the coach's room at small sizes is tested on it."""

HASH_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
"""An article's file name, which a learner must never see on any screen."""


def washer_session(*picks: int) -> Session:
    """The engine's own play-through of the test story, to compare the screen with."""
    return played(WASHER, *picks)


def text_of(screen, selector: str) -> str:
    return "\n".join(str(widget.render()) for widget in screen.query(selector))


def rule_notes(screen) -> list[str]:
    """The titles of the rules the coach is showing (none in exam mode or before the first reply)."""
    return [note.title for note in screen.query_one(FeedbackNotes).notes if note.kind != "remark"]


async def open_washer(pilot) -> ConversationScreen:
    """From the picker, choose the test story (listed second, after the broken one) and play it."""
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConversationScreen)
    return screen


async def reply(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


class TestPicker:
    async def test_lists_the_library_with_details(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, PickerScreen)
            prompts = [str(option.prompt) for option in app.screen.query_one(StoryList).options]
            assert prompts[0].startswith("⚠ broken-story.yaml") and "2 errors" in prompts[0]
            assert prompts[1].startswith("The leaking washer") and "Dana · 8 nodes" in prompts[1]
            details = app.screen.query_one(StoryDetails)
            assert "This story has errors" in text_of(details, "Static")
            await pilot.press("down")
            await settle(pilot)
            shown = text_of(details, "Static")
            assert details.border_title == "The leaking washer"
            assert "Dana: Bought a washing machine last month" in shown
            assert "8 nodes, 10 replies, 4 endings" in shown
            # Each article by its title and language, with the sections cited as headed there and translated.
            assert (
                "Five ways to handle a dissatisfied customer, even when the customer is wrong (Latvian): "
                "The opening paragraphs (before the first heading); Klausieties (“Listen”); Ļaujiet viņiem runāt (“Let them talk”); "
                "Izprotiet klientu (“Understand the customer”); Atvainojieties (“Apologise”); Sniedziet risinājumu (“Offer a solution”)"
            ) in shown
            assert (
                "“The customer is always right!”: is it still so? (Polish: „Klient ma zawsze rację!” – czy dalej tak jest?): "
                "Nie mów wprost, że klient jest w błędzie (“Don't tell the customer outright that they are wrong”); "
                "Omówcie razem zgłaszany problem (“Go over the reported problem together”)"
            ) in shown
            assert not HASH_NAME.search(shown)
            assert "Your best so far" not in shown

    async def test_a_broken_story_shows_its_errors_with_line_and_column(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ErrorsScreen)
            text = app.screen.text
            assert "broken-story.yaml:14:19: error: unknown tactic 'find_outt' (did you mean 'find_out'?)" in text
            assert "broken-story.yaml:18:15: error: reply 2 of node 'opening' goes to 'nowhere'" in text
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, PickerScreen)

    async def test_open_by_path(self, make_app, tmp_path: Path) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("o")
            await settle(pilot)
            assert isinstance(app.screen, OpenFileScreen)
            await pilot.press("enter")
            assert "Type the path" in str(app.screen.query_one("#open-problem").render())
            missing = tmp_path / "nowhere.yaml"
            app.screen.query_one("Input").value = str(missing)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, OpenFileScreen)
            assert "There is no file" in str(app.screen.query_one("#open-problem").render())
            app.screen.query_one("Input").value = str(tmp_path)
            await pilot.press("enter")
            assert "is a folder" in str(app.screen.query_one("#open-problem").render())
            app.screen.query_one("Input").value = str(BROKEN)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ErrorsScreen)
            assert "unknown tactic 'find_outt'" in app.screen.text
            await pilot.press("escape", "o")
            await settle(pilot)
            app.screen.query_one("Input").value = str(WASHER)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ConversationScreen)
            assert app.screen.story.title == "The leaking washer"

    async def test_open_file_cancel(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("o")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, PickerScreen)

    async def test_the_bundled_library_opens(self, make_app) -> None:
        app = make_app(library=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            stories = app.screen.query_one(StoryList)
            assert stories.option_count == len(bundled_story_paths()) > 0
            assert stories.highlighted == 0
            assert app.screen.query_one(StoryDetails).children

    async def test_an_empty_folder_says_so(self, make_app, tmp_path: Path) -> None:
        app = make_app(library=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.screen.query_one(StoryList).option_count == 0
            assert f"There are no story files in {tmp_path}" in text_of(app.screen, "StoryDetails Static")

    async def test_a_finished_play_becomes_the_best_so_far(self, make_app) -> None:
        from roleplay.play.record import load_history

        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await reply(pilot, "1", "1", "1")
            [record] = load_history()
            assert (record.story, record.outcome, record.coached, record.picks) == (
                "leaking-washer.yaml",
                "recommends",
                True,
                (1, 1, 1),
            )
            await reply(pilot, "escape")
            assert isinstance(app.screen, PickerScreen)
            shown = text_of(app.screen.query_one(StoryDetails), "Static")
            assert "Your best so far\nRecommends you (mood " in shown and "coach mode" in shown

    async def test_an_unfinished_play_is_not_recorded(self, make_app) -> None:
        from roleplay.play.record import load_history

        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await reply(pilot, "1", "escape")
            assert load_history() == []


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
            await reply(pilot, "1", "1")
            expected = washer_session(1, 1)
            assert screen.query_one(MoodMeter).mood == expected.mood
            assert screen.query_one(MoodMeter).change == expected.turns[-1].mood_change
            transcript = screen.query_one(Transcript).text
            assert "Dana: Your machine has flooded my kitchen floor. Twice this week!" in transcript
            assert "You: Water from the door seal, twice in a week: I can see why you're fed up." in transcript
            await reply(pilot, "1")
            assert screen.session.finished
            assert "Tomorrow morning." in str(screen.query_one(CustomerLine).render())
            await pilot.press("enter")
            await settle(pilot)
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
            await reply(pilot, "1")
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
            await reply(pilot, "u", "2")
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
            await reply(pilot, "2", "1")
            expected = washer_session(2, 1)
            offered = [choice.reply for choice in expected.offered()]
            assert len(offered) == 2, "the story hides its third reply here (mood below 40)"
            choices = screen.query_one(ChoiceList)
            assert choices.option_count == 2
            assert screen.check_action("choose", (3,)) is False and screen.check_action("choose", (2,)) is True
            assert "3" not in app.screen.active_bindings
            await reply(pilot, "3")
            assert screen.session.picks == [2, 1], "a number that is not on offer does nothing"
            await reply(pilot, "2")
            assert screen.session.picks == [2, 1, 2]
            assert screen.session.state.node == washer_session(2, 1, 2).state.node

    async def test_walk_out(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await reply(pilot, "2", "2", "2", "2")
            assert screen.session.walked_out
            assert screen.query_one(MoodMeter).mood == 0
            assert "-furious" in screen.query_one(MoodMeter).classes
            assert screen.query_one(Transcript).text.endswith("Dana walked out.")
            assert str(screen.query_one(CustomerLine).render()) == "Dana: I've heard enough. Goodbye."
            feedback = screen.query_one(FeedbackPanel).text
            assert "Dana walked out" in feedback
            assert default_rulebook().walkout.explain in feedback
            await pilot.press("d")
            await settle(pilot)
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
            await reply(pilot, "2")
            assert screen.query_one(MoodMeter).mood == 18
            await reply(pilot, "u")
            assert screen.session.picks == []
            assert transcript.text == before
            assert screen.query_one(MoodMeter).mood == 30
            assert screen.query_one(ChoiceList).option_count == 3
            assert not rule_notes(screen)
            await reply(pilot, "1", "1", "ctrl+z")
            assert screen.session.picks == [1]
            assert screen.query_one(MoodMeter).mood == washer_session(1).mood
            assert "apology" in screen.query_one(FeedbackPanel).text.lower(), "the feedback is the remaining reply's"
            await reply(pilot, "r")
            assert isinstance(app.screen, ConfirmDialog), "a restart cannot be undone, so it asks first"
            await reply(pilot, "n")
            assert app.screen is screen and screen.session.picks == [1], "no keeps the conversation"
            await reply(pilot, "r", "escape")
            assert screen.session.picks == [1], "Escape is no"
            await reply(pilot, "r", "y")
            assert app.screen is screen
            assert screen.session.picks == []
            assert transcript.text == before

    async def test_undo_from_the_debrief_and_play_again(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await reply(pilot, "1", "2", "d")
            assert isinstance(app.screen, DebriefScreen)
            await reply(pilot, "u")
            assert app.screen is screen
            assert screen.session.picks == [1]
            await reply(pilot, "1", "1", "d", "r")
            assert app.screen is screen
            assert screen.session.picks == []
            await reply(pilot, "1", "1", "1", "d", "s")
            assert isinstance(app.screen, PickerScreen)

    async def test_turning_point_and_going_back_to_it(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_washer(pilot)
            await reply(pilot, "1", "2", "d")
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
            await reply(pilot, "t")
            assert app.screen is screen
            assert len(screen.session.picks) == expected.turn - 1

    async def test_a_turning_point_search_out_of_time_says_so(self, make_app, monkeypatch) -> None:
        """A story too big to search in the debrief's budget: the debrief says the search was cut
        short instead of calling the play flawless, and offers no turning point to go back to."""
        monkeypatch.setattr("roleplay.writing.analysis.turning.TURNING_SECONDS", 0.0)
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await reply(pilot, "1", "2", "d")
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
            await reply(pilot, "1")
            assert screen.query_one(MoodMeter).mood == 42, "the meter still moves"
            assert not rule_notes(screen)
            assert "Exam mode" in screen.query_one(FeedbackPanel).text
            await reply(pilot, "1", "1", "d")
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
            await reply(pilot, "1")
            assert rule_notes(screen)
            footer_actions = {b.binding.action for b in app.screen.active_bindings.values()}
            assert "set_mode('exam')" in footer_actions and "set_mode('coach')" not in footer_actions
            await reply(pilot, "m")
            assert app.play_mode == "exam"
            assert not rule_notes(screen)
            footer_actions = {b.binding.action for b in app.screen.active_bindings.values()}
            assert "set_mode('coach')" in footer_actions
            await reply(pilot, "m")
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
            await reply(pilot, "1")
            await run_from_palette(pilot, "undo the last")
            assert screen.session.picks == []

    async def test_escape_goes_back_to_the_stories(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await reply(pilot, "escape")
            assert isinstance(app.screen, PickerScreen)


class TestSources:
    async def test_i_opens_the_articles_with_their_quotes_and_escape_goes_back(self, make_app) -> None:
        from roleplay.rules.articles import default_library
        from roleplay.tui.screens.sources import SourcesScreen

        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, SourcesScreen)
            shown = text_of(screen, "Static")
            for article in default_library().values():
                assert article.title in shown and article.language in shown
            assert "original title: Pritužbe kupaca - što učiniti? Štetni savjeti i korisni zaključci." in shown
            assert (
                "1. Kui kliendid küsivad teeneid, mida ei anna pakkuda.. (“Situation 4: when customers ask for favours you cannot offer”)"
                in shown
            )
            assert "point 7: “Držite svoja obećanja.”" in shown
            assert (
                "Cited by: tactic: Make a promise; tactic: Keep your word; context rule: promise not open; at the end: promise unkept"
                in shown
            )
            assert not HASH_NAME.search(shown)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, PickerScreen)

    async def test_the_command_palette_opens_the_sources_from_a_conversation(self, make_app) -> None:
        from roleplay.tui.screens.sources import SourcesScreen

        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            conversation = await open_washer(pilot)
            await run_from_palette(pilot, "sources")
            assert isinstance(app.screen, SourcesScreen)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is conversation

    async def test_no_screen_shows_an_article_file_name(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("down")
            await settle(pilot)
            seen = [text_of(app.screen, "Static")]
            assert "Trains" in seen[0]
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ConversationScreen)
            for key in ("2", "2", "2", "2"):  # tell them they're wrong, defend yourself, ... until Dana walks out
                await reply(pilot, key)
                seen.append(screen.query_one(FeedbackPanel).text)
            assert screen.session.walked_out
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, DebriefScreen)
            seen.append(text_of(app.screen, "Static") + "\n".join(n.text for n in app.screen.query(FeedbackNotes)))
            assert "walked out" in seen[-1] and "In English:" in seen[-1]
            for text in seen:
                assert not HASH_NAME.search(text), text


class TestHelpAndErrors:
    async def test_help_lists_the_keys_and_the_numbering(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await reply(pilot, "question_mark")
            assert isinstance(app.screen, HelpScreen)
            source = app.screen.query_one("#help-text", Markdown).source
            assert "is hidden, and the replies shown are numbered 1, 2, 3" in source
            assert "`roleplay run --choose`" in source
            assert "Recommends you, Stays, Stays, but wary" in source
            rows = app.screen.query_one(KeyTable).rows
            assert ("Conversation", "u", "Take back the last reply") in rows
            assert ("Debrief", "t", "Go back to the turning point") in rows
            assert rows[-1] == ("Everywhere", "ctrl+p", "Command palette: every action by name")
            await reply(pilot, "escape")
            assert isinstance(app.screen, ConversationScreen)

    async def test_play_a_bad_file_shows_its_errors(self, make_app) -> None:
        app = make_app(BROKEN)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ErrorsScreen)
            assert "broken-story.yaml:14:19: error: unknown tactic 'find_outt'" in app.screen.text
            await reply(pilot, "enter")
            assert isinstance(app.screen, PickerScreen)

    async def test_play_a_missing_file_says_so(self, make_app, tmp_path: Path) -> None:
        missing = tmp_path / "missing.yaml"
        app = make_app(missing)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ErrorsScreen)
            assert f"{missing}:1:1: error: no such story file" in app.screen.text

    async def test_play_a_file_that_is_not_yaml(self, make_app, tmp_path: Path) -> None:
        garbage = tmp_path / "garbage.yaml"
        garbage.write_bytes(b"title: [unclosed\n\x00\xff")
        app = make_app(garbage)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ErrorsScreen)
            assert "garbage.yaml:" in app.screen.text

    async def test_play_a_bundled_story_by_name(self, make_app) -> None:
        name = bundled_story_paths()[0].stem
        app = make_app(name, library=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ConversationScreen)
            assert Path(app.screen.story.path).stem == name

    async def test_play_opens_the_story_directly(self, make_app) -> None:
        app = make_app(WASHER, exam=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ConversationScreen)
            assert app.play_mode == "exam"
            await reply(pilot, "escape")
            assert isinstance(app.screen, PickerScreen), "the picker is underneath, to choose another story"


class TestSizes:
    @pytest.mark.parametrize("size", [(40, 12), (60, 20), (80, 24), (100, 30), (160, 50)])
    async def test_every_screen_at_every_size(self, make_app, size: tuple[int, int]) -> None:
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("down", "enter")
            await settle(pilot)
            assert isinstance(app.screen, ConversationScreen)
            await reply(pilot, "1", "2")
            await reply(pilot, "d")
            assert isinstance(app.screen, DebriefScreen)
            for later in [(size[0] // 2, size[1]), (size[0], max(6, size[1] // 2)), size]:
                await pilot.resize_terminal(*later)
                await settle(pilot)
            await reply(pilot, "question_mark")
            assert isinstance(app.screen, HelpScreen)

    async def test_resizing_in_the_middle_of_a_conversation(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_washer(pilot)
            await reply(pilot, "1", "1")
            transcript = screen.query_one(Transcript)
            text = transcript.text
            for size in [(40, 12), (20, 8), (120, 40), (80, 24)]:
                await pilot.resize_terminal(*size)
                await settle(pilot)
            assert transcript.text == text
            assert screen.query_one(ChoiceList).option_count == 2


class TestSmallScreensAndKeys:
    """The coach stays readable at 80x24 and 60x20; the replies answer the arrows and Enter wherever the focus is."""

    @pytest.mark.parametrize("size", [(80, 24), (60, 20)])
    async def test_the_coach_keeps_its_border_and_lines_on_small_screens(self, make_app, size) -> None:
        app = make_app(BUNDLED_LONG)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await reply(pilot, "1")
            screen = app.screen
            coach = screen.query_one(FeedbackPanel).region
            replies = screen.query_one(ChoiceList).region
            meter = screen.query_one(MoodMeter).region
            assert coach.height >= 6, f"the coach has {coach.height} lines at {size}"
            assert coach.bottom <= replies.y, "the coach's bottom border is not covered"
            assert meter.height >= 1 and meter.bottom <= coach.y
            assert replies.bottom <= size[1] - 1, "the replies end above the footer"
            assert screen.query_one(FeedbackPanel).border_subtitle == "PgDn: more"
            before = screen.query_one(FeedbackPanel).scroll_y
            await reply(pilot, "pagedown")
            assert screen.query_one(FeedbackPanel).scroll_y > before, "PgDn reads on in the coach's notes"

    async def test_a_tiny_terminal_keeps_the_meter_and_says_to_make_it_bigger(self, make_app) -> None:
        app = make_app(WASHER)
        async with app.run_test(size=(40, 12)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.query_one(MoodMeter).region.height == 1
            hint = screen.query_one("#size-hint")
            assert hint.region.height >= 1 and "bigger" in str(hint.render())

    async def test_arrows_and_enter_pick_a_reply_whatever_has_the_focus(self, make_app) -> None:
        app = make_app(WASHER)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.click(FeedbackPanel)
            app.set_focus(None)
            await reply(pilot, "down", "enter")
            assert screen.session.picks == [2], "↓ then Enter gave the second reply"
            assert screen.query_one(FeedbackPanel).can_focus is False
            assert app.focused is screen.query_one(ChoiceList), "the replies have the focus, shown by their border"


FOOTER_CASES = [
    *((language, 80) for language in ("en", "lv", "et", "hr", "pl")),
    *((language, width) for language in ("en", "lv", "pl") for width in (60, 40)),
]


def footer_problems(app, width: int) -> list[str]:
    """Keys of the footer cut off at the edge or drawn over one another (none when it fits)."""
    from textual.widgets._footer import FooterKey

    keys = [key for key in app.screen.query(FooterKey) if key.display and key.region.width]
    problems = [f"{key.key_display} {key.description!r} is cut off" for key in keys if key.region.right > width]
    spans = sorted((key.region.x, key.region.right, key.description) for key in keys)
    problems.extend(f"{a!r} and {b!r} overlap" for (_, end, a), (start, _, b) in itertools.pairwise(spans) if end > start)
    if not keys:
        problems.append("no key is shown")
    return problems


class TestFooter:
    """Every screen's footer fits its width in every language: the less urgent keys make way (the help lists them)."""

    @pytest.mark.parametrize(("language", "width"), FOOTER_CASES)
    async def test_the_picker_conversation_and_debrief_footers_fit(self, make_app, language, width) -> None:
        app = make_app(language=language)
        async with app.run_test(size=(width, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, PickerScreen)
            assert footer_problems(app, width) == [], "the picker's footer"
            await reply(pilot, "down", "enter", "1")
            assert isinstance(app.screen, ConversationScreen)
            assert footer_problems(app, width) == [], "the conversation's footer"
            keys = {key.key for key in app.screen.query("FooterKey") if key.display}
            assert "1" in keys, "the replies' key is never left out"
            await reply(pilot, "2", "d")
            assert isinstance(app.screen, DebriefScreen)
            assert footer_problems(app, width) == [], "the debrief's footer"

    async def test_the_keys_left_out_come_back_when_the_terminal_widens(self, make_app) -> None:
        app = make_app(WASHER, language="lv")
        async with app.run_test(size=(60, 24)) as pilot:
            await settle(pilot)
            await reply(pilot, "1")
            shown = lambda: {key.key for key in app.screen.query("FooterKey") if key.display}  # noqa: E731
            assert "q" not in shown()
            await pilot.resize_terminal(120, 24)
            await settle(pilot)
            assert {"q", "m", "u", "r"} <= shown()
            assert footer_problems(app, 120) == []


async def test_keys_pressed_as_the_picker_appears_act_on_the_list_shown(make_app) -> None:
    """The stories are in the first frame, so ↓ Enter at once opens the second story, never the first."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.story.path == WASHER.resolve() or app.screen.story.title == "The leaking washer"


def test_the_help_lists_each_key_once_and_the_presenter_keys() -> None:
    from roleplay.tui.app import create_app
    from roleplay.tui.screens.help import help_groups
    from roleplay.tui.widgets.key_table import key_rows

    app = create_app()
    rows = key_rows(app, help_groups(app))
    assert [key for _, key, _ in rows].count("m") == 1, "m switches the mode: one row"
    assert ("Everywhere", "m", "Switch between coach and exam mode") in rows
    assert ("Presenter mode", "r", "Move the mood meter and show the coaching") in rows
    where_keys = {(where, key) for where, key, _ in rows}
    assert {("Presenter mode", "1-9"), ("Presenter mode", "[")} <= where_keys
    assert ("Conversation", "1-9, or ↑ ↓ Enter", "Give the reply with that number") in rows
    assert not any(key in ("2", "9") for _, key, _ in rows), "a reply's number key is listed as 1-9, once"
    assert ("Conversation", "PgDn") in where_keys, "paging the coach is listed"


async def debrief_with_palette(pilot) -> tuple[DebriefScreen, list[str]]:
    """Play replies 1 and 2, open the debrief; the debrief and the titles its command palette offers."""
    from roleplay.tui.commands import RoleplayCommands

    await settle(pilot)
    await reply(pilot, "1", "2", "d")
    await settle(pilot)
    debrief = pilot.app.screen
    assert isinstance(debrief, DebriefScreen)
    return debrief, [command.title for command in RoleplayCommands(debrief).available()]


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


class TestPickerListing:
    """The list comes from the start-up cache while no story changed, and is made again when one did."""

    @staticmethod
    def library_with_washer(tmp_path: Path) -> Path:
        library = tmp_path / "library"
        library.mkdir()
        (library / WASHER.name).write_text(WASHER.read_text(encoding="utf-8"), encoding="utf-8")
        return library

    @staticmethod
    async def titles(app) -> list[str]:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return [str(option.prompt).split("\n")[0] for option in app.screen.query_one(StoryList).options]

    async def test_an_edited_story_is_listed_as_it_is_now(self, make_app, tmp_path) -> None:
        library = self.library_with_washer(tmp_path)
        assert await self.titles(make_app(library=library)) == ["The leaking washer"]
        assert await self.titles(make_app(library=library)) == ["The leaking washer"]
        story = library / WASHER.name
        story.write_text(story.read_text(encoding="utf-8").replace("The leaking washer", "The flooded kitchen"), encoding="utf-8")
        assert await self.titles(make_app(library=library)) == ["The flooded kitchen"]
        (library / "second.yaml").write_text(WASHER.read_text(encoding="utf-8"), encoding="utf-8")
        assert await self.titles(make_app(library=library)) == ["The flooded kitchen", "The leaking washer"]

    async def test_a_story_broken_after_it_was_listed_shows_its_errors_when_chosen(self, make_app, tmp_path) -> None:
        library = self.library_with_washer(tmp_path)
        app = make_app(library=library)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            (library / WASHER.name).write_text("title: [unclosed\n", encoding="utf-8")
            await reply(pilot, "enter")
            assert isinstance(app.screen, ErrorsScreen)

    async def test_each_language_has_its_own_listing(self, make_app) -> None:
        english = await self.titles(make_app(library=None))
        latvian = await self.titles(make_app(library=None, language="lv"))
        assert len(english) == len(latvian) == len(bundled_story_paths())
        assert english != latvian, "the bundled stories' Latvian titles are listed in Latvian"
        assert await self.titles(make_app(library=None)) == english


class TestTranscriptPosition:
    """The transcript has no scroll bar (it would cost a second frame per reply): its border says what is out of view."""

    async def test_the_border_marks_earlier_lines_above_and_later_lines_below(self, make_app) -> None:
        from textual import events

        app = make_app(BUNDLED_LONG, library=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            transcript = app.screen.query_one(Transcript)
            await reply(pilot, "1", "1", "1")
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
            await reply(pilot, "1")
            assert transcript.scroll_y == transcript.max_scroll_y, "a reply brings the latest line back into view"


async def test_a_long_customer_line_scrolls_instead_of_being_cut(make_app) -> None:
    """At 60x20 in Latvian the first bundled story's second line is longer than its room: it scrolls, with a bar."""
    app = make_app(library=None, language="lv")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await reply(pilot, "enter", "1")
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


@pytest.mark.parametrize("language", ["lv", "pl"])
@pytest.mark.parametrize("size", [(60, 20), (40, 12)])
async def test_the_restart_and_quit_questions_fit_and_are_translated(make_app, language, size) -> None:
    """The long Latvian and Polish questions wrap inside a small terminal, with both buttons in view."""
    app = make_app(WASHER, language=language)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await reply(pilot, "1")
        for key, english in (("r", "Start '"), ("q", "Quit in the middle")):
            await reply(pilot, key)
            dialog = app.screen
            assert isinstance(dialog, ConfirmDialog)
            question = str(dialog.query_one("#confirm-question").render())
            assert english not in question, "the question is in the interface language"
            for widget in dialog.query("#confirm-dialog, #confirm-question, Button"):
                region = widget.region
                assert region.width and region.x >= 0 and region.right <= size[0], f"{widget.id} is cut off at {size}"
                assert region.bottom <= size[1], f"{widget.id} is below the screen at {size}"
            await reply(pilot, "n")
            assert isinstance(app.screen, ConversationScreen)


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
        await reply(pilot, "1")
        shown, mood = drawn[0]
        assert mood == app.screen.session.mood != 50
        assert shown == mood, "the first frame after the reply has the bar at the new mood"
