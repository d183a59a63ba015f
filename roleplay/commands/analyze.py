"""``roleplay analyze STORY``: every way through a story, its endings, and what no play reaches."""

from __future__ import annotations

import argparse
import sys

from roleplay.commands.common import display_path, load_for_command, print_json
from roleplay.i18n import _
from roleplay.parsing.diagnostics import Location
from roleplay.rules.rulebook import default_rulebook
from roleplay.story.model import Story
from roleplay.writing.analysis import (
    DEFAULT_MEMORY_MB,
    DEFAULT_PLAYS,
    DEFAULT_SECONDS,
    Budget,
    StoryAnalysis,
    analyze,
)
from roleplay.writing.analysis.report import EndingReport

CHOOSE_SHOWN = 24
"""Longer pick sequences are shortened in the text report (``--json`` always lists them whole)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help=_("explore every way through a story: endings, outcomes, and what is never reached"),
        description=_(
            "Explore every reachable state of STORY (a file, or a bundled story's name) and report each "
            "ending and outcome that can be reached, with the mood on arrival and a shortest sequence of "
            "picks (as 'roleplay run --choose' takes it); the best and worst outcomes; nodes, replies, "
            "branches and endings no play reaches, loops with no way out and dead ends; and the lesson audit. "
            "Past its time or memory budget the exploration stops, the report keeps what is certain and "
            "random plays (labelled as sampled, with coverage) fill in the rest. Progress shows on stderr "
            "once a run passes one second; Ctrl-C prints what was found so far and exits 130. Exit 1 when no "
            "play reaches a good outcome ({good}), or, "
            "with --strict, when any problem is found (an analysis that did not finish counts as one); "
            "1 also when the story has errors."
        ).format(good=" / ".join(o.id for o in default_rulebook().outcomes if o.tone == "good")),
    )
    parser.add_argument("story", metavar="STORY", help=_("a story file, or the name of a bundled story"))
    parser.add_argument("--json", action="store_true", help=_("print one JSON object instead of text"))
    parser.add_argument("--strict", action="store_true", help=_("exit 1 when any problem is found"))
    parser.add_argument(
        "--max-seconds",
        type=_positive,
        default=DEFAULT_SECONDS,
        metavar="S",
        help=_("time budget of the exact exploration, in seconds (default {seconds})").format(seconds=f"{DEFAULT_SECONDS:g}"),
    )
    parser.add_argument(
        "--max-memory",
        type=_positive,
        default=DEFAULT_MEMORY_MB,
        metavar="MB",
        help=_("memory budget of the whole run, in MB (default {megabytes})").format(megabytes=f"{DEFAULT_MEMORY_MB:g}"),
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=DEFAULT_PLAYS,
        metavar="N",
        help=_("random plays at most when the budget runs out (default {plays}; they get a quarter of the time budget)").format(
            plays=DEFAULT_PLAYS
        ),
    )
    parser.add_argument("--seed", type=int, default=1, metavar="N", help=_("seed of the random plays (default 1)"))
    parser.set_defaults(handler=handle)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a number: {text!r}").format(text=text)) from None
    if not value > 0:
        raise argparse.ArgumentTypeError(_("must be more than 0, not {text}").format(text=text))
    return value


class _Progress:
    """Progress lines on stderr: one line rewritten in place on a terminal, else a line every few seconds."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = False
        self.last = 0.0

    def __call__(self, line: str) -> None:
        if self.tty:
            sys.stderr.write("\r\x1b[K" + "roleplay analyze: " + line)
            sys.stderr.flush()
            self.shown = True
            return
        seconds = float(line.split(" ", 1)[0])
        if not self.shown or seconds - self.last >= 5:
            print("roleplay analyze: " + line, file=sys.stderr, flush=True)
            self.shown, self.last = True, seconds

    def done(self) -> None:
        if self.tty and self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def handle(args: argparse.Namespace) -> int:
    progress = _Progress()
    try:
        story = load_for_command(args.story)
        if story is None:
            return 1
        budget = Budget(seconds=args.max_seconds, memory_mb=args.max_memory, progress=progress)
        report = analyze(story, budget=budget, plays=max(0, args.samples), seed=args.seed)
        progress.done()
        if args.json:
            print_json(report_json(report))
        else:
            print_report(report)
    except KeyboardInterrupt:
        progress.done()
        print("roleplay analyze: interrupted", file=sys.stderr)
        return 130
    if report.interrupted:
        print("roleplay analyze: interrupted; the report above has what was found so far", file=sys.stderr)
        return 130
    if not report.good_outcome:
        found = "no play reaches" if report.complete else "no play explored or sampled reached"
        print(
            f"roleplay analyze: {found} a good outcome ({' or '.join(o for o in report.ladder if o in report.good)})",
            file=sys.stderr,
        )
        return 1
    return 1 if args.strict and report.problems else 0


