"""The progress screen: best and last per story, plays over time, habits by article and tactic, what to practise next."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from roleplay.play.record import Record
from roleplay.tui.screens.conversation import ConversationScreen
from roleplay.tui.screens.picker import PickerScreen
from roleplay.tui.screens.progress import NO_PLAYS, ProgressScreen
from tests.conftest import played
from tests.tui.conftest import WASHER, press, run_from_palette, settle

SIZE = (80, 24)
TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch) -> None:
    monkeypatch.setattr("roleplay.tui.screens.progress.today", lambda: TODAY)


def washer_play(picks: tuple[int, ...], day: int, coached: bool = True) -> None:
    session = played(WASHER, *picks)
    assert session.finished
    assert Record().add_play(session, coached, when=datetime(2026, 11, day, 18, 0, tzinfo=UTC)) is not None


def texts(screen, selector: str) -> list[str]:
    return [str(widget.render()) for widget in screen.query(selector)]


async def open_progress(pilot) -> ProgressScreen:
    await settle(pilot)
    await press(pilot, "h")
    screen = pilot.app.screen
    assert isinstance(screen, ProgressScreen)
    return screen


def many_plays() -> None:
    """Seven plays of the leaking washer: badly at first, well lately."""
    washer_play((2, 2, 2, 2), day=3)  # leaves and complains
    washer_play((3, 2, 2, 2), day=4)
    washer_play((1, 2), day=10)  # stays, but wary
    washer_play((2, 1, 1, 1), day=17)  # stays
    washer_play((1, 1, 1), day=24)  # recommends
    washer_play((1, 1, 1), day=25)
    washer_play((1, 3), day=26)  # stays


class TestProgressScreen:
    @pytest.mark.slow
    async def test_results_chart_habits_and_what_next(self, make_app) -> None:
        many_plays()
        app = make_app()
        async with app.run_test(size=(100, 60)) as pilot:
            screen = await open_progress(pilot)
            [story] = texts(screen, ".progress-story")
            assert story == "The leaking washer: 7 plays; best Recommends you, last Stays"
            sparkline = screen.query_one("#progress-sparkline")
            assert list(sparkline.data)[-5:] == [0, 2, 1, 1, 3]  # weeks of Nov 2, 9, 16 and 23 (to the 27th)
            assert texts(screen, "#progress-chart-caption") == ["12 weeks ago → this week: 7 plays, 7 in all"]
            articles = texts(screen, ".progress-article")
            rows = texts(screen, ".progress-row.-article .progress-row-text")
            trends = texts(screen, ".progress-row.-article .progress-trend")
            by_article = dict(zip(articles, zip(rows, trends, strict=False), strict=False))
            polish = by_article["How to deal with a difficult customer (Polish)"]
            assert polish == ("4 recommended, 7 warned against (64%)", "▲ better lately")
            tactics = texts(screen, "#progress-tactics .progress-row-text")
            assert "Defend yourself: 6× (warned against)" in tactics
            [advice] = texts(screen, "#progress-next")
            assert advice.startswith(
                "How to deal with a difficult customer (Polish): 7 of your 11 picks drawing on it were replies it warns against."
            )
            assert advice.endswith("Try 'The leaking washer'; Enter plays it.")
            await press(pilot, "enter")
            assert isinstance(app.screen, ConversationScreen) and app.screen.story.title == "The leaking washer"

    async def test_an_empty_record_says_so_and_still_suggests(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_progress(pilot)
            assert texts(screen, "#progress-empty") == [NO_PLAYS]
            [advice] = texts(screen, "#progress-next")
            assert ": you have not practised it yet." in advice
            await press(pilot, "escape")
            assert isinstance(app.screen, PickerScreen)

    async def test_opened_from_the_command_palette(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await run_from_palette(pilot, "your progress")
            assert isinstance(app.screen, ProgressScreen)

    def test_snapshot_80x24(self, make_app, snap_compare) -> None:
        many_plays()

        async def run_before(pilot) -> None:
            await open_progress(pilot)

        assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)

    async def test_the_screen_follows_the_language(self, make_app) -> None:
        many_plays()
        app = make_app()
        async with app.run_test(size=(100, 60)) as pilot:
            screen = await open_progress(pilot)
            app.action_set_language("pl")
            await settle(pilot)
            assert screen.title == "Twoje postępy"
            assert texts(screen, ".progress-story")[0].startswith("The leaking washer: 7 rozmów; najlepiej: ")
            assert texts(screen, "#progress-chart-caption") == ["12 tygodni temu → ten tydzień: 7 rozmów, razem 7"]

    async def test_a_story_played_in_english_is_listed_by_its_title_in_the_language(self, make_app) -> None:
        many_plays()  # recorded with the English title
        app = make_app(language="lv")
        async with app.run_test(size=(100, 60)) as pilot:
            screen = await open_progress(pilot)
            [story] = texts(screen, ".progress-story")
            assert story.startswith("Tekošā veļasmašīna: 7 spēles; labākais ")
            [advice] = texts(screen, "#progress-next")
            assert "“Tekošā veļasmašīna”" in advice and "The leaking washer" not in advice
