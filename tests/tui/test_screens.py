"""The sources, help and errors screens, and every screen at every size: footers, dialogs and the coach fit."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from textual.widgets import Markdown

from roleplay.play.library import bundled_story_paths
from roleplay.tui.screens.confirm import ConfirmDialog
from roleplay.tui.screens.conversation import ConversationScreen, CustomerLine
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.errors import ErrorsScreen
from roleplay.tui.screens.help import HelpScreen
from roleplay.tui.screens.picker import PickerScreen
from roleplay.tui.widgets.choices import ChoiceList
from roleplay.tui.widgets.feedback import FeedbackNotes, FeedbackPanel
from roleplay.tui.widgets.key_table import KeyTable
from roleplay.tui.widgets.mood_meter import MoodMeter
from roleplay.tui.widgets.transcript import Transcript

from .conftest import (
    BROKEN,
    BUNDLED_LONG,
    HASH_NAME,
    SIZE,
    WASHER,
    open_washer,
    press,
    run_from_palette,
    settle,
    text_of,
)


class TestSources:
    async def test_i_opens_the_articles_with_their_quotes_and_escape_goes_back(self, make_app) -> None:
        from roleplay.rules.articles import default_library
        from roleplay.tui.screens.sources import SourcesScreen

        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "i")
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
            await press(pilot, "escape")
            assert isinstance(app.screen, PickerScreen)

    async def test_the_command_palette_opens_the_sources_from_a_conversation(self, make_app) -> None:
        from roleplay.tui.screens.sources import SourcesScreen

        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            conversation = await open_washer(pilot)
            await run_from_palette(pilot, "sources")
            assert isinstance(app.screen, SourcesScreen)
            await press(pilot, "escape")
            assert app.screen is conversation

    async def test_no_screen_shows_an_article_file_name(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "down")
            seen = [text_of(app.screen, "StoryDetails")]
            assert "Trains" in seen[0]
            await press(pilot, "enter")
            screen = app.screen
            assert isinstance(screen, ConversationScreen)
            for key in ("2", "2", "2", "2"):  # tell them they're wrong, defend yourself, ... until Dana walks out
                await press(pilot, key)
                seen.append(screen.query_one(FeedbackPanel).text)
            assert screen.session.walked_out
            await press(pilot, "enter")
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
            await press(pilot, "question_mark")
            assert isinstance(app.screen, HelpScreen)
            source = app.screen.query_one("#help-text", Markdown).source
            assert "is hidden, and the replies shown are numbered 1, 2, 3" in source
            assert "`roleplay run --choose`" in source
            assert "Recommends you, Stays, Stays, but wary" in source
            rows = app.screen.query_one(KeyTable).rows
            assert ("Conversation", "u", "Take back the last reply") in rows
            assert ("Debrief", "t", "Go back to the turning point") in rows
            assert rows[-1] == ("Everywhere", "ctrl+p", "Command palette: every action by name")
            await press(pilot, "escape")
            assert isinstance(app.screen, ConversationScreen)

    async def test_play_a_bad_file_shows_its_errors(self, make_app) -> None:
        app = make_app(BROKEN)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ErrorsScreen)
            assert "broken-story.yaml:14:19: error: unknown tactic 'find_outt'" in app.screen.text
            await press(pilot, "enter")
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
            await press(pilot, "escape")
            assert isinstance(app.screen, PickerScreen), "the picker is underneath, to choose another story"


SIZES = [(40, 12), (60, 20), (80, 24), (100, 30), (160, 50)]


async def resize_through(pilot, sizes, screen_type) -> None:
    """Resize the terminal to each of ``sizes`` in turn; the screen on top stays and takes each size."""
    for size in sizes:
        await pilot.resize_terminal(*size)
        await settle(pilot)
        assert isinstance(pilot.app.screen, screen_type) and pilot.app.screen.size == size


class TestSizes:
    @pytest.mark.slow
    async def test_every_screen_at_every_size(self, make_app) -> None:
        """Each screen is drawn at the smallest size, then resized through every other and back (and the
        debrief to half its width and half its height at each): one app, not a start per size."""
        app = make_app()
        async with app.run_test(size=SIZES[0]) as pilot:
            await settle(pilot)
            await resize_through(pilot, [*SIZES[1:], SIZES[0]], PickerScreen)
            await pilot.press("down", "enter")
            await settle(pilot)
            assert isinstance(app.screen, ConversationScreen)
            await press(pilot, "1")
            await resize_through(pilot, [*SIZES[1:], SIZES[0]], ConversationScreen)
            await press(pilot, "2", "d")
            assert isinstance(app.screen, DebriefScreen)
            for width, height in SIZES:
                await resize_through(pilot, [(width, height), (width // 2, height), (width, max(6, height // 2))], DebriefScreen)
            await resize_through(pilot, [SIZES[0]], DebriefScreen)
            await press(pilot, "question_mark")
            assert isinstance(app.screen, HelpScreen)
            await resize_through(pilot, [*SIZES[1:], SIZES[0]], HelpScreen)

    async def test_resizing_in_the_middle_of_a_conversation(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_washer(pilot)
            await press(pilot, "1", "1")
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
            await press(pilot, "1")
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
            await press(pilot, "pagedown")
            assert screen.query_one(FeedbackPanel).scroll_y > before, "PgDn reads on in the coach's notes"

    @pytest.mark.parametrize("size", [(60, 20), (40, 12)])
    async def test_a_long_customer_line_scrolls_to_its_last_words_with_no_sideways_bar(self, make_app, size) -> None:
        app = make_app(BUNDLED_LONG)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await press(pilot, "1")
            screen = app.screen
            line = screen.query_one(CustomerLine)
            assert line.show_vertical_scrollbar, f"the customer's line fits at {size}: this tests nothing"
            assert not line.show_horizontal_scrollbar, "a sideways bar for the column the upright one takes"
            line.scroll_end(animate=False)
            await settle(pilot)
            last_drawn = line.render_line(line.scrollable_content_region.height - 1).text.strip()
            assert last_drawn and screen.session.node.say[-1].endswith(last_drawn)

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
            await press(pilot, "down", "enter")
            assert screen.session.picks == [2], "↓ then Enter gave the second reply"
            assert screen.query_one(FeedbackPanel).can_focus is False
            assert app.focused is screen.query_one(ChoiceList), "the replies have the focus, shown by their border"


FOOTER_WIDTHS = {"en": (40, 60, 80), "lv": (40, 60, 80), "pl": (40, 60, 80), "et": (80,), "hr": (80,)}
"""The widths each language's footers are checked at: the three longest-worded at each, the others at 80."""


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

    @pytest.mark.slow
    @pytest.mark.parametrize("language", list(FOOTER_WIDTHS))
    async def test_the_picker_conversation_and_debrief_footers_fit(self, make_app, language) -> None:
        """Each screen drawn at the narrowest width, then resized to each wider one and back."""
        widths = FOOTER_WIDTHS[language]
        app = make_app(language=language)

        async def check(what: str, screen_type) -> None:
            for width in (*widths, widths[0]) if len(widths) > 1 else widths:
                if app.size.width != width:
                    await pilot.resize_terminal(width, 24)
                    await settle(pilot)
                assert isinstance(app.screen, screen_type)
                assert footer_problems(app, width) == [], f"the {what}'s footer at {width}"
                if screen_type is ConversationScreen:
                    keys = {key.key for key in app.screen.query("FooterKey") if key.display}
                    assert "1" in keys, f"the replies' key is never left out (at {width})"

        async with app.run_test(size=(widths[0], 24)) as pilot:
            await settle(pilot)
            await check("picker", PickerScreen)
            await press(pilot, "down", "enter", "1")
            await check("conversation", ConversationScreen)
            await press(pilot, "2", "d")
            await check("debrief", DebriefScreen)

    async def test_the_keys_left_out_come_back_when_the_terminal_widens(self, make_app) -> None:
        app = make_app(WASHER, language="lv")
        async with app.run_test(size=(60, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "1")
            shown = lambda: {key.key for key in app.screen.query("FooterKey") if key.display}  # noqa: E731
            assert "q" not in shown()
            await pilot.resize_terminal(120, 24)
            await settle(pilot)
            assert {"q", "m", "u", "r"} <= shown()
            assert footer_problems(app, 120) == []


async def test_the_first_reply_and_the_keys_it_brings_show_in_the_same_frame(make_app) -> None:
    """Undo and Restart come into the footer with the first reply: the frame that shows the reply shows them,
    and the footer is not built again in a frame of its own after it."""
    app = make_app(WASHER)
    frames: list[tuple[bool, set[str]]] = []
    display = app._display

    def noting(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None and isinstance(screen, ConversationScreen):
            keys = {key.key for key in screen.query("FooterKey") if key.display and key.region.width}
            frames.append((bool(screen.session.history), keys))

    app._display = noting  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert frames and not frames[-1][0] and "u" not in frames[-1][1]
        frames.clear()
        await press(pilot, "1")
        answered = [keys for replied, keys in frames if replied]
        assert answered, "no frame showed the reply"
        assert all({"u", "r"} <= keys for keys in answered), answered
        assert len(frames) <= 2, f"{len(frames)} frames for one reply"


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


@pytest.mark.parametrize("language", ["lv", "pl"])
@pytest.mark.parametrize("size", [(60, 20), (40, 12)])
async def test_the_restart_and_quit_questions_fit_and_are_translated(make_app, language, size) -> None:
    """The long Latvian and Polish questions wrap inside a small terminal, with both buttons in view."""
    app = make_app(WASHER, language=language)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "1")
        for key, english in (("r", "Start '"), ("q", "Quit in the middle")):
            await press(pilot, key)
            dialog = app.screen
            assert isinstance(dialog, ConfirmDialog)
            question = str(dialog.query_one("#confirm-question").render())
            assert english not in question, "the question is in the interface language"
            for widget in dialog.query("#confirm-dialog, #confirm-question, Button"):
                region = widget.region
                assert region.width and region.x >= 0 and region.right <= size[0], f"{widget.id} is cut off at {size}"
                assert region.bottom <= size[1], f"{widget.id} is below the screen at {size}"
            await press(pilot, "n")
            assert isinstance(app.screen, ConversationScreen)