def choose(picks: tuple[int, ...] | None, whole: bool = False) -> str:
    """Picks as 'roleplay run --choose' takes them; long ones shortened unless ``whole``."""
    if picks is None:
        return "(no route worked out within the budget)"
    if not picks:
        return "(no replies)"
    if whole or len(picks) <= CHOOSE_SHOWN:
        return ",".join(str(p) for p in picks)
    head, tail = picks[: CHOOSE_SHOWN - 6], picks[-4:]
    return (
        ",".join(str(p) for p in head)
        + ",…,"
        + ",".join(str(p) for p in tail)
        + f" ({len(picks):,} picks; --json lists them all)"
    )


def problems(report: StoryAnalysis, whole: bool = False) -> list[tuple[Location, str]]:
    """Every problem with the place in the file it concerns, in file order (with long pick
    sequences shortened unless ``whole``)."""
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
        found.append((nodes[stop.node].location, f"node {stop.node!r}: {stop.reason} (--choose {choose(stop.picks, whole)})"))
    for stop in report.dead_ends:
        location = nodes[stop.node].location if stop.node in nodes else Location(story.path)
        found.append((location, f"node {stop.node!r}: {stop.reason} (--choose {choose(stop.picks, whole)})"))
    audit = report.audit
    if audit is not None:
        top = audit.top_outcome
        for marked in audit.marked_tops:
            found.append(
                (
                    nodes[marked.ending].location if marked.ending in nodes else Location(story.path),
                    f"lesson: a play reaches {top} at {marked.ending!r} after a reply the articles warn against (--choose {choose(marked.picks, whole)})",
                )
            )
        if audit.clean_top is None and audit.complete:
            reached = any(ending.outcome == top for ending in report.endings)
            found.append(
                (
                    Location(story.path),
                    f"lesson: no play reaches {top} without a reply the articles warn against"
                    if reached
                    else f"lesson: no play reaches {top}; a learner who answers as the articles advise should be able to",
                )
            )
        for wrong in audit.contradictions:
            found.append(
                (
                    nodes[wrong.ending].location,
                    f"lesson: ending {wrong.ending!r} says its words fit {', '.join(wrong.fits)}, but a play ends there on {wrong.outcome} (--choose {choose(wrong.picks, whole)})",
                )
            )
        for flag, where in audit.unread_flags:
            found.append((where, f"lesson: the flag {flag!r} is set but no condition reads it; read it in an 'if' or remove it"))
    if not report.complete:
        for reason in report.incomplete_reasons:
            found.append((Location(story.path), f"the analysis is incomplete: {reason}"))
    found.sort(key=lambda item: (item[0].line, item[0].column))
    return [(Location(display_path(where.path), where.line, where.column), message) for where, message in found]


