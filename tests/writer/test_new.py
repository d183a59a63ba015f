"""'roleplay new NAME': a starter story that passes every check, never over an existing file."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.play.validation import validate_file
from roleplay.writing.analysis import analyze


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_new_writes_a_story_that_validates_strictly_and_analyzes_cleanly(cli, in_tmp: Path) -> None:
    code, out, err = cli("new", "late-delivery")
    assert code == 0 and err == ""
    path = in_tmp / "late-delivery.yaml"
    assert (
        out
        == "Wrote late-delivery.yaml. Next: roleplay validate late-delivery.yaml --strict, then roleplay analyze late-delivery.yaml\n"
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=story-schema.json\n")
    assert "title: Late delivery\n" in text and "roleplay validate late-delivery.yaml --strict" in text
    result = validate_file(path)
    assert result.diagnostics == [] and result.story is not None
    report = analyze(result.story)
    assert report.problems == 0 and report.good_outcome
    assert cli("validate", str(path), "--strict")[0] == 0
    assert cli("analyze", str(path), "--strict")[0] == 0


def test_every_field_is_explained_in_a_comment(in_tmp: Path, cli) -> None:
    cli("new", "story.yaml")
    lines = (in_tmp / "story.yaml").read_text(encoding="utf-8").splitlines()
    for field in (
        "title",
        "summary",
        "sources",
        "customer",
        "start",
        "walkout",
        "nodes",
        "say",
        "choices",
        "tactics",
        "next",
        "if",
        "end",
        "playtests",
    ):
        line = next(i for i, text in enumerate(lines) if text.strip().startswith((f"{field}:", f"- {field}:")))
        assert lines[line - 1].strip().startswith("#") or any(
            f"{field}" in comment for comment in lines[:line] if comment.strip().startswith("#")
        ), field


def test_an_existing_file_is_never_overwritten(cli, in_tmp: Path) -> None:
    path = in_tmp / "mine.yaml"
    path.write_text("keep me\n", encoding="utf-8")
    code, out, err = cli("new", "mine")
    assert code == 1 and out == ""
    assert err == "roleplay new: error: mine.yaml already exists; choose another name (nothing was written)\n"
    assert path.read_text(encoding="utf-8") == "keep me\n"


def test_a_folder_that_does_not_exist_is_a_clear_error(cli, in_tmp: Path) -> None:
    code, _, err = cli("new", "no/such/folder/story")
    assert code == 1 and err.startswith("roleplay new: error: cannot write no/such/folder/story.yaml")


def test_a_title_that_needs_quoting_still_loads(cli, in_tmp: Path) -> None:
    assert cli("new", "refund: now")[0] == 0
    result = validate_file(in_tmp / "refund: now.yaml")
    assert result.story is not None and result.story.title == "Refund: now"


@pytest.mark.parametrize("name", [".", "..", "", "  ", "_", "sub/.."])
def test_a_name_that_is_not_a_file_name_is_a_usage_error(cli, in_tmp: Path, name: str) -> None:
    code, out, err = cli("new", name)
    assert code == 2 and out == "" and "is not a story name" in err
    assert list(in_tmp.iterdir()) == []
