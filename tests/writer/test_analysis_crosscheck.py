"""The analysis against brute force with the engine, on generated looping stories whose every
reply is tagged: the states it keeps are exactly the engine's, and its report (every ending and
outcome, the mood on arrival, shortest routes, best and worst) is what playing every way says."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from roleplay.play.engine import Rules
from roleplay.rules.rulebook import default_rulebook
from roleplay.story.loader import check_story_bytes
from roleplay.writing.analysis import DEAD_END, WALKED_OUT, StateSpace, analyze, routes

TACTICS = sorted(default_rulebook().tactics)
BRUTE_FORCE_LIMIT = 6_000
"""Engine states (in the form the analysis keeps) past which a generated story is skipped."""


@st.composite
def looping_stories(draw) -> str:
    """A story of 2 to 4 talking nodes and three endings; every reply carries one or two
    tactics; replies go forward, back to an earlier node or stay, some only above a mood,
    some branching on mood, loyalty or a flag."""
    talk = draw(st.integers(2, 4))
    lines = [
        "title: Generated",
        "summary: Generated for the cross-check.",
        "customer:",
        "  name: Caller",
        "  about: Calls.",
        f"  mood: {draw(st.sampled_from([15, 30, 45]))}",
        f"  loyalty: {draw(st.sampled_from([40, 55, 70]))}",
        "start: n0",
        "walkout: gone",
        "nodes:",
    ]
    for i in range(talk):
        lines += [f"  n{i}:", '    say: "Well?"', "    choices:"]
        for r in range(draw(st.integers(1, 3))):
            lines.append(f'      - reply: "Reply {r} at {i}."')
            if r > 0 and draw(st.booleans()):
                lines.append(f"        if: mood >= {draw(st.sampled_from([20, 40, 60]))}")
            tactics = draw(st.lists(st.sampled_from(TACTICS), min_size=1, max_size=2, unique=True))
            lines.append(f"        tactics: [{', '.join(tactics)}]")
            if draw(st.integers(0, 3)) == 0:
                lines.append("        set: [noted]")
            target = draw(st.sampled_from([*(f"n{j}" for j in range(talk)), "fine", "poor"]))
            if draw(st.booleans()):
                test = draw(st.sampled_from(["mood < 30", "loyalty >= 50", "flag(noted)", "used(apologize)"]))
                back = draw(st.sampled_from([f"n{j}" for j in range(i + 1)]))
                lines += ["        next:", f"          - if: {test}", f"            goto: {back}", f"          - goto: {target}"]
            else:
                lines.append(f"        next: {target}")
    for name in ("fine", "poor", "gone"):
        lines += [f"  {name}:", '    say: "Bye."', "    end: true"]
    return "\n".join(lines) + "\n"


def brute_force(story, space: StateSpace):
    """Every state the engine reaches, breadth first from the start, with the depth each is
    first reached at; plays that end, by (ending, outcome). States are told apart by all the
    engine keeps (tactic counts capped where conditions stop comparing them, and the turn
    dropped: no generated condition reads it), not by the analysis's own merging; each is
    also given in the analysis's form, to compare state by state. Also the first play (in
    reading order) of those that end each way in the fewest replies: breadth first, taking
    replies in order, the first play to reach a state is the first in reading order of its
    shortest ones."""
    rules = Rules(story)
    caps = space.count_caps

    def told_apart(state):
        used = tuple((name, min(times, caps[name])) for name, times in state.used if name in caps)
        return (state.node, state.mood, state.loyalty, state.flags, used, state.counters, state.walked_out, state.finished)

    start = rules.initial_state()
    key, point = space.canonical(start)
    reached = {key: point}
    seen = {told_apart(start)}
    endings: dict[tuple[str, str], tuple[int, int, int]] = {}
    first_plays: dict[tuple[str, str], tuple[int, ...]] = {}
    queue = deque([(start, ())])
    while queue:
        state, picks = queue.popleft()
        depth = len(picks)
        if state.finished:
            node = story.nodes.get(state.node)
            ending = node.id if node is not None and node.end else WALKED_OUT if state.walked_out else DEAD_END
            name = (ending, rules.outcome(state).id)
            low, high, shortest = endings.get(name, (state.mood, state.mood, depth))
            endings[name] = (min(low, state.mood), max(high, state.mood), min(shortest, depth))
            first_plays.setdefault(name, picks)
            continue
        for number, choice in enumerate(rules.offered(state), start=1):
            after, _ = rules.apply(state, choice, number)
            if told_apart(after) in seen:
                continue
            seen.add(told_apart(after))
            if len(seen) > BRUTE_FORCE_LIMIT:
                return None
            key, point = space.canonical(after)
            reached[key] = reached.get(key, 0) | point
            queue.append((after, (*picks, number)))
    return reached, endings, first_plays


@pytest.mark.slow
@pytest.mark.exhaustive
@pytest.mark.parametrize(("band", "marking"), [(routes.BAND, routes.MARKING_WORK), (3, 0.0), (3, float("inf"))])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=looping_stories())
def test_generated_looping_stories_match_the_engine_state_by_state(text: str, band: int, marking: float) -> None:
    """Also with bands of 3 depths for the routes, so that short routes cross several bands,
    each band's routes marked with its depths worked out again (0.0) or without (inf)."""
    loaded = check_story_bytes("generated.yaml", text.encode())
    assert loaded.story is not None, loaded.diagnostics
    story = loaded.story
    space = StateSpace(story)
    space.explore()
    found = brute_force(story, space)
    if found is None:
        event("too many states for brute force")
        return  # too many states to play every way in a test; smaller examples cover the rules
    reached, endings, first_plays = found
    event("played every way")
    assert reached == space.histories()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(routes, "BAND", band)
        patch.setattr(routes, "DEPTH_BITS", (band - 1).bit_length())
        patch.setattr(routes, "MARKING_WORK", marking)
        report = analyze(story)
    assert report.complete
    assert {(e.ending, e.outcome): (e.mood_min, e.mood_max, len(e.picks)) for e in report.endings} == endings
    assert {(e.ending, e.outcome): e.picks for e in report.endings} == first_plays
    rules = Rules(story)
    for ending in report.endings:
        state = rules.initial_state()
        for number in ending.picks:
            state, _ = rules.apply(state, rules.offered(state)[number - 1], number)
        assert state.finished and rules.outcome(state).id == ending.outcome and ending.mood_min <= state.mood <= ending.mood_max
    ladder = [o.id for o in default_rulebook().outcomes]
    if endings:
        assert report.best is not None and report.worst is not None
        assert report.best.outcome == min((name[1] for name in endings), key=ladder.index)
        assert report.worst.outcome == max((name[1] for name in endings), key=ladder.index)


