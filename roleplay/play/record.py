"""The learner's record: finished plays and the conversation left unfinished, in SQLite.

The record is one SQLite file, ``record.sqlite3``, in the platform's user data
folder (``platformdirs.user_data_dir("roleplay")``; the environment variable
``ROLEPLAY_DATA_DIR`` points it elsewhere, and the tests do). It is never in
the way of playing:

- every finished play is written in one transaction (WAL journal, full sync),
  so a crash or a full disk never leaves half a play or a file that cannot be
  opened;
- the schema has a version (``PRAGMA user_version``) and a list of
  migrations, applied in order in one transaction when the record is opened;
- a record kept by an older version as JSON lines (``history.jsonl``) is
  imported once, in the transaction that creates the database, and renamed
  ``history.jsonl.imported``; lines that cannot be read are skipped;
- a damaged database is moved aside (kept, with ``.damaged-`` and the time
  in its name) and a fresh one is started;
- a folder that cannot be written means plays are not recorded, and says so.

Whatever goes wrong is a :class:`Notice` for the interface to show, never an
exception. This module does not import Textual.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

from roleplay.i18n import N_, _
from roleplay.play.plays import PlayRecord, Row, Unfinished, parse_history_line, play_from_row, with_turns_replayed

if TYPE_CHECKING:
    from roleplay.play.engine import Session

DATA_DIR_VARIABLE = "ROLEPLAY_DATA_DIR"
"""Environment variable that overrides where the record is kept."""

DATABASE_FILE = "record.sqlite3"
HISTORY_FILE = "history.jsonl"
"""The JSON-lines record of earlier versions, imported once."""
IMPORTED_SUFFIX = ".imported"
BUSY_TIMEOUT_MS = 5000
"""How long to wait for another roleplay writing the record at the same moment."""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: finished plays, reply by reply
    (
        """CREATE TABLE plays (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            story TEXT NOT NULL,
            title TEXT NOT NULL,
            outcome TEXT NOT NULL,
            mood INTEGER NOT NULL,
            loyalty INTEGER NOT NULL,
            walked_out INTEGER NOT NULL,
            coached INTEGER NOT NULL,
            picks TEXT NOT NULL,
            finished_at TEXT NOT NULL
        )""",
        """CREATE TABLE turns (
            play INTEGER NOT NULL REFERENCES plays(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            pick INTEGER NOT NULL,
            tactics TEXT NOT NULL,
            mood_change INTEGER NOT NULL,
            PRIMARY KEY (play, position)
        )""",
        "CREATE INDEX plays_by_story ON plays(story, finished_at)",
    ),
    # 2: the conversation left unfinished when the learner quit, to resume
    (
        """CREATE TABLE unfinished (
            slot INTEGER PRIMARY KEY CHECK (slot = 1),
            story_path TEXT NOT NULL,
            title TEXT NOT NULL,
            exam INTEGER NOT NULL,
            saved_at TEXT NOT NULL,
            session TEXT NOT NULL
        )""",
    ),
)
"""The schema, one migration per version; the database's ``user_version`` says how many ran."""

SCHEMA_VERSION = len(MIGRATIONS)
TABLES_AT_VERSION: Mapping[int, frozenset[str]] = {
    1: frozenset({"plays", "turns"}),
    2: frozenset({"plays", "turns", "unfinished"}),
}
"""The tables a database of each version must have; one without them is damaged."""

# What the learner is told (plain sentences, kept together for translation).
TITLE_DAMAGED = N_("Your record was damaged")
TEXT_DAMAGED = N_("The file could not be read ({reason}). It is kept as {kept}; a fresh record starts now.")
TITLE_UNAVAILABLE = N_("Plays are not being recorded")
TEXT_UNWRITABLE = N_("The record folder {folder} cannot be written ({reason}). You can play on; this play is not recorded.")
TEXT_NOT_SAVED = N_("The record could not be written ({reason}). You can play on; this play is not recorded.")
TEXT_NEWER = N_(
    "The record in {folder} was written by a newer version of roleplay (schema {found}, this one knows {known}). You can play on; plays are not recorded until you update."
)
TEXT_CANNOT_MOVE = N_("The damaged record {path} could not be moved aside ({reason}). You can play on; plays are not recorded.")
TITLE_IMPORTED = N_("Record moved to SQLite")
TEXT_IMPORTED = N_("{count} earlier plays were imported from {file} (kept as {kept}).")
TEXT_IMPORT_SKIPPED = N_("{skipped} lines of {file} could not be read and were left out.")


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else Path(user_data_dir("roleplay", appauthor=False))


@dataclass(frozen=True)
class Notice:
    """Something about the record the learner should know: shown in the app, printed by the command line."""

    title: str
    text: str
    severity: str = "warning"
    """'information', 'warning' or 'error', as the app's notifications take them."""

    def __str__(self) -> str:
        return f"{self.title}: {self.text}"


class RecordUnavailable(Exception):
    """The record cannot be used now; ``notice`` says why."""

    def __init__(self, notice: Notice) -> None:
        super().__init__(str(notice))
        self.notice = notice


def _is_damage(error: sqlite3.Error) -> bool:
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return True
    text = str(error)
    return "malformed" in text or "not a database" in text


class Record:
    """The record in one folder. Opened on first use; every method is safe to call when it is unusable."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else data_dir()
        self.path = self.folder / DATABASE_FILE
        self._ready: bool | None = None
        self._problem: Notice | None = None
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        """The connection is shared by the app's thread and its workers (the progress screen reads in one)."""
        """Why the record cannot be used, once that is known."""
        self._notices: list[Notice] = []

    # opening ------------------------------------------------------------------------
    def take_notices(self) -> list[Notice]:
        """What happened since the last call that the learner should be told."""
        notices, self._notices = self._notices, []
        return notices

    @property
    def usable(self) -> bool:
        return self.open()

    def open(self) -> bool:
        """Prepare the database (move a damaged one aside, migrate, import); True when it can be written."""
        with self._lock:
            if self._ready is None:
                try:
                    self._prepare()
                    self._ready = True
                except RecordUnavailable as exc:
                    self._notices.append(exc.notice)
                    self._problem = exc.notice
                    self._ready = False
            return self._ready

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """The record's connection, one caller at a time. It stays open: closing the last connection
        to a WAL database checkpoints it, which costs more than the write. After an error it is closed,
        and the next caller opens a new one."""
        with self._lock:
            if self._db is None:
                self._db = self._connect()
            try:
                yield self._db
            except sqlite3.Error:
                self.close()
                raise

    @contextmanager
    def _transient(self) -> Iterator[sqlite3.Connection]:
        """A connection of its own, closed at once (to look at a file that may be moved aside)."""
        connection = self._connect()
        try:
            yield connection
        finally:
            connection.close()

    def close(self) -> None:
        """Close the connection (the app does on exit); the record opens it again if used."""
        with self._lock:
            if self._db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
                self._db = None

    def _prepare(self, retry: bool = True) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RecordUnavailable(self._unwritable(exc.strerror or str(exc))) from None
        if self.path.exists():
            problem = self._check_existing()
            if problem is not None:
                self._move_aside(problem)
        try:
            with self._connection() as db:
                mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise sqlite3.OperationalError(f"the journal cannot be switched to WAL (it is {mode})")
                self._migrate(db)
        except sqlite3.Error as exc:
            if _is_damage(exc) and retry:
                self._move_aside(str(exc))
                return self._prepare(retry=False)
            raise RecordUnavailable(self._unwritable(str(exc))) from None

    def _unwritable(self, reason: str) -> Notice:
        return Notice(_(TITLE_UNAVAILABLE), _(TEXT_UNWRITABLE).format(folder=self.folder, reason=reason), "error")

    def _check_existing(self) -> str | None:
        """Why the existing database cannot be used (it is damaged), or None when it is sound."""
        try:
            with self._transient() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise RecordUnavailable(
                        Notice(
                            _(TITLE_UNAVAILABLE),
                            _(TEXT_NEWER).format(folder=self.folder, found=version, known=SCHEMA_VERSION),
                            "error",
                        )
                    )
                check = [row[0] for row in db.execute("PRAGMA quick_check")]
                if check != ["ok"]:
                    return f"the integrity check found: {check[0]}"
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                missing = TABLES_AT_VERSION.get(version, frozenset()) - tables
                if missing:
                    return f"tables missing: {', '.join(sorted(missing))}"
        except sqlite3.Error as exc:
            if _is_damage(exc):
                return str(exc)
            raise RecordUnavailable(self._unwritable(str(exc))) from None
        return None

    def _move_aside(self, reason: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        kept = self.path.with_name(f"{DATABASE_FILE}.damaged-{stamp}")
        number = 1
        while kept.exists():
            number += 1
            kept = self.path.with_name(f"{DATABASE_FILE}.damaged-{stamp}-{number}")
        try:
            for suffix in ("-wal", "-shm"):
                companion = self.path.with_name(DATABASE_FILE + suffix)
                if companion.exists():
                    companion.replace(kept.with_name(kept.name + suffix))
            self.path.replace(kept)
        except OSError as exc:
            raise RecordUnavailable(
                Notice(_(TITLE_UNAVAILABLE), _(TEXT_CANNOT_MOVE).format(path=self.path, reason=exc.strerror or exc), "error")
            ) from None
        self._notices.append(Notice(_(TITLE_DAMAGED), _(TEXT_DAMAGED).format(reason=reason, kept=kept.name), "error"))

    def _migrate(self, db: sqlite3.Connection) -> None:
        if db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            imported: tuple[int, int] | None = None
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number]:
                    db.execute(statement)
            if version == 0:
                imported = self._import_history(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        if imported is not None:
            self._after_import(*imported)

    # importing the JSON-lines record of earlier versions ----------------------------
    def _import_history(self, db: sqlite3.Connection) -> tuple[int, int] | None:
        path = self.folder / HISTORY_FILE
        try:
            data = path.read_bytes()
        except OSError:
            return None
        count = skipped = 0
        for line in data.splitlines():
            if not line.strip():
                continue
            record = parse_history_line(line)
            if record is None:
                skipped += 1
                continue
            self._insert(db, with_turns_replayed(record))
            count += 1
        return count, skipped

    def _after_import(self, count: int, skipped: int) -> None:
        path = self.folder / HISTORY_FILE
        kept = path.with_name(HISTORY_FILE + IMPORTED_SUFFIX)
        try:
            path.replace(kept)
        except OSError:
            kept = path
        text = _(TEXT_IMPORTED).format(count=count, file=HISTORY_FILE, kept=kept.name)
        if skipped:
            text += " " + _(TEXT_IMPORT_SKIPPED).format(skipped=skipped, file=HISTORY_FILE)
        self._notices.append(Notice(_(TITLE_IMPORTED), text, "warning" if skipped else "information"))

    # writing -------------------------------------------------------------------------
    def _write(self, work: Callable[[sqlite3.Connection], object]) -> bool:
        """Run ``work(db)`` in one transaction; False (with a notice) when the record cannot be written."""
        if not self.open():
            # Said again each time something is not kept (a finished play), not only at the start.
            if self._problem is not None and self._problem not in self._notices:
                self._notices.append(self._problem)
            return False
        try:
            with self._connection() as db:
                db.execute("BEGIN IMMEDIATE")
                try:
                    work(db)
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            self._notices.append(Notice(_(TITLE_UNAVAILABLE), _(TEXT_NOT_SAVED).format(reason=exc), "error"))
            return False
        return True

    @staticmethod
    def _insert(db: sqlite3.Connection, record: PlayRecord, mood_changes: tuple[int, ...] = ()) -> None:
        cursor = db.execute(
            "INSERT INTO plays (uuid, story, title, outcome, mood, loyalty, walked_out, coached, picks, finished_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                record.story,
                record.title,
                record.outcome,
                record.mood,
                record.loyalty,
                int(record.walked_out),
                int(record.coached),
                " ".join(map(str, record.picks)),
                record.finished_at,
            ),
        )
        play = cursor.lastrowid
        if record.tactics:
            db.executemany(
                "INSERT INTO turns (play, position, pick, tactics, mood_change) VALUES (?, ?, ?, ?, ?)",
                [
                    (play, position, pick, " ".join(tactics), mood_changes[position - 1] if mood_changes else 0)
                    for position, (pick, tactics) in enumerate(zip(record.picks, record.tactics, strict=False), start=1)
                ],
            )

    def add_play(self, session: Session, coached: bool, when: datetime | None = None) -> PlayRecord | None:
        """Record a finished play in one transaction; None when unfinished or not written (see the notices)."""
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
            finished_at=(when or datetime.now(UTC)).isoformat(timespec="seconds"),
            id=str(uuid.uuid4()),
            tactics=tuple(tuple(turn.tactics) for turn in session.turns),
        )
        changes = tuple(turn.mood_change for turn in session.turns)
        return record if self._write(lambda db: self._insert(db, record, changes)) else None

    def save_unfinished(self, session: Session, exam: bool, when: datetime | None = None) -> bool:
        """Keep the conversation the learner is leaving, to offer it next time (one at a time)."""
        saved_at = (when or datetime.now(UTC)).isoformat(timespec="seconds")
        row = (
            str(Path(session.story.path).resolve()),
            session.story.title,
            int(exam),
            saved_at,
            json.dumps(session.to_json(), ensure_ascii=False),
        )

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR REPLACE INTO unfinished (slot, story_path, title, exam, saved_at, session) VALUES (1, ?, ?, ?, ?, ?)",
                row,
            )

        return self._write(write)

    def clear_unfinished(self) -> bool:
        return self._write(lambda db: db.execute("DELETE FROM unfinished"))

    # reading -------------------------------------------------------------------------
    def _read(self, query: str, parameters: tuple[object, ...] = ()) -> list[Row]:
        if not self.open():
            return []
        try:
            with self._connection() as db:
                return db.execute(query, parameters).fetchall()
        except sqlite3.Error as exc:
            self._notices.append(Notice(_(TITLE_UNAVAILABLE), _(TEXT_NOT_SAVED).format(reason=exc), "error"))
            return []

    def plays(self) -> list[PlayRecord]:
        """Every finished play, oldest first."""
        turns: dict[int, list[tuple[int, str]]] = {}
        for play, position, tactics in self._read("SELECT play, position, tactics FROM turns ORDER BY play, position"):
            turns.setdefault(play, []).append((position, tactics))
        records = []
        for row in self._read(
            "SELECT id, uuid, story, title, outcome, mood, loyalty, walked_out, coached, picks, finished_at"
            " FROM plays ORDER BY finished_at, id"
        ):
            record = play_from_row(row, turns.get(row[0], []))
            if record is not None:
                records.append(record)
        return records

    def unfinished(self) -> Unfinished | None:
        """The conversation left unfinished, if there is one that can be read."""
        rows = self._read("SELECT story_path, title, exam, saved_at, session FROM unfinished WHERE slot = 1")
        if not rows:
            return None
        story_path, title, exam, saved_at, session = rows[0]
        try:
            data = json.loads(session)
        except (ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or not isinstance(story_path, str) or not isinstance(title, str):
            return None
        return Unfinished(story_path, title, bool(exam), str(saved_at), data)


# The record in the default folder, for callers that do not keep a Record of their own.


def record_play(session: Session, coached: bool, when: datetime | None = None) -> PlayRecord | None:
    record = Record()
    try:
        return record.add_play(session, coached, when)
    finally:
        record.close()


def load_history() -> list[PlayRecord]:
    record = Record()
    try:
        return record.plays()
    finally:
        record.close()


def best_outcomes(ranks: Mapping[str, int], plays: list[PlayRecord] | None = None) -> dict[str, PlayRecord]:
    """For each story file name, the record with the best outcome (by ``ranks``), latest first on ties."""
    best: dict[str, PlayRecord] = {}
    for record in load_history() if plays is None else plays:
        rank = ranks.get(record.outcome, -1)
        current = best.get(record.story)
        if current is None or rank >= ranks.get(current.outcome, -1):
            best[record.story] = record
    return best
