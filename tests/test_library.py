"""The bundled story library: every story is complete, playable to its claimed outcomes, and together they cover the articles."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from roleplay.play.engine import Session
from roleplay.play.library import bundled_story_paths
from roleplay.play.validation import validate_file
from roleplay.rules.rulebook import default_rulebook
from roleplay.story.model import Story
from roleplay.writing.analysis import WALKED_OUT, analyze
from tests.conftest import ARTICLES

PATHS = bundled_story_paths()
RULEBOOK = default_rulebook()


@cache
def load(path: Path) -> Story:
    result = validate_file(path)
    assert result.diagnostics == [], "\n".join(str(d) for d in result.diagnostics)
    return result.story


@cache
def analysis(path: Path):
    return analyze(load(path))


def test_the_library_has_at_least_twelve_stories() -> None:
    assert len(PATHS) >= 12


def test_each_story_has_its_own_customer_and_business() -> None:
    stories = [load(path) for path in PATHS]
    assert len({s.customer.name for s in stories}) == len(stories)
    assert len({s.title for s in stories}) == len(stories)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
class TestEachStory:
    def test_validates_strictly_with_its_playtests(self, path: Path) -> None:
        load(path)  # no errors and no warnings; playtests run inside validate_file

    def test_has_a_summary_and_sources(self, path: Path) -> None:
        story = load(path)
        assert story.summary.strip() and story.customer.about.strip()
        assert story.sources and all((ARTICLES / s).is_file() for s in story.sources)

    def test_is_long_enough_with_real_choices(self, path: Path) -> None:
        story = load(path)
        assert len(story.nodes) >= 12
        decisions = [n for n in story.nodes.values() if n.choices]
        with_three = [n for n in decisions if len(n.choices) >= 3]
        assert len(with_three) >= 0.75 * len(decisions), f"{len(with_three)} of {len(decisions)} decision points have 3+ replies"

    def test_branches_on_mood(self, path: Path) -> None:
        story = load(path)
        conditions = [c.condition for n in story.nodes.values() for c in n.choices if c.condition] + [
            b.condition for n in story.nodes.values() for c in n.choices for b in c.branches if b.condition
        ]
        assert any(r.kind == "var" and r.name == "mood" for c in conditions for r in c.references)

    def test_reaches_three_outcomes_including_the_best_and_a_walk_out(self, path: Path) -> None:
        story = load(path)
        report = analysis(path)
        assert report.complete
        assert len(report.outcomes) >= 3, report.outcomes
        assert "recommends" in report.outcomes
        assert any(e.ending in (story.walkout, WALKED_OUT) for e in report.endings), "no walk-out is reachable"
        assert story.walkout is not None

    def test_analyze_strict_finds_nothing_to_fix(self, path: Path, capsys) -> None:
        from roleplay.cli import main

        code = main(["analyze", "--strict", str(path)])
        assert code == 0, capsys.readouterr().out

    def test_every_ending_says_which_outcomes_its_words_fit(self, path: Path) -> None:
        story = load(path)
        assert [n.id for n in story.endings if not n.outcomes] == []
        assert {o for n in story.endings for o in n.outcomes} <= {o.id for o in RULEBOOK.outcomes}

    def test_the_lesson_audit_passes(self, path: Path) -> None:
        story = load(path)
        audit = analysis(path).audit
        assert audit is not None and audit.top_outcome == "recommends"
        # The top rung is reachable with no warned-against reply, and that play really gets there.
        assert audit.clean_top is not None, "recommends needs a play with no warned-against reply"
        session = Session(story, RULEBOOK)
        for number in audit.clean_top:
            session.choose(number)
        assert session.finished and session.outcome.id == "recommends"
        assert dict(session.state.counters).get("warned", 0) == 0
        assert [(m.ending, m.picks) for m in audit.marked_tops] == []
        assert [(c.ending, c.outcome, c.picks) for c in audit.contradictions] == []
        assert [flag for flag, _ in audit.unread_flags] == []

    def test_every_path_is_sound(self, path: Path) -> None:
        report = analysis(path)
        assert (report.unreached_nodes, report.never_offered, report.no_way_out, report.dead_ends, report.unreached_endings) == (
            [],
            [],
            [],
            [],
            [],
        )

    def test_playtests_claim_three_outcomes_including_the_best_and_a_walk_out(self, path: Path) -> None:
        story = load(path)
        outcomes = set()
        walked_out = False
        for playtest in story.playtests:
            session = Session(story, RULEBOOK)
            for number in playtest.picks:
                session.choose(number)
            assert session.finished
            assert playtest.outcome in (None, session.outcome.id)
            outcomes.add(session.outcome.id)
            walked_out |= session.walked_out
        assert len(outcomes) >= 3 and "recommends" in outcomes and walked_out


def test_every_tactic_is_used_somewhere_in_the_library() -> None:
    used = {t for path in PATHS for n in load(path).nodes.values() for c in n.choices for t in c.tactics}
    assert set(RULEBOOK.tactics) - used == set()


def test_every_article_is_a_source_of_at_least_two_stories() -> None:
    for article in sorted(p.name for p in ARTICLES.glob("*.txt")):
        stories = [path.stem for path in PATHS if article in load(path).sources]
        assert len(stories) >= 2, f"{article} is a source of {stories}"