def _endings_table(endings: list[EndingReport]) -> None:
    rows = [("outcome", "ending", "mood on arrival", "shortest picks")]
    for ending in endings:
        mood = str(ending.mood_min) if ending.mood_min == ending.mood_max else f"{ending.mood_min}-{ending.mood_max}"
        name = ending.ending + (" (walked out)" if ending.walked_out and not ending.ending.startswith("(") else "")
        rows.append((ending.outcome, name, mood, choose(ending.picks)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3])


def print_report(report: StoryAnalysis) -> None:
    story = report.story
    print(f"{story.title} ({display_path(story.path)})")
    explored = f"{report.states:,} states ({report.classes:,} histories told apart)"
    if report.complete:
        print(f"{explored} explored: every way through the story.")
    else:
        print(f"The exact exploration did not finish: {report.stopped} after {report.seconds:.1f} s, with {explored} explored.")
        print(
            "What it lists is certain (every route is real and the shortest there is); what it did not reach "
            "is not claimed to be unreachable, so unreached nodes, replies and branches and loops with no way out "
            "are not checked."
        )
    print(
        "(A state is a node, a mood, a loyalty and what else some condition or rule can still tell apart, "
        "so plays in one state go on alike; a history is a state without its mood and loyalty.)"
    )
    print()
    if report.endings:
        print(
            "Endings reached, best outcome first:"
            if report.complete
            else "Endings the exact exploration reached, best outcome first:"
        )
        _endings_table(report.endings)
        print()
    elif report.complete:
        print("No play reaches an ending.")
        print()
    sampled = report.sampled
    if sampled is not None:
        print(
            f"Sampled: {sampled.plays:,} random plays in {sampled.seconds:.1f} s (seed {sampled.seed}). "
            f"Coverage: {sampled.nodes_visited:,} of {sampled.nodes_total:,} nodes visited, "
            f"{sampled.replies_taken:,} of {sampled.replies_total:,} replies given."
        )
        rate = sampled.replies_given / sampled.seconds if sampled.seconds > 0 else 0.0
        confirmed = (
            f"{sampled.confirmed:,} routes listed from them, each replayed through the engine and confirmed."
            if sampled.confirmed
            else "no route is listed from them."
        )
        print(f"  {sampled.replies_given:,} replies in all ({rate:,.0f} a second); {confirmed}")
        if sampled.disagreed:
            print(f"  {sampled.disagreed:,} routes the engine did not confirm are left out.")
        if sampled.unfinished:
            print(f"  {sampled.unfinished:,} plays were cut off at {sampled.turn_limit:,} replies without reaching an ending.")
        if report.sampled_endings:
            print("  Endings only the sampled plays reached (sampled, so the picks are not always the shortest):")
            _endings_table(report.sampled_endings)
        else:
            print("  The sampled plays reached no ending and outcome that the exact exploration had not.")
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
            print(
                f"Lesson audit: {audit.top_outcome} is reachable with no reply the articles warn against: --choose {choose(audit.clean_top)}"
            )
        elif audit.complete:
            print(f"Lesson audit: {audit.top_outcome} is not reachable without a reply the articles warn against.")
        else:
            print(
                f"Lesson audit: no play explored or sampled reached {audit.top_outcome} without a reply the articles warn against."
            )
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
    elif report.complete:
        print("No problems: every node, reply, branch and ending is reached, and every play can finish.")


def report_json(report: StoryAnalysis) -> dict[str, object]:
    story = report.story
    return {
        "story": display_path(story.path),
        "title": story.title,
        "states": report.states,
        "classes": report.classes,
        "seconds": round(report.seconds, 3),
        "complete": report.complete,
        "stopped": report.stopped,
        "interrupted": report.interrupted,
        "incomplete_reasons": list(report.incomplete_reasons),
        "endings": [ending.to_json() for ending in report.endings],
        "sampled": report.sampled.to_json() if report.sampled is not None else None,
        "sampled_endings": [ending.to_json() for ending in report.sampled_endings],
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
            for where, message in problems(report, whole=True)
        ],
    }
