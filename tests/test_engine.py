"""The engine: offering, scoring, branching, walking out, outcomes, undo and save/restore."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.play.engine import ChoiceError, Session
from roleplay.rules.rulebook import default_rulebook
from roleplay.story.loader import load_story

FIXTURES = Path(__file__).parent / "fixtures"
RULEBOOK = default_rulebook()


def play(story, picks: str) -> Session:
    session = Session(story)
    for number in picks.split(","):
        session.choose(int(number))
    return session


@pytest.fixture
def now_vs_later():
    return load_story(FIXTURES / "now-vs-later.yaml")


BRANCHING = """\
title: Branching
customer: {name: Ana, mood: 30}
start: a
walkout: left
nodes:
  a:
    say: "Hello."
    choices:
      - reply: "Sorry."
        tactics: [apologize]
        set: [apologised]
        next:
          - if: mood >= 38
            goto: calmer
          - goto: b
      - reply: "Only when calm."
        if: mood >= 60
        tactics: []
        next: b
      - reply: "Rude."
        tactics: [retaliate]
        next:
          - if: mood < 20
            goto: fuming
          - goto: b
      - reply: "Nothing."
        tactics: []
        next: b
  calmer:
    say: "Better."
    clear: [apologised]
    choices:
      - reply: "Again sorry."
        tactics: [apologize]
        next: b
  fuming:
    say: "What?!"
    choices:
      - reply: "Rude again."
        tactics: [retaliate]
        next: b
  b:
    say: "Bye."
    end: true
  left:
    say: "(leaves)"
    end: true
