"""Fixtures for the room: the app as ``roleplay room`` builds it (on a free port), and phones that join it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import aiohttp
import pytest

from roleplay.room.settings import RoomOptions
from roleplay.tui.app import RoleplayApp, create_app
from roleplay.tui.screens.presenter import PresenterScreen
from roleplay.tui.screens.room import RoomJoinScreen
from tests.browser import browser_missing
from tests.conftest import settle, wait_until
from tests.presenter.conftest import FIXTURES, LARGE, STORY, make_app, press  # noqa: F401  (make_app: the presenter without a room)

CODE = "BCDFG"
PUBLIC_URL = "http://192.168.1.20:8001"
"""Shown instead of the real (random) port, so pictures of the projector stay put."""


@pytest.fixture
def fixed_code(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr("roleplay.room.model.new_code", lambda: CODE)
    return CODE


@pytest.fixture
def make_room_app(fixed_code: str) -> Callable[..., RoleplayApp]:
    """``roleplay room STORY`` on a free port of 127.0.0.1, with animations off."""

    def make(story=STORY, *, hide_tally: bool = False, port: int = 0, public_url: str | None = PUBLIC_URL) -> RoleplayApp:
        app = create_app(str(story), library=FIXTURES, room=RoomOptions(port=port, public_url=public_url, hide_tally=hide_tally))
        app.animation_level = "none"
        return app

    return make


class Phone:
    """A participant's page, as the websocket protocol sees it."""

    def __init__(self, session: aiohttp.ClientSession, port: int) -> None:
        self.session = session
        self.port = port
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.token: str | None = None
        self.view: dict = {}
        self.refusal: dict | None = None
        self._reader: asyncio.Task | None = None

    async def join(self, code: str = CODE) -> Phone:
        url = f"http://127.0.0.1:{self.port}/ws?code={code}" + (f"&token={self.token}" if self.token else "")
        self.ws = await self.session.ws_connect(url)
        self._reader = asyncio.get_running_loop().create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            data = message.json()
            if data["type"] == "joined":
                self.token = data["token"]
            elif data["type"] == "state":
                self.view = data
            elif data["type"] in ("refused", "removed"):
                self.refusal = data

    async def vote(self, choice: int) -> None:
        assert self.ws is not None
        await self.ws.send_json({"type": "vote", "turn": self.view["turn"], "choice": choice})

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await self._reader


async def until(pilot, check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Let the app and the phones run until ``check()`` holds (or fail saying ``what`` did not happen), then
    let the screen settle."""
    await wait_until(pilot, check, what, timeout)
    await settle(pilot)


async def open_room(pilot) -> PresenterScreen:
    """Past the join screen the room opens on, to the presenter screen."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, RoomJoinScreen)
    await press(pilot, "escape")
    screen = pilot.app.screen
    assert isinstance(screen, PresenterScreen)
    return screen


async def phones(pilot, count: int, session: aiohttp.ClientSession) -> list[Phone]:
    joined = [await Phone(session, pilot.app.room_server.port).join() for _ in range(count)]
    await until(pilot, lambda: all(phone.view.get("phase") == "voting" for phone in joined), "every phone sees the vote")
    return joined


@pytest.fixture
def room_with_phones(make_room_app) -> Callable[..., AbstractAsyncContextManager]:
    """``async with room_with_phones(2) as (pilot, screen, phones)``: ``roleplay room`` at LARGE, past its join
    screen to the presenter screen, with that many phones joined and shown the vote."""

    @asynccontextmanager
    async def run(count: int, story=STORY, *, hide_tally: bool = False) -> AsyncIterator:
        app = make_room_app(story, hide_tally=hide_tally)
        async with app.run_test(size=LARGE) as pilot, aiohttp.ClientSession() as session:
            screen = await open_room(pilot)
            yield pilot, screen, await phones(pilot, count, session)

    return run


def pytest_terminal_summary(terminalreporter) -> None:
    """Say why the browser tests were skipped, at the end of every run that collected them."""
    missing = browser_missing()
    if missing and any("test_browser" in report.nodeid for report in terminalreporter.stats.get("skipped", [])):
        terminalreporter.write_line(f"tests/room/test_browser.py skipped: {missing}", yellow=True)
