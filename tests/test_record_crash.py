"""A roleplay killed with SIGKILL while writing its record never loses a committed play or leaves a file it cannot open."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roleplay.play.record import DATABASE_FILE, Record

WRITER = """
import sys
from pathlib import Path
from roleplay.play.engine import Session
from roleplay.story.loader import load_story
from roleplay.play.record import Record

story = load_story(Path(sys.argv[2]))
record = Record(Path(sys.argv[1]))
print("ready", flush=True)
while True:
    session = Session(story)
    for pick in (3, 2, 2, 1):
        session.choose(pick)
    play = record.add_play(session, coached=True)
    if play is None:
        print("failed", record.take_notices(), flush=True)
        sys.exit(1)
    print(play.id, flush=True)
"""

ROUNDS = 12


@pytest.mark.slow
@pytest.mark.exhaustive
def test_kill_9_during_writes_never_loses_a_committed_play(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    story = Path(__file__).parent / "fixtures" / "now-vs-later.yaml"
    chance = random.Random(20261127)
    committed: list[str] = []
    for _ in range(ROUNDS):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), str(story)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n", writer.stderr.read() if writer.stderr else ""
        time.sleep(chance.uniform(0.0, 0.25))
        os.kill(writer.pid, signal.SIGKILL)
        out, err = writer.communicate()
        assert writer.returncode == -signal.SIGKILL, err
        lines = out.splitlines()
        assert not any(line.startswith("failed") for line in lines), out
        committed.extend(lines)

        record = Record(folder)
        kept = {play.id for play in record.plays()}
        assert record.take_notices() == []  # opens cleanly: never moved aside as damaged
        missing = [play for play in committed if play not in kept]
        assert missing == [], f"{len(missing)} committed plays lost"
        check = sqlite3.connect(folder / DATABASE_FILE)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check.close()
    assert len(committed) > ROUNDS  # the kills came while plays were being written
    assert not list(folder.glob("*.damaged-*"))