def _space_for(tmp_path, condition: str) -> StateSpace:
    text = f"""title: Merging
summary: Two replies, one condition.
customer: {{name: Caller, about: Calls., mood: 40, loyalty: 50}}
start: a
nodes:
  a:
    say: "Well?"
    choices:
      - {{reply: "I hear you.", tactics: [listen], next: b}}
      - {{reply: "Tell me more.", tactics: [ask_questions], next: b}}
  b:
    say: "And?"
    choices:
      - {{reply: "Here is the fix.", if: "{condition}", tactics: [offer_solution], next: done}}
      - {{reply: "Let me fix it.", tactics: [offer_solution], next: done}}
  done: {{say: "Bye.", end: true}}
"""
    path = tmp_path / "merging.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = check_story_bytes(str(path), text.encode())
    assert loaded.story is not None, loaded.diagnostics
    space = StateSpace(loaded.story)
    space.explore()
    return space


def test_counts_read_only_through_whether_any_was_used_are_kept_as_one(tmp_path) -> None:
    """The rulebook reads used(listen) and used(ask_questions) only through "either was used":
    the two histories after a and the reply given there are one."""
    space = _space_for(tmp_path, "mood >= 0")
    assert space.count_aliases == {"listen": "ask_questions"}
    assert len({key for key in space.keys if key[0] == "b" and not key[6]}) == 1


