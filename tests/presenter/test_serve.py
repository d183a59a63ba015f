"""``roleplay serve``: the served page answers over HTTP on 127.0.0.1, and bad options fail cleanly."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest

from roleplay.cli import main
from roleplay.commands.serve import served_command

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 20.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_page(url: str, process: subprocess.Popen[bytes]) -> str:
    """The page at ``url`` once the server answers; fails after STARTUP_SECONDS or if the server exits."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                assert response.status == 200
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"no answer from {url} within {STARTUP_SECONDS:.0f} seconds")


@contextmanager
def serving(tmp_path: Path, *arguments: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``roleplay serve ARGUMENTS`` on a free port of 127.0.0.1; the server and the apps it started are stopped after."""
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "roleplay", "serve", "--port", str(port), *arguments],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, with the app each tab starts
    )
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with serving(tmp_path, "--present") as running:
        yield running


ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


async def read_screen_until(websocket, wanted: str, seen: list[str]) -> None:
    """Collect the app's terminal output (escape codes removed) until ``wanted`` appears in it."""
    while wanted not in "".join(seen):
        message = await websocket.receive()
        if message.type == aiohttp.WSMsgType.BINARY:
            seen.append(ESCAPES.sub("", message.data.decode("utf-8", "replace")))
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            pytest.fail(f"the app closed before showing {wanted!r}")


def test_serve_answers_http(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    url, process = server
    page = wait_for_page(url + "/", process)
    assert "<html" in page
    assert f"{url.replace('http', 'ws')}/ws" in page
    assert 'data-font-size="16"' in page
    assert 'data-font-size="24"' in wait_for_page(url + "/?fontsize=24", process)


async def test_the_served_app_runs_in_presenter_mode_and_takes_keys(tmp_path: Path) -> None:
    story = ROOT / "tests" / "fixtures" / "presenter-story.yaml"
    with serving(tmp_path, str(story), "--present") as (url, process):
        wait_for_page(url + "/", process)
        async with aiohttp.ClientSession() as client:
            async with client.ws_connect(url.replace("http", "ws") + "/ws?width=100&height=30") as websocket:
                async with asyncio.timeout(STARTUP_SECONDS * 2):
                    await read_screen_until(websocket, "The double charge · Turn 1 · vote", [])
                    await websocket.send_json(["stdin", "1"])
                    await read_screen_until(websocket, "1 vote · reply 1 leads", [])
                    await websocket.send_json(["stdin", "\x1b1"])  # alt+1, as a browser sends it
                    await read_screen_until(websocket, "The room votes: press a reply's number", [])


def test_served_command_runs_this_python_and_passes_present_through() -> None:
    assert served_command() == [sys.executable, "-m", "roleplay"]
    assert served_command(present=True) == [sys.executable, "-m", "roleplay", "--present"]
    command = served_command("/tmp/a story.yaml", present=True)
    assert command[-3:] == ["play", "/tmp/a story.yaml", "--present"]
    assert shlex.split(shlex.join(command)) == command


@pytest.mark.parametrize("port", ["0", "70000", "eighty"])
def test_bad_port_is_a_usage_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--port", port])
    assert exit_info.value.code == 2
    assert "port number from 1 to 65535" in capsys.readouterr().err


def test_unknown_story_is_reported_before_serving(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "no-such-story-anywhere"]) == 1
    assert "no story file 'no-such-story-anywhere'" in capsys.readouterr().err


def test_port_in_use_is_reported() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "roleplay", "serve", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=STARTUP_SECONDS,
        )
    assert result.returncode == 1
    assert "the port is in use; choose another with --port" in result.stderr
    assert "Traceback" not in result.stderr
