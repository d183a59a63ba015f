"""``roleplay analyze STORY``: every way through a story, its endings, and what no play reaches."""

from __future__ import annotations

import argparse
import sys

from roleplay.analysis import GOOD_OUTCOMES, StoryAnalysis, analyze
from roleplay.commands.common import display_path, load_for_command, print_json
from roleplay.diagnostics import Location
from roleplay.model import Story


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="explore every way through a story: endings, outcomes, and what is never reached",
        description=(
            "Explore every reachable state of STORY (a file, or a bundled story's name) and report each "
            "ending and outcome that can be reached, with the mood on arrival and a shortest sequence of "
            "picks (as 'roleplay run --choose' takes it); the best and worst outcomes; and nodes, replies, "
            "branches and endings no play reaches, loops with no way out and dead ends. Exit 1 when no "
            "play reaches a good outcome (" + " or ".join(sorted(GOOD_OUTCOMES, reverse=True)) + "), or, "
            "with --strict, when any problem is found; 1 also when the story has errors."
        ),
    )
    parser.add_argument("story", metavar="STORY")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any problem is found")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    story = load_for_command(args.story)
    if story is None:
        return 1
    report = analyze(story)
    if args.json:
        print_json(report_json(report))
    else:
        print_report(report)
    if not report.good_outcome:
        print(
            "roleplay analyze: no play reaches a good outcome "
            f"({' or '.join(sorted(GOOD_OUTCOMES, reverse=True))})",
            file=sys.stderr,
        )
        return 1
    return 1 if args.strict and report.problems else 0


def choose(picks: tuple[int, ...]) -> str:
    """Picks as 'roleplay run --choose' takes them."""
    return ",".join(str(p) for p in picks) if picks else "(no replies)"


def problems(report: StoryAnalysis) -> list[tuple[Location, str]]:
    """Every problem with the place in the file it concerns, in file order."""
    story: Story = report.story
    nodes = story.nodes
    found: list[tuple[Location, str]] = []
    for node_id in report.unreached_nodes:
        found.append((nodes[node_id].location, f"node {node_id!r} is never reached by any play"))
    for node_id in report.unreached_endings:
        if node_id == story.walkout:
            message = f"the walkout ending {node_id!r} is never reached: no play makes the customer walk out"
        else:
            message = f"ending {node_id!r} is never reached by any play"
        found.append((nodes[node_id].location, message))
    for node_id, number in report.never_offered:
        choice = nodes[node_id].choices[number - 1]
        condition = f": its 'if' ({choice.condition}) never holds there" if choice.condition is not None else ""
        found.append((choice.location, f"reply {number} of node {node_id!r} is never offered{condition}"))
    for branch in report.never_taken:
        location = nodes[branch.node].choices[branch.reply - 1].branches[branch.branch - 1].location
        found.append(
            (
                location,
                f"branch {branch.branch} of reply {branch.reply} of node {branch.node!r} "
                f"(if {branch.condition}, goto {branch.goto}) is never taken",
            )
        )
    for stop in report.no_way_out:
        found.append((nodes[stop.node].location, f"node {stop.node!r}: {stop.reason} (--choose {choose(stop.picks)})"))
    for stop in report.dead_ends:
        location = nodes[stop.node].location if stop.node in nodes else Location(story.path)
        found.append((location, f"node {stop.node!r}: {stop.reason} (--choose {choose(stop.picks)})"))
    audit = report.audit
    if audit is not None:
        top = audit.top_outcome
        for marked in audit.marked_tops:
            found.append(
                (nodes[marked.ending].location if marked.ending in nodes else Location(story.path),
                 f"lesson: a play reaches {top} at {marked.ending!r} after a reply the articles warn against (--choose {choose(marked.picks)})")
            )
        if audit.clean_top is None:
            reached = any(ending.outcome == top for ending in report.endings)
            found.append(
                (Location(story.path),
                 f"lesson: no play reaches {top} without a reply the articles warn against" if reached
                 else f"lesson: no play reaches {top}; a learner who answers as the articles advise should be able to")
            )
        for wrong in audit.contradictions:
            found.append(
                (nodes[wrong.ending].location,
                 f"lesson: ending {wrong.ending!r} says its words fit {', '.join(wrong.fits)}, but a play ends there on {wrong.outcome} (--choose {choose(wrong.picks)})")
            )
        for flag, where in audit.unread_flags:
            found.append((where, f"lesson: the flag {flag!r} is set but no condition reads it; read it in an 'if' or remove it"))
    if not report.complete:
        for reason in report.incomplete_reasons:
            found.append((Location(story.path), f"the analysis is incomplete: {reason}"))
    found.sort(key=lambda item: (item[0].line, item[0].column))
    return [(Location(display_path(where.path), where.line, where.column), message) for where, message in found]