@pytest.mark.parametrize(
    "condition", ["used(listen)", "used(listen) and used(ask_questions)", "count(listen) > count(ask_questions)"]
)
def test_counts_a_condition_tells_apart_are_not_merged(tmp_path, condition: str) -> None:
    space = _space_for(tmp_path, condition)
    assert space.count_aliases == {}
    assert len({key for key in space.keys if key[0] == "b" and not key[6]}) == 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=looping_stories(), seed=st.integers(0, 1000))
def test_random_plays_on_generated_stories_take_the_engines_turns(text: str, seed: int) -> None:
    """The random plays' compiled replies give, at every turn, the engine's replies and where they lead."""
    import random

    from roleplay.writing.analysis.sampling import Stepper

    story = check_story_bytes("generated.yaml", text.encode()).story
    assert story is not None
    space = StateSpace(story)
    stepper = Stepper(space)
    rules = Rules(story)
    rng = random.Random(seed)
    state = rules.initial_state()
    for _ in range(60):
        key, _ = space.canonical(state)
        expected = []
        afters = []
        for number, choice in enumerate([] if state.finished else rules.offered(state), start=1):
            after, _ = rules.apply(state, choice, number)
            expected.append((number, (state.node, choice.index), space.canonical(after)[0], after.mood, after.loyalty))
            afters.append(after)
        assert ([] if state.finished else stepper.options(key, state.mood, state.loyalty)) == expected
        if not afters:
            break
        state = rng.choice(afters)


def _engine_graph(story, space: StateSpace):
    """Every state the engine reaches, in the analysis's form (class id, pair as one bit), with
    the states each reply leads to; None past :data:`BRUTE_FORCE_LIMIT` states."""
    rules = Rules(story)

    def form(state) -> tuple[int, int]:
        key, bits = space.in_layers(*space.canonical(state))
        return space.ids[key], bits

    start = rules.initial_state()
    states = {form(start): start}
    following: dict[tuple[int, int], set[tuple[int, int]]] = {}
    queue = deque([form(start)])
    while queue:
        here = queue.popleft()
        state = states[here]
        following[here] = set()
        for number, choice in enumerate([] if state.finished else rules.offered(state), start=1):
            after, _ = rules.apply(state, choice, number)
            there = form(after)
            following[here].add(there)
            if there not in states:
                if len(states) >= BRUTE_FORCE_LIMIT:
                    return None
                states[there] = after
                queue.append(there)
    return states, following


def _leading_into(following: dict[tuple[int, int], set[tuple[int, int]]], targets: set[tuple[int, int]]):
    """The states some play leads from into ``targets`` (the targets included)."""
    found = set(targets)
    grown = True
    while grown:
        grown = False
        for here, there in following.items():
            if here not in found and there & found:
                found.add(here)
                grown = True
    return found


@pytest.mark.exhaustive
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=looping_stories(), seed=st.integers(0, 1000))
def test_what_can_still_finish_is_what_the_engine_can_play_to_an_end(text: str, seed: int) -> None:
    """Loops with no way out are read from the states that cannot finish: state by state, those
    are exactly the engine's states from which no play ends; and leading back from any states
    at all finds exactly the engine's states with a play into them."""
    import random

    story = check_story_bytes("generated.yaml", text.encode()).story
    assert story is not None
    space = StateSpace(story)
    space.explore()
    graph = _engine_graph(story, space)
    if graph is None:
        event("too many states for brute force")
        return
    states, following = graph
    event("played every way")

    def as_sets(found: list[int]) -> set[tuple[int, int]]:
        return {(class_id, bit) for class_id, bit in states if found[class_id] & bit}

    ends = {here for here, state in states.items() if state.finished or not following[here]}
    assert as_sets(space.can_finish()) == _leading_into(following, ends)
    rng = random.Random(seed)
    chosen = {here for here in states if rng.random() < 0.05}
    seeds: dict[int, int] = {}
    for class_id, bit in chosen:
        seeds[class_id] = seeds.get(class_id, 0) | bit
    assert as_sets(space.backwards(seeds)) == _leading_into(following, chosen)
