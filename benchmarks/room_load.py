"""A room of simulated phones under load: the time from a phone's vote to the tally drawn on the projector.

Run it from the repository root::

    .venv/bin/python benchmarks/room_load.py
    .venv/bin/python benchmarks/room_load.py --participants 60 --spread 2 --story hotel-cat

The projector is the real app (``roleplay room``, headless through
``App.run_test`` at 120x35, every frame rendered as a terminal would receive
it) with its room server on 127.0.0.1. The phones are ``--participants``
websocket clients in a second process. On every turn of the story each phone
votes once at a random moment within ``--spread`` seconds of the vote
opening, and one in ten changes its mind a moment later; when every phone's
vote is in, the projector locks in (Enter; ``c 1`` on a tie), reveals (r) and
goes on (Enter), until the story ends.

* **Vote to projector**: from the moment a phone sends a vote to the first
  frame the projector draws after its tally took that vote in (clocks are the
  system's monotonic clock, shared by both processes).
* **Baselines**, measured in the same run: (1) the same phones, timed the
  same way, against a bare aiohttp websocket server that answers each vote at
  once: a loopback round trip under the same load, with no room and no app;
  (2) a vote keyed in by the trainer on the same projector, from the key press
  to the next frame, before the phones join. The ratios say what the network
  path and sixty phones add to what the projector already does.
* The votes sent in a turn's first half second after it opens on the phones
  are also reported apart from the later ones: the projector opens a turn on
  the phones once it has drawn it, and these votes would show any cost of the
  new turn left over.
* **Turn change**: from the trainer's Enter (next turn) to the vote opening on
  the phones, that is, until the projector has drawn the new turn.
* **Counts**: every locked turn's phone counts are checked against the votes
  the phones last sent; a lost or doubled vote fails the run (exit 1).

Bounded: at most ``--participants`` phones (default 60), one story, and
``--timeout`` seconds (default 180) for the whole run. Aim: under 300 ms at the
95th percentile with 60 phones on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCHMARKS))

CHANGE_SHARE = 0.1
"""One phone in ten changes its vote."""
EARLY = 0.5
"""Seconds after a turn opens while the projector is still drawing the new turn (reported apart)."""
KEYED_VOTES = 20
"""Votes keyed in by the trainer before the phones join, for the second baseline."""


# the phones (a separate process) ---------------------------------------------------
async def phone(session, url: str, index: int, spread: float, seed: int, sends: list, done: asyncio.Event) -> None:
    """One participant: votes on every turn it sees open, and notes when it sent each vote and saw it confirmed."""
    import aiohttp

    rng = random.Random(seed * 1000 + index)
    async with session.ws_connect(url) as ws:
        token = None
        voted_turns: set[int] = set()
        pending: dict[tuple[int, int], dict] = {}
        tasks = []

        async def vote(turn: int, options: int) -> None:
            await asyncio.sleep(rng.uniform(0, spread))
            choice = 1 if rng.random() < 0.5 else rng.randint(1, options)
            changes = [choice]
            if rng.random() < CHANGE_SHARE:
                changes.append(choice % options + 1)
            for number in changes:
                record = {"phone": index, "token": token, "turn": turn, "choice": number, "sent": time.monotonic()}
                pending[(turn, number)] = record
                sends.append(record)
                await ws.send_json({"type": "vote", "turn": turn, "choice": number})
                await asyncio.sleep(0.05)

        async for message in ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            if data["type"] == "joined":
                token = data["token"]
            elif data["type"] == "state":
                turn = data.get("turn")
                if data["vote"] is not None and (turn, data["vote"]) in pending:
                    pending.pop((turn, data["vote"]))["confirmed"] = time.monotonic()
                if data["phase"] == "voting" and turn not in voted_turns:
                    voted_turns.add(turn)
                    tasks.append(asyncio.get_running_loop().create_task(vote(turn, len(data["replies"]))))
                if data["phase"] == "finished":
                    break
            if done.is_set():
                break
        for task in tasks:
            task.cancel()


async def phones_main(url: str, participants: int, spread: float, seed: int, seconds: float) -> None:
    import aiohttp

    sends: list[dict] = []
    done = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = [asyncio.create_task(phone(session, url, i, spread, seed, sends, done)) for i in range(participants)]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds)
        except TimeoutError:
            done.set()
    print(json.dumps(sends))


def start_phones(url: str, participants: int, spread: float, seed: int, seconds: float) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--phones",
            url,
            "--participants",
            str(participants),
            "--spread",
            str(spread),
            "--seed",
            str(seed),
            "--timeout",
            str(seconds),
        ],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )


def phone_sends(process: subprocess.Popen, timeout: float) -> list[dict]:
    output, _ = process.communicate(timeout=timeout)
    return json.loads(output or b"[]")


# the baseline: a bare websocket server that answers each vote ------------------------
async def baseline(args) -> list[float]:
    """Loopback round trips for the same phones against a server that only acknowledges."""
    from aiohttp import web

    turns = 3
    state = {"turn": 1, "votes": {}}
    sockets = set()

    async def handler(request):
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        sockets.add(ws)
        mine = f"t{len(sockets)}"
        await ws.send_json({"type": "joined", "token": mine})
        await ws.send_json({"type": "state", "phase": "voting", "turn": state["turn"], "replies": ["a", "b", "c"], "vote": None})
        async for message in ws:
            vote = json.loads(message.data)
            state["votes"][mine] = vote["choice"]
            await ws.send_json(
                {"type": "state", "phase": "voting", "turn": vote["turn"], "replies": ["a", "b", "c"], "vote": vote["choice"]}
            )
        sockets.discard(ws)
        return ws

    application = web.Application()
    application.router.add_get("/ws", handler)
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    process = start_phones(f"http://127.0.0.1:{port}/ws", args.participants, args.spread, args.seed, args.spread * turns + 10)
    deadline = time.monotonic() + args.timeout
    for turn in range(1, turns + 1):
        await asyncio.sleep(args.spread + 1)
        state["turn"] = turn + 1
        phase = "finished" if turn == turns else "voting"
        for ws in list(sockets):
            await ws.send_json({"type": "state", "phase": phase, "turn": turn + 1, "replies": ["a", "b", "c"], "vote": None})
        if time.monotonic() > deadline:
            break
    sends = await asyncio.to_thread(phone_sends, process, 60)
    await runner.cleanup()
    return [(s["confirmed"] - s["sent"]) * 1000 for s in sends if "confirmed" in s]


# the room: the projector app, its server, the phones ----------------------------------
async def room(args) -> dict:
    from roleplay.room.settings import RoomOptions
    from roleplay.tui.app import create_app
    from roleplay.tui.screens.presenter import PresenterScreen
    from roleplay.tui.widgets.vote_tally import VoteTally

    app = create_app(args.story, room=RoomOptions(port=0))
    app.animation_level = "none"
    frames: list[float] = []
    display = app._display

    def recording(screen, renderable):
        if renderable is not None:
            renderable.render_segments(app.console)
            frames.append(time.monotonic())
        display(screen, renderable)

    app._display = recording
    shown: list[tuple[float, int]] = []
    """(when the projector's tally took in the room's state, the room's version then)"""
    events: dict[tuple[str, int, int], int] = {}
    """(token, turn, choice) -> the room's version when that vote was counted"""
    locked: list[tuple[int, tuple[int, ...]]] = []

    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PresenterScreen), type(screen)
        audience, server = app.audience, app.room_server
        tally = screen.query_one(VoteTally)
        show_votes = tally.show_votes

        def noting(counts):
            show_votes(counts)
            shown.append((time.monotonic(), audience.version))

        tally.show_votes = noting

        last_vote = [0.0]
        opened: dict[int, float] = {}
        nexts: dict[int, float] = {}
        """turn -> when the trainer pressed Enter for it"""

        def listen(event):
            if event.kind == "phase" and audience.phase == "voting" and audience.ballot is not None:
                opened.setdefault(audience.ballot.turn, time.monotonic())
            if event.kind == "voted" and audience.ballot is not None:
                events[(event.token, audience.ballot.turn, audience.votes[event.token])] = event.version
                last_vote[0] = time.monotonic()

        audience.subscribe(listen)
        keyed = []
        for _ in range(KEYED_VOTES):
            pressed = time.monotonic()
            await pilot.press("1")
            while not shown or shown[-1][0] < pressed or frames[-1] < shown[-1][0]:
                await asyncio.sleep(0.001)
            drawn = next(frame for frame in frames if frame >= shown[-1][0])
            keyed.append((drawn - pressed) * 1000)
            await pilot.pause(0.05)
        await pilot.press("x")
        await pilot.pause()
        process = start_phones(
            server.join_url.replace("/?code=", "/ws?code="), args.participants, args.spread, args.seed, args.timeout
        )
        deadline = time.monotonic() + args.timeout
        while not screen.session.finished and time.monotonic() < deadline:
            turn = audience.ballot.turn if audience.ballot else 0
            # every phone has voted, and the last change of mind has had time to arrive
            while time.monotonic() < deadline and (audience.voted < args.participants or time.monotonic() - last_vote[0] < 0.3):
                await pilot.pause(0.05)
            await pilot.press("enter")
            if screen.phase == "voting":
                await pilot.press("c", "1")
            locked.append((turn, tuple(screen.room.records[-1].remote)))
            await pilot.press("r")
            await pilot.pause()
            nexts[turn + 1] = time.monotonic()
            await pilot.press("enter")
            await pilot.pause()
        finished = screen.session.finished
        await pilot.pause(0.3)
    sends = await asyncio.to_thread(phone_sends, process, 60)
    return {
        "frames": frames,
        "shown": shown,
        "events": events,
        "sends": sends,
        "locked": locked,
        "finished": finished,
        "keyed": keyed,
        "opened": opened,
        "turn_changes": [(opened[turn] - pressed) * 1000 for turn, pressed in nexts.items() if turn in opened],
    }


