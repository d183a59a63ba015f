"""Textual's own words in the interface language: the palette's placeholder, its system commands, "No matches", the footer's palette key."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets._footer import FooterKey

from roleplay.tui.screens.conversation import ConversationScreen
from roleplay.tui.screens.help import HelpScreen
from roleplay.tui.textual_words import KEYS, KEYS_HELP, SYSTEM_COMMAND_WORDS, TEXTUAL_KEYS_TITLE
from roleplay.tui.widgets.footer import Footer

from .conftest import WASHER, press, settle

SIZE = (80, 24)


def palette_prompts(app) -> list[str]:
    command_list = app.screen.query_one(CommandList)
    return [command_list.get_option_at_index(i).prompt for i in range(command_list.option_count)]


def plain(prompts) -> str:
    """The palette's options as text (each prompt is a Content, Text or a renderable with a title line)."""
    import io

    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    for prompt in prompts:
        console.print(prompt)
    return console.export_text()


async def test_every_textual_system_command_is_one_the_catalogues_carry(make_app) -> None:
    app = make_app(WASHER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = set()
        for command in App.get_system_commands(app, app.screen):
            seen.add(command.title)
            if command.title == TEXTUAL_KEYS_TITLE:
                continue
            assert command.title in SYSTEM_COMMAND_WORDS and command.help in SYSTEM_COMMAND_WORDS, command
        assert {"Theme", "Quit", "Keys", "Screenshot"} <= seen


async def test_the_palette_speaks_latvian(make_app) -> None:
    app = make_app(WASHER, language="lv")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        palette_key = app.screen.query_one(Footer).query_one("FooterKey.-command-palette", FooterKey)
        assert palette_key.description == "palete" and palette_key.tooltip == "Atvērt komandu paleti"

        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == "Meklēt komandu…"
        shown = plain(palette_prompts(app))
        for words in ("Motīvs", "Mainīt krāsu motīvu", "Iziet", "Aizvērt lietotni nekavējoties", "Taustiņi"):
            assert words in shown, words
        for english in ("Theme", "Quit the application", "Keys", "Save an SVG"):
            assert english not in shown, english

        await pilot.press(*"zzqx")
        await pilot.pause(0.8)
        assert "Nekas nav atrasts" in plain(palette_prompts(app))


async def test_keys_opens_the_apps_help_in_the_language(make_app) -> None:
    app = make_app(WASHER, language="pl")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = list(app.get_system_commands(app.screen))
        keys = next(command for command in commands if command.title == "Klawisze")
        assert keys.help == "Wszystkie klawisze tego ekranu i zasady gry"
        assert {command.title for command in commands} >= {"Motyw", "Wyjdź", "Zrzut ekranu"}
        keys.callback()
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert (KEYS, KEYS_HELP) == ("Keys", "Every key of this screen, and how to play")


async def test_a_language_switch_changes_the_palette_words(make_app) -> None:
    app = make_app(WASHER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Theme" in {command.title for command in app.get_system_commands(app.screen)}
        await app.run_action("set_language('hr')")
        await settle(pilot)
        assert "Tema" in {command.title for command in app.get_system_commands(app.screen)}
        await press(pilot, "ctrl+p")
        assert app.screen.query_one(CommandInput).placeholder == "Traži naredbu…"


async def test_the_theme_search_and_the_screenshot_notice_are_translated(make_app) -> None:
    app = make_app(WASHER, language="et")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.search_themes()
        await settle(pilot)
        assert app.screen.query_one(CommandInput).placeholder == "Otsi teemat…"
        await press(pilot, "escape")
        app.post_message(events.DeliveryComplete(key="k", path=Path("/tmp/shot.svg"), name="screenshot"))
        await settle(pilot)
        notices = [(n.title, n.message) for n in app._notifications]
        assert ("Kuvatõmmis", "Kuvatõmmis salvestati: '/tmp/shot.svg'") in notices
        assert not any("Saved screenshot" in message for _title, message in notices)
