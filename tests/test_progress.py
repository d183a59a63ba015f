"""The record of finished plays in the user data folder."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from roleplay.engine import Session
from roleplay.loader import load_story
from roleplay.progress import DATA_DIR_VARIABLE, HISTORY_FILE, best_outcomes, load_history, record_play
from roleplay.rulebook import default_rulebook

STORY = load_story(Path(__file__).parent / "fixtures" / "now-vs-later.yaml")
RANKS = {o.id: default_rulebook().outcome_rank(o.id) for o in default_rulebook().outcomes}


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    return tmp_path / "data"


def finished(picks: str) -> Session:
    session = Session(STORY)
    for number in picks.split(","):
        session.choose(int(number))
    return session


def test_a_finished_play_is_appended_and_read_back(data_dir: Path) -> None:
    when = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)
    record = record_play(finished("3,2,2,1"), coached=True, when=when)
    assert record is not None and record.outcome == "recommends"
    assert (data_dir / HISTORY_FILE).is_file()
    [loaded] = load_history()
    assert loaded == record
    assert loaded.finished_at == "2026-11-23T09:30:00+00:00" and loaded.picks == (3, 2, 2, 1)


def test_unfinished_plays_are_not_recorded() -> None:
    session = Session(STORY)
    session.choose(1)
    assert record_play(session, coached=False) is None
    assert load_history() == []


def test_the_best_outcome_per_story(data_dir: Path) -> None:
    record_play(finished("1,3,1,1"), coached=True)
    record_play(finished("3,2,2,1"), coached=False)
    record_play(finished("2,2,2,2"), coached=True)
    best = best_outcomes(RANKS)
    assert best["now-vs-later.yaml"].outcome == "recommends"


def test_damaged_lines_are_skipped(data_dir: Path) -> None:
    record_play(finished("3,2,2,1"), coached=True)
    with open(data_dir / HISTORY_FILE, "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    assert len(load_history()) == 1


def test_an_unwritable_folder_is_not_an_error(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(blocker / "inside"))
    assert record_play(finished("3,2,2,1"), coached=True) is None
