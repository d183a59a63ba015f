"""``roleplay room`` and ``roleplay serve --room`` from the command line, and the served projector end to end."""

from __future__ import annotations

import asyncio
import re
import shlex
import sys

import aiohttp
import pytest

from roleplay.cli import build_parser, main
from roleplay.commands.serve import room_arguments, served_command
from roleplay.room.settings import DEFAULT_HOST, DEFAULT_PORT, RoomOptions
from tests.presenter.test_serve import ROOT, STARTUP_SECONDS, free_port, read_screen_until, serving, wait_for_page

STORY = ROOT / "tests" / "fixtures" / "presenter-story.yaml"


def test_room_defaults_to_loopback() -> None:
    args = build_parser().parse_args(["room", "hotel"])
    assert (args.story, args.host, args.port, args.room_url, args.hide_tally) == (
        "hotel",
        DEFAULT_HOST,
        DEFAULT_PORT,
        None,
        False,
    )
    assert DEFAULT_HOST == "127.0.0.1"


def test_room_passes_its_options_to_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    started = {}

    def run_app(story, **options):
        started.update(options, story=story)
        return 0

    monkeypatch.setattr("roleplay.tui.app.run_app", run_app)
    assert (
        main(["room", str(STORY), "--host", "0.0.0.0", "--port", "9123", "--public-url", "http://10.0.0.5:9123", "--hide-tally"])
        == 0
    )
    assert started["story"] == str(STORY.resolve()) and started["present"] is True
    assert started["room"] == RoomOptions("0.0.0.0", 9123, "http://10.0.0.5:9123", True)


def test_room_reports_a_broken_story_before_starting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["room", "no-such-story-anywhere"]) == 1
    assert "no story file 'no-such-story-anywhere'" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["0", "99999"])
def test_a_bad_room_port_is_a_usage_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["room", "--port", port])
    assert exit_info.value.code == 2


def test_serve_room_runs_roleplay_room_in_each_tab() -> None:
    args = build_parser().parse_args(["serve", "--room", "--host", "0.0.0.0", "--room-port", "8100", "--hide-tally"])
    room = room_arguments(args)
    assert room == ["--host", "0.0.0.0", "--port", "8100", "--hide-tally"]
    command = served_command("/tmp/a story.yaml", room=room)
    assert command == [sys.executable, "-m", "roleplay", "room", "/tmp/a story.yaml", *room]
    assert shlex.split(shlex.join(command)) == command
    assert room_arguments(build_parser().parse_args(["serve"])) is None


def test_serve_room_needs_two_ports(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--room", "--port", "8100", "--room-port", "8100"]) == 2
    assert "--room-port must differ from --port" in capsys.readouterr().err


async def test_the_served_projector_counts_a_phones_vote(tmp_path) -> None:
    """`roleplay serve STORY --room`: a browser tab opens the projector, a phone joins with the code on it and votes."""
    room_port = free_port()
    with serving(tmp_path, str(STORY), "--room", "--room-port", str(room_port)) as (url, process):
        wait_for_page(url + "/", process)
        async with aiohttp.ClientSession() as client:
            async with client.ws_connect(url.replace("http", "ws") + "/ws?width=120&height=35") as projector:
                async with asyncio.timeout(STARTUP_SECONDS * 2):
                    seen: list[str] = []
                    await read_screen_until(projector, "Join the room from your phone", seen)
                    await read_screen_until(projector, f"127.0.0.1:{room_port}/", seen)
                    code = re.search(r"\b([B-Z](?: [B-Z]){4})\b", "".join(seen)).group(1).replace(" ", "")
                    async with client.get(f"http://127.0.0.1:{room_port}/") as page:
                        assert "Roleplay room" in await page.text()
                    phone = await client.ws_connect(f"http://127.0.0.1:{room_port}/ws?code={code}")
                    assert (await phone.receive_json())["type"] == "joined"
                    assert (await phone.receive_json())["type"] == "page"
                    # The turn opens on the phones once the projector shows it: behind the join screen
                    # the phones wait, and going back to the vote opens it.
                    assert (await phone.receive_json())["phase"] == "waiting"
                    await projector.send_json(["stdin", "\x1b"])  # back from the join screen to the vote
                    state = await phone.receive_json()
                    assert state["phase"] == "voting" and state["turn"] == 1
                    await phone.send_json({"type": "vote", "turn": 1, "choice": 2})
                    await read_screen_until(projector, "1 of 1 joined has voted", [])
                    await phone.close()
