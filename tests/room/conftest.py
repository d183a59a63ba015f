"""Fixtures for the room: the app as ``roleplay room`` builds it (on a free port), and phones that join it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import aiohttp
import pytest

from roleplay.room.settings import RoomOptions
from roleplay.tui.app import RoleplayApp, create_app
from tests.browser import browser_missing
from tests.conftest import settle
from tests.presenter.conftest import FIXTURES, STORY, make_app  # noqa: F401  (the presenter without a room, for comparison)

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
    """Let the app and the phones run until ``check()`` holds; fail saying ``what`` did not happen."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        await pilot.pause(0.02)
    await settle(pilot)


def pytest_terminal_summary(terminalreporter) -> None:
    """Say why the browser tests were skipped, at the end of every run that collected them."""
    missing = browser_missing()
    if missing and any("test_browser" in report.nodeid for report in terminalreporter.stats.get("skipped", [])):
        terminalreporter.write_line(f"tests/room/test_browser.py skipped: {missing}", yellow=True)
