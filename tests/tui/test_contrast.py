"""Contrast as drawn, on every screen and in every theme the app offers.

The app is driven with the Pilot along a few journeys. At each stop every
theme is switched on in turn, and in each theme the colours the compositor
renders for every visible character are read (see ``tests/contrast.py``) and
checked: 4.5:1 or more in both presenter themes, 3:1 or more in every other
theme. A stop may have views reached from it in each theme and left again
(a dialog opened and closed, a panel scrolled and scrolled back): opening a
small dialog afresh in a theme costs less than restyling every screen for
it, and the view is checked in every theme all the same. A failure lists the
characters, their colours and the line they are on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from roleplay.tui.app import create_app
from roleplay.tui.themes import PRESENTER_THEMES
from tests.contrast import contrast_ratio, describe, low_contrast, rendered_cells, rendered_frame, screen_text

from .conftest import BROKEN, LIBRARY, WASHER, press, settle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROOM_STORY = FIXTURES / "presenter-story.yaml"

PRESENTER_MINIMUM = 4.5
NORMAL_MINIMUM = 3.0
PRESENTER_NAMES = [theme.name for theme in PRESENTER_THEMES]


@dataclass(frozen=True)
class View:
    """A view of a stop, reached in each theme by pressing ``there`` and left by pressing ``back``."""

    name: str
    screen: str
    """The class name of the screen on top in this view."""
    there: tuple[str, ...] = ()
    back: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stop:
    """A place on a journey: reached by pressing ``keys`` from the stop before, checked in every theme
    with each of its views, then left by pressing ``leave``."""

    name: str
    screen: str
    keys: tuple[str, ...] = ()
    views: tuple[View, ...] = ()
    leave: tuple[str, ...] = ()


def stop(name: str, screen: str, keys: tuple[str, ...] = (), *views: View, leave: tuple[str, ...] = ()) -> Stop:
    return Stop(name, screen, keys, (View(name, screen), *views), leave)


def dialog(name: str, screen: str, key: str) -> View:
    """A dialog or screen opened with ``key`` and closed with Escape."""
    return View(name, screen, (key,), ("escape",))


NORMAL_JOURNEYS: dict[str, tuple[Path | None, tuple[int, int], list[Stop]]] = {
    "picker": (
        None,
        (80, 24),
        [
            stop("picker", "PickerScreen", (), dialog("open file dialog", "OpenFileScreen", "o")),
            stop("progress", "ProgressScreen", ("down", "enter", "1", "2", "escape", "h")),
        ],
    ),
    "errors": (BROKEN, (80, 24), [stop("errors dialog", "ErrorsScreen")]),
    "conversation": (
        WASHER,
        (80, 24),
        [
            stop(
                "conversation start",
                "ConversationScreen",
                (),
                dialog("settings", "SettingsScreen", "comma"),
                # The palette takes its colours when it opens.
                dialog("command palette", "Palette", "ctrl+p"),
            ),
            stop("help", "HelpScreen", ("question_mark",), leave=("escape",)),
            stop("sources", "SourcesScreen", ("i",), leave=("escape",)),
        ],
    ),
    "replies": (
        WASHER,
        (80, 24),
        [
            stop(
                "coach after a reply",
                "ConversationScreen",
                ("1",),
                View(
                    "coach scrolled, replies focused",
                    "ConversationScreen",
                    ("tab", "end", "shift+tab"),
                    ("tab", "home", "shift+tab"),
                ),
                dialog("restart question", "ConfirmDialog", "r"),
            ),
            stop("conversation over", "ConversationScreen", ("2",)),
            stop("debrief", "DebriefScreen", ("d",)),
        ],
    ),
    "walk-out": (
        WASHER,
        (80, 24),
        [
            stop(
                "debrief after a walk-out",
                "DebriefScreen",
                ("2", "1", "1", "1", "d"),
                View("debrief scrolled to the end", "DebriefScreen", ("end",), ("home",)),
            )
        ],
    ),
    "60x20": (
        WASHER,
        (60, 20),
        [
            stop("coach after a reply", "ConversationScreen", ("1",)),
            stop("conversation over", "ConversationScreen", ("2",)),
            stop("debrief", "DebriefScreen", ("d",)),
        ],
    ),
}
"""Every screen of the app (and its dialogs), by the journeys that reach them."""

ROOM_GAME_REST = ("1", "2", "2", "3", "enter", "r", "enter", "1", "2", "enter", "c", "1", "r", "enter")
"""The presenter story played on to its end from the second turn's vote, with votes, a tie broken by the
trainer and reveals; then the room's summary."""

