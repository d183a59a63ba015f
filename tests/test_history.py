"""`roleplay history`: the table, CSV, and xAPI statements checked against the xAPI specification's requirements."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from roleplay.play.export import CSV_COLUMNS, EXTENSION_MODE, EXTENSION_OUTCOME, EXTENSION_TACTICS, VERB_COMPLETED
from roleplay.play.record import Record
from roleplay.play.settings import CONFIG_DIR_VARIABLE, CONFIG_FILE
from roleplay.story.loader import load_story
from tests.cli import roleplay
from tests.conftest import played

STORY = load_story(Path(__file__).parent / "fixtures" / "now-vs-later.yaml")


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv(CONFIG_DIR_VARIABLE, str(tmp_path / "config"))
    return tmp_path / "config"


def play(picks: str, coached: bool = True, day: int = 20) -> None:
    session = played(STORY, *(int(number) for number in picks.split(",")))
    assert Record().add_play(session, coached, when=datetime(2026, 11, day, 9, 30, tzinfo=UTC)) is not None


@pytest.fixture
def two_plays() -> None:
    play("3,2,2,1", coached=True, day=20)  # recommends
    play("1,1,1,1", coached=False, day=21)


# xAPI 1.0.3, Part Two (Data): what a statement must have and the formats of its values -------------

IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
INVERSE_FUNCTIONAL = ("mbox", "mbox_sha1sum", "openid", "account")


def problems_of(statement: dict) -> list[str]:
    """Every way ``statement`` breaks the specification's requirements checked here; [] when none."""
    problems = []
    for name in ("actor", "verb", "object"):
        if not isinstance(statement.get(name), dict):
            problems.append(f"{name} is required and must be an object")
    if problems:
        return problems
    # id: a UUID (RFC 4122 variant)
    try:
        if uuid.UUID(statement["id"]).variant != uuid.RFC_4122 or str(uuid.UUID(statement["id"])) != statement["id"]:
            problems.append("id is not a UUID in its canonical form")
    except (KeyError, ValueError, TypeError, AttributeError):
        problems.append("id is missing or not a UUID")
    # actor: an Agent with exactly one inverse functional identifier
    actor = statement["actor"]
    if actor.get("objectType", "Agent") != "Agent":
        problems.append("actor.objectType must be Agent")
    identifiers = [key for key in INVERSE_FUNCTIONAL if key in actor]
    if len(identifiers) != 1:
        problems.append(f"actor must have exactly one inverse functional identifier, has {identifiers}")
    if "mbox" in actor and not MAILTO.match(str(actor["mbox"])):
        problems.append("actor.mbox must be mailto:address")
    if "account" in actor:
        account = actor["account"]
        if not isinstance(account, dict) or not IRI.match(str(account.get("homePage", ""))) or not account.get("name"):
            problems.append("actor.account needs homePage (an IRL) and name")
    # verb: an IRI id; display a language map
    verb = statement["verb"]
    if not IRI.match(str(verb.get("id", ""))):
        problems.append("verb.id must be an IRI")
    if "display" in verb and not all(isinstance(v, str) for v in verb["display"].values()):
        problems.append("verb.display must be a language map")
    # object: an Activity with an IRI id
    activity = statement["object"]
    if activity.get("objectType", "Activity") != "Activity":
        problems.append("object.objectType must be Activity")
    if not IRI.match(str(activity.get("id", ""))):
        problems.append("object.id must be an IRI")
    definition = activity.get("definition", {})
    if "type" in definition and not IRI.match(str(definition["type"])):
        problems.append("object.definition.type must be an IRI")
    # result: score.scaled from -1 to 1, success and completion true or false, extension keys IRIs
    result = statement.get("result", {})
    scaled = result.get("score", {}).get("scaled")
    if scaled is not None and (isinstance(scaled, bool) or not isinstance(scaled, (int, float)) or not -1 <= scaled <= 1):
        problems.append("result.score.scaled must be a number from -1 to 1")
    for flag in ("success", "completion"):
        if flag in result and not isinstance(result[flag], bool):
            problems.append(f"result.{flag} must be true or false")
    for where, extensions in (
        ("result", result.get("extensions", {})),
        ("context", statement.get("context", {}).get("extensions", {})),
    ):
        for key in extensions:
            if not IRI.match(key):
                problems.append(f"{where}.extensions key {key!r} is not an IRI")
    # timestamp: ISO 8601 with a time zone
    if "timestamp" in statement:
        if not ISO_8601.match(str(statement["timestamp"])):
            problems.append("timestamp must be ISO 8601")
        else:
            datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
    return problems


