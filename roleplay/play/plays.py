"""Finished plays as the learner's record keeps them, and reading them back.

A :class:`PlayRecord` is one finished play; :class:`Unfinished` is the
conversation left in the middle. They are read from the record's database rows
(:func:`play_from_row`) and from the JSON lines earlier versions kept
(:func:`parse_history_line`), checking every value: a damaged row or line is
None, never an exception. Storage itself is :mod:`roleplay.play.record`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Row = tuple[Any, ...]
"""A row as sqlite3 gives it back: its values are checked before they are used."""


@dataclass(frozen=True)
class PlayRecord:
    """One finished play of one story."""

    story: str
    """The story file's name without its folder, e.g. hotel-cat.yaml."""
    title: str
    outcome: str
    mood: int
    loyalty: int
    walked_out: bool
    picks: tuple[int, ...]
    coached: bool
    finished_at: str
    """When the play ended, ISO 8601 in UTC."""
    id: str = ""
    """A UUID, the same every time the play is exported (an xAPI statement id)."""
    tactics: tuple[tuple[str, ...], ...] = ()
    """The tactics of each reply in order; empty when unknown (a play imported from an old record)."""

    @property
    def story_id(self) -> str:
        return Path(self.story).stem


@dataclass(frozen=True)
class Unfinished:
    """A conversation the learner quit in the middle of, to continue next time."""

    story_path: str
    title: str
    exam: bool
    saved_at: str
    session: dict[str, Any]
    """What :meth:`roleplay.play.engine.Session.to_json` gave."""


def play_from_row(row: Row, turns: list[tuple[int, str]]) -> PlayRecord | None:
    _rowid, play_id, story, title, outcome, mood, loyalty, walked_out, coached, picks, finished_at = row
    if not all(isinstance(v, str) for v in (play_id, story, title, outcome, picks, finished_at)):
        return None
    if not all(isinstance(v, int) for v in (mood, loyalty, walked_out, coached)):
        return None
    try:
        pick_numbers = tuple(int(p) for p in picks.split())
    except ValueError:
        return None
    tactics = tuple(tuple(t.split()) if isinstance(t, str) else () for _, t in sorted(turns))
    return PlayRecord(
        story=story,
        title=title,
        outcome=outcome,
        mood=mood,
        loyalty=loyalty,
        walked_out=bool(walked_out),
        picks=pick_numbers,
        coached=bool(coached),
        finished_at=finished_at,
        id=play_id,
        tactics=tactics if len(tactics) == len(pick_numbers) else (),
    )


_HISTORY_FIELDS: Mapping[str, type | tuple[type, ...]] = {
    "story": str,
    "title": str,
    "outcome": str,
    "mood": int,
    "loyalty": int,
    "walked_out": bool,
    "picks": list,
    "coached": bool,
    "finished_at": str,
}


def parse_history_line(line: bytes) -> PlayRecord | None:
    """One line of the old JSON-lines record, or None when it is damaged in any way."""
    try:
        data = json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    for name, kind in _HISTORY_FIELDS.items():
        value = data.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return None
    if not all(isinstance(p, int) and not isinstance(p, bool) and 0 < p < 100 for p in data["picks"]):
        return None
    try:
        finished = datetime.fromisoformat(data["finished_at"])
    except ValueError:
        return None
    if finished.tzinfo is None:
        finished = finished.replace(tzinfo=UTC)
    return PlayRecord(
        story=Path(data["story"]).name,
        title=data["title"],
        outcome=data["outcome"],
        mood=data["mood"],
        loyalty=data["loyalty"],
        walked_out=data["walked_out"],
        picks=tuple(data["picks"]),
        coached=data["coached"],
        finished_at=finished.astimezone(UTC).isoformat(timespec="seconds"),
        id=str(uuid.uuid4()),
    )


def with_turns_replayed(record: PlayRecord) -> PlayRecord:
    """An imported play with the tactics of each reply, when its bundled story still plays out the same."""
    from dataclasses import replace

    from roleplay.play.engine import replay
    from roleplay.play.library import resolve_story_path
    from roleplay.play.validation import validate_file

    path = resolve_story_path(record.story_id)
    if path is None or path.name != record.story:
        return record
    story = validate_file(path).story
    if story is None:
        return record
    again = replay(story, record.picks)
    session = again.session
    if again.error is not None:
        return record
    if session.outcome is None or session.outcome.id != record.outcome:
        return record
    return replace(record, tactics=tuple(tuple(turn.tactics) for turn in session.turns))