PRESENTER_JOURNEY = [
    stop("voting", "PresenterScreen", ("1", "1", "2"), dialog("presenter help", "PresenterHelpScreen", "question_mark")),
    stop("locked in", "PresenterScreen", ("enter",)),
    stop("revealed", "PresenterScreen", ("r",)),
    stop("transcript", "PresenterScreen", ("enter", "v"), leave=("v",)),
    stop(
        "room summary",
        "RoomSummaryScreen",
        ROOM_GAME_REST,
        View("room summary scrolled", "RoomSummaryScreen", ("end",), ("home",)),
    ),
]


def normal_themes(app) -> list[str]:
    return [name for name in app.available_themes if name not in PRESENTER_NAMES]


async def check_stop(pilot, here: Stop, themes: list[str], minimum: float) -> list[str]:
    """Switch to each theme in turn and list what falls below ``minimum`` in each of the stop's views."""
    app = pilot.app
    failures = []
    for theme in themes:
        app.theme = theme
        await pilot.pause()
        before: list[str] = []
        for view in here.views:
            await press(pilot, *view.there)
            assert type(app.screen).__name__ == view.screen, f"{view.name}: {app.screen} is on top"
            cells, lines = rendered_frame(app)
            assert cells, f"{view.name}: nothing visible was read from the screen"
            low = low_contrast(app, minimum, cells)
            if low:
                failures.append(f"{view.name}, {theme}: {len(low)} characters below {minimum}:1\n{describe(app, low)}")
            if not view.there:
                before = lines  # the stop itself, which each view of it goes back to
                continue
            await press(pilot, *view.back)
            assert screen_text(app) == before, f"{view.name}: {view.back} did not go back to {here.name}"
    return failures


async def check_journey(app, size: tuple[int, int], journey: list[Stop], themes, minimum: float) -> list[str]:
    app.animation_level = "none"
    failures = []
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        names = themes(app)
        for here in journey:
            await press(pilot, *here.keys)
            assert type(app.screen).__name__ == here.screen, f"{here.name}: {app.screen} is on top"
            failures.extend(await check_stop(pilot, here, names, minimum))
            await press(pilot, *here.leave)
    return failures


@pytest.mark.slow
@pytest.mark.parametrize("journey", list(NORMAL_JOURNEYS))
async def test_every_normal_theme_reaches_3_to_1(journey: str, monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES.parent.parent)
    story, size, stops = NORMAL_JOURNEYS[journey]

    def themes(app) -> list[str]:
        names = normal_themes(app)
        assert len(names) >= 15, "the theme list offers Textual's themes"
        return names

    app = create_app(None if story is None else str(story), library=LIBRARY)
    failures = await check_journey(app, size, stops, themes, NORMAL_MINIMUM)
    assert not failures, "\n\n".join(failures)


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_both_presenter_themes_reach_4_5_to_1(size: tuple[int, int]) -> None:
    app = create_app(str(ROOM_STORY), present=True, library=FIXTURES)
    failures = await check_journey(app, size, PRESENTER_JOURNEY, lambda app: PRESENTER_NAMES, PRESENTER_MINIMUM)
    assert not failures, "\n\n".join(failures)


def test_the_terminal_palette_themes_are_not_offered() -> None:
    """Their colours are whatever the terminal says, so no contrast can be promised for them."""
    app = create_app()
    assert "ansi-dark" not in app.available_themes and "ansi-light" not in app.available_themes


class LowContrastApp(App[None]):
    CSS = "Screen { background: #202020; } #faint { color: #303030; } #clear { color: #E0E0E0; }"

    def compose(self) -> ComposeResult:
        yield Static("faint", id="faint")
        yield Static("clear", id="clear")


async def test_the_check_reads_colours_as_drawn() -> None:
    """The check finds faint text and passes clear text: it can fail."""
    app = LowContrastApp()
    async with app.run_test(size=(20, 3)) as pilot:
        await pilot.pause()
        cells = rendered_cells(app)
        assert "".join(cell.char for cell in cells) == "faintclear"
        low = low_contrast(app, NORMAL_MINIMUM)
        assert "".join(cell.char for cell in low) == "faint"
        assert low[0].foreground.hex == "#303030" and low[0].background.hex == "#202020"
        assert low[0].ratio == pytest.approx(contrast_ratio(low[0].foreground, low[0].background))
        assert low[0].ratio < 1.5
