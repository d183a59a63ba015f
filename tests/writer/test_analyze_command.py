"""'roleplay analyze' as a writer runs it: the text and JSON reports, exit codes, long routes, and a run past its budgets."""

from __future__ import annotations

import json
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.play.validation import validate_file
from tests.writer.conftest import FIXTURES, HEAVIER, HEAVY, replay


def test_command_text_report(cli) -> None:
    code, out, err = cli("analyze", str(FIXTURES / "small.yaml"))
    assert code == 0 and err == ""
    assert "5 states (5 histories told apart) explored: every way through the story." in out
    assert "(A state is a node, a mood, a loyalty and what else some condition or rule can still tell apart" in out
    assert "  stays       resolved   41               1" in out
    assert "Best outcome:  stays at resolved (mood 41, loyalty 57)" in out
    assert "small.yaml:24:9: reply 3 of node 'opening' is never offered: its 'if' (mood >= 40) never holds there" in out


def test_command_strict_exits_1_on_problems(cli) -> None:
    assert cli("analyze", str(FIXTURES / "small.yaml"), "--strict")[0] == 1
    assert cli("analyze", str(FIXTURES / "loops.yaml"), "--strict")[0] == 0


def test_command_exits_1_when_no_good_outcome_is_reachable(cli) -> None:
    code, _out, err = cli("analyze", str(FIXTURES / "hopeless.yaml"))
    assert code == 1
    assert "no play reaches a good outcome (recommends or stays)" in err


def test_command_json_shape(cli) -> None:
    code, out, _ = cli("analyze", str(FIXTURES / "problems.yaml"), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "story",
        "title",
        "states",
        "complete",
        "incomplete_reasons",
        "endings",
        "outcomes",
        "good_outcome",
        "best",
        "worst",
        "unreached_nodes",
        "unreached_endings",
        "never_offered",
        "never_taken",
        "no_way_out",
        "dead_ends",
        "audit",
        "problems",
        "classes",
        "seconds",
        "stopped",
        "interrupted",
        "sampled",
        "sampled_endings",
    }
    assert data["complete"] and data["stopped"] is None and data["sampled"] is None
    assert data["endings"] == [
        {"ending": "refunded", "outcome": "stays", "walked_out": False, "mood": {"min": 66, "max": 66}, "picks": [1, 1]}
    ]
    assert data["best"] == {"outcome": "stays", "ending": "refunded", "picks": [1, 1], "mood": 66, "loyalty": 71}
    assert data["no_way_out"][0] == {
        "node": "hold",
        "reason": "from here every play goes round without reaching an ending",
        "picks": [2],
    }
    assert data["never_offered"] == [{"node": "opening", "reply": 3}, {"node": "stuck", "reply": 1}]
    assert len(data["problems"]) == 10 and data["problems"][0]["message"].startswith("lesson: no play reaches recommends")
    assert data["problems"][1]["line"] == 20


def test_command_on_a_story_with_errors_prints_them_and_exits_1(cli, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        (FIXTURES / "small.yaml").read_text(encoding="utf-8").replace("next: resolved", "next: resolve", 1), encoding="utf-8"
    )
    code, out, err = cli("analyze", str(path))
    assert code == 1 and out == ""
    assert "broken.yaml:17:15: error: reply 1 of node 'opening' goes to 'resolve', which does not exist" in err


def test_command_on_a_missing_story(cli) -> None:
    code, _, err = cli("analyze", "no-such-story")
    assert code == 1 and "no story file 'no-such-story'" in err