def test_the_checks_catch_each_broken_requirement() -> None:
    good = {
        "id": "0b6c3f5e-7d1a-4c2b-9e8f-112233445566",
        "actor": {"objectType": "Agent", "mbox": "mailto:a@example.com"},
        "verb": {"id": VERB_COMPLETED, "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": "urn:roleplay:story:x"},
        "result": {"score": {"scaled": 0.5}, "success": True, "extensions": {EXTENSION_TACTICS: []}},
        "timestamp": "2026-11-20T09:30:00+00:00",
    }
    assert problems_of(good) == []
    broken = [
        {"id": "not-a-uuid"},
        {"actor": {"name": "Dana"}},
        {"actor": {"mbox": "a@example.com"}},
        {"actor": {"mbox": "mailto:a@example.com", "account": {"homePage": "https://x", "name": "a"}}},
        {"verb": {"display": {"en-US": "completed"}}},
        {"verb": {"id": "completed"}},
        {"object": {"objectType": "Activity", "id": "story x"}},
        {"result": {"score": {"scaled": 2}}},
        {"result": {"success": "yes"}},
        {"result": {"extensions": {"tactics": []}}},
        {"timestamp": "20/11/2026 09:30"},
        {"timestamp": "2026-11-20T09:30:00"},
    ]
    for change in broken:
        assert problems_of(good | change), change
    for name in ("actor", "verb", "object"):
        assert problems_of({k: v for k, v in good.items() if k != name}) == [f"{name} is required and must be an object"]


def test_xapi_statements_meet_the_specification(capsys, two_plays) -> None:
    code, out, err = roleplay(capsys, "history", "--xapi", "--mbox", "dana@example.com", "--name", "Dana Ozola")
    assert code == 0 and err == ""
    statements = json.loads(out)
    plays = Record().plays()
    assert [s["id"] for s in statements] == [p.id for p in plays]
    for statement in statements:
        assert problems_of(statement) == []
        assert statement["actor"] == {"objectType": "Agent", "mbox": "mailto:dana@example.com", "name": "Dana Ozola"}
        assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
        assert statement["object"]["objectType"] == "Activity"
        assert statement["object"]["id"] == "urn:roleplay:story:now-vs-later"
        assert statement["object"]["definition"]["name"] == {"en-US": "Now versus later"}
    first, second = statements
    assert first["timestamp"] == "2026-11-20T09:30:00+00:00"
    assert first["result"]["score"] == {"scaled": 1.0} and first["result"]["success"] is True
    assert first["result"]["extensions"][EXTENSION_OUTCOME]["id"] == "recommends"
    assert first["result"]["extensions"][EXTENSION_TACTICS]["replies"] == [list(r) for r in plays[0].tactics]
    assert first["context"]["extensions"][EXTENSION_MODE] == "coach"
    assert second["result"]["success"] is (plays[1].outcome in ("recommends", "stays"))
    assert 0 <= second["result"]["score"]["scaled"] < 1
    assert second["context"]["extensions"][EXTENSION_MODE] == "exam"
    # exported again: the same statement ids, so a store keeps each play once
    assert [s["id"] for s in json.loads(roleplay(capsys, "history", "--xapi", "--mbox", "dana@example.com")[1])] == [
        s["id"] for s in statements
    ]


