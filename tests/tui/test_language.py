"""The app in another language: chosen at start, switched from the palette or the settings mid-conversation, keeping the play."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from roleplay.i18n import current_language
from roleplay.tui.commands import RoleplayCommands
from roleplay.tui.screens.conversation import ConversationScreen, CustomerLine
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.picker import PickerScreen, StoryList
from roleplay.tui.screens.settings import SettingsScreen
from roleplay.tui.widgets.feedback import FeedbackPanel
from roleplay.tui.widgets.footer import Footer
from roleplay.tui.widgets.transcript import Transcript

from .conftest import WASHER, press, settle

SIZE = (80, 24)


def state_of(screen: ConversationScreen) -> tuple:
    session = screen.session
    return (session.state, session.picks, len(session.history), session.mood, session.loyalty, session.finished)


def footer_words(screen) -> list[str]:
    return [key.description for key in screen.query_one(Footer).query(FooterKey)]


class TestSwitching:
    async def test_switching_mid_conversation_keeps_node_mood_and_history(self, make_app) -> None:
        app = make_app(WASHER)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("1", "1")
            await settle(pilot)
            before = app.screen
            assert isinstance(before, ConversationScreen)
            kept = state_of(before)
            assert kept[1] == [1, 1] and not kept[-1] and before.session.state.node == "plan"
            assert "Dana:" in before.query_one(CustomerLine).render().plain

            await app.run_action("set_language('lv')")
            await settle(pilot)
            after = app.screen
            assert isinstance(after, ConversationScreen) and after is not before
            assert state_of(after) == kept
            assert after.session.story.language == "lv" and app.language == "lv" == current_language()
            assert after.query_one(CustomerLine).render().plain.startswith("Daina: ")
            transcript = after.query_one(Transcript).text
            assert "Jūsu mašīna man appludināja virtuves grīdu. Šonedēļ jau divreiz!" in transcript
            assert "Jūs: Man ļoti žēl. Lūdzu, pastāstiet, kas tieši notika." in transcript
            assert after.query_one(FeedbackPanel).border_title == "Treneris · 2. atbilde"
            assert "Atsaukt" in footer_words(after) and "Undo" not in footer_words(after)
            assert app.sub_title == "Trenera režīms"

            # The play goes on from there, in Latvian: undo, then another reply.
            await press(pilot, "u")
            assert after.session.picks == [1]
            await app.run_action("set_language('en')")
            await settle(pilot)
            assert isinstance(app.screen, ConversationScreen) and app.screen.session.picks == [1]
            assert app.screen.query_one(CustomerLine).render().plain.startswith("Dana: ")

    async def test_the_settings_dialog_switches_and_escape_changes_nothing(self, make_app) -> None:
        app = make_app(WASHER)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "1")
            kept = state_of(app.screen)
            await press(pilot, "comma")
            assert isinstance(app.screen, SettingsScreen)
            await press(pilot, "escape")
            assert app.language == "en" and state_of(app.screen) == kept
            await press(pilot, "comma")
            await pilot.press("down", "down", "down", "down", "enter")  # en, lv, et, hr, pl
            await settle(pilot)
            assert app.language == "pl"
            assert isinstance(app.screen, ConversationScreen) and state_of(app.screen) == kept
            assert "Cofnij" in footer_words(app.screen)

    async def test_the_palette_offers_every_other_language(self, make_app) -> None:
        app = make_app(WASHER, language="hr")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            provider = RoleplayCommands(app.screen)
            titles = [command.shown_title for command in provider.available()]
            assert "Jezik: Latviešu" in titles and "Jezik: Polski" in titles and "Jezik: English" in titles
            assert "Jezik: Hrvatski" not in titles  # already in Croatian
            assert "Postavke" in titles

    async def test_switching_on_the_debrief_reopens_it_in_the_new_language(self, make_app) -> None:
        app = make_app(WASHER)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("1", "2", "d")
            await settle(pilot)
            assert isinstance(app.screen, DebriefScreen)
            picks = app.screen.session.picks
            await app.run_action("set_language('et')")
            await settle(pilot)
            assert isinstance(app.screen, DebriefScreen) and app.screen.session.picks == picks
            assert app.screen.title.startswith("Kokkuvõte: ")
            await press(pilot, "escape")
            assert isinstance(app.screen, ConversationScreen) and app.screen.session.finished

    async def test_the_picker_follows_the_language(self, make_app) -> None:
        app = make_app(language="lv")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, PickerScreen) and app.screen.title == "Izvēlieties scenāriju"
            prompts = [str(app.screen.query_one(StoryList).get_option_at_index(i).prompt) for i in range(2)]
            assert any(prompt.startswith("Tekošā veļasmašīna\n  Daina · ") for prompt in prompts)
            await app.run_action("set_language('en')")
            await settle(pilot)
            prompts = [str(app.screen.query_one(StoryList).get_option_at_index(i).prompt) for i in range(2)]
            assert any(prompt.startswith("The leaking washer\n  Dana · ") for prompt in prompts)
            assert app.screen.title == "Pick a story"


class TestLatvianSnapshots:
    """The main screens in Latvian at 80x24: long words and diacritics must fit."""

    def test_picker(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await press(pilot, "down")

        assert snap_compare(make_app(language="lv"), run_before=run_before, terminal_size=SIZE)

    def test_conversation_after_a_reply(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await press(pilot, "1")

        assert snap_compare(make_app(WASHER, language="lv"), run_before=run_before, terminal_size=SIZE)

    def test_debrief(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await press(pilot, "1", "2", "d")

        assert snap_compare(make_app(WASHER, language="lv"), run_before=run_before, terminal_size=SIZE)

    def test_settings(self, make_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await press(pilot, "comma")

        assert snap_compare(make_app(WASHER, language="lv"), run_before=run_before, terminal_size=SIZE)

    def test_presenter_revealed(self, snap_compare) -> None:
        """Presenter mode in Latvian: the room voted, the reply was locked in and revealed."""
        from roleplay.tui.app import create_app

        app = create_app(str(WASHER), present=True, language="lv")
        app.animation_level = "none"

        async def run_before(pilot) -> None:
            await settle(pilot)
            await press(pilot, "1", "1", "2", "enter", "r")

        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
