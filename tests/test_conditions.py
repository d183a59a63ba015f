"""The condition language: parsing, evaluation and the errors writers see."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from roleplay.parsing.conditions import ConditionError, parse_condition


@dataclass
class FakeState:
    mood: int = 50
    loyalty: int = 50
    turn: int = 0
    walked_out: bool = False
    flags: frozenset[str] = frozenset()
    traits: frozenset[str] = frozenset()
    reply: frozenset[str] = frozenset()
    counts: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def count(self, tactic: str) -> int:
        return self.counts.get(tactic, 0)

    def counter(self, name: str) -> int:
        return self.counters.get(name, 0)


@pytest.mark.parametrize(
    ("text", "state", "expected"),
    [
        ("mood < 15", FakeState(mood=14), True),
        ("mood < 15", FakeState(mood=15), False),
        ("mood >= 40 and loyalty <= 60", FakeState(mood=40, loyalty=60), True),
        ("mood == 50 or loyalty != 50", FakeState(mood=10), False),
        ("not flag(angry)", FakeState(flags=frozenset({"angry"})), False),
        ("flag(angry) and trait(regular)", FakeState(flags=frozenset({"angry"}), traits=frozenset({"regular"})), True),
        ("used(apologize)", FakeState(counts={"apologize": 1}), True),
        ("used(apologize)", FakeState(), False),
        ("count(apologize) >= 2", FakeState(counts={"apologize": 2}), True),
        ("with(empathize)", FakeState(reply=frozenset({"empathize"})), True),
        ("turn > 3", FakeState(turn=4), True),
        ("walked_out", FakeState(walked_out=True), True),
        ("promises > 0", FakeState(counters={"promises": 1}), True),
        ("not (mood < 10 or mood > 90)", FakeState(mood=95), False),
        ("true and not false", FakeState(), True),
    ],
)
def test_conditions_evaluate(text: str, state: FakeState, expected: bool) -> None:
    assert parse_condition(text, frozenset({"promises"}))(state) is expected


def test_and_binds_tighter_than_or() -> None:
    condition = parse_condition("mood > 90 or mood < 10 and loyalty > 90")
    assert condition(FakeState(mood=95, loyalty=0)) is True
    assert condition(FakeState(mood=5, loyalty=0)) is False


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("", 0, "the condition is empty"),
        ("mood", 0, "this is a number, not a yes/no test: compare it, e.g. 'mood >= 50'"),
        ("mood = 3", 5, "compare with '==', not '='"),
        ("mood > 3 && loyalty > 2", 9, "write 'and' instead of '&&'"),
        ("mood > 3 || loyalty > 2", 9, "write 'or' instead of '||'"),
        ("!flag(x)", 0, "write 'not' instead of '!'"),
        ("mood <", 6, "the condition ends too early"),
        ("used(3)", 5, "used() takes a name, e.g. used(apologize)"),
        ("mood < 3 loyalty", 9, "unexpected 'loyalty': join conditions with 'and' or 'or'"),
        ("frobnicate(x)", 0, "unknown function 'frobnicate'; the functions are count, flag, trait, used, with"),
        ("flag(x) < 3", 0, "only numbers can be compared with '<'"),
        ("mood and flag(x)", 5, "a number cannot be joined with 'and', 'or' or 'not': compare it first"),
        ("(mood > 3", 9, "the condition ends too early"),
    ],
)
def test_condition_errors_point_at_the_problem(text: str, offset: int, message: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert (caught.value.offset, caught.value.message) == (offset, message)


def test_unknown_name_suggests_a_flag() -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition("angry")
    assert caught.value.message.startswith("unknown name 'angry'; the variables are loyalty, mood, turn, walked_out")
    assert caught.value.message.endswith("(test a flag with flag(angry))")


def test_conditions_never_reach_python_eval() -> None:
    with pytest.raises(ConditionError):
        parse_condition("__import__('os').system('true')")


def test_the_constants_each_quantity_is_compared_with_are_recorded() -> None:
    """What the analysis splits mood and loyalty at: every constant a quantity is compared with."""
    condition = parse_condition("turn > 3 or turn == 7 or count(apologize) >= 2 or mood < 15 or used(empathize)")
    assert condition.constants == {
        "turn": {3, 7},
        "count:apologize": {2},
        "mood": {15},
        "count:empathize": {0},
    }
    assert condition.compared == frozenset()
    assert parse_condition("mood > loyalty").compared == {"mood", "loyalty"}


def test_a_name_is_the_same_in_a_condition_as_in_a_story(write_story) -> None:
    """A flag a story may set, with a '-' in it, can be tested by name."""
    from roleplay.play.validation import validate_file

    path = write_story(
        """
title: Names
customer: {name: Ann}
start: a
nodes:
  a:
    say: "Hello."
    choices:
      - reply: "Hi."
        tactics: []
        set: [seen-it]
        next:
          - if: flag(seen-it)
            goto: b
          - goto: a
  b:
    say: "Bye."
    end: true
"""
    )
    result = validate_file(path)
    assert result.story is not None and not result.errors, result.diagnostics


def test_the_limits_are_inclusive_and_one_past_them_is_an_error_at_the_right_place() -> None:
    from roleplay.parsing.conditions import MAX_DEPTH, MAX_LENGTH, MAX_NUMBER

    deepest = "(" * MAX_DEPTH + "mood > 1" + ")" * MAX_DEPTH
    assert parse_condition(deepest)(FakeState(mood=2)) is True
    with pytest.raises(ConditionError) as raised:
        parse_condition("(" * (MAX_DEPTH + 1) + "mood > 1" + ")" * (MAX_DEPTH + 1))
    assert raised.value.offset == MAX_DEPTH
    nots = "not " * MAX_DEPTH + "mood > 1"
    assert parse_condition(nots)(FakeState(mood=2)) is True  # an even number of nots
    with pytest.raises(ConditionError) as raised:
        parse_condition("not " * (MAX_DEPTH + 1) + "mood > 1")
    assert raised.value.offset == 4 * MAX_DEPTH

    longest = " or ".join(["mood == 1"] * 100)[:MAX_LENGTH].rsplit(" or ", 1)[0]
    longest = longest + " " * (MAX_LENGTH - len(longest))
    assert len(longest) == MAX_LENGTH and parse_condition(longest)(FakeState(mood=1)) is True
    with pytest.raises(ConditionError, match=r"too long \(501 characters; at most 500\)") as raised:
        parse_condition(longest + " ")
    assert raised.value.offset == MAX_LENGTH

    assert parse_condition(f"turn < {MAX_NUMBER}")(FakeState(turn=3)) is True
    assert parse_condition("turn < 0001000000")(FakeState(turn=3)) is True  # leading zeros are not digits that count
    with pytest.raises(ConditionError, match="the number 1000001 is too large") as raised:
        parse_condition("turn < 1000001")
    assert raised.value.offset == 7


def test_a_long_chain_of_and_evaluates_without_deep_recursion() -> None:
    import inspect
    import sys

    terms = " and ".join(["true"] * 55)
    condition = parse_condition(terms)
    limit = sys.getrecursionlimit()
    # 25 frames to spare: a chain of nested closures would need one a term
    sys.setrecursionlimit(len(inspect.stack(0)) + 25)
    try:
        assert condition(FakeState()) is True
    finally:
        sys.setrecursionlimit(limit)