def test_the_actor_can_come_from_the_settings_file(capsys, two_plays, config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / CONFIG_FILE).write_text(
        '[xapi]\nname = "Dana Ozola"\nhomepage = "https://lms.example.com"\nactivity_base = "https://lms.example.com/roleplay/"\n',
        encoding="utf-8",
    )
    code, out, err = roleplay(capsys, "history", "--xapi")
    assert code == 0, err
    statement = json.loads(out)[0]
    assert problems_of(statement) == []
    assert statement["actor"] == {
        "objectType": "Agent",
        "name": "Dana Ozola",
        "account": {"homePage": "https://lms.example.com", "name": "Dana Ozola"},
    }
    assert statement["object"]["id"] == "https://lms.example.com/roleplay/now-vs-later"
    # a flag wins over the file
    code, out, _ = roleplay(capsys, "history", "--xapi", "--mbox", "mailto:d@example.com")
    assert json.loads(out)[0]["actor"]["mbox"] == "mailto:d@example.com"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (),
            "roleplay history: error: xAPI statements need the learner: give --mbox ADDRESS, or --name NAME with --homepage URL\n",
        ),
        (
            ("--name", "Dana"),
            "roleplay history: error: an xAPI actor with only a name needs the home page of the system it is an account on: give --homepage (e.g. your LMS's address), or --mbox instead\n",
        ),
        (("--mbox", "dana"), "roleplay history: error: the mailbox 'dana' is not an e-mail address\n"),
        (
            ("--name", "Dana", "--homepage", "lms"),
            "roleplay history: error: the home page 'lms' must be a web address (http:// or https://)\n",
        ),
        (
            ("--mbox", "d@example.com", "--activity-base", "my stories"),
            "roleplay history: error: the activity base 'my stories' is not an IRI (e.g. https://lms.example.com/roleplay/)\n",
        ),
    ],
)
def test_an_export_that_cannot_be_made_says_what_to_give(capsys, two_plays, args, message) -> None:
    assert roleplay(capsys, "history", "--xapi", *args) == (2, "", message)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '[xapi]\nmbox = "d@example.com"\nnickname = "D"\n',
            "error: unknown setting 'xapi.nickname'; the settings are name, mbox, homepage, activity_base",
        ),
        ("[xapi]\nmbox = 3\n", "error: xapi.mbox must be text in quotes"),
        ("[xapi\n", "error: Expected ']' at the end of a table declaration (at line 1, column 6)"),
    ],
)
def test_a_bad_settings_file_is_a_located_error(capsys, two_plays, config_dir: Path, content: str, message: str) -> None:
    config_dir.mkdir()
    (config_dir / CONFIG_FILE).write_text(content, encoding="utf-8")
    assert roleplay(capsys, "history", "--xapi") == (2, "", f"{config_dir / CONFIG_FILE}: {message}\n")


def test_csv_has_a_row_per_play(capsys, two_plays) -> None:
    code, out, err = roleplay(capsys, "history", "--csv")
    assert code == 0 and err == ""
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == CSV_COLUMNS
    plays = Record().plays()
    assert len(rows) == 3
    first = dict(zip(CSV_COLUMNS, rows[1], strict=False))
    assert first == {
        "id": plays[0].id,
        "finished_at": "2026-11-20T09:30:00+00:00",
        "story": "now-vs-later.yaml",
        "title": "Now versus later",
        "outcome": "recommends",
        "outcome_label": "Recommends you",
        "success": "yes",
        "score_scaled": "1.0",
        "mood": str(plays[0].mood),
        "loyalty": str(plays[0].loyalty),
        "walked_out": "no",
        "mode": "coach",
        "replies": "3 2 2 1",
        "tactics": " | ".join("+".join(reply) for reply in plays[0].tactics),
    }
    assert dict(zip(CSV_COLUMNS, rows[2], strict=False))["mode"] == "exam"


def test_the_table_and_an_empty_record(capsys, two_plays) -> None:
    code, out, _ = roleplay(capsys, "history")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("2026-11-20 09:30  Now versus later  Recommends you") and lines[0].endswith("coach")
    assert lines[1].startswith("2026-11-21 09:30") and lines[1].endswith("exam")


def test_an_empty_record_says_where_it_is(capsys) -> None:
    code, out, _ = roleplay(capsys, "history")
    assert code == 0 and out == f"No finished plays yet (the record is {Record().path}).\n"
    assert roleplay(capsys, "history", "--csv")[1] == ",".join(CSV_COLUMNS) + "\n"
    assert roleplay(capsys, "history", "--xapi", "--mbox", "d@example.com")[1] == "[]\n"


def test_history_reports_a_damaged_record_and_goes_on(capsys) -> None:
    record = Record()
    record.folder.mkdir(parents=True, exist_ok=True)
    record.path.write_bytes(b"garbage" * 1000)
    code, out, err = roleplay(capsys, "history", "--csv")
    assert code == 0 and out == ",".join(CSV_COLUMNS) + "\n"
    assert err.startswith("roleplay history: Your record was damaged: The file could not be read (")


def test_the_record_the_export_and_the_command_do_not_import_textual() -> None:
    code = (
        "import sys, roleplay.play.record, roleplay.play.export, roleplay.play.learning, roleplay.play.settings, roleplay.commands.history; "
        "sys.exit(1 if any(name == 'textual' or name.startswith('textual.') for name in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_history_with_a_folder_that_cannot_be_written_says_so(capsys, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("ROLEPLAY_DATA_DIR", str(blocker / "roleplay"))
    code, out, err = roleplay(capsys, "history")
    assert code == 0 and out == f"No finished plays yet (the record is {blocker / 'roleplay' / 'record.sqlite3'}).\n"
    assert err.startswith(
        f"roleplay history: Plays are not being recorded: The record folder {blocker / 'roleplay'} cannot be written ("
    )