def latencies(result: dict) -> tuple[list[float], list[str]]:
    """Vote-to-frame times in ms, and any vote that never reached the projector.

    Each send gets ``"latency"`` (ms) and ``"after_open"`` (seconds since its turn opened) added.
    """
    import bisect

    frames, shown, events = result["frames"], result["shown"], result["events"]
    shown_times = [t for t, _ in shown]
    shown_versions = [v for _, v in shown]
    times, problems = [], []
    for send in result["sends"]:
        version = events.get((send["token"], send["turn"], send["choice"]))
        if version is None:
            problems.append(f"phone {send['phone']}'s vote for {send['choice']} at turn {send['turn']} was never counted")
            continue
        # the first time the tally took in a state at least this new, then the first frame after it
        index = next((i for i, v in enumerate(shown_versions) if v >= version), None)
        if index is None:
            problems.append(f"phone {send['phone']}'s vote at turn {send['turn']} never reached the tally")
            continue
        frame = bisect.bisect_left(frames, shown_times[index])
        if frame == len(frames):
            problems.append(f"no frame after phone {send['phone']}'s vote at turn {send['turn']}")
            continue
        times.append((frames[frame] - send["sent"]) * 1000)
        send["latency"] = times[-1]
        send["after_open"] = send["sent"] - result["opened"].get(send["turn"], send["sent"])
    return times, problems


