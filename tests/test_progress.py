"""The learner's record in SQLite: plays kept whole, migrations, the old JSON-lines import, damage and unwritable folders."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from roleplay.play.engine import Session
from roleplay.play.library import resolve_story_path
from roleplay.play.record import (
    DATA_DIR_VARIABLE,
    DATABASE_FILE,
    HISTORY_FILE,
    MIGRATIONS,
    SCHEMA_VERSION,
    TITLE_DAMAGED,
    TITLE_IMPORTED,
    TITLE_UNAVAILABLE,
    Record,
    best_outcomes,
    load_history,
    record_play,
)
from roleplay.rules.rulebook import default_rulebook
from roleplay.story.loader import load_story
from tests.conftest import played

STORY = load_story(Path(__file__).parent / "fixtures" / "now-vs-later.yaml")
RANKS = {o.id: default_rulebook().outcome_rank(o.id) for o in default_rulebook().outcomes}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    return tmp_path / "data"


def finished(picks: str, story=STORY) -> Session:
    return played(story, *(int(number) for number in picks.split(",")))


def kettle_play() -> tuple[Session, str]:
    """A finished play of the bundled cracked-kettle story (always the first reply), and its picks."""
    session = Session(load_story(resolve_story_path("cracked-kettle")))
    while not session.finished:
        session.choose(1)
    return session, ",".join(map(str, session.picks))


# writing and reading --------------------------------------------------------------------


def test_a_finished_play_is_kept_with_its_replies_and_read_back(data_dir: Path) -> None:
    when = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    session = finished("3,2,2,1")
    record = record_play(session, coached=True, when=when)
    assert record is not None and record.outcome == "recommends"
    assert UUID.match(record.id)
    assert record.tactics == tuple(turn.tactics for turn in session.turns)
    [loaded] = load_history()
    assert loaded == record
    assert loaded.finished_at == "2026-11-23T09:30:00+00:00" and loaded.picks == (3, 2, 2, 1)
    db = sqlite3.connect(data_dir / DATABASE_FILE)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    changes = [row[0] for row in db.execute("SELECT mood_change FROM turns ORDER BY position")]
    assert changes == [turn.mood_change for turn in session.turns]


def test_unfinished_plays_are_not_recorded() -> None:
    session = Session(STORY)
    session.choose(1)
    assert record_play(session, coached=False) is None
    assert load_history() == []


def test_the_best_outcome_per_story() -> None:
    record_play(finished("1,3,1,1"), coached=True)
    record_play(finished("3,2,2,1"), coached=False)
    record_play(finished("2,2,2,2"), coached=True)
    assert best_outcomes(RANKS)["now-vs-later.yaml"].outcome == "recommends"


def test_a_play_is_one_transaction_all_or_nothing(data_dir: Path, monkeypatch) -> None:
    record = Record(data_dir)
    assert record.add_play(finished("3,2,2,1"), coached=True) is not None
    original = Record._insert

    def insert_then_fail(db, play, changes=()):
        original(db, play, changes)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Record, "_insert", staticmethod(insert_then_fail))
    assert record.add_play(finished("1,3,1,1"), coached=True) is None
    [notice] = record.take_notices()
    assert notice.title == TITLE_UNAVAILABLE and "disk I/O error" in notice.text
    db = sqlite3.connect(data_dir / DATABASE_FILE)
    assert db.execute("SELECT count(*) FROM plays").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM turns").fetchone()[0] == 4


# migrations -----------------------------------------------------------------------------


def test_a_version_1_record_is_migrated_and_keeps_its_plays(data_dir: Path) -> None:
    data_dir.mkdir()
    db = sqlite3.connect(data_dir / DATABASE_FILE)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute(
        "INSERT INTO plays (uuid, story, title, outcome, mood, loyalty, walked_out, coached, picks, finished_at)"
        " VALUES ('0b6c3f5e-7d1a-4c2b-9e8f-112233445566', 'now-vs-later.yaml', 'Now versus later', 'stays',"
        " 60, 55, 0, 1, '1 2 3', '2026-11-20T08:00:00+00:00')"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    record = Record(data_dir)
    [play] = record.plays()
    assert play.outcome == "stays" and play.picks == (1, 2, 3) and play.tactics == ()
    assert record.take_notices() == []
    assert record.save_unfinished(finished("1"), exam=False)
    assert record.unfinished() is not None
    assert sqlite3.connect(data_dir / DATABASE_FILE).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_record_from_a_newer_version_is_left_alone(data_dir: Path) -> None:
    data_dir.mkdir()
    db = sqlite3.connect(data_dir / DATABASE_FILE)
    db.execute("CREATE TABLE future (x)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.commit()
    db.close()
    before = (data_dir / DATABASE_FILE).read_bytes()
    record = Record(data_dir)
    assert record.add_play(finished("3,2,2,1"), coached=True) is None
    [notice] = record.take_notices()
    assert notice.title == TITLE_UNAVAILABLE and "newer version of roleplay" in notice.text
    assert (data_dir / DATABASE_FILE).read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DATABASE_FILE]


# the one-time import of history.jsonl ----------------------------------------------------

GOOD_LINE = {
    "story": "now-vs-later.yaml",
    "title": "Now versus later",
    "outcome": "recommends",
    "mood": 71,
    "loyalty": 80,
    "walked_out": False,
    "picks": [3, 2, 2, 1],
    "coached": True,
    "finished_at": "2026-11-01T10:00:00+00:00",
}


def line(**changes) -> bytes:
    return json.dumps(GOOD_LINE | changes, ensure_ascii=False).encode("utf-8")


DAMAGED_LINES = {
    "cut inside a UTF-8 character": line(title="Café")[: line(title="Café").index("é".encode()) + 1],
    "stray bytes": b"\xff\xfe\x00garbage\x80",
    "wrong JSON types": line(outcome=["x"]),
    "a mood that is text": line(mood="71"),
    "true as a number": line(loyalty=True),
    "picks that are not numbers": line(picks=["1"]),
    "a time that is not a time": line(finished_at="yesterday"),
    "a missing field": json.dumps({k: v for k, v in GOOD_LINE.items() if k != "outcome"}).encode(),
    "a very deeply nested line": b"[" * 100_000 + b"]" * 100_000,
    "not an object": b"[1, 2, 3]",
    "not JSON": b"{not json",
}


def test_the_old_record_is_imported_once_and_damaged_lines_are_left_out(data_dir: Path) -> None:
    kettle, _picks = kettle_play()
    kettle_line = line(
        story="cracked-kettle.yaml",
        title=kettle.story.title,
        outcome=kettle.outcome.id,
        picks=kettle.picks,
        finished_at="2026-11-02T11:00:00",
    )
    data_dir.mkdir()
    lines = [line(), *DAMAGED_LINES.values(), kettle_line, b""]
    (data_dir / HISTORY_FILE).write_bytes(b"\n".join(lines))
    record = Record(data_dir)
    plays = record.plays()
    assert [p.story for p in plays] == ["now-vs-later.yaml", "cracked-kettle.yaml"]
    # the bundled story still plays out the same, so the import knows each reply's tactics
    assert plays[1].tactics == tuple(turn.tactics for turn in kettle.turns)
    assert plays[1].finished_at == "2026-11-02T11:00:00+00:00"
    # now-vs-later is no bundled story: its replies are kept, their tactics are unknown
    assert plays[0].picks == (3, 2, 2, 1) and plays[0].tactics == ()
    assert all(UUID.match(p.id) for p in plays)
    [notice] = record.take_notices()
    assert notice.title == TITLE_IMPORTED
    assert notice.text == (
        f"2 earlier plays were imported from {HISTORY_FILE} (kept as {HISTORY_FILE}.imported). "
        f"{len(DAMAGED_LINES)} lines of {HISTORY_FILE} could not be read and were left out."
    )
    assert not (data_dir / HISTORY_FILE).exists()
    assert (data_dir / f"{HISTORY_FILE}.imported").read_bytes() == b"\n".join(lines)
    # once: a history.jsonl that turns up later is not imported again
    (data_dir / HISTORY_FILE).write_bytes(line())
    again = Record(data_dir)
    assert len(again.plays()) == 2 and again.take_notices() == []


@pytest.mark.parametrize("kind", DAMAGED_LINES, ids=list(DAMAGED_LINES))
def test_each_kind_of_damaged_line_alone_still_opens_the_record(data_dir: Path, kind: str) -> None:
    data_dir.mkdir()
    (data_dir / HISTORY_FILE).write_bytes(DAMAGED_LINES[kind] + b"\n")
    record = Record(data_dir)
    assert record.plays() == []
    assert record.add_play(finished("3,2,2,1"), coached=True) is not None
    [notice] = record.take_notices()
    assert notice.text.startswith("0 earlier plays were imported") and "1 lines" in notice.text


# a damaged database ---------------------------------------------------------------------


def sound_database(data_dir: Path, plays: int = 30) -> bytes:
    record = Record(data_dir)
    for _ in range(plays):
        record.add_play(finished("3,2,2,1"), coached=True)
    sqlite3.connect(data_dir / DATABASE_FILE).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    return (data_dir / DATABASE_FILE).read_bytes()


def damage_random_bytes(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DATABASE_FILE).write_bytes(bytes(range(256)) * 40)


def damage_text(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DATABASE_FILE).write_text('{"story": "hotel-cat.yaml"}\n', encoding="utf-8")


def damage_truncated(data_dir: Path) -> None:
    content = sound_database(data_dir)
    (data_dir / DATABASE_FILE).write_bytes(content[: len(content) // 2 + 100])


def damage_a_page(data_dir: Path) -> None:
    content = bytearray(sound_database(data_dir))
    page = int.from_bytes(content[16:18], "big")
    content[page * 2 : page * 4] = b"\xa5" * (page * 2)
    (data_dir / DATABASE_FILE).write_bytes(bytes(content))


def damage_missing_tables(data_dir: Path) -> None:
    sound_database(data_dir, plays=1)
    db = sqlite3.connect(data_dir / DATABASE_FILE)
    db.execute("DROP TABLE turns")
    db.commit()
    db.close()


DAMAGE = {
    "random bytes": damage_random_bytes,
    "a text file": damage_text,
    "cut short": damage_truncated,
    "a page overwritten": damage_a_page,
    "a table missing": damage_missing_tables,
}


@pytest.mark.parametrize("kind", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_database_is_moved_aside_and_a_fresh_one_started(data_dir: Path, kind: str) -> None:
    DAMAGE[kind](data_dir)
    damaged = (data_dir / DATABASE_FILE).read_bytes()
    record = Record(data_dir)
    assert record.add_play(finished("3,2,2,1"), coached=True) is not None
    assert len(record.plays()) == 1
    [notice] = record.take_notices()
    assert notice.title == TITLE_DAMAGED and notice.severity == "error"
    [kept] = data_dir.glob(f"{DATABASE_FILE}.damaged-*[0-9]")
    assert kept.read_bytes() == damaged
    assert f"It is kept as {kept.name}; a fresh record starts now." in notice.text
    assert Record(data_dir).take_notices() == []  # the fresh record is sound


# a folder that cannot be written ----------------------------------------------------------


def test_an_unwritable_folder_gives_a_notice_and_nothing_fails(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    record = Record(blocker / "inside")
    assert record.add_play(finished("3,2,2,1"), coached=True) is None
    assert record.plays() == [] and record.unfinished() is None
    assert record.save_unfinished(finished("1"), exam=False) is False
    [notice] = record.take_notices()
    assert notice.title == TITLE_UNAVAILABLE
    assert notice.text.startswith(f"The record folder {blocker / 'inside'} cannot be written (")
    assert notice.text.endswith("You can play on; this play is not recorded.")
    # said again when the next play is not kept
    assert record.add_play(finished("3,2,2,1"), coached=True) is None
    assert record.take_notices() == [notice]
    assert record.plays() == [] and record.take_notices() == []


# the unfinished conversation --------------------------------------------------------------


def test_an_unfinished_conversation_is_kept_until_cleared(data_dir: Path) -> None:
    record = Record(data_dir)
    session = finished("2,2")
    assert record.save_unfinished(session, exam=True, when=datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    saved = record.unfinished()
    assert saved is not None and saved.exam and saved.title == "Now versus later"
    assert saved.saved_at == "2026-11-24T08:00:00+00:00"
    assert Session.from_json(STORY, saved.session).state == session.state
    record.save_unfinished(finished("1"), exam=False)
    assert Record(data_dir).unfinished().session["picks"] == [1]  # one at a time: the latest
    assert record.clear_unfinished()
    assert record.unfinished() is None
