"""'roleplay play STORY --watch' in the app: edits reload the story at the same point; errors show, the last good version plays on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roleplay.tui.app import create_app
from roleplay.tui.screens.conversation import ConversationScreen
from roleplay.tui.screens.errors import ErrorsScreen
from tests.writer.conftest import FIXTURES

SMALL = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
SIZE = (100, 32)


def rewrite(path: Path, text: str) -> None:
    stamp = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))


async def until(pilot, test, seconds: float = 5.0) -> None:
    """Let the app run (its file check polls on a timer) until ``test()`` holds."""
    for _ in range(int(seconds / 0.1)):
        if test():
            return
        await pilot.pause(0.1)
    assert test()


def noted(app) -> list[str]:
    """Record the messages of the app's notifications from now on."""
    messages: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        messages.append(message)
        return notify(message, *args, **kwargs)

    app.notify = recording
    return messages


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


async def test_an_edit_reloads_the_story_at_the_same_reply(story_file: Path) -> None:
    app = create_app(str(story_file), watch=True)
    app.animation_level = "none"
    notes = noted(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        await pilot.press("2")  # blame the courier: back to the opening, mood 19
        await pilot.pause()
        assert screen.session.picks == [2]
        rewrite(story_file, SMALL.replace("It arrived cracked.", "It arrived cracked, and late."))
        await until(pilot, lambda: app.screen is not screen and isinstance(app.screen, ConversationScreen))
        await pilot.pause()
        await pilot.pause()  # let the new screen finish mounting
        reloaded = app.screen.session
        assert reloaded.picks == [2] and reloaded.mood == 19
        assert reloaded.node.say == ("It arrived cracked, and late.",)
        assert notes == ["Reloaded small.yaml; replayed 1 reply"]


async def test_a_bad_edit_shows_its_errors_and_the_last_good_version_plays_on(story_file: Path) -> None:
    app = create_app(str(story_file), watch=True)
    app.animation_level = "none"
    notes = noted(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("2")
        await pilot.pause()
        rewrite(story_file, SMALL.replace("tactics: [apologize, empathize]", "tactics: [apologise, empathize]"))
        await until(pilot, lambda: isinstance(app.screen, ErrorsScreen))
        errors = app.screen.diagnostics
        assert [d.location.line for d in errors] == [16]
        assert "unknown tactic 'apologise'" in errors[0].message
        assert notes == ["small.yaml has 1 error; still playing the last version that loaded"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.session.picks == [2]
        await pilot.press("1")  # the last good version still plays
        await pilot.pause()
        assert screen.session.finished and screen.session.ending == "resolved"


async def test_without_watch_the_file_is_not_followed(story_file: Path) -> None:
    app = create_app(str(story_file))
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        rewrite(story_file, SMALL.replace("It arrived cracked.", "Changed."))
        assert not any(timer.name == "story file watch" for timer in app._timers), "no timer polls the file"
        app.check_story_file()  # what that timer would do, had one been set
        await pilot.pause()
        assert app.screen is screen and screen.session.node.say == ("It arrived cracked.",)


def test_play_takes_watch(monkeypatch) -> None:
    from roleplay.cli import build_parser

    args = build_parser().parse_args(["play", "cracked-kettle", "--watch"])
    assert args.watch is True
    captured = {}
    monkeypatch.setattr("roleplay.tui.app.run_app", lambda story, **options: captured.update(story=story, **options) or 0)
    assert args.handler(args) == 0
    assert captured == {"story": "cracked-kettle", "exam": False, "present": False, "watch": True, "language": "en"}
    args = build_parser().parse_args(["play", "cracked-kettle"])
    captured.clear()
    assert args.handler(args) == 0 and captured.get("watch", False) is False
