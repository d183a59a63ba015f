"""The app's widgets and helpers on their own: the mood meter, transcript, mood chart, coach notes, debrief tallies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from roleplay.play.engine import Session
from roleplay.play.validation import validate_file
from roleplay.rules.citations import sources_brief
from roleplay.rules.rulebook import default_rulebook
from roleplay.tui.screens.debrief import mood_caption, mood_path, spaced, tally_tactics
from roleplay.tui.story_info import articles_trained, story_size, trains_lines
from roleplay.tui.themes import ReadableColours
from roleplay.tui.widgets.feedback import loyalty_hint, turn_notes
from roleplay.tui.widgets.mood_chart import MoodChart, resample
from roleplay.tui.widgets.mood_meter import MoodMeter, bar_cells
from roleplay.tui.widgets.transcript import Transcript

from .conftest import WASHER

STYLES = Path(__file__).resolve().parents[2] / "roleplay" / "tui" / "styles"


def washer_story():
    story = validate_file(WASHER).story
    assert story is not None
    return story


class WidgetApp(ReadableColours, App[None]):
    """A bare app holding one widget, with the app's stylesheets and their colour variables."""

    CSS_PATH = [STYLES / "app.tcss", STYLES / "widgets.tcss"]

    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        yield self.widget


class TestMoodMeter:
    async def test_mood_is_clamped_and_sets_the_band_class(self) -> None:
        meter = MoodMeter(30)
        async with WidgetApp(meter).run_test(size=(40, 4)) as pilot:
            assert meter.mood == 30 and "-upset" in meter.classes
            meter.show(150, +8)
            await pilot.pause()
            assert meter.mood == 100 and "-delighted" in meter.classes and "-upset" not in meter.classes
            meter.show(-20, -12)
            await pilot.pause()
            assert meter.mood == 0 and meter.classes & {f"-{band.word}" for band in default_rulebook().mood_bands} == {"-furious"}
            lines = str(meter.render()).splitlines()
            assert lines[1].split() == ["0", "furious", "-12"]
            meter.show(55, None)
            await pilot.pause()
            assert str(meter.render()).splitlines()[1].split() == ["55", "uneasy"]

    async def test_the_bar_slides_to_the_new_mood(self) -> None:
        meter = MoodMeter(20)
        app = WidgetApp(meter)
        async with app.run_test(size=(40, 4)) as pilot:
            app.animation_level = "full"
            meter.show(80, 60)
            await pilot.pause(0.1)
            assert 20 < meter.shown < 80, "half way through the animation"
            await pilot.wait_for_scheduled_animations()
            assert meter.shown == 80

    def test_bar_cells(self) -> None:
        assert bar_cells(0, 10) == ""
        assert bar_cells(100, 10) == "█" * 10
        assert bar_cells(50, 10) == "█" * 5
        assert bar_cells(55, 10) == "█" * 5 + "▌"
        assert bar_cells(250, 4) == "████"
        assert bar_cells(50, 0) == ""


class TestTranscript:
    async def test_appends_truncates_and_rewraps(self) -> None:
        transcript = Transcript()
        async with WidgetApp(transcript).run_test(size=(30, 10)) as pilot:
            for turn in range(1, 301):
                transcript.add("customer", "Dana", f"Question number {turn}, which is long enough to wrap.", turn)
                transcript.add("player", "You", f"Answer {turn}.", turn)
            await pilot.pause()
            assert len(transcript) == 600
            wrapped = len(transcript._lines)
            assert transcript.virtual_size.height == wrapped
            assert transcript.scroll_y == transcript.max_scroll_y, "it follows the conversation"
            transcript.truncate(299)
            await pilot.pause()
            assert len(transcript) == 598
            assert transcript.text.splitlines()[-1] == "You: Answer 299."
            assert len(transcript._lines) == transcript.virtual_size.height < wrapped
            await pilot.resize_terminal(80, 10)
            await pilot.pause()
            assert len(transcript._lines) < wrapped, "wider lines wrap less"
            transcript.clear()
            await pilot.pause()
            assert len(transcript) == 0 and transcript.virtual_size.height == 0

    async def test_wrapped_lines_hang_under_the_name(self) -> None:
        transcript = Transcript()
        async with WidgetApp(transcript).run_test(size=(24, 6)) as pilot:
            transcript.add("customer", "Dana", "one two three four five six seven", 1)
            await pilot.pause()
            lines = [strip.text.rstrip() for strip in transcript._lines]
            assert lines[0].startswith("Dana: one")
            assert all(line.startswith("  ") for line in lines[1:])
            assert " ".join(" ".join(lines).split()) == "Dana: one two three four five six seven"


class TestMoodChart:
    async def test_bars_follow_the_values(self) -> None:
        chart = MoodChart([0, 50, 100])
        async with WidgetApp(chart).run_test(size=(40, 10)) as pilot:
            await pilot.pause()
            rows = str(chart.render()).splitlines()
            assert rows[0].startswith("100")
            assert rows[-1].split() == ["0", "1", "2"]
            columns = [row[4:] for row in rows[:-1]]
            heights = [sum(1 for row in columns if row[slot * 6] == "█") for slot in range(3)]
            assert heights[0] == 0 and heights[2] == len(columns) and 0 < heights[1] < heights[2]

    def test_resample_keeps_the_shape(self) -> None:
        assert resample([1, 2, 3], 10) == [1, 2, 3]
        assert resample([0, 0, 100, 100], 2) == [0, 100]
        assert len(resample(list(range(500)), 36)) == 36

    def test_every_mood_word_has_a_colour(self) -> None:
        words = [band.word for band in default_rulebook().mood_bands]
        assert {f"mood-chart--{word}" for word in words} < MoodChart.COMPONENT_CLASSES
        sheet = (STYLES / "widgets.tcss").read_text(encoding="utf-8")
        for word in words:
            assert re.search(rf"MoodMeter\.-{word} > \.mood-meter--bar", sheet), word
            assert re.search(rf"MoodChart > \.mood-chart--{word} \{{", sheet), word


