"""Properties that hold for any input: the loader never raises, the engine keeps its invariants."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from roleplay.parsing.conditions import ConditionError, parse_condition
from roleplay.play.engine import Session
from roleplay.story.loader import check_story_bytes, load_story

FIXTURE = Path(__file__).parent / "fixtures" / "now-vs-later.yaml"
STORY = load_story(FIXTURE)
VALID_TEXT = FIXTURE.read_text(encoding="utf-8")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_diagnostics_not_exceptions(data: bytes) -> None:
    result = check_story_bytes("fuzz.yaml", data)
    assert result.story is not None or result.errors
    for diagnostic in result.diagnostics:
        assert diagnostic.location.line >= 1 and diagnostic.location.column >= 1


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(VALID_TEXT) - 1), st.text(max_size=12))
def test_any_edit_of_a_story_gives_diagnostics_not_exceptions(position: int, insert: str) -> None:
    text = VALID_TEXT[:position] + insert + VALID_TEXT[position:]
    result = check_story_bytes("edited.yaml", text.encode("utf-8"))
    lines = text.count("\n") + 2
    assert all(1 <= d.location.line <= lines for d in result.diagnostics)


# Conditions agree with the same expression computed directly in Python ------------------

NUMBERS = {"mood": 37, "loyalty": 61, "turn": 4}


class Context:
    mood, loyalty, turn = NUMBERS["mood"], NUMBERS["loyalty"], NUMBERS["turn"]
    walked_out = False
    flags = frozenset({"asked"})
    traits = frozenset()
    reply = frozenset()

    def count(self, tactic: str) -> int:
        return 2 if tactic == "apologize" else 0

    def counter(self, name: str) -> int:
        return 0


OPERATORS = {"<": int.__lt__, "<=": int.__le__, ">": int.__gt__, ">=": int.__ge__, "==": int.__eq__, "!=": int.__ne__}

comparisons = st.builds(
    lambda name, op, number: (f"{name} {op} {number}", OPERATORS[op](NUMBERS[name], number)),
    st.sampled_from(sorted(NUMBERS)),
    st.sampled_from(sorted(OPERATORS)),
    st.integers(min_value=0, max_value=100),
)
atoms = comparisons | st.sampled_from(
    [("flag(asked)", True), ("flag(other)", False), ("used(apologize)", True), ("count(apologize) >= 3", False), ("true", True)]
)


def combine(children):
    return st.one_of(
        st.builds(lambda a, b: (f"{a[0]} and {b[0]}", a[1] and b[1]), children, children),
        st.builds(lambda a, b: (f"({a[0]} or {b[0]})", a[1] or b[1]), children, children),
        st.builds(lambda a: (f"not ({a[0]})", not a[1]), children),
    )


@settings(max_examples=300, deadline=None)
@given(st.recursive(atoms, combine, max_leaves=8))
def test_conditions_evaluate_like_the_logic_they_spell(case) -> None:
    text, expected = case
    assert parse_condition(text)(Context()) is expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_parses_or_gives_a_located_error(text: str) -> None:
    try:
        parse_condition(text)
    except ConditionError as error:
        assert 0 <= error.offset <= len(text)


# The engine -----------------------------------------------------------------------------

picks = st.lists(st.integers(min_value=1, max_value=3), max_size=6)


def play_what_is_on_offer(numbers: list[int]) -> Session:
    session = Session(STORY)
    for number in numbers:
        if session.finished:
            break
        session.choose(min(number, len(session.offered())))
    return session


@settings(max_examples=200, deadline=None)
@given(picks)
def test_mood_and_loyalty_stay_on_the_scale(numbers: list[int]) -> None:
    session = play_what_is_on_offer(numbers)
    for turn in session.turns:
        assert 0 <= turn.mood_after <= 100 and 0 <= turn.loyalty_after <= 100
    assert 0 <= session.loyalty <= 100


@settings(max_examples=200, deadline=None)
@given(picks)
def test_undo_walks_back_through_every_state(numbers: list[int]) -> None:
    session = play_what_is_on_offer(numbers)
    states = [before for before, _ in session.history] + [session.state]
    for expected in reversed(states[:-1]):
        session.undo()
        assert session.state == expected


@settings(max_examples=200, deadline=None)
@given(picks)
def test_save_and_restore_gives_the_same_session(numbers: list[int]) -> None:
    session = play_what_is_on_offer(numbers)
    restored = Session.loads(STORY, session.dumps())
    assert restored.state == session.state and restored.turns == session.turns