def check_counts(result: dict) -> list[str]:
    """Each locked turn's phone counts against the last vote each phone sent on that turn."""
    final: dict[int, dict[int, int]] = {}
    for send in sorted(result["sends"], key=lambda s: s["sent"]):
        final.setdefault(send["turn"], {})[send["phone"]] = send["choice"]
    problems = []
    for turn, counts in result["locked"]:
        expected = [0] * len(counts)
        for choice in final.get(turn, {}).values():
            expected[choice - 1] += 1
        if list(counts) != expected:
            problems.append(f"turn {turn}: the projector counted {list(counts)}, the phones sent {expected}")
    return problems


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def main(args) -> int:
    started = time.monotonic()
    floor = await baseline(args)
    result = await room(args)
    times, problems = latencies(result)
    problems += check_counts(result)
    if not result["finished"]:
        problems.append("the story did not finish within the time limit")
    phone_round_trip = [(s["confirmed"] - s["sent"]) * 1000 for s in result["sends"] if "confirmed" in s]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"room load: {args.participants} phones, {len(result['locked'])} turns of {args.story}, "
        f"{len(result['sends'])} votes sent (changes included), {time.monotonic() - started:.0f} s in all, "
        f"machine load average {load:.1f} on {os.cpu_count()} cores"
    )
    if times and floor:
        median, p95 = statistics.median(times), percentile(times, 0.95)
        base_median, base_p95 = statistics.median(floor), percentile(floor, 0.95)
        print(f"  vote to projector frame:     median {median:6.1f} ms   p95 {p95:6.1f} ms   max {max(times):6.1f} ms")
        print(
            f"  phone's own confirmation:    median {statistics.median(phone_round_trip):6.1f} ms   p95 {percentile(phone_round_trip, 0.95):6.1f} ms"
        )
        keyed = result["keyed"]
        key_median, key_p95 = statistics.median(keyed), percentile(keyed, 0.95)
        print(
            f"  baseline, bare websocket:    median {base_median:6.1f} ms   p95 {base_p95:6.1f} ms   (room/bare: {median / base_median:.0f}x, {p95 / base_p95:.0f}x)"
        )
        print(
            f"  baseline, keyed-in vote:     median {key_median:6.1f} ms   p95 {key_p95:6.1f} ms   (room/keyed: {median / key_median:.1f}x, {p95 / key_p95:.1f}x)"
        )
        early = [s["latency"] for s in result["sends"] if "latency" in s and s["after_open"] < EARLY]
        later = [s["latency"] for s in result["sends"] if "latency" in s and s["after_open"] >= EARLY]
        for label, group in ((f"  in a turn's first {EARLY} s:", early), ("  later in the turn:", later)):
            if group:
                print(
                    f"{label:29}median {statistics.median(group):6.1f} ms   p95 {percentile(group, 0.95):6.1f} ms   ({len(group)} votes)"
                )
        changes = result["turn_changes"]
        if changes:
            print(
                f"  turn change (Enter to the vote open on the phones): median {statistics.median(changes):6.1f} ms   max {max(changes):6.1f} ms"
            )
        print(f"  aim: p95 under 300 ms: {'met' if p95 < 300 else 'NOT met'}")
    for turn, counts in result["locked"]:
        print(f"  turn {turn}: phones counted {list(counts)} ({sum(counts)} votes)")
    if problems:
        print("PROBLEMS:")
        for problem in problems:
            print("  " + problem)
        return 1
    print("  every vote counted once: no vote lost, none counted twice")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=60, choices=range(1, 201), metavar="N")
    parser.add_argument("--spread", type=float, default=2.0, help="seconds over which the phones vote after a turn opens")
    parser.add_argument("--story", default="branch-not-answering")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--phones", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phones:
        asyncio.run(phones_main(args.phones, args.participants, args.spread, args.seed, args.timeout))
    else:
        sys.exit(asyncio.run(main(args)))
