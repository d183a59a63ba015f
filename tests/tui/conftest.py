"""Fixtures for the app's tests: the test library, and the app built by the same factory the command line uses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from roleplay.tui.app import RoleplayApp, create_app

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIBRARY = FIXTURES / "library"
"""A library of its own (a playable story and a broken one), so these tests do not change with the bundled stories."""
WASHER = LIBRARY / "leaking-washer.yaml"
BROKEN = LIBRARY / "broken-story.yaml"


@pytest.fixture
def make_app() -> Callable[..., RoleplayApp]:
    """The app as ``create_app`` builds it, on the test library, with animations (and the cursor blink) off."""

    def make(story: str | Path | None = None, *, exam: bool = False, library: Path | None = LIBRARY) -> RoleplayApp:
        app = create_app(None if story is None else str(story), exam=exam, library=library)
        app.animation_level = "none"
        return app

    return make


async def settle(pilot) -> None:
    """Wait until background work (catalog loading, the turning point) is done and the screen is drawn."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
