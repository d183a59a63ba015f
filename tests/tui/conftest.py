"""Fixtures for the app's tests: the test library, and the app built by the same factory the command line uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from roleplay.play.engine import Session
from roleplay.tui.app import RoleplayApp, create_app
from tests.conftest import played, press, run_from_palette, settle, wait_until  # noqa: F401  (imported by the tests from here)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIBRARY = FIXTURES / "library"
"""A library of its own (a playable story and a broken one), so these tests do not change with the bundled stories."""
WASHER = LIBRARY / "leaking-washer.yaml"
BROKEN = LIBRARY / "broken-story.yaml"

SIZE = (80, 24)
BUNDLED_LONG = "savings-rate-cut"
"""A bundled story whose lines and replies are long: the coach's room at small sizes is tested on it."""

HASH_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
"""An article's file name, which a learner must never see on any screen."""


@pytest.fixture
def make_app() -> Callable[..., RoleplayApp]:
    """The app as ``create_app`` builds it, on the test library, with animations (and the cursor blink) off."""

    def make(
        story: str | Path | None = None, *, exam: bool = False, library: Path | None = LIBRARY, language: str = "en"
    ) -> RoleplayApp:
        app = create_app(None if story is None else str(story), exam=exam, library=library, language=language)
        app.animation_level = "none"
        return app

    return make


def washer_session(*picks: int) -> Session:
    """The engine's own play-through of the test story, to compare the screen with."""
    return played(WASHER, *picks)


def text_of(screen, selector: str) -> str:
    return "\n".join(str(widget.render()) for widget in screen.query(selector))


def rule_notes(screen) -> list[str]:
    """The titles of the rules the coach is showing (none in exam mode or before the first reply)."""
    from roleplay.tui.widgets.feedback import FeedbackNotes

    return [note.title for note in screen.query_one(FeedbackNotes).notes if note.kind != "remark"]


async def open_washer(pilot):
    """From the picker, choose the test story (listed second, after the broken one) and play it."""
    from roleplay.tui.screens.conversation import ConversationScreen

    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConversationScreen)
    return screen
