"""Fixtures for presenter mode: the app as the command line builds it, on a story of our own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest

from roleplay.tui.app import RoleplayApp, create_app
from tests.conftest import press, settle  # noqa: F401  (press: imported by the tests from here)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
STORY = FIXTURES / "presenter-story.yaml"
"""Three turns with three, three and two replies; kept apart from the bundled library so snapshots stay put."""

SMALL = (60, 20)
LARGE = (120, 35)


class FakeClock:
    """A monotonic clock the test moves by hand, for the discussion timer."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def make_app() -> Callable[..., RoleplayApp]:
    """``roleplay --present`` (on STORY unless told otherwise), with animations off."""

    def make(story: str | Path | None = STORY, *, present: bool = True) -> RoleplayApp:
        app = create_app(None if story is None else str(story), present=present, library=FIXTURES)
        app.animation_level = "none"
        return app

    return make


@pytest.fixture
def run_presenter(make_app) -> Callable[..., AbstractAsyncContextManager]:
    """``async with run_presenter() as pilot``: ``make_app(story, present=...)`` running at ``size``
    (LARGE unless told otherwise), its first screen drawn."""

    @asynccontextmanager
    async def run(story: str | Path | None = STORY, *, present: bool = True, size=LARGE) -> AsyncIterator:
        app = make_app(story, present=present)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            yield pilot

    return run
