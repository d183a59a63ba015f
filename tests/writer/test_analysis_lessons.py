"""The lesson audit and the turning point: what the analysis tells a writer, and a learner's debrief, about the lessons."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from roleplay.play.engine import Session
from roleplay.play.library import bundled_story_paths
from roleplay.play.validation import validate_file
from roleplay.writing.analysis import Budget, StateSpace, analyze
from tests.writer.conftest import FIXTURES, HEAVY, replay, story

# --- the lesson audit --------------------------------------------------------------------------


def test_the_lesson_audit_finds_contradicted_endings_and_unread_flags() -> None:
    report = analyze(story("lessons"))
    audit = report.audit
    assert audit.top_outcome == "recommends"
    assert audit.clean_top == (1, 1) and replay(report.story, (1, 1)).outcome.id == "recommends"
    assert audit.marked_tops == []
    [wrong] = audit.contradictions
    assert (wrong.ending, wrong.outcome, wrong.fits, wrong.picks) == ("glowing", "stays", ("recommends",), (2, 1))
    assert replay(report.story, wrong.picks).outcome.id == "stays"
    assert [(flag, where.line, where.column) for flag, where in audit.unread_flags] == [("blamed", 17, 9)]
    assert report.problems == 2


def test_the_lesson_audit_catches_a_rulebook_that_lets_a_warned_reply_reach_the_top(tmp_path: Path) -> None:
    from roleplay.rules.rulebook import default_rulebook_path, load_rulebook

    text = default_rulebook_path().read_text(encoding="utf-8")
    start, end = text.index("\nceilings:\n"), text.index("\nmood_bands:")
    path = tmp_path / "rulebook.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    lenient = load_rulebook(path)
    assert lenient.ceilings == ()
    report = analyze(story("lessons"), lenient)
    assert [(m.ending, m.picks) for m in report.audit.marked_tops] == [("glowing", (2, 1))]
    session = Session(report.story, lenient)
    for number in (2, 1):
        session.choose(number)
    assert session.outcome.id == "recommends" and dict(session.state.counters)["warned"] == 1


def test_analyze_strict_prints_each_lesson_problem_at_its_line(capsys) -> None:
    from roleplay.cli import main

    code = main(["analyze", "--strict", str(FIXTURES / "lessons.yaml")])
    out = capsys.readouterr().out
    assert code == 1
    assert "Lesson audit: recommends is reachable with no reply the articles warn against: --choose 1,1" in out
    assert "lessons.yaml:17:9: lesson: the flag 'blamed' is set but no condition reads it" in out
    assert "lesson: ending 'glowing' says its words fit recommends, but a play ends there on stays (--choose 2,1)" in out


# --- the turning point -------------------------------------------------------------------------


def test_the_turning_point_names_the_reply_that_kept_the_top_within_reach() -> None:
    from roleplay.writing.analysis import turning_point

    lessons = story("lessons")
    found = turning_point(replay(lessons, (2, 1)))
    assert found is not None
    assert (found.turn, found.chosen_number, found.chosen_best) == (1, 2, "stays")
    assert (found.alternative_number, found.alternative_best) == (1, "recommends")


def test_after_a_flawless_play_there_is_no_turning_point() -> None:
    from roleplay.writing.analysis import turning_point

    assert turning_point(replay(story("lessons"), (1, 1))) is None


@pytest.mark.parametrize("path", bundled_story_paths()[:5], ids=lambda p: p.stem)
def test_the_turning_point_never_suggests_a_reply_that_ends_equal_or_worse(path) -> None:
    from roleplay.writing.analysis import turning_point

    loaded = validate_file(path).story
    space = StateSpace(loaded)
    report = analyze(loaded)
    rulebook = space.rulebook
    for ending in report.endings:
        found = turning_point(replay(loaded, ending.picks), space)
        if found is None:
            # No better reply anywhere: the play reached the best the story allows.
            assert rulebook.outcome_rank(ending.outcome) == rulebook.outcome_rank(report.best.outcome)
        else:
            assert rulebook.outcome_rank(found.alternative_best) > rulebook.outcome_rank(found.chosen_best)


def test_the_turning_point_search_stops_within_its_budget_and_says_how_far_it_got() -> None:
    from roleplay.writing.analysis import find_turning_point

    heavy = validate_file(HEAVY).story
    rng = random.Random(4)
    session = Session(heavy)
    while not session.finished and len(session.turns) < 40:
        session.choose(rng.randrange(len(session.offered())) + 1)
    found = find_turning_point(session, budget=Budget(seconds=0.5, memory_mb=None))
    assert found.cut_short and found.stopped == "the time budget of 0.5 s ran out"
    assert found.turns == len(session.turns) and 0 <= found.checked < found.turns
    assert found.point is None or found.point.turn <= found.checked


def test_with_time_enough_the_budgeted_search_finds_the_same_turning_point() -> None:
    from roleplay.writing.analysis import find_turning_point, turning_point

    lessons = story("lessons")
    session = replay(lessons, (2, 1))
    found = find_turning_point(session)
    assert not found.cut_short and found.checked == found.turns == len(session.turns)
    assert found.point == turning_point(session) is not None
