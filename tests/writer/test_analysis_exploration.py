"""The analysis behind 'roleplay analyze': the states it explores, its report, its budgets, and the engine agreeing."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from roleplay.play.engine import Rules
from roleplay.play.library import bundled_story_paths
from roleplay.play.validation import validate_file
from roleplay.writing.analysis import Budget, StateSpace, analyze, plane
from tests.writer.conftest import FIXTURES, replay, story


def test_small_story_exact_report() -> None:
    report = analyze(story("small"))
    assert report.complete and report.states == 5
    assert [(e.ending, e.outcome, e.mood_min, e.mood_max, e.picks, e.walked_out) for e in report.endings] == [
        ("resolved", "stays", 41, 41, (1,), False),
        ("resolved", "stays_wary", 35, 35, (2, 1), False),
        ("walks_out", "leaves", 13, 13, (2, 2), False),
    ]
    assert (report.best.outcome, report.best.picks, report.best.mood, report.best.loyalty) == ("stays", (1,), 41, 57)
    assert (report.worst.outcome, report.worst.picks) == ("leaves", (2, 2))
    assert report.never_offered == [("opening", 3)]
    assert report.unreached_nodes == report.unreached_endings == report.no_way_out == report.dead_ends == []
    # The lesson audit: no play reaches the top rung at all, which --strict counts too.
    assert report.audit.clean_top is None and report.audit.undeclared_endings == ["resolved", "walks_out"]
    assert report.good_outcome and report.problems == 2


def test_every_problem_kind_is_found_with_a_route_to_it() -> None:
    report = analyze(story("problems"))
    assert report.unreached_nodes == ["orphan"]
    assert report.unreached_endings == ["voucher_taken", "storms_off"]
    assert report.never_offered == [("opening", 3), ("stuck", 1)]
    assert [(b.node, b.reply, b.branch, b.goto, b.condition) for b in report.never_taken] == [
        ("checking", 1, 1, "storms_off", "mood < 5")
    ]
    assert [(s.node, s.picks) for s in report.no_way_out] == [("hold", (2,)), ("hold_again", (2, 1))]
    assert [(s.node, s.picks) for s in report.dead_ends] == [("stuck", (3,))]
    assert "no reply is on offer" in report.dead_ends[0].reason
    assert report.problems == 10  # with the lesson audit: no play reaches the top rung
    stuck = replay(report.story, (3,))
    assert not stuck.finished and stuck.offered() == []


def test_a_conversation_that_stops_without_an_ending_is_a_dead_end(tmp_path: Path) -> None:
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8").replace("          - goto: opening\n", "")
    path = tmp_path / "no_fallback.yaml"
    path.write_text(text, encoding="utf-8")
    report = analyze(validate_file(path).story)
    assert [(s.node, s.picks) for s in report.dead_ends] == [("opening", (2,))]
    assert "no branch" in report.dead_ends[0].reason
    assert ("(dead end)", "stays_wary") in [(e.ending, e.outcome) for e in report.endings]


@pytest.mark.slow
@pytest.mark.exhaustive
def test_loops_with_millions_of_plays_are_explored_state_by_state() -> None:
    loops = story("loops")
    rules = Rules(loops)
    # Count the different plays of up to 14 replies, merging equal states layer by layer.
    layer, plays = Counter({rules.initial_state(): 1}), 0
    for _ in range(14):
        following: Counter = Counter()
        for state, ways in layer.items():
            for number, choice in enumerate(rules.offered(state), start=1):
                after, _ = rules.apply(state, choice, number)
                plays += ways
                if not after.finished:
                    following[after] += ways
        layer = following
    assert plays == 7_450_101
    report = analyze(loops)
    assert report.complete
    assert report.states == 91_561
    assert report.outcomes == ["recommends", "stays", "stays_wary", "leaves", "leaves_complains"]
    assert report.problems == 0
    for ending in report.endings:
        session = replay(loops, ending.picks)
        assert session.finished and session.outcome.id == ending.outcome
        assert (session.ending or "(walked out)") == ending.ending


def test_past_the_time_budget_the_report_keeps_what_is_certain_and_samples_the_rest() -> None:
    loops = story("loops")
    report = analyze(loops, budget=Budget(seconds=1e-6, memory_mb=None), plays=300)
    assert not report.complete and report.stopped == "the time budget of 1e-06 s ran out"
    assert report.incomplete_reasons[0].startswith("the time budget of 1e-06 s ran out after ")
    # Nothing is claimed unreachable from a search that stopped early.
    assert report.unreached_nodes == report.unreached_endings == report.never_offered == report.never_taken == []
    assert report.no_way_out == [] and not report.audit.complete
    sampled = report.sampled
    assert sampled is not None and 0 < sampled.plays <= 300 and sampled.seed == 1
    assert sampled.nodes_total == len(loops.nodes) and 0 < sampled.nodes_visited <= sampled.nodes_total
    assert sampled.replies_total == sum(len(n.choices) for n in loops.nodes.values()) and sampled.replies_taken > 0
    assert report.sampled_endings, "random plays through the loops reach endings"
    for ending in [*report.endings, *report.sampled_endings]:
        session = replay(loops, ending.picks)
        assert session.finished and session.outcome.id == ending.outcome
    assert report.problems >= 1  # an analysis that did not finish counts against --strict


def test_the_memory_budget_stops_the_exploration_too() -> None:
    report = analyze(story("loops"), budget=Budget(seconds=None, memory_mb=1), plays=50)
    assert not report.complete and report.stopped == "the memory budget of 1 MB ran out"
    assert report.sampled is not None and report.sampled.plays == 50


def test_under_an_address_space_limit_the_margin_after_the_exploration_stops_short_of_the_limit(monkeypatch) -> None:
    # Python aborts (no exception to catch) when it has no memory left to raise MemoryError with,
    # so the routes and random plays, given a margin past where the exploration stopped, still
    # stop at a share of a `ulimit -v`: only so far past what is in use, and never at the limit.
    from roleplay.writing.analysis import budget as budgets

    megabyte = 1_000_000
    in_use = [70 * megabyte]
    monkeypatch.setattr(budgets, "memory_in_use", lambda: (in_use[0], in_use[0]))
    whole = Budget(seconds=None, memory_mb=None, virtual_limit=100 * megabyte)
    assert whole.virtual_ceiling == 85 * megabyte and whole.over() is None
    assert whole.share(1.0, memory_margin_mb=5).virtual_ceiling == 85 * megabyte
    in_use[0] = 86 * megabyte
    assert whole.over() == "memory is close to this process's limit of 100 MB"
    after = whole.share(1.0, memory_margin_mb=64)
    assert after.virtual_ceiling == 90 * megabyte
    in_use[0] = 89 * megabyte
    assert after.over() is None
    in_use[0] = 91 * megabyte
    assert after.over() == "memory is close to this process's limit of 100 MB"


def test_ctrl_c_during_the_exploration_returns_what_was_found(monkeypatch) -> None:
    loops = story("loops")
    calls = []

    def interrupt(budget, work=None) -> None:
        calls.append(work)
        if len(calls) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(Budget, "check", interrupt)
    report = analyze(loops, budget=Budget.unlimited())
    assert report.interrupted and not report.complete and report.sampled is None
    assert report.stopped == "the analysis was interrupted"
    assert 0 < report.states < 91_561


@pytest.mark.parametrize("path", bundled_story_paths(), ids=lambda p: p.stem)
def test_every_reported_route_replays_to_its_ending_and_outcome(path: Path) -> None:
    loaded = validate_file(path).story
    report = analyze(loaded)
    assert report.complete and report.good_outcome
    for ending in report.endings:
        session = replay(loaded, ending.picks)
        assert session.finished and session.outcome.id == ending.outcome
        assert ending.mood_min <= session.mood <= ending.mood_max
    for route in (report.best, report.worst):
        session = replay(loaded, route.picks)
        assert (session.outcome.id, session.mood, session.loyalty) == (route.outcome, route.mood, route.loyalty)


def test_fast_replies_match_the_engine_in_every_explored_state() -> None:
    """The analysis moves whole sets of (mood, loyalty) at once; for every class it explored,
    at pairs spread over the set, the engine must agree on every reply: its number, the class
    it leads to and the mood and loyalty it leads to."""
    for path in [*bundled_story_paths()[:4], FIXTURES / "loops.yaml", FIXTURES / "lessons.yaml"]:
        loaded = validate_file(path).story
        space = StateSpace(loaded)
        space.explore()
        rules = space.rules
        checked = 0
        for class_id in range(len(space.keys)):
            for key, layer, part in space.pieces(class_id):
                pairs = list(plane.pairs(space.layers.extract(part, layer)))
                for mood, loyalty in pairs[:: max(1, len(pairs) // 6)][:8]:
                    state = space.state_of(key, mood, loyalty)
                    moves = sorted(
                        (move.number, target, arriving)
                        for move, _, target, arriving in space.step(class_id, space.layers.point(layer, mood, loyalty))
                    )
                    expected = []
                    for number, choice in enumerate(rules.offered(state), start=1):
                        after, _ = rules.apply(state, choice, number)
                        canonical, after_bits = space.in_layers(*space.canonical(after))
                        expected.append((number, space.ids[canonical], after_bits))
                    assert moves == sorted(expected), (path, key, mood, loyalty)
                    checked += 1
        assert checked >= min(100, space.states), path


def test_whole_planes_move_as_the_engine_clamps_each_pair() -> None:
    rng = random.Random(7)
    for _ in range(400):
        points = {
            (rng.choice([0, 1, 50, 99, 100, rng.randrange(101)]), rng.choice([0, 2, 98, 100, rng.randrange(101)]))
            for _ in range(rng.randrange(1, 9))
        }
        bits = 0
        for mood, loyalty in points:
            bits |= plane.point(mood, loyalty)
        mood_change, loyalty_change = rng.randint(-130, 130), rng.randint(-130, 130)
        if rng.random() < 0.7:
            mood_change, loyalty_change = mood_change // 5, loyalty_change // 5
        clamp = lambda value: max(0, min(100, value))  # noqa: E731
        moved = {(clamp(m + mood_change), clamp(loyalty + loyalty_change)) for m, loyalty in points}
        assert set(plane.pairs(plane.shift(bits, mood_change, loyalty_change))) == moved
        back = plane.Layers().unshift(plane.shift(bits, mood_change, loyalty_change), mood_change, loyalty_change)
        for mood in range(0, 101, 5):
            for loyalty in range(0, 101, 5):
                inside = (clamp(mood + mood_change), clamp(loyalty + loyalty_change)) in moved
                assert bool(back & plane.point(mood, loyalty)) == inside


def _moved(state, move, caps):
    """One (counter values, mood, loyalty) after a move (mood, loyalty, counter changes), clamped as the engine clamps."""
    values, mood, loyalty = state
    mood_change, loyalty_change, changes = move
    values = list(values)
    for i, change in changes:
        values[i] = max(0, min(caps[i], values[i] + change))
    return tuple(values), max(0, min(100, mood + mood_change)), max(0, min(100, loyalty + loyalty_change))


def test_layered_sets_move_as_the_engine_clamps_each_state() -> None:
    """Sets of (counter values, mood, loyalty) move as each state would: mood and loyalty
    clamped to 0..100 and each counter to 0..its cap, at every value of the counters."""
    rng = random.Random(11)
    for caps in [(7,), (2, 3)]:
        layers = plane.Layers(caps)
        combos = [layers.values(layer) for layer in range(layers.count)]
        for _ in range(150):
            states = {
                (
                    rng.choice(combos),
                    rng.choice([0, 1, 50, 100, rng.randrange(101)]),
                    rng.choice([0, 99, 100, rng.randrange(101)]),
                )
                for _ in range(rng.randrange(1, 7))
            }
            bits = 0
            for values, mood, loyalty in states:
                bits |= layers.point(layers.layer(values), mood, loyalty)
            mood_change, loyalty_change = rng.randint(-30, 30), rng.randint(-30, 30)
            if rng.random() < 0.1:
                mood_change, loyalty_change = rng.choice([-120, 120]), rng.choice([-120, 120])
            changes = tuple((i, rng.choice([-9, -2, -1, 1, 2, 9])) for i in range(len(caps)) if rng.random() < 0.6)
            move = (mood_change, loyalty_change, changes)
            moved = {_moved(state, move, caps) for state in states}
            shifted = layers.shift(bits, *move)
            found = set()
            for layer in layers.layers_in(shifted):
                found |= {(layers.values(layer), *pair) for pair in plane.pairs(layers.extract(shifted, layer))}
            assert found == moved
            back = layers.unshift(shifted, *move)
            for values in combos:
                for mood in range(0, 101, 10):
                    for loyalty in range(0, 101, 10):
                        inside = _moved((values, mood, loyalty), move, caps) in moved
                        assert bool(back & layers.point(layers.layer(values), mood, loyalty)) == inside


def test_dense_layered_sets_move_by_both_changes_at_once_as_by_one_then_the_other() -> None:
    """Mood and loyalty moved in one shift (with the loyalty and mood edges piled up as the
    engine clamps) give what moving loyalty, then mood, gives, on sets with pairs everywhere,
    at the edges too."""
    rng = random.Random(5)
    for layers, bits in _dense_layered_sets(rng, [(7,), (2, 3), (1,)], edges_only=0.0):
        mood_change = rng.choice([rng.randint(-100, 100), rng.randint(-9, 9)]) or 1
        loyalty_change = rng.choice([rng.randint(-100, 100), rng.randint(-9, 9)]) or -1
        one_then_other = layers.shift(layers.shift(bits, 0, loyalty_change), mood_change, 0)
        assert layers.shift(bits, mood_change, loyalty_change) == one_then_other, (layers.caps, mood_change, loyalty_change)


def test_dense_layered_sets_move_back_by_both_changes_at_once_as_by_one_then_the_other() -> None:
    """Every pair a move takes into a set, worked out for mood and loyalty in one shift (with
    the pairs from each edge spread apart), is what working back the mood, then the loyalty,
    gives, on sets with pairs everywhere, at the edges too, with and without layers."""
    rng = random.Random(6)
    for layers, bits in _dense_layered_sets(rng, [(7,), (2, 3), ()], edges_only=0.2):
        mood_change = rng.choice([rng.randint(-100, 100), rng.randint(-9, 9), 100, -100]) or 1
        loyalty_change = rng.choice([rng.randint(-100, 100), rng.randint(-9, 9), 100, -100]) or -1
        one_then_other = layers.unshift(layers.unshift(bits, mood_change, 0), 0, loyalty_change)
        assert layers.unshift(bits, mood_change, loyalty_change) == one_then_other, (layers.caps, mood_change, loyalty_change)


def _dense_layered_sets(
    rng: random.Random, layouts: list[tuple[int, ...]], edges_only: float
) -> Iterator[tuple[plane.Layers, int]]:
    """300 random sets of pairs for each layout of layers: about half with pairs nearly
    everywhere, and a share ``edges_only`` with pairs only on the plane's four edges."""
    for caps in layouts:
        layers = plane.Layers(caps)
        size = layers.full.bit_length()
        for _ in range(300):
            bits = rng.getrandbits(size)
            if rng.random() < 0.5:
                bits &= rng.getrandbits(size) & rng.getrandbits(size)
            if rng.random() < edges_only:
                bits &= layers.embed(plane.columns(0, 0) | plane.columns(100, 100) | plane.rows(0, 0) | plane.rows(100, 100))
            yield layers, bits & layers.full


