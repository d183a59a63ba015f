"""Every kind of bad story file gives FILE:LINE:COL: error: message, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from roleplay.parsing.diagnostics import StoryError
from roleplay.story.loader import check_story_file, load_story

VALID = """\
title: The cracked kettle
summary: A kettle arrives broken.
sources: [001_f62276862ea2b919.txt]
customer:
  name: Marta
  about: Ordered a kettle online.
  mood: 25
start: opening
nodes:
  opening:
    say: "It arrived cracked."
    choices:
      - reply: "I'm so sorry."
        tactics: [apologize]
        next: resolved
      - reply: "The courier did it."
        tactics: [blame_supplier]
        next:
          - if: mood < 15
            goto: resolved
          - goto: opening
  resolved:
    say: "Fine."
    end: true
"""


def errors_of(path: Path) -> list[str]:
    """The diagnostics of a file as printed, with the folder left out."""
    result = check_story_file(path)
    return [str(d).replace(str(path.parent) + "/", "") for d in result.diagnostics]


def story_with(write_story, old: str, new: str) -> Path:
    assert old in VALID, old
    return write_story(VALID.replace(old, new, 1))


def test_the_base_story_is_clean(write_story) -> None:
    assert errors_of(write_story(VALID)) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # YAML syntax
        (
            'say: "Fine."',
            'say: "Fine.',
            "story.yaml:25:1: error: YAML syntax error: while scanning a quoted scalar, found unexpected end of stream (it starts at line 23, column 10)",
        ),
        (
            "  mood: 25",
            "  mood: 25\n bad: indentation",
            "story.yaml:8:2: error: YAML syntax error: while parsing a block mapping, did not find expected key (it starts at line 1, column 1)",
        ),
        # wrong types
        ("title: The cracked kettle", "title: [a, b]", "story.yaml:1:8: error: title must be text, not a list"),
        ("  mood: 25", "  mood: calm", "story.yaml:7:9: error: the starting mood must be a whole number from 0 to 100, not text"),
        ("    end: true", "    end: maybe", "story.yaml:24:10: error: end must be true or false, not text"),
        (
            "customer:\n  name: Marta\n  about: Ordered a kettle online.\n  mood: 25",
            "customer: Marta",
            "story.yaml:4:11: error: customer must be a mapping of fields, not text",
        ),
        (
            "        tactics: [apologize]",
            "        tactics: {apologize: 1}",
            "story.yaml:14:18: error: the tactics of reply 1 of node 'opening' must be a list of names, not a mapping",
        ),
        # start
        ("start: opening", "start: begin", "story.yaml:8:8: error: start names the node 'begin', which does not exist"),
        ("start: opening\n", "", "story.yaml:1:1: error: the story needs a 'start' field"),
        # next / goto
        (
            "        next: resolved",
            "        next: resolve",
            "story.yaml:15:15: error: reply 1 of node 'opening' goes to 'resolve', which does not exist (did you mean 'resolved'?)",
        ),
        (
            "            goto: resolved",
            "            goto: nowhere",
            "story.yaml:20:19: error: reply 2 of node 'opening' goes to 'nowhere', which does not exist",
        ),
        # tactics
        (
            "tactics: [apologize]",
            "tactics: [apologise]",
            "story.yaml:14:19: error: unknown tactic 'apologise' (did you mean 'apologize'?); 'roleplay rules' lists the tactics",
        ),
        # conditions
        (
            "if: mood < 15",
            "if: mood << 15",
            "story.yaml:19:23: error: bad condition in a branch of reply 2 of node 'opening': expected a name or a number but found '<'",
        ),
        (
            "if: mood < 15",
            "if: used(apologise)",
            "story.yaml:19:22: error: unknown tactic 'apologise' in a branch of reply 2 of node 'opening' (did you mean 'apologize'?)",
        ),
        (
            "if: mood < 15",
            'if: "mood = 15"',
            "story.yaml:19:23: error: bad condition in a branch of reply 2 of node 'opening': compare with '==', not '='",
        ),
        # mood range
        ("  mood: 25", "  mood: 140", "story.yaml:7:9: error: the starting mood is 140; it must be from 0 to 100"),
        ("  mood: 25", "  mood: -5", "story.yaml:7:9: error: the starting mood is -5; it must be from 0 to 100"),
        # duplicate keys
        (
            "  resolved:\n",
            "  opening:\n    say: again\n    end: true\n  resolved:\n",
            "story.yaml:22:3: error: duplicate key 'opening' (first given on line 10); keep one",
        ),
        # tags
        (
            "title: The cracked kettle",
            "title: !!python/object/apply:os.system ['echo hacked']",
            "story.yaml:1:8: error: the tag !!python/object/apply:os.system is not allowed in a story file; remove it",
        ),
        (
            "title: The cracked kettle",
            "title: !custom kettle",
            "story.yaml:1:8: error: the tag !custom is not allowed in a story file; remove it",
        ),
        # unknown fields
        (
            "    end: true",
            "    end: true\n    ending: yes",
            "story.yaml:25:5: error: unknown field 'ending' in node 'resolved' (did you mean 'end'?); the fields are choices, clear, end, outcomes, say, set",
        ),
        # traits
        (
            "  mood: 25",
            "  mood: 25\n  traits: [hurried]",
            "story.yaml:8:12: error: unknown trait 'hurried'; the traits are abusive, in_a_hurry, mistaken, public, regular",
        ),
    ],
)
def test_each_error_names_the_line_and_column(write_story, old: str, new: str, expected: str) -> None:
    errors = errors_of(story_with(write_story, old, new))
    assert expected in errors, errors


def test_a_python_tag_is_refused_and_never_executed(write_story, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = story_with(write_story, "title: The cracked kettle", f"title: !!python/object/apply:os.system ['touch {marker}']")
    with pytest.raises(StoryError):
        load_story(path)
    assert not marker.exists()


def test_every_error_of_a_file_comes_in_one_pass(write_story) -> None:
    text = (
        VALID.replace("tactics: [apologize]", "tactics: [apologise]")
        .replace("  mood: 25", "  mood: 140")
        .replace("next: resolved", "next: nowhere")
    )
    errors = errors_of(write_story(text))
    assert [e.split(": error: ")[0] for e in errors] == ["story.yaml:7:9", "story.yaml:14:19", "story.yaml:15:15"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "story.yaml:1:1: error: the file is empty; a story needs at least title, customer, start and nodes"),
        (
            "# only a comment\n\n",
            "story.yaml:1:1: error: the file is empty; a story needs at least title, customer, start and nodes",
        ),
        ("- a\n- b\n", "story.yaml:1:1: error: the top level of a story must be a mapping with title, customer, start and nodes"),
        (
            "just text\n",
            "story.yaml:1:1: error: the top level of a story must be a mapping with title, customer, start and nodes",
        ),
        (b"title: x\n\x00\x01\x02", "story.yaml:2:1: error: this is a binary file, not a YAML story: it contains NUL bytes"),
        ("title: caf\u00e9\n".encode("latin-1"), "story.yaml:1:11: error: the file is not UTF-8 (byte 0xe9); save it as UTF-8"),
        (
            "title: a\n---\ntitle: b\n",
            "story.yaml:2:1: error: YAML syntax error: expected a single document in the stream, but found another document (it starts at line 1, column 1)",
        ),
    ],
)
def test_files_that_are_not_stories(write_story, content: str | bytes, expected: str) -> None:
    assert errors_of(write_story(content)) == [expected]


def test_moderate_nesting_is_refused_at_the_level_that_is_too_deep(write_story) -> None:
    errors = errors_of(write_story("title: x\nextra: " + "[" * 40 + "]" * 40 + "\n"))
    assert errors == ["story.yaml:2:39: error: nested too deeply; at most 32 levels are allowed"]


def test_a_line_of_nested_block_entries_is_refused(write_story) -> None:
    errors = errors_of(write_story("title: x\nextra:\n  " + "- " * 50_000 + "x\n"))
    assert errors == ["story.yaml:3:3: error: nested too deeply; at most 32 levels are allowed"]


def test_deep_nesting_fails_fast_and_cleanly(write_story) -> None:
    started = time.perf_counter()
    errors = errors_of(write_story("title: " + "[" * 100_000 + "]" * 100_000 + "\n"))
    assert errors == ["story.yaml:1:1008: error: nested too deeply; at most 32 levels are allowed"]
    assert time.perf_counter() - started < 30  # a guard against hanging, not a speed test


def test_an_alias_bomb_fails_fast_and_cleanly(write_story) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    lines.append("title: *a9")
    errors = errors_of(write_story("\n".join(lines) + "\n"))
    assert len(errors) == 1
    assert errors[0].endswith("error: too many repeated aliases (an alias bomb?); write the values out instead")


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = check_story_file(tmp_path / "absent.yaml")
    assert [d.message for d in result.diagnostics] == ["cannot read the file: No such file or directory"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  resolved:\n",
            "  orphan:\n    say: nobody comes here\n    end: true\n  resolved:\n",
            "story.yaml:22:3: warning: node 'orphan' cannot be reached from start 'opening'",
        ),
        (
            '    say: "Fine."\n    end: true',
            '    say: "Fine."',
            "story.yaml:22:3: warning: node 'resolved' has no choices and is not an ending: the conversation would stop here; add choices or 'end: true'",
        ),
        (
            "          - goto: opening\n",
            "",
            "story.yaml:19:11: warning: the conditional next of reply 2 of node 'opening' has no fallback: add a last branch with only 'goto' for when no condition holds",
        ),
        (
            "if: mood < 15",
            "if: flag(calm)",
            "story.yaml:19:22: warning: the flag 'calm' is tested but never set by any node or reply",
        ),
    ],
)
def test_warnings_do_not_stop_loading(write_story, old: str, new: str, expected: str) -> None:
    path = story_with(write_story, old, new)
    result = check_story_file(path)
    assert result.story is not None
    assert expected in errors_of(path)


LIMIT_CASES = {
    # 200 nested parentheses: the 33rd is one level too deep
    "too deep": (
        '"' + "(" * 200 + "mood < 15" + ")" * 200 + '"',
        "story.yaml:19:50: error: bad condition in a branch of reply 2 of node 'opening': "
        "the condition nests parentheses and 'not' too deep (more than 32 levels)",
    ),
    "a long chain of not": (
        '"' + "not " * 40 + 'mood < 15"',
        "story.yaml:19:146: error: bad condition in a branch of reply 2 of node 'opening': "
        "the condition nests parentheses and 'not' too deep (more than 32 levels)",
    ),
    "1,000 and terms": (
        '"' + " and ".join(["mood < 15"] * 1000) + '"',
        "story.yaml:19:518: error: bad condition in a branch of reply 2 of node 'opening': "
        "the condition is too long (13,995 characters; at most 500): split it between branches or replies",
    ),
    "a number of 4,301 digits": (
        "mood < " + "9" * 4301,
        "story.yaml:19:24: error: bad condition in a branch of reply 2 of node 'opening': "
        "the number 999999... (4301 digits) is too large; conditions take numbers up to 1,000,000",
    ),
    "a number just past the largest": (
        "mood < 1000001",
        "story.yaml:19:24: error: bad condition in a branch of reply 2 of node 'opening': "
        "the number 1000001 is too large; conditions take numbers up to 1,000,000",
    ),
}


@pytest.mark.parametrize("case", LIMIT_CASES, ids=list(LIMIT_CASES))
def test_conditions_past_the_limits_are_located_errors(write_story, case: str) -> None:
    condition, expected = LIMIT_CASES[case]
    assert errors_of(story_with(write_story, "if: mood < 15", f"if: {condition}")) == [expected]


@pytest.mark.parametrize("case", LIMIT_CASES, ids=list(LIMIT_CASES))
def test_validate_run_and_play_agree_on_conditions_past_the_limits(write_story, capsys, case: str) -> None:
    from roleplay.cli import main

    path = story_with(write_story, "if: mood < 15", f"if: {LIMIT_CASES[case][0]}")
    expected = LIMIT_CASES[case][1].replace("story.yaml", str(path))
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out == expected + "\n"
    assert main(["run", str(path), "--choose", "2,1"]) == 1
    assert capsys.readouterr().err == expected + "\n"


def test_conditions_at_the_limits_load_and_play(write_story, capsys) -> None:
    from roleplay.cli import main

    deep = "(" * 31 + "not mood < 15" + ")" * 31
    terms = " and ".join(["mood < 1000000"] * 22)
    condition = f"{deep} and {terms}"
    assert 480 < len(condition) <= 500
    path = story_with(write_story, "if: mood < 15", f'if: "{condition}"')
    assert errors_of(path) == []
    assert main(["run", str(path), "--choose", "2"]) == 0  # the condition holds: reply 2 ends the story
    assert "resolved" in capsys.readouterr().out
