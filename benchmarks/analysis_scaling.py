"""How loading, validating and analysing a story scale with its size.

Run it from the repository root::

    .venv/bin/python benchmarks/analysis_scaling.py            # 100, 1,000 and 10,000 nodes
    .venv/bin/python benchmarks/analysis_scaling.py --sizes 100 1000

It writes generated stories to a temporary folder, then for each size prints
the time to load and validate the file and the time to analyse it, both per
node (these should stay roughly flat as the story grows), how load + validate
compares with a bare parse of the same file by PyYAML's C loader, the number
of states the analysis explored, and the peak memory of each step.

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
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

try:
    from yaml import CSafeLoader as _CLoader
except ImportError:  # pragma: no cover
    sys.exit("PyYAML was built without its C extension; the comparison needs it")

from roleplay.analysis import analyze
from roleplay.rulebook import default_rulebook
from roleplay.validation import validate_file

SCENE_NODES = 8
"""Nodes in one scene: five with replies and three endings."""

TOPIC_FANOUT = 4
"""Topics offered at each level of the topic tree."""

HEAR = ["listen", "ask_questions", "empathize", "explore_together"]
SOOTHE = ["apologize", "stay_calm", "thank_customer", "reassure", "take_responsibility"]
FIX = ["offer_solution", "offer_alternative", "offer_compensation", "offer_new_terms", "keep_promise"]
CLOSE = ["set_deadline", "give_contact", "thank_customer", "positive_framing"]
BAD = ["blame_supplier", "make_excuses", "refer_to_website", "dismiss_problem", "get_defensive", "interrupt",
       "negative_tone", "cite_contract", "blame_management", "cold_transfer"]
HARSH = ["dismiss_problem", "tell_wrong", "delay_reply", "retaliate"]
RISKY = ["make_promise", "reckless_promise", "agree_when_wrong", "give_in", "break_rule"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reply(lines: list[str], text: str, tactics: list[str], next_lines: list[str], condition: str | None = None,
           sets: str | None = None) -> None:
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
    for node, say in (("open", "This is not what I paid for."), ("hear", "Are you even listening?"),
                      ("fix", "So what are you going to do?"), ("close", "Is that it, then?"),
                      ("last", "I'm running out of patience.")):
        lines += [f"  {n[node]}:", f"    say: {_quote(say)}", "    choices:"]
        if node == "open":
            _reply(lines, "Tell me what happened.", rng.sample(HEAR, 1), _goto(n["hear"]))
            bad = rng.choice(HARSH)
            _reply(lines, "That's not our fault.", [bad], _branches((f"mood < {low}", n["lost"]), (None, n["open"])))
            _reply(lines, "I can fix that now.", rng.sample(FIX, 1), _goto(n["close"]), condition="mood >= 50")
        elif node == "hear":
            _reply(lines, "I see why that matters.", rng.sample(SOOTHE, 1), _goto(n["fix"]), sets=heard)
            _reply(lines, "Go on.", ["ask_questions"], _goto(n["fix"]), sets=heard)
            _reply(lines, "Let's not dwell on it.", [rng.choice(BAD)], _branches((f"mood < {low + 5}", n["last"]), (None, n["fix"])))
        elif node == "fix":
            _reply(lines, "Here is what I will do.", rng.sample(FIX, 1), _goto(n["close"]))
            _reply(lines, "I promise it will be sorted.", [rng.choice(RISKY)], _goto(n["close"]))
            _reply(lines, "I'll take this on myself.", ["take_responsibility", rng.choice(FIX)], _goto(n["close"]),
                   condition=f"flag({heard})")
        elif node == "close":
            ending = _branches(("loyalty >= 70 and mood >= 60", n["good"]), ("loyalty >= 45", n["fair"]), (None, n["lost"]))
            _reply(lines, "You'll hear from me by Friday.", rng.sample(CLOSE, 1), ending)
            _reply(lines, "Thanks for your patience.", ["thank_customer"], ending)
            _reply(lines, "The details are on our website.", ["refer_to_website"],
                   _branches(("mood < 20", n["last"]), (None, n["fix"])), condition=f"not flag({brushed})", sets=brushed)
        else:
            _reply(lines, "I'm sorry. Let me try again.", ["apologize"], _branches(("used(apologize) and mood < 10", n["lost"]), (None, n["close"])))
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
            hubs.append((name, level[first:first + TOPIC_FANOUT]))
            parents.append(name)
        level = parents
    root = level[0]
    lines += ["  topic_0:", "    say: \"I'm calling about something.\"", "    choices:",
              "      - reply: \"What is it about?\"", "        tactics: []", f"        next: {root}"]
    for name, children in hubs:
        lines += [f"  {name}:", "    say: \"It's about one of these.\"", "    choices:"]
        for child in children:
            lines += [f"      - reply: {_quote(f'Is it {child}?')}", "        tactics: []", f"        next: {child}"]
    for index in range(scenes):
        _scene(lines, f"scene{index}_", rng)
    return "\n".join(lines) + "\n"


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
    args = parser.parse_args(argv)
    default_rulebook()  # loaded once, outside the timings
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"story-{size}.yaml"
            text = generate_story(size)
            path.write_text(text, encoding="utf-8")
            parse = _best_of(args.repeat, lambda: yaml.load(text, Loader=_CLoader))
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
    print(f"{'nodes':>7} {'file':>9} {'load+validate':>14} {'per node':>9} {'C parse':>9} {'ratio':>6} "
          f"{'ratio*':>7} {'analyze':>9} {'per node':>9} {'states':>9} {'states/node':>11} {'peak load':>10} {'peak analyze':>13}")
    for size, nodes, length, load, parse, parse_paused, load_peak, analyse, analyse_peak, report in rows:
        print(
            f"{nodes:>7,} {length / 1e6:>7.2f}MB {load:>13.3f}s {load / nodes * 1e6:>7.0f}µs {parse:>8.3f}s "
            f"{load / parse:>6.2f} {load / parse_paused:>7.2f} {analyse:>8.3f}s {analyse / nodes * 1e6:>7.0f}µs "
            f"{report.states:>9,} {report.states / nodes:>11.1f} {load_peak / 1e6:>8.1f}MB {analyse_peak / 1e6:>11.1f}MB"
        )
    print()
    print("load+validate: roleplay.validation.validate_file (read, compose, check, build the model, run playtests)")
    print("C parse: yaml.load(text, Loader=yaml.CSafeLoader) on the same text; ratio = load+validate / C parse")
    print("ratio*: the same with the garbage collector paused during the C parse too, as the loader pauses it")
    print("states: (state, loyalty) pairs the analysis reached; peaks are tracemalloc's, in a separate run")
    return 0


def _parse_without_gc(text: str) -> object:
    paused = gc.isenabled()
    gc.disable()
    try:
        return yaml.load(text, Loader=_CLoader)
    finally:
        if paused:
            gc.enable()


if __name__ == "__main__":
    raise SystemExit(main())