def test_counters_only_the_ending_reads_are_kept_in_layers_not_in_histories() -> None:
    """reckless_promises is read only by the settlement: histories that differ only in it are one,
    and the report still counts them apart."""
    from roleplay.story.loader import check_story_bytes

    text = """title: Layers
summary: A reckless promise or agreeing when wrong, then the end.
customer: {name: Caller, about: Calls., mood: 40, loyalty: 50}
start: a
nodes:
  a:
    say: "Well?"
    choices:
      - {reply: "You'll have it tomorrow, guaranteed.", tactics: [reckless_promise], next: b}
      - {reply: "You're right, of course.", tactics: [agree_when_wrong], next: b}
  b: {say: "Fine.", end: true}
"""
    story = check_story_bytes("layers.yaml", text.encode()).story
    assert story is not None
    space = StateSpace(story)
    # One reckless reply, given at most once: the layers need only the values 0 and 1.
    assert space.layered == ("reckless_promises",) and space.layers.caps == (1,)
    looping = check_story_bytes("layers.yaml", text.replace("next: b}", "next: a}", 1).encode()).story
    assert looping is not None
    # Given again and again: every value until the settlement takes all loyalty away.
    assert StateSpace(looping).layers.caps == (space.counter_caps["reckless_promises"],) == (7,)
    space.explore()
    at_b = [class_id for class_id, key in enumerate(space.keys) if key[0] == "b" and space.seen[class_id]]
    assert len(at_b) == 1 and all("reckless_promises" not in dict(key[4]) for key in space.keys)
    histories = {key[4]: plane.count(bits) for key, bits in space.histories().items() if key[0] == "b"}
    assert histories == {(("warned", 1),): 1, (("reckless_promises", 1), ("warned", 1)): 1}
    report = analyze(story)
    assert report.classes == 3 and report.states == 3
    assert {e.outcome for e in report.endings} == {"stays_wary", "leaves"}  # the settlement takes 16 for the promise


