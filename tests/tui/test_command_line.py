"""How the command line reaches the app, and that the core stays free of the interface."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from roleplay.cli import build_parser, main
from roleplay.commands import play

from .conftest import BROKEN, WASHER


def test_the_core_and_the_command_line_do_not_import_textual() -> None:
    code = (
        "import sys, roleplay.play.engine, roleplay.writing.analysis, roleplay.play.library, roleplay.cli, roleplay.tui.story_info; "
        "from roleplay.cli import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("arguments", [[], ["--present", "--lang", "lv"], ["play", "cracked-kettle", "--exam"]])
def test_starting_the_app_imports_nothing_the_other_commands_need(arguments) -> None:
    """The app's start goes through the command line: it does not wait for YAML, the rulebook or the
    analysis, which only other commands (and the story chosen, once chosen) need."""
    code = (
        "import sys, roleplay.tui.app as app; "
        "app.run_app = lambda story=None, **options: 0; "
        "from roleplay.cli import main; "
        f"assert main({arguments!r}) == 0; "
        "print(sorted(m for m in sys.modules if m == 'yaml' or m.startswith(('roleplay.rules', 'roleplay.writing', "
        "'roleplay.story.loader', 'roleplay.play.engine', 'roleplay.room'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("locale", ["", "lv_LV.UTF-8"])
def test_bare_roleplay_opens_the_app_as_the_parser_would_without_building_it(locale: str) -> None:
    """No arguments: the app on the library in the locale's language, with the options the parser gives
    for no arguments, and neither argparse nor the commands' helpers imported."""
    code = (
        "import sys, roleplay.tui.app as app; "
        "opened = []; "
        "app.run_app = lambda story=None, **options: opened.append((story, options)) or 0; "
        "from roleplay.cli import main; "
        "assert main([]) == 0; "
        "print(sorted(m for m in sys.modules if m in ('argparse', 'json', 'roleplay.commands.common'))); "
        # What the parser makes of no arguments, as main() did before it had a way round the parser.
        "from roleplay.cli import build_parser; from roleplay.i18n import language_from_environment; "
        "parser = build_parser(('play',)); args = parser.parse_args([]); "
        "args.language = args.lang or language_from_environment(); "
        "assert parser.default_handler(args) == 0; "
        "print(opened[0] == opened[1], opened[0])"
    )
    environment = {key: value for key, value in os.environ.items() if key not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    environment["LANG"] = locale
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)
    imported, same = result.stdout.strip().splitlines()
    assert imported == "[]"
    language = "lv" if locale else "en"
    assert same == f"True (None, {{'exam': False, 'present': False, 'language': '{language}'}})"


def test_help_and_other_commands_still_have_every_command(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    assert all(f"    {name}" in listed for name in ("play", "validate", "analyze", "room", "history"))
    with pytest.raises(SystemExit) as exit_info:
        main(["nonsense"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'nonsense' (choose from 'play', 'new', 'validate'" in capsys.readouterr().err


def test_bare_roleplay_opens_the_library(monkeypatch) -> None:
    opened = []
    monkeypatch.setattr("roleplay.tui.app.run_app", lambda story, exam=False, **options: opened.append((story, exam)) or 0)
    assert main([]) == 0
    assert main(["--exam"]) == 0
    assert opened == [(None, False), (None, True)]


def test_play_opens_a_story(monkeypatch) -> None:
    opened = []
    monkeypatch.setattr("roleplay.tui.app.run_app", lambda story, exam=False, **options: opened.append((story, exam)) or 0)
    washer = str(WASHER)
    assert main(["play", "cracked-kettle"]) == 0
    assert main(["play", washer, "--exam"]) == 0
    assert main(["--exam", "play", str(BROKEN)]) == 0, "a story with errors opens on its list of errors"
    assert opened == [("cracked-kettle", False), (washer, True), (str(BROKEN), True)]


def test_play_a_story_that_is_not_there_is_a_plain_error(monkeypatch, capsys) -> None:
    opened = []
    monkeypatch.setattr("roleplay.tui.app.run_app", lambda story, **options: opened.append(story) or 0)
    assert main(["play", "nonexistent.yaml"]) == 1
    assert opened == [], "the app does not open"
    assert capsys.readouterr().err == (
        "roleplay play: error: nonexistent.yaml: no story file, and no bundled story of that name\n"
    )


def test_play_is_listed_and_needs_a_story(capsys) -> None:
    parser = build_parser()
    assert parser.default_handler is play.open_library  # type: ignore[attr-defined]
    assert "play" in parser.format_help()
    with pytest.raises(SystemExit) as exit_info:
        main(["play"])
    assert exit_info.value.code == 2
    assert "STORY" in capsys.readouterr().err
