"""How loading, validating and analysing a story scale with its size.

Run it from the repository root::

    .venv/bin/python benchmarks/analysis_scaling.py            # 100, 1,000 and 10,000 nodes
    .venv/bin/python benchmarks/analysis_scaling.py --sizes 100 1000
    .venv/bin/python benchmarks/analysis_scaling.py --sizes 10000 --ink --loops 25 100 300

It writes generated stories to a temporary folder, then for each size prints
the time to load and validate the file and the time to analyse it, both per
node (these should stay roughly flat as the story grows), how load + validate
compares with a bare parse of the same file by PyYAML's C loader, the number
of states the analysis explored, and the peak memory of each step.

With ``--loops`` (default 25, 100 and 300 nodes) it also analyses stories with
loops whose every reply is tagged with one or two real tactics from the
rulebook, a third or more of the replies going back to an earlier node (as
writers add "could you repeat that?" and "let me start over"), plus the bundled
cracked-kettle with a "start over" reply added to five nodes. Each runs in a
child process under the analysis budget (``--max-seconds``), and the table shows
states, histories, time, peak memory of the process and growth per node, with
the engine's own speed (replies applied per second, measured in the same run)
as the baseline. Then random plays alone run on each looping story for
``--sample-seconds`` (default 5): their replies per second against the
engine's, and their coverage of nodes and replies. With ``--ink`` it loads the largest ``--sizes`` story side by
side with inkjs compiling the same story written in ink (needs node and npm;
see ``ink_side_by_side.py``).

The generated stories are shaped like real ones, only many of them side by
side: the customer first says what the call is about (a tree of neutral
topic questions), and each topic is a scene of a dozen nodes with replies
that loop back, replies offered only under a condition, branches on mood,
counts of tactics and flags, promises, and several endings, plus one
walk-out node for the whole story.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

try:
    from yaml import CSafeLoader as _CSafeLoader
except ImportError:  # pragma: no cover
    sys.exit("PyYAML was built without its C extension; the comparison needs it")

from roleplay.play.validation import validate_file
from roleplay.rules.rulebook import default_rulebook
from roleplay.writing.analysis import analyze

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ink_side_by_side import INKJS_VERSION as INKJS

SCENE_NODES = 8
"""Nodes in one scene: five with replies and three endings."""

TOPIC_FANOUT = 4
"""Topics offered at each level of the topic tree."""

HEAR = ["listen", "ask_questions", "empathize", "explore_together"]
SOOTHE = ["apologize", "stay_calm", "thank_customer", "reassure", "take_responsibility"]
FIX = ["offer_solution", "offer_alternative", "offer_compensation", "offer_new_terms", "keep_promise"]
CLOSE = ["set_deadline", "give_contact", "thank_customer", "positive_framing"]
BAD = [
    "blame_supplier",
    "make_excuses",
    "refer_to_website",
    "dismiss_problem",
    "get_defensive",
    "interrupt",
    "negative_tone",
    "cite_contract",
    "blame_management",
    "cold_transfer",
]
HARSH = ["dismiss_problem", "tell_wrong", "delay_reply", "retaliate"]
RISKY = ["make_promise", "reckless_promise", "agree_when_wrong", "give_in", "break_rule"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reply(
    lines: list[str], text: str, tactics: list[str], next_lines: list[str], condition: str | None = None, sets: str | None = None
) -> None:
    lines.append(f"      - reply: {_quote(text)}")
    if condition:
        lines.append(f"        if: {condition}")
    lines.append(f"        tactics: [{', '.join(tactics)}]")
    if sets:
        lines.append(f"        set: [{sets}]")
    lines += next_lines


def _goto(target: str) -> list[str]:
    return [f"        next: {target}"]


def _branches(*arms: tuple[str | None, str]) -> list[str]:
    lines = ["        next:"]
    for condition, target in arms:
        if condition:
            lines += [f"          - if: {condition}", f"            goto: {target}"]
        else:
            lines.append(f"          - goto: {target}")
    return lines


def _scene(lines: list[str], prefix: str, rng: random.Random) -> None:
    """Append one scene of :data:`SCENE_NODES` nodes; its first node is ``{prefix}open``.

    It is shaped like the bundled stories: an opening where a poor reply loops
    back (and loses the customer once mood is low), a question round that sets
    a flag, a reply offered only once the customer was heard, a fix that can be
    a risky promise, and a close whose endings follow loyalty and mood, with a
    brush-off (offered once) that loops back to the fix."""
    n = {name: f"{prefix}{name}" for name in ("open", "hear", "fix", "close", "last", "good", "fair", "lost")}
    heard, brushed = f"{prefix}heard", f"{prefix}brushed_off"
    low = rng.choice([12, 15, 18])
    for node, say in (
        ("open", "This is not what I paid for."),
        ("hear", "Are you even listening?"),
        ("fix", "So what are you going to do?"),
        ("close", "Is that it, then?"),
        ("last", "I'm running out of patience."),
    ):
        lines += [f"  {n[node]}:", f"    say: {_quote(say)}", "    choices:"]
        if node == "open":
            _reply(lines, "Tell me what happened.", rng.sample(HEAR, 1), _goto(n["hear"]))
            bad = rng.choice(HARSH)
            _reply(lines, "That's not our fault.", [bad], _branches((f"mood < {low}", n["lost"]), (None, n["open"])))
            _reply(lines, "I can fix that now.", rng.sample(FIX, 1), _goto(n["close"]), condition="mood >= 50")
        elif node == "hear":
            _reply(lines, "I see why that matters.", rng.sample(SOOTHE, 1), _goto(n["fix"]), sets=heard)
            _reply(lines, "Go on.", ["ask_questions"], _goto(n["fix"]), sets=heard)
            _reply(
                lines, "Let's not dwell on it.", [rng.choice(BAD)], _branches((f"mood < {low + 5}", n["last"]), (None, n["fix"]))
            )
        elif node == "fix":
            _reply(lines, "Here is what I will do.", rng.sample(FIX, 1), _goto(n["close"]))
            _reply(lines, "I promise it will be sorted.", [rng.choice(RISKY)], _goto(n["close"]))
            _reply(
                lines,
                "I'll take this on myself.",
                ["take_responsibility", rng.choice(FIX)],
                _goto(n["close"]),
                condition=f"flag({heard})",
            )
        elif node == "close":
            ending = _branches(("loyalty >= 70 and mood >= 60", n["good"]), ("loyalty >= 45", n["fair"]), (None, n["lost"]))
            _reply(lines, "You'll hear from me by Friday.", rng.sample(CLOSE, 1), ending)
            _reply(lines, "Thanks for your patience.", ["thank_customer"], ending)
            _reply(
                lines,
                "The details are on our website.",
                ["refer_to_website"],
                _branches(("mood < 20", n["last"]), (None, n["fix"])),
                condition=f"not flag({brushed})",
                sets=brushed,
            )
        else:
            _reply(
                lines,
                "I'm sorry. Let me try again.",
                ["apologize"],
                _branches(("used(apologize) and mood < 10", n["lost"]), (None, n["close"])),
            )
            _reply(lines, "Take it or leave it.", [rng.choice(BAD)], _goto(n["lost"]))
            _reply(lines, "Let me get my manager.", ["warm_transfer"], _goto(n["fair"]))
    for node, words in (("good", "Thank you, that helps a lot."), ("fair", "Fine, I suppose."), ("lost", "I have heard enough.")):
        lines += [f"  {n[node]}:", f"    say: {_quote(words)}", "    end: true"]


def generate_story(node_count: int, seed: int = 1) -> str:
    """YAML text of a story with about ``node_count`` nodes (never fewer)."""
    rng = random.Random(seed)
    scenes = max(1, round(node_count / (SCENE_NODES + 1 / (TOPIC_FANOUT - 1))))
    lines = [
        f"title: Generated story of {node_count} nodes",
        "summary: Many callers' topics side by side, each a scene with loops and conditions.",
        "customer:",
        "  name: Caller",
        "  about: Calls about one of many topics.",
        "  mood: 45",
        "  loyalty: 50",
        "start: topic_0",
        "walkout: hangs_up",
        "nodes:",
        "  hangs_up:",
        "    say: \"That's it, I'm done.\"",
        "    end: true",
    ]
    # A tree of topic questions whose leaves are the scenes.
    leaves = [f"scene{i}_open" for i in range(scenes)]
    level = leaves
    hub_number = 0
    hubs: list[tuple[str, list[str]]] = []
    while len(level) > 1:
        parents = []
        for first in range(0, len(level), TOPIC_FANOUT):
            name = f"topic_{hub_number + 1}"
            hub_number += 1
            hubs.append((name, level[first : first + TOPIC_FANOUT]))
            parents.append(name)
        level = parents
    root = level[0]
    lines += [
        "  topic_0:",
        '    say: "I\'m calling about something."',
        "    choices:",
        '      - reply: "What is it about?"',
        "        tactics: []",
        f"        next: {root}",
    ]
    for name, children in hubs:
        lines += [f"  {name}:", '    say: "It\'s about one of these."', "    choices:"]
        for child in children:
            lines += [f"      - reply: {_quote(f'Is it {child}?')}", "        tactics: []", f"        next: {child}"]
    for index in range(scenes):
        _scene(lines, f"scene{index}_", rng)
    return "\n".join(lines) + "\n"


def generate_looping_story(node_count: int, seed: int = 1) -> str:
    """YAML text of a story of ``node_count`` nodes (four of them endings) where every reply
    carries one or two tactics drawn from the whole rulebook and the second and third reply
    of each node go back to an earlier node (or the same one) half the time; some replies
    are offered only above a mood, some set a flag, some branch back when mood is low."""
    rng = random.Random(seed)
    tactics = sorted(default_rulebook().tactics)
    talk = node_count - 4
    lines = [
        f"title: Looping story of {node_count} nodes",
        "summary: Every reply tagged; many replies loop back.",
        "customer:",
        "  name: Caller",
        "  about: Calls with a problem.",
        "  mood: 40",
        "  loyalty: 50",
        "start: n0",
        "walkout: hangs_up",
        "nodes:",
    ]
    ending = [
        "        next:",
        "          - if: loyalty >= 70 and mood >= 60",
        "            goto: thrilled",
        "          - if: loyalty >= 45",
        "            goto: settled",
        "          - goto: unhappy",
    ]
    for i in range(talk):
        lines += [f"  n{i}:", f"    say: {_quote(f'Point {i}: what now?')}", "    choices:"]
        for r in range(3):
            lines.append(f"      - reply: {_quote(f'Reply {r + 1} at point {i}.')}")
            if r == 2 and rng.random() < 0.3:
                lines.append(f"        if: mood >= {rng.choice([30, 40, 50])}")
            lines.append(f"        tactics: [{', '.join(rng.sample(tactics, rng.choice([1, 2])))}]")
            if r == 1 and rng.random() < 0.3:
                lines.append(f"        set: [heard_{i}]")
            if r > 0 and i > 0 and rng.random() < 0.5:
                lines.append(f"        next: n{rng.choice([0, i, rng.randrange(i)])}")
                continue
            forward = i + rng.randint(1, 3)
            if forward >= talk:
                lines += ending
            elif rng.random() < 0.2 and i > 0:
                lines += [
                    "        next:",
                    "          - if: mood < 20",
                    f"            goto: n{rng.randrange(i)}",
                    f"          - goto: n{forward}",
                ]
            else:
                lines.append(f"        next: n{forward}")
    for name, words in (
        ("thrilled", "That was great."),
        ("settled", "Fine."),
        ("unhappy", "Not good enough."),
        ("hangs_up", "I'm done."),
    ):
        lines += [f"  {name}:", f"    say: {_quote(words)}", "    end: true"]
    return "\n".join(lines) + "\n"


def kettle_with_start_over(loops: int = 5) -> str:
    """The bundled cracked-kettle with "Sorry, can we go back over this from the start?"
    (ask_questions, back to the start) added to ``loops`` of its nodes."""
    from roleplay.play.library import resolve_story_path

    data = yaml.load(resolve_story_path("cracked-kettle").read_text(encoding="utf-8"), Loader=_CSafeLoader)
    added = 0
    for node_id, node in data["nodes"].items():
        if node_id == data["start"] or node.get("end") or not node.get("choices") or added == loops:
            continue
        node["choices"].append(
            {"reply": "Sorry, can we go back over this from the start?", "tactics": ["ask_questions"], "next": data["start"]}
        )
        added += 1
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


_ANALYSE_SCRIPT = r"""
import json, resource, sys, time
from roleplay.writing.analysis import Budget, analyze
from roleplay.rules.rulebook import default_rulebook
from roleplay.play.validation import validate_file
default_rulebook()
story = validate_file(sys.argv[1]).story
started = time.perf_counter()
report = analyze(story, budget=Budget(seconds=float(sys.argv[2]), memory_mb=float(sys.argv[3])))
print(json.dumps({
    "seconds": time.perf_counter() - started, "exact_seconds": report.seconds, "states": report.states,
    "classes": report.classes, "complete": report.complete, "stopped": report.stopped,
    "sampled": report.sampled.plays if report.sampled else 0,
    "coverage": [report.sampled.nodes_visited, report.sampled.nodes_total] if report.sampled else None,
    "sample_rate": report.sampled.replies_given / max(report.sampled.seconds, 1e-9) if report.sampled else 0,
    "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "nodes": len(story.nodes),
    "cpu": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
}))
"""


_SAMPLE_SCRIPT = r"""
import json, resource, sys, time
from roleplay.writing.analysis import Budget, StoryAnalysis
from roleplay.writing.analysis.sampling import sample
from roleplay.rules.rulebook import default_rulebook
from roleplay.play.validation import validate_file
rulebook = default_rulebook()
story = validate_file(sys.argv[1]).story
report = StoryAnalysis(story, 0, False, ladder=tuple(o.id for o in rulebook.outcomes))
cpu = time.process_time()
sample(story, rulebook, report, Budget(seconds=float(sys.argv[2]), memory_mb=float(sys.argv[3])), plays=10**9)
s = report.sampled
print(json.dumps({
    "plays": s.plays, "replies": s.replies_given, "seconds": s.seconds, "cpu": time.process_time() - cpu,
    "nodes": [s.nodes_visited, s.nodes_total], "choices": [s.replies_taken, s.replies_total],
    "endings": len(report.sampled_endings), "confirmed": s.confirmed, "disagreed": s.disagreed,
    "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def analyse_in_child(path: Path, seconds: float, memory_mb: float, script: str = _ANALYSE_SCRIPT) -> dict:
    ran = subprocess.run(
        [sys.executable, "-c", script, str(path), str(seconds), str(memory_mb)],
        capture_output=True,
        text=True,
        timeout=seconds * 3 + 120,
    )
    if ran.returncode != 0:
        raise RuntimeError(ran.stderr.strip()[-800:])
    return json.loads(ran.stdout.strip().splitlines()[-1])


def engine_replies_per_second(story_text: str, folder: Path, look_ahead: bool = False) -> tuple[float, float]:
    """The baseline: how many replies per second (of time, of processor time) the engine itself
    applies, in random plays. With ``look_ahead``, each turn first applies every reply on offer
    to see where it leads, as random plays through the engine must to head for nodes not yet
    visited (how ``analyze`` sampled before its plays ran on the compiled story)."""
    from roleplay.play.engine import Rules

    path = folder / "baseline.yaml"
    path.write_text(story_text, encoding="utf-8")
    rules = Rules(validate_file(path).story)
    rng = random.Random(3)
    replies, started, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < 1.0:
        state = rules.initial_state()
        for _ in range(200):
            offered = rules.offered(state)
            if state.finished or not offered:
                break
            number = rng.randrange(len(offered))
            if look_ahead:
                state = [rules.apply(state, choice, n)[0] for n, choice in enumerate(offered, start=1)][number]
            else:
                state, _ = rules.apply(state, offered[number], number + 1)
            replies += 1
    return replies / (time.perf_counter() - started), replies / max(time.process_time() - cpu, 1e-9)


def sample_rows(sizes: list[int], seconds: float, memory_mb: float, baseline: float, folder: Path) -> None:
    """Random plays alone, for ``seconds`` each, on the looping stories: their speed against the
    engine's (the baseline: what sampling through the engine could at most do) and their coverage."""
    _, through_engine = engine_replies_per_second(generate_looping_story(25), folder, look_ahead=True)
    print(
        f"Random plays alone, {seconds:g} s on each looping story (sampling, as analyze does past its budget); "
        f"through the engine, looking ahead at every reply: {through_engine:,.0f} replies per processor second"
    )
    print(
        f"{'story':>30} {'plays':>8} {'replies':>10} {'replies/s':>10} {'cpu/s':>10} {'vs engine':>9} {'vs before':>9} "
        f"{'nodes':>9} {'replies':>9} {'endings':>7} {'confirmed':>9} {'peak':>7}"
    )
    for size in sizes:
        path = folder / "story.yaml"
        path.write_text(generate_looping_story(size), encoding="utf-8")
        row = analyse_in_child(path, seconds, memory_mb, _SAMPLE_SCRIPT)
        rate, cpu_rate = row["replies"] / max(row["seconds"], 1e-9), row["replies"] / max(row["cpu"], 1e-9)
        print(
            f"{f'looping, {size} nodes':>30} {row['plays']:>8,} {row['replies']:>10,} {rate:>10,.0f} {cpu_rate:>10,.0f} "
            f"{cpu_rate / baseline:>8.1f}x {cpu_rate / through_engine:>8.1f}x {row['nodes'][0]:>4}/{row['nodes'][1]:<4} {row['choices'][0]:>4}/{row['choices'][1]:<4} "
            f"{row['endings']:>7} {row['confirmed']:>4} ({row['disagreed']} no) {row['peak_kb'] / 1e3:>5.0f}MB"
        )
    print("replies/s: over the time taken; cpu/s: over processor time; vs engine: cpu/s over the engine's own replies")
    print("per processor second in the same run; vs before: over random plays through the engine that look ahead (the")
    print("way analyze sampled before); nodes, replies: coverage (visited or given, of all); confirmed:")
    print("routes the report would list, replayed through the engine and found to end where the plays said")
    print()


def loop_rows(sizes: list[int], seconds: float, memory_mb: float, sample_seconds: float = 5.0) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        baseline, baseline_cpu = engine_replies_per_second(generate_looping_story(25), folder)
        cases = [("cracked-kettle + 5 start-over", kettle_with_start_over(5))]
        cases += [(f"looping, {size} nodes", generate_looping_story(size)) for size in sizes]
        print(
            f"Looping stories, every reply tagged (budget {seconds:g} s, {memory_mb:g} MB; engine baseline "
            f"{baseline:,.0f} replies/s)"
        )
        print(
            f"{'story':>30} {'nodes':>6} {'states':>12} {'histories':>10} {'time':>8} {'cpu':>8} {'peak':>8} {'states/s':>10} "
            f"{'vs engine':>9} {'states/node':>11} {'ms/node':>8} {'MB/node':>8}  result"
        )
        previous = None
        for label, text in cases:
            path = folder / "story.yaml"
            path.write_text(text, encoding="utf-8")
            row = analyse_in_child(path, seconds, memory_mb)
            nodes, states = row["nodes"], row["states"]
            rate = states / max(row["exact_seconds"], 1e-9)
            result = (
                "exact"
                if row["complete"]
                else (
                    f"stopped ({row['stopped']}); sampled {row['sampled']:,} plays, {row['coverage'][0]}/{row['coverage'][1]} nodes, "
                    f"{row['sample_rate']:,.0f} replies/s"
                )
            )
            growth = ""
            if previous is not None and label.startswith("looping"):
                growth = (
                    f", x{row['seconds'] / max(previous['seconds'], 1e-9):.1f} time for x{nodes / previous['nodes']:.1f} nodes"
                )
            print(
                f"{label:>30} {nodes:>6,} {states:>12,} {row['classes']:>10,} {row['seconds']:>7.2f}s {row['cpu']:>7.2f}s "
                f"{row['peak_kb'] / 1e3:>6.0f}MB {rate:>10,.0f} {rate / baseline:>8.1f}x {states / nodes:>11,.0f} "
                f"{row['seconds'] / nodes * 1e3:>8.2f} {row['peak_kb'] / 1e3 / nodes:>8.2f}  {result}{growth}"
            )
            if label.startswith("looping"):
                previous = row
        print("time: whole analysis in a child process (exploration, routes, report; sampling when the budget ran out);")
        print("cpu: the child's processor time (on a busy machine the time can be several times more; the budget counts time)")
        print(
            "peak: the child process's peak resident memory; vs engine: states explored per second over engine replies per second"
        )
        print("a state: a node with everything a condition or rule can still tell apart (mood, loyalty, flags read, counters,")
        print("counts of tactics some condition compares) in one play; histories: those states without mood and loyalty")
        print()
        if sample_seconds > 0:
            sample_rows(sizes, sample_seconds, memory_mb, baseline_cpu, folder)


def ink_row(size: int, repeat: int) -> None:
    from ink_side_by_side import compile_with_inkjs, load_in_child

    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / f"story-{size}.yaml"
        path.write_text(generate_story(size), encoding="utf-8")
        story = validate_file(path).story
        ours = load_in_child(path, repeat)
        ink = compile_with_inkjs(story, default_rulebook(), repeat)
        print(f"Loading {len(story.nodes):,} nodes side by side with inkjs {INKJS} (best of {repeat}):")
        print(
            f"  roleplay load + validate: {ours['seconds']:.2f} s ({ours['cpu']:.2f} s processor), peak {ours['peak_kb'] / 1e3:.0f} MB "
            f"({path.stat().st_size / 1e6:.1f} MB of YAML)"
        )
        if isinstance(ink, str):
            print(f"  inkjs: not measured: {ink}")
        else:
            print(
                f"  inkjs compile of the same story in ink: {ink['seconds']:.2f} s ({ink['cpu']:.2f} s processor), peak {ink['peak_kb'] / 1e3:.0f} MB "
                f"({ink['ink_bytes'] / 1e6:.1f} MB of ink)"
            )
            print(
                f"  roleplay is {ink['seconds'] / ours['seconds']:.1f}x faster ({ink['cpu'] / ours['cpu']:.1f}x in processor time), "
                f"with {ink['peak_kb'] / ours['peak_kb']:.1f}x less peak memory"
            )
        print()


def _timed(action):
    """(seconds, peak traced memory in bytes, result) of ``action()``; tracing slows it, so the
    seconds are not the timings reported."""
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, result


def _best_of(times: int, action) -> float:
    best = float("inf")
    for _ in range(times):
        gc.collect()
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000], help="story sizes in nodes")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; the fastest counts")
    parser.add_argument(
        "--loops",
        type=int,
        nargs="*",
        default=[25, 100, 300],
        help="sizes of the looping, all-tagged stories to analyse (none: skip them)",
    )
    parser.add_argument("--max-seconds", type=float, default=60.0, help="analysis time budget for the looping stories")
    parser.add_argument("--max-memory", type=float, default=1024.0, help="analysis memory budget (MB) for the looping stories")
    parser.add_argument(
        "--sample-seconds", type=float, default=5.0, help="random plays alone on each looping story, this long (0: skip)"
    )
    parser.add_argument("--ink", action="store_true", help="load the largest --sizes story side by side with inkjs")
    args = parser.parse_args(argv)
    default_rulebook()  # loaded once, outside the timings
    if args.loops:
        loop_rows(args.loops, args.max_seconds, args.max_memory, args.sample_seconds)
    if args.ink:
        ink_row(max(args.sizes), args.repeat)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"story-{size}.yaml"
            text = generate_story(size)
            path.write_text(text, encoding="utf-8")
            parse = _best_of(args.repeat, lambda: yaml.load(text, Loader=_CSafeLoader))
            parse_paused = _best_of(args.repeat, lambda: _parse_without_gc(text))
            load = _best_of(args.repeat, lambda: validate_file(path))
            result = validate_file(path)
            if result.story is None:
                print("\n".join(str(d) for d in result.errors), file=sys.stderr)
                return 1
            story = result.story
            analyse = _best_of(args.repeat, lambda: analyze(story))
            _, load_peak, _ = _timed(lambda: validate_file(path))
            _, analyse_peak, report = _timed(lambda: analyze(story))
            nodes = len(story.nodes)
            rows.append((size, nodes, len(text), load, parse, parse_paused, load_peak, analyse, analyse_peak, report))
    print(
        f"{'nodes':>7} {'file':>9} {'load+validate':>14} {'per node':>9} {'C parse':>9} {'ratio':>6} "
        f"{'ratio*':>7} {'analyze':>9} {'per node':>9} {'states':>9} {'states/node':>11} {'peak load':>10} {'peak analyze':>13}"
    )
    for size, nodes, length, load, parse, parse_paused, load_peak, analyse, analyse_peak, report in rows:
        print(
            f"{nodes:>7,} {length / 1e6:>7.2f}MB {load:>13.3f}s {load / nodes * 1e6:>7.0f}µs {parse:>8.3f}s "
            f"{load / parse:>6.2f} {load / parse_paused:>7.2f} {analyse:>8.3f}s {analyse / nodes * 1e6:>7.0f}µs "
            f"{report.states:>9,} {report.states / nodes:>11.1f} {load_peak / 1e6:>8.1f}MB {analyse_peak / 1e6:>11.1f}MB"
        )
    print()
    print("load+validate: roleplay.play.validation.validate_file (read, compose, check, build the model, run playtests)")
    print("C parse: yaml.load(text, Loader=yaml.CSafeLoader) on the same text; ratio = load+validate / C parse")
    print("ratio*: the same with the garbage collector paused during the C parse too, as the loader pauses it")
    print("states: (state, loyalty) pairs the analysis reached; peaks are tracemalloc's, in a separate run")
    return 0


def _parse_without_gc(text: str) -> object:
    paused = gc.isenabled()
    gc.disable()
    try:
        return yaml.load(text, Loader=_CSafeLoader)
    finally:
        if paused:
            gc.enable()


if __name__ == "__main__":
    raise SystemExit(main())
