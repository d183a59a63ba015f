"""Random plays on the analysis's compiled form of a story, checked against the engine."""

from __future__ import annotations

import random

import pytest

from roleplay.play.engine import Rules
from roleplay.play.library import bundled_story_paths
from roleplay.play.validation import validate_file
from roleplay.rules.rulebook import default_rulebook
from roleplay.writing.analysis import Budget, StateSpace, StoryAnalysis
from roleplay.writing.analysis.regions import FINISHED
from roleplay.writing.analysis.sampling import Stepper, sample
from tests.writer.conftest import FIXTURES

STORIES = [*bundled_story_paths()[:3], FIXTURES / "loops.yaml", FIXTURES / "lessons.yaml", FIXTURES / "problems.yaml"]


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_each_turn_of_a_sampled_play_is_the_engines_turn(path) -> None:
    """At every state of random plays, the replies the sampler offers (their numbers and what
    each leads to: class, mood and loyalty) are the engine's."""
    story = validate_file(path).story
    space = StateSpace(story)
    stepper = Stepper(space)
    rules = Rules(story)
    rng = random.Random(5)
    turns = 0
    for _ in range(60):
        state = rules.initial_state()
        for _ in range(40):
            key, _ = space.canonical(state)
            options = stepper.options(key, state.mood, state.loyalty)
            offered = [] if state.finished else rules.offered(state)
            expected = []
            afters = []
            for number, choice in enumerate(offered, start=1):
                after, _ = rules.apply(state, choice, number)
                after_key, _ = space.canonical(after)
                expected.append((number, (state.node, choice.index), after_key, after.mood, after.loyalty))
                afters.append(after)
            got = [] if key[FINISHED] else options
            assert got == expected, (path.stem, state)
            turns += 1
            if not afters:
                break
            state = rng.choice(afters)
    assert turns >= 100


def test_sampled_plays_report_replies_given_and_every_listed_route_is_confirmed() -> None:
    story = validate_file(FIXTURES / "loops.yaml").story
    rulebook = default_rulebook()
    report = StoryAnalysis(story, 0, False, ladder=tuple(o.id for o in rulebook.outcomes))
    sample(story, rulebook, report, Budget(seconds=None, memory_mb=None), plays=400, seed=3)
    sampled = report.sampled
    assert sampled is not None and sampled.plays == 400
    assert sampled.replies_given >= 400 and sampled.disagreed == 0
    assert sampled.confirmed >= len(report.sampled_endings) > 0
    rules = Rules(story)
    for ending in report.sampled_endings:
        state = rules.initial_state()
        for number in ending.picks:
            state, _ = rules.apply(state, rules.offered(state)[number - 1], number)
        assert state.finished and rules.outcome(state).id == ending.outcome
        assert ending.mood_min <= state.mood <= ending.mood_max


def test_the_same_seed_gives_the_same_plays() -> None:
    story = validate_file(FIXTURES / "loops.yaml").story
    rulebook = default_rulebook()
    found = []
    for _ in range(2):
        report = StoryAnalysis(story, 0, False, ladder=tuple(o.id for o in rulebook.outcomes))
        sample(story, rulebook, report, Budget(seconds=None, memory_mb=None), plays=100, seed=9)
        assert report.sampled is not None
        found.append(([e.to_json() for e in report.sampled_endings], report.sampled.replies_given))
    assert found[0] == found[1]
