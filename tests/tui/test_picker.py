"""The story picker as a learner uses it: the library listed with details, a story opened by path, the best so far."""

from __future__ import annotations

import re
from pathlib import Path

from rich.cells import cell_len
from textual.style import Style

from roleplay.play.library import bundled_story_paths
from roleplay.tui.screens.conversation import ConversationScreen
from roleplay.tui.screens.errors import ErrorsScreen
from roleplay.tui.screens.open_file import OpenFileScreen
from roleplay.tui.screens.picker import PickerScreen, StoryDetails, StoryList

from .conftest import (
    BROKEN,
    HASH_NAME,
    SIZE,
    WASHER,
    open_washer,
    press,
    settle,
    text_of,
)


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
            assert "This story has errors" in str(details.render())
            await press(pilot, "down")
            shown = str(details.render())
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
            await press(pilot, "enter")
            assert isinstance(app.screen, ErrorsScreen)
            text = app.screen.text
            assert "broken-story.yaml:14:19: error: unknown tactic 'find_outt' (did you mean 'find_out'?)" in text
            assert "broken-story.yaml:18:15: error: reply 2 of node 'opening' goes to 'nowhere'" in text
            await press(pilot, "escape")
            assert isinstance(app.screen, PickerScreen)

    async def test_open_by_path(self, make_app, tmp_path: Path) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "o")
            assert isinstance(app.screen, OpenFileScreen)
            await pilot.press("enter")
            assert "Type the path" in str(app.screen.query_one("#open-problem").render())
            missing = tmp_path / "nowhere.yaml"
            app.screen.query_one("Input").value = str(missing)
            await press(pilot, "enter")
            assert isinstance(app.screen, OpenFileScreen)
            assert "There is no file" in str(app.screen.query_one("#open-problem").render())
            app.screen.query_one("Input").value = str(tmp_path)
            await pilot.press("enter")
            assert "is a folder" in str(app.screen.query_one("#open-problem").render())
            app.screen.query_one("Input").value = str(BROKEN)
            await press(pilot, "enter")
            assert isinstance(app.screen, ErrorsScreen)
            assert "unknown tactic 'find_outt'" in app.screen.text
            await pilot.press("escape", "o")
            await settle(pilot)
            app.screen.query_one("Input").value = str(WASHER)
            await press(pilot, "enter")
            assert isinstance(app.screen, ConversationScreen)
            assert app.screen.story.title == "The leaking washer"

    async def test_open_file_cancel(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "o")
            await press(pilot, "escape")
            assert isinstance(app.screen, PickerScreen)

    async def test_the_bundled_library_opens(self, make_app) -> None:
        app = make_app(library=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            stories = app.screen.query_one(StoryList)
            assert stories.option_count == len(bundled_story_paths()) > 0
            assert stories.highlighted == 0
            assert str(app.screen.query_one(StoryDetails).render())

    async def test_a_narrow_list_keeps_each_storys_lines_apart_and_its_length_whole(self, make_app) -> None:
        """At 80x24 the list is 30 cells wide: a customer's line that does not fit breaks before the length,
        indented like the rest of it, never leaving a word at the margin where the titles are."""
        app = make_app(library=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            stories = app.screen.query_one(StoryList)
            width = stories.scrollable_content_region.width
            broke = 0
            for option in stories.options:
                prompt = option.prompt
                title, _, _ = str(prompt).partition("\n")
                drawn = [strip.text.rstrip() for strip in prompt.render_strips(width, None, Style(), None)]
                titled = [line for line in drawn if not line.startswith("  ")]
                assert " ".join(titled) == title, f"{title!r}: a line of its customer left at the margin: {drawn}"
                details = drawn[len(titled) :]
                assert details and all(line.startswith("  ") and cell_len(line) <= width for line in details)
                assert any(re.fullmatch(r"  (.* · )?\d+ nodes?", line) for line in details), drawn
                broke += len(details) > 1
            assert broke, "no customer's line needed two lines: this tests nothing"

    async def test_an_empty_folder_says_so(self, make_app, tmp_path: Path) -> None:
        app = make_app(library=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.screen.query_one(StoryList).option_count == 0
            assert f"There are no story files in {tmp_path}" in text_of(app.screen, "StoryDetails")

    async def test_a_finished_play_becomes_the_best_so_far(self, make_app) -> None:
        from roleplay.play.record import load_history

        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await press(pilot, "1", "1", "1")
            [record] = load_history()
            assert (record.story, record.outcome, record.coached, record.picks) == (
                "leaking-washer.yaml",
                "recommends",
                True,
                (1, 1, 1),
            )
            await press(pilot, "escape")
            assert isinstance(app.screen, PickerScreen)
            shown = str(app.screen.query_one(StoryDetails).render())
            assert "Your best so far\nRecommends you (mood " in shown and "coach mode" in shown

    async def test_an_unfinished_play_is_not_recorded(self, make_app) -> None:
        from roleplay.play.record import load_history

        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_washer(pilot)
            await press(pilot, "1", "escape")
            assert load_history() == []


async def test_keys_pressed_as_the_picker_appears_act_on_the_list_shown(make_app) -> None:
    """The stories are in the first frame, so ↓ Enter at once opens the second story, never the first."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.story.path == WASHER.resolve() or app.screen.story.title == "The leaking washer"


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

    async def test_an_edited_added_or_removed_story_or_layer_is_listed_as_it_is_now(self, make_app, tmp_path) -> None:
        library = self.library_with_washer(tmp_path)
        assert await self.titles(make_app(library=library)) == ["The leaking washer"]
        assert await self.titles(make_app(library=library)) == ["The leaking washer"]
        story = library / WASHER.name
        story.write_text(story.read_text(encoding="utf-8").replace("The leaking washer", "The flooded kitchen"), encoding="utf-8")
        assert await self.titles(make_app(library=library)) == ["The flooded kitchen"]
        (library / "second.yaml").write_text(WASHER.read_text(encoding="utf-8"), encoding="utf-8")
        assert await self.titles(make_app(library=library)) == ["The flooded kitchen", "The leaking washer"]
        assert await self.titles(make_app(library=library, language="lv")) == ["The flooded kitchen", "The leaking washer"]
        layer = library / "second.lv.yaml"
        layer.write_text(
            'translation_of: second.yaml\nlanguage: lv\nstrings:\n  title:\n    source: "The leaking washer"\n'
            '    text: "Tekošā veļasmašīna"\n',
            encoding="utf-8",
        )
        assert await self.titles(make_app(library=library, language="lv")) == ["The flooded kitchen", "Tekošā veļasmašīna"]
        story.unlink()
        assert await self.titles(make_app(library=library)) == ["The leaking washer"]

    async def test_a_story_broken_after_it_was_listed_shows_its_errors_when_chosen(self, make_app, tmp_path) -> None:
        library = self.library_with_washer(tmp_path)
        app = make_app(library=library)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            (library / WASHER.name).write_text("title: [unclosed\n", encoding="utf-8")
            await press(pilot, "enter")
            assert isinstance(app.screen, ErrorsScreen)

    async def test_each_language_has_its_own_listing(self, make_app) -> None:
        english = await self.titles(make_app(library=None))
        latvian = await self.titles(make_app(library=None, language="lv"))
        assert len(english) == len(latvian) == len(bundled_story_paths())
        assert english != latvian, "the bundled stories' Latvian titles are listed in Latvian"
        assert await self.titles(make_app(library=None)) == english
