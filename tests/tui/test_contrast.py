"""Contrast as drawn, on every screen and in every theme the app offers.

Each case drives the app to a screen with the Pilot, then for each theme reads
the colours the compositor renders for every visible character (see
``tests/contrast.py``) and checks them: 4.5:1 or more in both presenter themes,
3:1 or more in every other theme. A failure lists the characters, their
colours and the line they are on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from roleplay.tui.app import create_app
from roleplay.tui.themes import PRESENTER_THEMES
from tests.contrast import contrast_ratio, describe, low_contrast, rendered_cells

from .conftest import BROKEN, LIBRARY, WASHER, settle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROOM_STORY = FIXTURES / "presenter-story.yaml"

PRESENTER_MINIMUM = 4.5
NORMAL_MINIMUM = 3.0
PRESENTER_NAMES = [theme.name for theme in PRESENTER_THEMES]

ROOM_GAME = ("1", "1", "2", "enter", "r", "enter", "1", "2", "2", "3", "enter", "r", "enter", "1", "2", "enter", "c", "1", "r")
"""The presenter story played to the end, with votes, a tie broken by the trainer and reveals."""

NORMAL_SCREENS = {
    "picker": (None, ()),
    "errors dialog": (BROKEN, ()),
    "open file dialog": (None, ("o",)),
    "conversation start": (WASHER, ()),
    "coach after a reply": (WASHER, ("1",)),
    "coach scrolled, replies focused": (WASHER, ("1", "tab", "end", "shift+tab")),
    "conversation over": (WASHER, ("1", "2")),
    "debrief": (WASHER, ("1", "2", "d")),
    "debrief scrolled to the end": (WASHER, ("2", "1", "1", "1", "d", "end")),
    "help": (WASHER, ("question_mark",)),
    "restart question": (WASHER, ("1", "r")),
    "settings": (WASHER, ("comma",)),
    "sources": (WASHER, ("i",)),
    "progress": (None, ("down", "enter", "1", "2", "escape", "h")),
}
REOPENED_PER_THEME = {
    "command palette": (WASHER, ("ctrl+p",)),
}
"""Screens opened afresh in each theme (the palette takes its colours when it opens)."""
PRESENTER_SCREENS = {
    "voting": (("1", "1", "2"),),
    "locked in": (("1", "enter"),),
    "revealed": (("1", "enter", "r"),),
    "transcript": (("1", "enter", "r", "enter", "v"),),
    "room summary": ((*ROOM_GAME, "enter"),),
    "room summary scrolled": ((*ROOM_GAME, "enter", "end"),),
    "presenter help": (("question_mark",),),
}


def normal_themes(app) -> list[str]:
    return [name for name in app.available_themes if name not in PRESENTER_NAMES]


async def check_themes(pilot, themes: list[str], minimum: float, reopen: tuple[str, ...] = ()) -> list[str]:
    """Switch to each theme in turn and list what falls below ``minimum`` (pressing ``reopen`` in each)."""
    app = pilot.app
    failures = []
    for theme in themes:
        app.theme = theme
        for key in reopen:
            await pilot.press(key)
        await pilot.pause()
        cells = rendered_cells(app)
        assert cells, "nothing visible was read from the screen"
        low = low_contrast(app, minimum, cells)
        if low:
            failures.append(f"{theme}: {len(low)} characters below {minimum}:1\n{describe(app, low)}")
        if reopen:
            await pilot.press("escape")
            await pilot.pause()
    return failures


NORMAL_CASES = [
    *((screen, (80, 24)) for screen in NORMAL_SCREENS),
    ("coach after a reply", (60, 20)),
    ("conversation over", (60, 20)),
    ("debrief", (60, 20)),
    *((screen, (80, 24)) for screen in REOPENED_PER_THEME),
]


@pytest.mark.parametrize(("screen", "size"), NORMAL_CASES, ids=[f"{screen}-{w}x{h}" for screen, (w, h) in NORMAL_CASES])
async def test_every_normal_theme_reaches_3_to_1(screen: str, size: tuple[int, int], monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES.parent.parent)
    reopen: tuple[str, ...] = ()
    if screen in REOPENED_PER_THEME:
        story, reopen = REOPENED_PER_THEME[screen]
        keys: tuple[str, ...] = ()
    else:
        story, keys = NORMAL_SCREENS[screen]
    app = create_app(None if story is None else str(story), library=LIBRARY)
    app.animation_level = "none"
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        themes = normal_themes(app)
        assert len(themes) >= 15, "the theme list offers Textual's themes"
        failures = await check_themes(pilot, themes, NORMAL_MINIMUM, reopen)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
@pytest.mark.parametrize("screen", list(PRESENTER_SCREENS))
async def test_both_presenter_themes_reach_4_5_to_1(screen: str, size: tuple[int, int]) -> None:
    (keys,) = PRESENTER_SCREENS[screen]
    app = create_app(str(ROOM_STORY), present=True, library=FIXTURES)
    app.animation_level = "none"
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        failures = await check_themes(pilot, PRESENTER_NAMES, PRESENTER_MINIMUM)
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
