"""How fast the app starts and how fast a reply updates the screen as the transcript grows.

Run it from the repository root::

    .venv/bin/python benchmarks/startup_and_turns.py
    .venv/bin/python benchmarks/startup_and_turns.py --runs 9 --turns 10 100 200 500

Both measurements are compared with a minimal Textual app (one Static) timed
the same way in the same run, so the figures are ratios that mean the same on
a fast or a slow machine:

* start-up: from launching a fresh Python process to the first frame of the
  story picker (headless, with ``App.run_test``), against the same for the
  minimal app; the median of ``--runs`` launches each. The picker lists the
  stories a moment later (they load in a thread after the first frame); that
  time is printed too.
* a reply: from pressing a number key to the last frame drawn in answer
  (transcript, meter, coach and replies redrawn, and rendered to what a
  terminal would receive), after 10, 100 and 200 turns of transcript,
  against a key press that updates the minimal app's Static. Animations are
  off for both, so the last frame is the updated screen.
  The story is a loop that never ends, written to a temporary folder. The
  time should stay flat as the transcript grows.

Aims: start-up within 1.3 times the minimal app; a reply's update flat.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

from frame_timing import MinimalApp, record_frames  # noqa: E402  (the folder is put on the path just above)

STARTUP_CHILD = """
import asyncio, sys
sys.path.insert(0, {benchmarks!r})
from frame_timing import MinimalApp, record_frames
kind = sys.argv[1]
async def main():
    if kind == "minimal":
        app = MinimalApp()
    else:
        from roleplay.tui.app import create_app
        app = create_app()
    frames = record_frames(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print("frame", frames[0], flush=True)
        if kind != "minimal":
            await app.workers.wait_for_complete()
            await pilot.pause()
        print("listed", frames[-1], flush=True)
asyncio.run(main())
"""

LOOP_STORY = """
title: The endless call
summary: A caller who keeps coming back with one more question, for timing the interface.
customer:
  name: Kim
  about: Calls about everything, one question at a time.
  mood: 50
start: question
nodes:
  question:
    say: "One more thing: the delivery note says Tuesday, but the tracking page says Thursday. Which is it?"
    choices:
      - reply: "Let me look that up for you and tell you exactly when it arrives."
        tactics: [find_out, listen]
        next: question
      - reply: "I understand the mix-up is confusing; it is Thursday, and I'll note it on your order."
        tactics: [empathize, explain_cause]
        next: question
      - reply: "It's on the website."
        tactics: [refer_to_website]
        next: question
"""


def launch(kind: str) -> tuple[float, float]:
    """Seconds from starting a fresh process to its first frame, and to the stories being listed."""
    code = STARTUP_CHILD.format(benchmarks=str(BENCHMARKS))
    started = time.perf_counter()
    child = subprocess.run([sys.executable, "-c", code, kind], capture_output=True, text=True, cwd=ROOT, check=True)
    marks = dict(line.split() for line in child.stdout.splitlines() if line.split()[:1] in (["frame"], ["listed"]))
    return float(marks["frame"]) - started, float(marks["listed"]) - started


def measure_startup(runs: int) -> dict[str, list[float]]:
    launch("minimal")  # warm the file cache so neither side pays for it
    launch("roleplay")
    times: dict[str, list[float]] = {"minimal": [], "roleplay": [], "roleplay listed": []}
    for _ in range(runs):
        # Alternate, so drift in the machine's load affects both alike.
        times["minimal"].append(launch("minimal")[0])
        frame, listed = launch("roleplay")
        times["roleplay"].append(frame)
        times["roleplay listed"].append(listed)
    return times


async def time_presses(pilot, frames: list[float], count: int) -> float:
    """Median seconds from pressing '1' to the last frame drawn in answer (animations are off)."""
    samples = []
    for _ in range(count):
        await pilot.pause()
        frames.clear()
        started = time.perf_counter()
        await pilot.press("1")
        await pilot.pause()
        assert frames, "the key press drew nothing"
        samples.append(frames[-1] - started)
    return statistics.median(samples)


async def measure_minimal_press(samples: int) -> float:
    app = MinimalApp()
    app.animation_level = "none"
    frames = record_frames(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await time_presses(pilot, frames, 5)
        return await time_presses(pilot, frames, samples)


async def measure_turns(story: Path, marks: list[int], samples: int) -> dict[int, float]:
    from roleplay.tui.app import create_app
    from roleplay.tui.screens.conversation import ConversationScreen

    app = create_app(str(story))
    app.animation_level = "none"  # so the last frame is the updated screen, not the meter sliding
    frames = record_frames(app)
    results: dict[int, float] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen), f"the story did not open: {screen}"
        for mark in sorted(marks):
            while len(screen.session.history) < mark:
                await pilot.press("1")
            await pilot.pause()
            results[mark] = await time_presses(pilot, frames, samples)
            transcript_lines = len(screen.transcript._lines)
            print(f"    after {mark:>4} turns: transcript {transcript_lines} lines", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="launches of each app for the start-up median (default 7)")
    parser.add_argument("--turns", type=int, nargs="+", default=[10, 100, 200], help="transcript lengths to time a reply at")
    parser.add_argument("--samples", type=int, default=15, help="key presses timed at each length (default 15)")
    args = parser.parse_args()

    print("Start-up, launch to first frame (median of %d):" % args.runs)
    startup = measure_startup(args.runs)
    minimal = statistics.median(startup["minimal"])
    ours = statistics.median(startup["roleplay"])
    listed = statistics.median(startup["roleplay listed"])
    print(f"  minimal Textual app   {minimal * 1000:7.1f} ms")
    print(f"  roleplay picker       {ours * 1000:7.1f} ms   {ours / minimal:.2f}x the minimal app (aim: 1.30x or less)")
    print(
        f"  stories listed        {listed * 1000:7.1f} ms   {listed / minimal:.2f}x (the stories are in the first frame; aim 1.20x)"
    )

    with tempfile.TemporaryDirectory() as folder:
        story = Path(folder) / "endless-call.yaml"
        story.write_text(textwrap.dedent(LOOP_STORY).lstrip(), encoding="utf-8")
        print()
        print(f"A reply, key press to updated screen (median of {args.samples} presses):")
        base = asyncio.run(measure_minimal_press(args.samples))
        turns = asyncio.run(measure_turns(story, args.turns, args.samples))
    print(f"  minimal app, key press updating a Static   {base * 1000:6.2f} ms")
    first = turns[min(turns)]
    for mark, seconds in sorted(turns.items()):
        print(
            f"  roleplay after {mark:>4} turns               {seconds * 1000:6.2f} ms   "
            f"{seconds / base:5.2f}x the minimal app   {seconds / first:4.2f}x the time after {min(turns)} turns"
        )


if __name__ == "__main__":
    main()
