"""How fast the app starts and how fast a reply updates the screen as the transcript grows.

Run it from the repository root::

    .venv/bin/python benchmarks/startup_and_turns.py
    .venv/bin/python benchmarks/startup_and_turns.py --runs 9 --turns 10 100 200 500

Both measurements are compared with a minimal Textual app (one Static) timed
the same way in the same run, so the figures are ratios that mean the same on
a fast or a slow machine:

* start-up: from launching a fresh Python process to the first frame of the
  story picker, and to the first frame that lists the stories (headless, with
  ``App.run_test``, 80x24), making the app directly and, as a user starts it,
  through the command line (``roleplay``), against the first frame of the minimal app
  showing a screen of prose (``frame_timing.PAGE``, about as much text as the
  picker's first frame) and, for reference, showing just "0"; the median of
  ``--runs`` launches each, after one launch of each that fills the app's
  start-up cache (see ``roleplay/cache.py``) as the learner's first start
  does. The launches keep their compiled bytecode in a folder of this run's
  own (``PYTHONPYCACHEPREFIX``), written by the first launches, so that no
  side compiles Python source while it is timed: Textual's modules come
  compiled from ``pip install``, and with ``PYTHONDONTWRITEBYTECODE`` set
  roleplay's would otherwise be compiled again at every launch.
* a reply: from pressing a number key (sent through the app's driver, as
  a terminal's key arrives) to the last frame drawn in answer (transcript,
  meter, coach and replies redrawn, and rendered to what a terminal would
  receive), after 10, 100 and 200 turns of transcript, against a key press
  that updates the minimal app's Static. Animations are
  off for both, so the last frame is the updated screen.
  The story is a loop of two turns that never ends (each press changes the
  customer's line, the replies and the coach), written to a temporary
  folder. The time should stay flat as the transcript grows.

Both the time (wall clock) and the processor time are shown: on a shared
machine the wall clock includes waiting for a processor.

Aims: the stories listed in the first frame, within 1.2 times the minimal
app; a reply's update within 30 ms and flat.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from textual import events

ROOT = Path(__file__).resolve().parent.parent

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

from frame_timing import MinimalApp, record_frames  # noqa: E402  (the folder is put on the path just above)

STARTUP_CHILD = """
import asyncio, sys, time
sys.path.insert(0, {benchmarks!r})
from frame_timing import MinimalApp, record_frames
from frame_timing import PAGE
kind = sys.argv[1]
async def main():
    if kind in ("minimal", "page"):
        app = MinimalApp(PAGE if kind == "page" else "0")
        listed = lambda: True
    else:
        if kind == "command":
            # As the command line starts it (bare ``roleplay``), with the app run headless here.
            import roleplay.tui.app as roleplay_app
            made = []
            roleplay_app.run_app = lambda story=None, **options: made.append(roleplay_app.create_app(story, **options)) or 0
            from roleplay.cli import main
            main([])
            app = made[0]
        else:
            from roleplay.tui.app import create_app
            app = create_app()
        from roleplay.tui.screens.picker import PickerScreen, StoryList
        def listed():
            screen = app.screen
            return isinstance(screen, PickerScreen) and screen.query_one(StoryList).option_count > 0
    frames = record_frames(app)
    marks = []
    display = app._display
    def noting(screen, renderable):
        display(screen, renderable)
        if renderable is not None and (not marks or marks[-1][2] is False):
            marks.append((frames[-1], time.process_time(), listed()))
    app._display = noting
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(100):
            if marks and marks[-1][2]:
                break
            await pilot.pause(0.01)
    first = marks[0]
    listing = next((mark for mark in marks if mark[2]), None)
    print("frame", first[0], first[1], flush=True)
    if listing is not None:
        print("listed", listing[0], listing[1], flush=True)
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
        next: followup
      - reply: "I understand the mix-up is confusing; it is Thursday, and I'll note it on your order."
        tactics: [empathize, explain_cause]
        next: followup
      - reply: "It's on the website."
        tactics: [refer_to_website]
        next: followup
  followup:
    say:
      - "And another thing."
      - "The invoice has my old address on it, and I moved in March. Will the parcel go there too?"
    choices:
      - reply: "I'm sorry about that. I'll change the address on your account now, so the parcel and every invoice go to your new home."
        tactics: [apologize, empathize]
        next: question
      - reply: "Addresses are changed in your profile."
        tactics: [refer_to_website]
        next: question