def chain_story(tmp_path: Path, length: int) -> Path:
    """A story whose only way to the good ending is ``length`` replies long (reply 2 each time)."""
    lines = [
        "title: Long way round",
        "summary: A very long conversation.",
        "customer:",
        "  name: Pat",
        "  about: Has a lot to say.",
        "  mood: 50",
        "  loyalty: 60",
        "start: step0",
        "nodes:",
    ]
    for number in range(length):
        following = f"step{number + 1}" if number + 1 < length else "done"
        lines += [
            f"  step{number}:",
            '    say: "And another thing."',
            "    choices:",
            '      - reply: "Goodbye."',
            "        tactics: [interrupt]",
            "        next: gone",
            '      - reply: "Go on."',
            "        tactics: [listen]",
            f"        next: {following}",
        ]
    lines += ["  done:", '    say: "Thanks for hearing me out."', "    end: true", "  gone:", '    say: "Fine."', "    end: true"]
    path = tmp_path / "long.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_long_choose_sequences_are_shortened_in_text_and_whole_in_json(cli, tmp_path: Path) -> None:
    path = chain_story(tmp_path, 40)
    _, out, _ = cli("analyze", str(path))
    whole = ",".join(["2"] * 40)
    assert whole not in out
    assert "2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,…,2,2,2,2 (40 picks; --json lists them all)" in out
    _, out, _ = cli("analyze", str(path), "--json")
    data = json.loads(out)
    [done] = [e for e in data["endings"] if e["ending"] == "done"]
    assert done["picks"] == [2] * 40
    assert replay(validate_file(path).story, done["picks"]).ending == "done"
    _, out, _ = cli("analyze", str(chain_story(tmp_path, 12)))
    assert ",".join(["2"] * 12) + "\n" in out  # short ones stay whole


def run_analyze(*args: str, limit_memory: int | None = None, **popen) -> subprocess.Popen:
    def limit() -> None:
        # A suite started in the background by a shell inherits Ctrl-C ignored; the command gets it as a user does.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if limit_memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    return subprocess.Popen(
        [sys.executable, "-m", "roleplay", "analyze", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit,
        **popen,
    )


@pytest.mark.slow
@pytest.mark.exhaustive
def test_past_its_budget_analyze_says_so_shows_progress_and_labels_the_sampled_plays() -> None:
    process = run_analyze(str(HEAVIER), "--max-seconds", "2.5")
    out, err = process.communicate(timeout=120)
    assert process.returncode in (0, 1), err
    assert "Traceback" not in out + err
    assert re.search(r"^roleplay analyze: 1 s: (listing histories|exploring), [\d,]+ ", err, re.M)  # progress after a second
    assert "The exact exploration did not finish: the time budget of 2.5 s ran out after " in out
    assert "what it did not reach is not claimed to be unreachable" in out
    sampled = re.search(
        r"Sampled: ([\d,]+) random plays in [\d.]+ s \(seed 1\)\. Coverage: (\d+) of 300 nodes visited, (\d+) of (\d+) replies given\.",
        out,
    )
    assert sampled is not None, out
    assert int(sampled.group(1).replace(",", "")) > 0 and 0 < int(sampled.group(2)) <= 300
    assert "the analysis is incomplete: the time budget of 2.5 s ran out" in out


@pytest.mark.slow
@pytest.mark.exhaustive
def test_ctrl_c_prints_what_was_found_and_exits_130() -> None:
    process = run_analyze(str(HEAVIER), "--max-seconds", "120")
    line = process.stderr.readline()  # the first progress line: the exploration is under way
    assert line.startswith("roleplay analyze: 1 s: "), line
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in out + err and "KeyboardInterrupt" not in err
    assert "The exact exploration did not finish: the analysis was interrupted after " in out
    assert "Sampled:" not in out
    assert "interrupted; the report above has what was found so far" in err


@pytest.mark.exhaustive
def test_under_a_memory_limit_there_is_no_traceback_and_no_memory_error() -> None:
    process = run_analyze(
        str(HEAVY), "--max-seconds", "600", "--max-memory", "100000", "--samples", "100", "--json", limit_memory=85 * 1024 * 1024
    )
    out, err = process.communicate(timeout=180)
    assert "Traceback" not in out + err and "MemoryError" not in out + err
    assert process.returncode in (0, 1), err
    data = json.loads(out)
    assert not data["complete"]
    assert data["stopped"] == "memory is close to this process's limit of 89 MB" and data["sampled"]["plays"] == 100
