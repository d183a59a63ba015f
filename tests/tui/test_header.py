"""The header: the screen's title with the mode, the icon that opens the command palette, taller on a click."""

from __future__ import annotations

from textual.command import CommandPalette

from roleplay.tui.screens.conversation import ConversationScreen
from roleplay.tui.widgets.header import Header

from .conftest import settle

SIZE = (80, 24)


def header_line(app) -> str:
    header = app.screen.query_one(Header)
    middle = (header.size.height - 1) // 2
    return header.render_line(middle).text


async def test_the_title_and_mode_are_centred_and_follow_the_screen_and_the_mode(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = header_line(app)
        assert len(line) == 80 and line.startswith(" ⭘ ")
        title = "Pick a story — Coach mode"
        # Centred between the icon's eight cells and the ten blank ones at the right.
        assert line.index(title) == 8 + (80 - 18 - len(title)) // 2
        await pilot.press("m")  # exam mode
        await settle(pilot)
        assert "Pick a story — Exam mode" in header_line(app)
        await pilot.press("down", "enter")  # a story
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert "The leaking washer — Exam mode" in header_line(app)


async def test_a_title_too_long_ends_in_an_ellipsis(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        line = header_line(app)
        assert len(line) == 40
        assert line[8:30] == "Pick a story — Coach …"


async def test_the_icon_opens_the_palette_and_a_click_elsewhere_makes_the_header_taller(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.screen.query_one(Header)
        await pilot.click(Header, offset=(40, 0))
        await settle(pilot)
        assert header.size.height == 3
        assert "Pick a story — Coach mode" in header_line(app)
        await pilot.click(Header, offset=(40, 1))
        await settle(pilot)
        assert header.size.height == 1
        await pilot.click(Header, offset=(1, 0))
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)


async def test_the_icon_lights_up_under_the_mouse_with_its_tooltip(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.screen.query_one(Header)
        plain = header.render_line(0)
        await pilot.hover(Header, offset=(1, 0))
        await settle(pilot)
        assert header.icon_hover and header.tooltip == "Open the command palette"
        lit = header.render_line(0)
        assert lit.text == plain.text and next(iter(lit)).style != next(iter(plain)).style
        await pilot.hover(Header, offset=(40, 0))
        await settle(pilot)
        assert not header.icon_hover and header.tooltip is None
