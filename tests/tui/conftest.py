"""Fixtures for the app's tests: the test library, and the app built by the same factory the command line uses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from roleplay.tui.app import RoleplayApp, create_app
from tests.conftest import run_from_palette, settle, wait_until  # noqa: F401  (imported by the tests from here)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIBRARY = FIXTURES / "library"
"""A library of its own (a playable story and a broken one), so these tests do not change with the bundled stories."""
WASHER = LIBRARY / "leaking-washer.yaml"
BROKEN = LIBRARY / "broken-story.yaml"


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
