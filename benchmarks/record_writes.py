"""What keeping a play safely costs: the SQLite record against appending a JSON line, measured in the same run.

Run it from the repository root::

    .venv/bin/python benchmarks/record_writes.py            # 200 plays
    .venv/bin/python benchmarks/record_writes.py --plays 500

For the same finished play it times, per play:

- the baseline: appending one JSON line to a file, as the record did before
  (no fsync: a crash could lose or cut it);
- the same append followed by ``os.fsync`` (as durable as a line can be made);
- :meth:`roleplay.play.record.Record.add_play` (one transaction: the play and its
  replies, WAL journal, ``synchronous = FULL``);

and the time to open a record of that many plays (the integrity check the app
runs at start) and to read it back (what the picker and the progress screen
do). Times are printed as ratios to the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from roleplay.play.engine import Session
from roleplay.play.library import resolve_story_path
from roleplay.play.record import Record
from roleplay.story.loader import load_story


def finished_session() -> Session:
    session = Session(load_story(resolve_story_path("cracked-kettle")))
    while not session.finished:
        session.choose(1)
    return session


def per_play(function, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        function()
    return (time.perf_counter() - started) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=200)
    count = parser.parse_args().plays
    session = finished_session()
    line = json.dumps({"story": "cracked-kettle.yaml", "outcome": session.outcome.id, "picks": session.picks}) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)

        def append() -> None:
            with open(root / "history.jsonl", "a", encoding="utf-8") as handle:
                handle.write(line)

        def append_fsync() -> None:
            with open(root / "synced.jsonl", "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())

        record = Record(root / "record")
        record.open()
        rounds = {"append": [], "append+fsync": [], "sqlite": []}
        for _ in range(3):  # interleaved, so a busy machine slows all three alike
            rounds["append"].append(per_play(append, count))
            rounds["append+fsync"].append(per_play(append_fsync, count))
            rounds["sqlite"].append(per_play(lambda: record.add_play(session, coached=True), count))
        baseline = statistics.median(rounds["append"])
        print(f"{count} plays per round, median of 3 rounds; baseline: JSON line appended, {baseline * 1e6:.1f} µs a play")
        for name, times in rounds.items():
            value = statistics.median(times)
            print(f"  {name:<14} {value * 1e3:8.3f} ms a play   {value / baseline:8.1f}× the baseline")
        plays = len(Record(root / "record").plays())
        started = time.perf_counter()
        opened = Record(root / "record")
        opened.open()
        open_time = time.perf_counter() - started
        started = time.perf_counter()
        opened.plays()
        read_time = time.perf_counter() - started
        print(
            f"  open a record of {plays} plays (integrity check): {open_time * 1e3:.1f} ms, {open_time / baseline:.0f}× the baseline"
        )
        print(f"  read all {plays} plays back: {read_time * 1e3:.1f} ms, {read_time / baseline:.0f}× the baseline")


if __name__ == "__main__":
    main()