@pytest.mark.parametrize(
    ("condition", "caps"),
    [
        ("mood > 5 and 3 < count(listen)", {"listen": 4}),
        ("count(listen) >= 2 or used(empathize)", {"listen": 3, "empathize": 1}),
        ("(count(listen)) == 7", {"listen": 8}),
        ("count(listen) > count(empathize)", {"listen": 101, "empathize": 101}),
    ],
)
def test_counts_are_capped_just_above_what_conditions_can_tell_apart(tmp_path: Path, condition: str, caps: dict) -> None:
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8").replace("if: mood >= 40", f"if: {condition}")
    path = tmp_path / "caps.yaml"
    path.write_text(text, encoding="utf-8")
    space = StateSpace(validate_file(path).story)
    for tactic, cap in caps.items():
        assert space.count_caps[tactic] == cap


def test_running_out_of_memory_mid_exploration_is_one_more_reason_to_stop(monkeypatch) -> None:
    def explore(space) -> None:
        space.seen[space.intern(space.start[0])] = space.start[1]
        raise MemoryError

    monkeypatch.setattr(StateSpace, "explore", explore)
    report = analyze(story("loops"), plays=40)
    assert not report.complete and report.stopped == "the computer ran out of memory"
    assert report.sampled is not None and report.sampled.plays == 40 and report.sampled_endings