"""


@pytest.fixture
def branching(write_story):
    return load_story(write_story(BRANCHING))


def test_replies_whose_condition_fails_are_not_offered_and_numbers_close_up(branching) -> None:
    session = Session(branching)
    assert [c.reply for c in session.offered()] == ["Sorry.", "Rude.", "Nothing."]
    result = session.choose(2)
    assert result.reply == "Rude." and result.number == 2


def test_a_turn_carries_mood_before_and_after_and_every_effect(branching) -> None:
    result = Session(branching).choose(1)
    assert (result.mood_before, result.mood_after) == (30, 38)
    assert [(e.rule, e.kind, e.mood, e.loyalty) for e in result.effects] == [("apologize", "tactic", 8, 3)]
    assert result.effects[0].source.section == "Atvainojieties"
    assert result.next_node == "calmer"


def test_branch_conditions_see_the_mood_after_the_reply(branching) -> None:
    session = Session(branching)
    session.choose(1)  # 30 + 8 = 38: the first branch holds
    assert session.state.node == "calmer"


def test_flags_are_set_by_replies_and_cleared_by_nodes(branching) -> None:
    session = Session(branching)
    session.choose(1)
    assert "apologised" not in session.state.flags  # set by the reply, cleared on arriving at calmer
    session.undo()
    session.choose(3)
    assert session.state.flags == frozenset()


def test_a_repeated_apology_shows_its_context_rule(branching) -> None:
    session = Session(branching)
    session.choose(1)
    result = session.choose(1)
    assert [e.rule for e in result.effects] == ["apologize", "apology_repeated"]
    assert result.mood_after - result.mood_before == 0  # a second apology fades to nothing


def test_the_customer_walks_out_when_mood_reaches_zero(branching) -> None:
    session = Session(branching)
    session.choose(2)  # retaliate: 30 - 20 = 10 -> fuming
    result = session.choose(1)  # again: 10 - 20 -> 0
    assert result.mood_after == 0 and result.walked_out and result.finished
    assert session.ending == "left" and session.walked_out
    assert session.outcome.id == "leaves_complains"
    assert session.node.say == ("(leaves)",)


def test_without_a_walkout_node_the_conversation_still_ends(write_story) -> None:
    story = load_story(
        write_story(BRANCHING.replace("walkout: left\n", "").replace('  left:\n    say: "(leaves)"\n    end: true\n', ""))
    )
    session = Session(story)
    session.choose(2)
    result = session.choose(1)
    assert result.walked_out and session.finished and session.ending is None
    assert session.outcome.id == "leaves_complains"


def test_a_pick_that_is_not_on_offer_is_refused(branching) -> None:
    session = Session(branching)
    with pytest.raises(ChoiceError, match="reply 4 is not on offer at node 'a'; choose from 1 to 3"):
        session.choose(4)
    session.choose(3)
    with pytest.raises(ChoiceError, match="the conversation has ended"):
        session.choose(1)


def test_undo_returns_to_the_state_before_the_reply(branching) -> None:
    session = Session(branching)
    start = session.state
    session.choose(1)
    undone = session.undo()
    assert undone.reply == "Sorry." and session.state == start and session.turns == []
    assert session.undo() is None


def test_save_and_restore_round_trip(now_vs_later) -> None:
    session = play(now_vs_later, "2,2,2")
    text = session.dumps()
    restored = Session.loads(now_vs_later, text)
    assert restored.state == session.state
    assert restored.turns == session.turns
    assert json.loads(text)["picks"] == [2, 2, 2]
    restored.choose(1)
    assert restored.finished


def test_restoring_into_a_changed_story_is_refused(now_vs_later, write_story) -> None:
    saved = play(now_vs_later, "1,1").to_json()
    changed_text = (FIXTURES / "now-vs-later.yaml").read_text().replace("  mood: 40", "  mood: 45")
    changed = load_story(write_story(changed_text))
    with pytest.raises(ValueError, match="the story has changed"):
        Session.from_json(changed, saved)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("null", "a saved session is a JSON object, not null"),
        ("[]", "a saved session is a JSON object, not a list"),
        ('"x"', "a saved session is a JSON object, not text"),
        ("3", "a saved session is a JSON object, not a number"),
        ("true", "a saved session is a JSON object, not true or false"),
        ('{"format": 2}', "unknown save format 2; expected 1"),
        ('{"format": 1, "picks": [true]}', "the save has no list of picks"),
        ('{"format": 1, "picks": [9]}', "reply 9 is not on offer at node 'late'; choose from 1 to 3"),
        ("{not json", "the save is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ("[" * 100_000, "the save is not valid JSON: it is nested too deeply"),
    ],
)
def test_restoring_what_is_not_a_save_is_a_clear_error(now_vs_later, text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        Session.loads(now_vs_later, text)
    assert str(raised.value) == message


def test_play_is_deterministic(now_vs_later) -> None:
    assert play(now_vs_later, "1,2,3,2").turns == play(now_vs_later, "1,2,3,2").turns


# now versus later: the pleasing reply raises mood now and still ends worse -------------------


def test_a_reckless_promise_feels_better_now_and_ends_worse_than_an_honest_one(now_vs_later) -> None:
    reckless = play(now_vs_later, "1,2,2,1")
    honest = play(now_vs_later, "2,2,2,1")  # promise made, and kept in the call
    assert reckless.turns[0].mood_after > honest.turns[0].mood_after
    assert [e.rule for e in reckless.settlement] == ["reckless_promise_broken"]
    assert honest.settlement == []
    assert RULEBOOK.outcome_rank(reckless.outcome.id) < RULEBOOK.outcome_rank(honest.outcome.id)


def test_a_promise_that_is_not_kept_counts_against_loyalty(now_vs_later) -> None:
    kept = play(now_vs_later, "2,2,2,1")
    unkept = play(now_vs_later, "2,2,2,2")
    assert [e.rule for e in unkept.settlement] == ["promise_unkept"]
    assert unkept.loyalty == unkept.state.loyalty - 10
    assert kept.loyalty > unkept.loyalty


def test_the_keep_promise_reply_is_only_offered_while_a_promise_is_open(now_vs_later) -> None:
    assert len(play(now_vs_later, "3,2,2").offered()) == 2
    assert len(play(now_vs_later, "2,2,2").offered()) == 3


def test_agreeing_with_a_mistaken_customer_raises_mood_and_lowers_the_outcome(now_vs_later) -> None:
    agree = play(now_vs_later, "3,1,2,1")
    explore = play(now_vs_later, "3,2,2,1")
    assert agree.turns[1].mood_change > 0
    assert agree.loyalty < explore.loyalty
    assert RULEBOOK.outcome_rank(agree.outcome.id) < RULEBOOK.outcome_rank(explore.outcome.id)


def test_winning_with_the_contract_keeps_the_mood_and_loses_the_customer(now_vs_later) -> None:
    contract = play(now_vs_later, "3,2,1,1")
    new_terms = play(now_vs_later, "3,2,2,1")
    assert contract.turns[2].mood_change >= -5
    assert RULEBOOK.outcome_rank(contract.outcome.id) < RULEBOOK.outcome_rank(new_terms.outcome.id)


# the outcome ladder ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("picks", "outcome"),
    [
        ("3,2,2,1", "recommends"),
        ("2,2,2,2", "stays"),
        ("1,2,2,1", "stays_wary"),
        ("1,3,1,1", "leaves_complains"),
    ],
)
def test_the_outcome_ladder(now_vs_later, picks: str, outcome: str) -> None:
    session = play(now_vs_later, picks)
    assert session.finished and session.outcome.id == outcome


def test_each_rung_of_the_ladder_holds_for_its_numbers(now_vs_later) -> None:
    from dataclasses import replace

    rules = Session(now_vs_later).rules
    end = rules.initial_state()
    cases = [
        (dict(mood=60, loyalty=75), "recommends"),
        (dict(mood=59, loyalty=90), "stays"),
        (dict(mood=10, loyalty=55), "stays"),
        (dict(mood=10, loyalty=35), "stays_wary"),
        (dict(mood=80, loyalty=19), "leaves_complains"),
        (dict(mood=0, loyalty=34, walked_out=True), "leaves_complains"),
        (dict(mood=0, loyalty=35, walked_out=True), "leaves"),
        (dict(mood=50, loyalty=25), "leaves"),
    ]
    for values, expected in cases:
        assert rules.outcome(replace(end, finished=True, **values)).id == expected, values


def test_the_engine_never_imports_textual() -> None:
    code = (
        "import sys, roleplay.play.engine, roleplay.story.loader, roleplay.writing.analysis, roleplay.play.validation, "
        "roleplay.play.library, roleplay.rules.rulebook; print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_warned_reply_holds_the_outcome_below_the_top_whatever_the_loyalty(tmp_path) -> None:
    from tests.writer.conftest import FIXTURES

    story = load_story(FIXTURES / "lessons.yaml")
    clean = Session(story)
    clean.choose(1)
    clean.choose(1)
    assert clean.outcome.id == "recommends" and clean.ceilings == () and clean.marks == []
    marked = Session(story)
    marked.choose(2)
    result = marked.choose(1)
    assert marked.loyalty >= 75 and marked.mood >= 60  # what loyalty and mood alone would call Recommends you
    assert marked.outcome.id == result.outcome == "stays"
    assert [c.id for c in marked.ceilings] == ["warned_reply"] and result.ceilings == ("warned_reply",)
    assert [(r.turn, tactics) for r, tactics in marked.marks] == [(1, ("blame_supplier",))]