class TestCoachNotes:
    @pytest.mark.parametrize(
        "loyalty, hint",
        [
            (0, ""),
            (3, "builds trust"),
            (12, "builds a lot of trust"),
            (-4, "costs trust later"),
            (-18, "costs a lot of trust later"),
        ],
    )
    def test_loyalty_in_words(self, loyalty: int, hint: str) -> None:
        assert loyalty_hint(loyalty) == hint

    def test_notes_for_a_reply_with_a_context_rule_and_a_walk_out(self) -> None:
        session = Session(washer_story())
        session.choose(2)  # tell_wrong
        session.choose(2)  # get_defensive
        session.choose(2)
        result = session.choose(2)
        assert result.walked_out
        notes = turn_notes(result, session.rulebook, "Dana")
        assert [note.kind for note in notes] == ["warned", "walkout"]
        assert notes[0].change == "-8 mood · costs trust later"
        assert notes[1].title == "Dana walked out"
        assert notes[1].source == sources_brief(session.rulebook.walkout.sources)
        assert notes[1].source.startswith(
            "The opening paragraph (under the title) · How to deal with a difficult customer (Polish: Jak sobie poradzić z trudnym klientem?)\n"
        )
        assert "In English: “Times are hard, people are overworked and stressed" in notes[1].source
        assert notes[0].source.startswith("Pamiętaj, że reprezentujesz firmę (“Remember that you represent the company”)")
        assert (
            "\nAlso: Korisni zaključci (“Useful conclusions”), point 3 · Customer complaints: what to do? Harmful advice and useful conclusions (Croatian: Pritužbe kupaca - što učiniti? Štetni savjeti i korisni zaključci.)"
            in notes[0].source
        )
        assert notes[0].source.count("In English:") == 1  # the coach quotes the main source; the sources screen has the rest

    def test_context_rules_follow_their_tactic(self) -> None:
        repeated = Session(washer_story())
        repeated.choose(3)  # refer_to_website
        repeated.choose(1)  # explore_together + stay_calm: calm_under_fire applies (mood < 30)
        notes = turn_notes(repeated.turns[-1], repeated.rulebook, "Dana")
        assert [note.kind for note in notes] == ["recommended", "recommended", "context"]
        assert notes[2].title == "In this situation"


class TestDebriefHelpers:
    def test_tactics_grouped_by_kind_with_context_rules(self) -> None:
        session = Session(washer_story())
        for number in (3, 1, 1, 2):
            session.choose(number)
        grouped = tally_tactics(session)
        assert list(grouped) == ["recommended", "warned"]
        labels = [tally.tactic.id for tally in grouped["recommended"]]
        assert labels == ["explore_together", "stay_calm", "listen", "empathize"]
        calm = grouped["recommended"][1]
        assert calm.times == 1 and list(calm.contexts) == ["calm_under_fire"]
        assert calm.mood == 3 + 4 and calm.loyalty == 3 + 2
        warned = [tally.tactic.id for tally in grouped["warned"]]
        assert warned == ["refer_to_website", "dismiss_problem"]

    def test_mood_path_and_caption(self) -> None:
        session = Session(washer_story())
        for number in (2, 1, 1, 1):
            session.choose(number)
        path = mood_path(session)
        assert path[0] == 30 and path[1] == 18 and len(path) == 5
        assert mood_caption(path, session.rulebook) == (
            f"Started at 30 (upset) · lowest 18 after reply 1 · ended at {path[-1]} ({session.rulebook.mood_word(path[-1])})"
        )

    def test_spaced_headline(self) -> None:
        assert spaced("Stays, but wary") == "S T A Y S ,   B U T   W A R Y"


class TestStoryInfo:
    def test_size_and_articles(self) -> None:
        story = washer_story()
        assert str(story_size(story)) == "8 nodes, 10 replies, 4 endings"
        trained = dict(articles_trained(story, default_rulebook()))
        assert list(trained) == sorted(trained)
        assert set(story.sources) <= set(trained)
        assert "Klausieties" in trained["000_445a3fd0440ef997.txt"]
        # Every source of each tactic counts: the website brush-off, and the useful conclusions that listening cites too.
        assert set(trained["002_ebedcf5b5245cf8b.txt"]) == {"Informacije se nalaze na web-lokaciji tvrtke", "Korisni zaključci"}
        lines = trains_lines(story, default_rulebook())
        assert lines[0].startswith("Five ways to handle a dissatisfied customer, even when the customer is wrong (Latvian): ")
        assert not any(re.search(r"\d{3}_[0-9a-f]{16}", line) for line in lines)


async def test_the_meter_shows_a_change_of_nothing_as_plus_minus_zero() -> None:
    meter = MoodMeter(40)
    async with WidgetApp(meter).run_test(size=(40, 4)) as pilot:
        meter.show(40, 0)
        await pilot.pause()
        assert "±0" in str(meter.render())
        meter.show(40, None)
        await pilot.pause()
        assert "±0" not in str(meter.render()) and "+" not in str(meter.render())
