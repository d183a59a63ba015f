"""The JSON Schema: generated from the field tables and the rulebook, committed, and in agreement with the loader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.commands.new import starter_text
from roleplay.play.library import bundled_story_paths
from roleplay.play.validation import validate_file
from roleplay.rules.rulebook import default_rulebook
from roleplay.story import loader
from roleplay.story.loader import check_story_bytes
from roleplay.story.schema import TABLES, build_schema, schema_path, schema_text
from tests.writer.conftest import INVALID

SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
FIXTURES = sorted(INVALID.glob("*.yaml"))


def schema_verdict(text: str) -> str:
    """'accepts', 'rejects', or 'not YAML data' when a safe YAML reader cannot read the text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return "not YAML data"
    return "rejects" if any(True for _ in VALIDATOR.iter_errors(data)) else "accepts"


def header(text: str, name: str) -> str | None:
    found = re.search(rf"^# {name}: (.*)$", text, re.M)
    return found.group(1) if found else None


def test_the_committed_schema_is_what_the_code_generates() -> None:
    assert schema_path().read_text(encoding="utf-8") == schema_text(), "run: python -m roleplay.story.schema --write"


def test_the_schema_is_valid_draft_07() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize(
    ("part", "fields"),
    [
        ("story", loader.STORY_FIELDS),
        ("customer", loader.CUSTOMER_FIELDS),
        ("node", loader.NODE_FIELDS),
        ("choice", loader.CHOICE_FIELDS),
        ("branch", loader.BRANCH_FIELDS),
        ("playtest", loader.PLAYTEST_FIELDS),
    ],
)
def test_the_field_tables_name_exactly_the_loaders_fields(part: str, fields: tuple[str, ...]) -> None:
    assert sorted(f.name for f in TABLES[part]) == sorted(fields)


def test_tactic_and_trait_names_come_from_the_rulebook() -> None:
    rulebook = default_rulebook()
    definitions = build_schema(rulebook)["definitions"]
    tactics = definitions["choice"]["properties"]["tactics"]["anyOf"][0]["enum"]
    traits = definitions["customer"]["properties"]["traits"]["anyOf"][0]["enum"]
    assert tactics == sorted(rulebook.tactics)
    assert traits == sorted(rulebook.traits)


@pytest.mark.parametrize("path", bundled_story_paths(), ids=lambda p: p.stem)
def test_every_bundled_story_loads_and_validates_against_the_schema(path: Path) -> None:
    assert validate_file(path).story is not None
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))
    ]
    assert errors == []


def test_the_starter_story_validates_against_the_schema(tmp_path: Path) -> None:
    text = starter_text(tmp_path / "starter.yaml")
    assert schema_verdict(text) == "accepts"


def test_there_is_an_invalid_fixture_for_each_kind_of_error() -> None:
    assert len(FIXTURES) >= 30
    verdicts = {header(p.read_text(encoding="utf-8"), "schema") for p in FIXTURES}
    assert verdicts == {"rejects", "accepts", "not YAML data"}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_each_invalid_fixture_fails_the_loader_and_the_schema_where_structural(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected_error, expected_schema = header(text, "error"), header(text, "schema")
    assert expected_error and expected_schema in ("rejects", "accepts", "not YAML data")
    result = validate_file(path)
    assert result.story is None
    messages = [str(d) for d in result.errors]
    assert any(expected_error in message for message in messages), messages
    assert schema_verdict(text) == expected_schema
    if expected_schema != "rejects":
        assert header(text, "why"), "say why only the loader can catch this"


# --- the schema never rejects what the loader accepts ----------------------------------------

BASE = yaml.safe_load(starter_text(Path("starter.yaml")))

VALUES = st.sampled_from(
    [
        "text",
        "",
        "  ",
        0,
        1,
        7,
        55,
        100,
        150,
        -3,
        2.5,
        True,
        False,
        None,
        [],
        ["apologize"],
        ["apologize", "apologize"],
        ["a", "b"],
        {},
        {"goto": "policy"},
        {"x": 1},
        "mood < 15",
        "opening",
        "1,2",
        [1, 2],
        "in_a_hurry",
        "bad id",
    ]
)


def paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, (*prefix, index))


ALL_PATHS = [p for p in paths(BASE) if p]


def mutated(data, path, action, value):
    data = json.loads(json.dumps(data))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last]["extra_field"] = value
    else:
        parent[last] = value
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(ALL_PATHS), action=st.sampled_from(["replace", "delete", "add"]), value=VALUES)
def test_the_schema_accepts_every_change_the_loader_accepts(path, action, value) -> None:
    data = mutated(BASE, path, action, value)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    loaded = check_story_bytes("story.yaml", text.encode("utf-8"))
    if loaded.story is not None:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(data)]
        assert errors == [], text