"""
"""Two turns that alternate for ever, with different words and a different number of replies, so every key
press changes the customer's line, the replies and the coach, as in a real story."""


def launch(kind: str) -> tuple[float, float, float, float]:
    """From starting a fresh process: seconds to its first frame and to the first frame listing the stories,
    and the processor seconds the process had used by each (the machine may be shared)."""
    code = STARTUP_CHILD.format(benchmarks=str(BENCHMARKS))
    started = time.perf_counter()
    child = subprocess.run([sys.executable, "-c", code, kind], capture_output=True, text=True, cwd=ROOT, check=True)
    marks = {
        line.split()[0]: line.split()[1:] for line in child.stdout.splitlines() if line.split()[:1] in (["frame"], ["listed"])
    }
    if "listed" not in marks:
        raise SystemExit(f"{kind}: no frame listed the stories within a second of the first")
    frame_at, frame_cpu = (float(value) for value in marks["frame"])
    listed_at, listed_cpu = (float(value) for value in marks["listed"])
    return frame_at - started, listed_at - started, frame_cpu, listed_cpu


STARTUP_KINDS = ("page", "minimal", "roleplay", "command")
"""The minimal app showing a screen of prose (the baseline), showing "0" (for reference), roleplay's app, and
roleplay started through its command line as a user types ``roleplay`` (the same app, after the command
line's own work)."""


def measure_startup(runs: int) -> dict[str, list[float]]:
    for kind in STARTUP_KINDS:
        # Warm the file cache, the bytecode cache and the app's start-up cache, so no side pays for them.
        launch(kind)
    names = ("frame", "listed", "frame cpu", "listed cpu")
    times: dict[str, list[float]] = {f"{kind} {name}": [] for kind in STARTUP_KINDS for name in names}
    for _ in range(runs):
        # Alternate, so drift in the machine's load affects all alike.
        for kind in STARTUP_KINDS:
            for name, value in zip(names, launch(kind), strict=True):
                times[f"{kind} {name}"].append(value)
    return times


def paired(times: dict[str, list[float]], name: str, baseline: str) -> float:
    """The median over the rounds of ``name`` / ``baseline`` launched in the same round: steadier than a
    ratio of medians on a shared machine, where the load changes from one second to the next."""
    return statistics.median(value / base for value, base in zip(times[name], times[baseline], strict=True))


async def time_presses(pilot, frames, count: int) -> tuple[float, float]:
    """Median seconds from pressing '1' to the last frame drawn in answer (animations are off), and the
    median processor seconds used meanwhile.

    The key reaches the app as a terminal's would, through the driver. ``Pilot.press`` is not used for
    the timed press: after the key it sends a message to every widget on the screen and waits for them
    all, work that runs alongside the app's answer and grows with the number of widgets, and that no
    terminal does."""
    app = pilot.app
    samples, processor = [], []
    for _ in range(count):
        await pilot.pause()
        await asyncio.sleep(0.05)
        frames.clear()
        key = events.Key("1", "1")
        key.set_sender(app)
        started, started_cpu = time.perf_counter(), time.process_time()
        app._driver.send_message(key)
        # Anything drawn a moment later in answer (a layout gone round again, a bar) counts too.
        await asyncio.sleep(0.15)
        assert frames, "the key press drew nothing"
        samples.append(frames[-1] - started)
        processor.append(frames.cpu[-1] - started_cpu)
    return statistics.median(samples), statistics.median(processor)


