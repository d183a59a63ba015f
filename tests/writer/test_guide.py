"""docs/story-format.md: generated sections are current, and the tutorial still plays out as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.story.schema import TABLES, update_guide

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "story-format.md"
TEXT = GUIDE.read_text(encoding="utf-8")


def test_the_generated_sections_are_current() -> None:
    assert update_guide(TEXT) == TEXT, "run: python -m roleplay.story.schema --write"


def test_every_field_and_tactic_is_in_the_guide() -> None:
    from roleplay.rules.rulebook import default_rulebook

    for fields in TABLES.values():
        for field in fields:
            assert f"| `{field.name}` |" in TEXT
    for tactic in default_rulebook().tactics:
        assert f"| `{tactic}` |" in TEXT


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def quoted(output: str) -> None:
    """The output (without trailing space) appears in the guide as printed."""
    assert output.strip() in TEXT, output


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_tutorial_steps_give_the_output_the_guide_shows(cli, in_tmp: Path) -> None:
    story = in_tmp / "headphones.yaml"
    # 1. start
    code, out, _ = cli("new", "headphones")
    assert code == 0
    quoted(out)
    code, _, err = cli("validate", "headphones.yaml", "--strict")
    assert code == 0
    quoted(err)
    code, out, _ = cli("analyze", "headphones.yaml")
    assert code == 0
    quoted(out)
    # 2. a new node
    edit(
        story,
        "        tactics: [explain_cause, offer_solution]\n        next: replaced",
        "        tactics: [explain_cause, offer_solution]\n        next: arrival",
    )
    edit(
        story,
        "  replaced:\n",
        """  arrival:
    say: "And when will it actually get here?"
    choices:
      - reply: "Tomorrow before noon. I'll ring you at twelve to make sure it came; here's my direct number."
        tactics: [set_deadline, give_contact]
        next: next_day
      - reply: "Within the hour, I promise!"
        tactics: [reckless_promise]
        next: replaced

  next_day:
    say: "(Next day, at twelve, you ring Alex as you said you would.) Oh, hello. Yes, it came this morning."
    choices:
      - reply: "Good. I said I'd check before noon was out. Is it charging properly?"
        tactics: [keep_promise]
        next: replaced

  replaced:
""",
    )
    code, out, err = cli("validate", "headphones.yaml", "--strict")
    assert code == 1
    quoted(out + err)
    edit(story, '  - choose: "1,1"\n    outcome: recommends', '  - choose: "1,1,1,1"\n    outcome: recommends')
    assert cli("validate", "headphones.yaml", "--strict")[0] == 0
    code, out, _ = cli("run", "headphones.yaml", "--choose", "1,1,1,1")
    assert "Outcome: Recommends you (recommends)" in out
    code, out, _ = cli("run", "headphones.yaml", "--choose", "1,1,2")
    assert "Outcome: Stays (stays)" in out and "reckless_promise_broken" in out
    code, out, _ = cli("analyze", "headphones.yaml")
    assert code == 0
    quoted(out)
    # 3. a conditional branch, with a typo first
    edit(
        story,
        "        tactics: [get_defensive]\n        next: hangs_up",
        "        tactics: [get_defensive]\n        next:\n          - if: mood < 30\n            goto: hang_up\n          - goto: policy",
    )
    code, out, err = cli("validate", "headphones.yaml", "--strict")
    assert code == 1
    quoted(out + err)
    edit(story, "goto: hang_up", "goto: hangs_up")
    assert cli("validate", "headphones.yaml", "--strict")[0] == 0
    code, out, _ = cli("analyze", "headphones.yaml", "--strict")
    assert code == 0 and "  stays_wary  hangs_up  29               1,2,2,2" in out and "No problems" in out
    # 4. a reply nobody sees
    edit(
        story,
        "        tactics: [reckless_promise]\n        next: replaced\n",
        "        tactics: [reckless_promise]\n        next: replaced\n"
        '      - reply: "Thanks for bearing with me. It ships tonight."\n'
        "        if: mood >= 80\n        tactics: [thank_customer]\n        next: replaced\n",
    )
    code, out, _ = cli("analyze", "headphones.yaml", "--strict")
    assert code == 1
    quoted(out[out.index("Problems:") :])
    edit(story, "if: mood >= 80", "if: mood >= 60")
    assert cli("analyze", "headphones.yaml", "--strict")[0] == 0
    assert cli("run", "headphones.yaml", "--choose", "1,1,3")[0] == 0
    # 5. the graph
    code, out, _ = cli("graph", "headphones.yaml")
    for label in ("1. set_deadline, give_contact +7", "2. get_defensive -8; if mood #lt; 30", "2. get_defensive -8; otherwise"):
        assert label in out and label in TEXT