def test_with_too_many_histories_to_list_in_time_they_are_worked_out_in_story_order(monkeypatch) -> None:
    """Listing the histories first only orders the work: without it, the same states are reached."""
    from roleplay.writing.analysis.budget import Stopped

    loops = story("loops")
    listed = StateSpace(loops)
    listed.explore()

    def too_slow(space, start, budget):
        raise Stopped("the time budget of 1 s ran out")

    monkeypatch.setattr(StateSpace, "_rank_classes", too_slow)
    unlisted = StateSpace(loops)
    unlisted.explore()
    assert unlisted.complete and type(unlisted.ranks).__name__ == "_ByNode"
    assert unlisted.states == listed.states == 91_561
    assert {key: unlisted.seen[i] for i, key in enumerate(unlisted.keys) if unlisted.seen[i]} == {
        key: listed.seen[i] for i, key in enumerate(listed.keys) if listed.seen[i]
    }


@pytest.mark.slow
@pytest.mark.exhaustive
@pytest.mark.parametrize(
    "path",
    [*bundled_story_paths(), FIXTURES / "lessons.yaml", FIXTURES / "problems.yaml", FIXTURES / "loops.yaml"],
    ids=lambda p: p.stem,
)
def test_the_states_explored_are_exactly_those_the_engine_reaches(path: Path) -> None:
    """Play by play with the engine, every state reached (in the form the analysis keeps: a
    loop that goes round for ever gives the engine ever new turn numbers, which no condition
    reads) is one the analysis reached; and the analysis reached no other."""
    loaded = validate_file(path).story
    space = StateSpace(loaded)
    space.explore()
    rules = space.rules
    start = rules.initial_state()
    engine: dict = {}
    work = [start]
    key, point = space.canonical(start)
    engine[key] = point
    while work:
        state = work.pop()
        for number, choice in enumerate(rules.offered(state), start=1):
            after, _ = rules.apply(state, choice, number)
            key, point = space.canonical(after)
            if not engine.get(key, 0) & point:
                engine[key] = engine.get(key, 0) | point
                work.append(after)
    assert engine == space.histories()