async def measure_minimal_press(samples: int) -> tuple[float, float]:
    app = MinimalApp()
    app.animation_level = "none"
    frames = record_frames(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await time_presses(pilot, frames, 5)
        return await time_presses(pilot, frames, samples)


async def measure_turns(story: Path, marks: list[int], samples: int) -> dict[int, tuple[float, float]]:
    from roleplay.tui.app import create_app
    from roleplay.tui.screens.conversation import ConversationScreen

    app = create_app(str(story))
    app.animation_level = "none"  # so the last frame is the updated screen, not the meter sliding
    frames = record_frames(app)
    results: dict[int, tuple[float, float]] = {}
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
    # The app's record and start-up cache in folders of this run's own, so a learner's unfinished
    # conversation (which opens a question at start) or an old cache cannot change what is timed.
    scratch = tempfile.TemporaryDirectory()
    os.environ["ROLEPLAY_DATA_DIR"] = str(Path(scratch.name) / "data")
    os.environ["ROLEPLAY_CACHE_DIR"] = str(Path(scratch.name) / "cache")
    # Every launch reads compiled bytecode, written by the first launches (see the module's docstring).
    os.environ["PYTHONPYCACHEPREFIX"] = str(Path(scratch.name) / "bytecode")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="launches of each app for the start-up median (default 7)")
    parser.add_argument("--turns", type=int, nargs="+", default=[10, 100, 200], help="transcript lengths to time a reply at")
    parser.add_argument("--samples", type=int, default=15, help="key presses timed at each length (default 15)")
    args = parser.parse_args()

    print("Start-up, launch to first frame (median of %d launches each):" % args.runs)
    startup = measure_startup(args.runs)
    median = {name: statistics.median(values) for name, values in startup.items()}
    minimal, minimal_cpu = median["page frame"], median["page frame cpu"]
    bare, bare_cpu = median["minimal frame"], median["minimal frame cpu"]
    print(f"  minimal Textual app, a page    {minimal * 1000:7.1f} ms   processor {minimal_cpu * 1000:7.1f} ms")
    print(
        f'  (the same showing just "0"    {bare * 1000:7.1f} ms   processor {bare_cpu * 1000:7.1f} ms   '
        f"{bare / minimal:.2f}x the page)"
    )
    for kind, name, label in (
        ("roleplay", "frame", "roleplay, first frame"),
        ("roleplay", "listed", "roleplay, stories listed"),
        ("command", "listed", "as typed (`roleplay`), listed"),
    ):
        wall, cpu = median[f"{kind} {name}"], median[f"{kind} {name} cpu"]
        print(
            f"  {label:<30} {wall * 1000:7.1f} ms   processor {cpu * 1000:7.1f} ms   "
            f"{paired(startup, f'{kind} {name}', 'page frame'):.2f}x the minimal app "
            f"({paired(startup, f'{kind} {name} cpu', 'page frame cpu'):.2f}x its processor time; "
            f'{paired(startup, f"{kind} {name}", "minimal frame"):.2f}x the one showing "0")'
        )
    print("  (aim: the stories listed in the first frame, within 1.20x the minimal app showing a page)")
    print("  (each ratio: the median, over the rounds, of a launch against the other app's launch in the same round)")

    with tempfile.TemporaryDirectory() as folder:
        story = Path(folder) / "endless-call.yaml"
        story.write_text(textwrap.dedent(LOOP_STORY).lstrip(), encoding="utf-8")
        print()
        print(f"A reply, key press to updated screen (median of {args.samples} presses):")
        base = asyncio.run(measure_minimal_press(args.samples))
        turns = asyncio.run(measure_turns(story, args.turns, args.samples))
    base_wall, base_cpu = base
    print(f"  minimal app, key press updating a Static   {base_wall * 1000:6.2f} ms   processor {base_cpu * 1000:6.2f} ms")
    first = turns[min(turns)][0]
    for mark, (wall, cpu) in sorted(turns.items()):
        print(
            f"  roleplay after {mark:>4} turns               {wall * 1000:6.2f} ms   processor {cpu * 1000:6.2f} ms   "
            f"{wall / base_wall:5.2f}x the minimal app   {wall / first:4.2f}x the time after {min(turns)} turns"
        )
    print("  (aim: 30 ms or less, flat)")


if __name__ == "__main__":
    main()