def print_report(report: StoryAnalysis) -> None:
    story = report.story
    print(f"{story.title} ({display_path(story.path)})")
    scope = "every way through the story" if report.complete else "incomplete, see the problems below"
    print(f"{report.states:,} states explored: {scope}.")
    print()
    if report.endings:
        print("Endings reached, best outcome first:")
        rows = [("outcome", "ending", "mood on arrival", "shortest picks")]
        for ending in report.endings:
            mood = str(ending.mood_min) if ending.mood_min == ending.mood_max else f"{ending.mood_min}-{ending.mood_max}"
            name = ending.ending + (" (walked out)" if ending.walked_out and not ending.ending.startswith("(") else "")
            rows.append((ending.outcome, name, mood, choose(ending.picks)))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])
        print()
    else:
        print("No play reaches an ending.")
        print()
    for label, route in (("Best outcome: ", report.best), ("Worst outcome:", report.worst)):
        if route is not None:
            print(
                f"{label} {route.outcome} at {route.ending} (mood {route.mood}, loyalty {route.loyalty}): "
                f"roleplay run {display_path(story.path)} --choose {choose(route.picks)}"
            )
    print()
    audit = report.audit
    if audit is not None:
        if audit.clean_top is not None:
            print(f"Lesson audit: {audit.top_outcome} is reachable with no reply the articles warn against: --choose {choose(audit.clean_top)}")
        else:
            print(f"Lesson audit: {audit.top_outcome} is not reachable without a reply the articles warn against.")
        if audit.undeclared_endings:
            print(
                "Endings that do not say which outcomes their words fit, so the audit cannot check them "
                f"(add 'outcomes: [...]'): {', '.join(audit.undeclared_endings)}"
            )
        print()
    found = problems(report)
    if found:
        print("Problems:")
        for where, message in found:
            print(f"{where}: {message}")
        print(f"{len(found)} problem{'s' * (len(found) != 1)} (--strict exits 1 on any).")
    else:
        print("No problems: every node, reply, branch and ending is reached, and every play can finish.")


def report_json(report: StoryAnalysis) -> dict:
    story = report.story
    return {
        "story": display_path(story.path),
        "title": story.title,
        "states": report.states,
        "complete": report.complete,
        "incomplete_reasons": list(report.incomplete_reasons),
        "endings": [ending.to_json() for ending in report.endings],
        "outcomes": report.outcomes,
        "good_outcome": report.good_outcome,
        "best": report.best.to_json() if report.best else None,
        "worst": report.worst.to_json() if report.worst else None,
        "unreached_nodes": list(report.unreached_nodes),
        "unreached_endings": list(report.unreached_endings),
        "never_offered": [{"node": node, "reply": number} for node, number in report.never_offered],
        "never_taken": [branch.to_json() for branch in report.never_taken],
        "no_way_out": [stop.to_json() for stop in report.no_way_out],
        "dead_ends": [stop.to_json() for stop in report.dead_ends],
        "audit": report.audit.to_json() if report.audit is not None else None,
        "problems": [
            {"path": where.path, "line": where.line, "column": where.column, "message": message}
            for where, message in problems(report)
        ],
    }
