"""The learner's record of finished plays, kept in the platform's user data folder.

Each finished conversation appends one JSON line: which story, the outcome,
final mood and loyalty, the replies given and whether coaching was on. The
folder is ``platformdirs.user_data_dir("roleplay")``; the environment variable
``ROLEPLAY_DATA_DIR`` points it elsewhere (tests do).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from platformdirs import user_data_dir

from roleplay.engine import Session

DATA_DIR_VARIABLE = "ROLEPLAY_DATA_DIR"
"""Environment variable that overrides where progress is kept."""

HISTORY_FILE = "history.jsonl"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else Path(user_data_dir("roleplay", appauthor=False))


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


def record_play(session: Session, coached: bool, when: datetime | None = None) -> PlayRecord | None:
    """Append a finished session to the history; unfinished sessions are not recorded.

    Returns the record, or None when nothing was written (unfinished, or the
    folder cannot be written: progress is a convenience, never a reason to fail).
    """
    outcome = session.outcome
    if outcome is None:
        return None
    record = PlayRecord(
        story=Path(session.story.path).name,
        title=session.story.title,
        outcome=outcome.id,
        mood=session.mood,
        loyalty=session.loyalty,
        walked_out=session.walked_out,
        picks=tuple(session.picks),
        coached=coached,
        finished_at=(when or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
    )
    try:
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / HISTORY_FILE, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
    except OSError:
        return None
    return record


def load_history() -> list[PlayRecord]:
    """Every readable record, oldest first; damaged lines are skipped."""
    path = data_dir() / HISTORY_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    records = []
    for line in lines:
        try:
            data = json.loads(line)
            data["picks"] = tuple(data["picks"])
            records.append(PlayRecord(**data))
        except (ValueError, TypeError, KeyError):
            continue
    return records


def best_outcomes(ranks: dict[str, int]) -> dict[str, PlayRecord]:
    """For each story file name, the record with the best outcome (by ``ranks``), latest first on ties."""
    best: dict[str, PlayRecord] = {}
    for record in load_history():
        rank = ranks.get(record.outcome, -1)
        current = best.get(record.story)
        if current is None or rank >= ranks.get(current.outcome, -1):
            best[record.story] = record
    return best
