"""``roleplay analyze STORY``: every way through a story, its endings, and what no play reaches."""

from __future__ import annotations

import argparse
import sys

from roleplay.commands.common import display_path, load_for_command, print_json
from roleplay.i18n import N_, Deferred, _, format_number, ngettext, translate
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
from roleplay.writing.analysis.report import WALKED_OUT, EndingReport

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
        print("roleplay analyze: " + _("interrupted"), file=sys.stderr)
        return 130
    if report.interrupted:
        print("roleplay analyze: " + _("interrupted; the report above has what was found so far"), file=sys.stderr)
        return 130
    if not report.good_outcome:
        good = _(" or ").join(o for o in report.ladder if o in report.good)
        found = (
            _("no play reaches a good outcome ({outcomes})")
            if report.complete
            else _("no play explored or sampled reached a good outcome ({outcomes})")
        )
        print("roleplay analyze: " + found.format(outcomes=good), file=sys.stderr)
        return 1
    return 1 if args.strict and report.problems else 0


NO_ROUTE = Deferred(N_("(no route worked out within the budget)"))
NO_REPLIES = Deferred(N_("(no replies)"))


def choose(picks: tuple[int, ...] | None, whole: bool = False) -> str:
    """Picks as 'roleplay run --choose' takes them; long ones shortened unless ``whole``.

    What is not a list of numbers is :class:`Deferred` English (``--json`` keeps it so); a
    shortened list says how long it is in the interface language.
    """
    if picks is None:
        return NO_ROUTE
    if not picks:
        return NO_REPLIES
    if whole or len(picks) <= CHOOSE_SHOWN:
        return ",".join(str(p) for p in picks)
    head, tail = picks[: CHOOSE_SHOWN - 6], picks[-4:]
    count = ngettext("({count} pick; --json lists them all)", "({count} picks; --json lists them all)", len(picks))
    return (
        ",".join(str(p) for p in head)
        + ",…,"
        + ",".join(str(p) for p in tail)
        + " "
        + count.format(count=format_number(len(picks)))
    )


def problems(report: StoryAnalysis, whole: bool = False) -> list[tuple[Location, str]]:
    """Every problem with the place in the file it concerns, in file order (with long pick
    sequences shortened unless ``whole``). The messages are :class:`Deferred` English:
    ``--json`` writes them as they are, the text report in the interface language."""
    story: Story = report.story
    nodes = story.nodes
    found: list[tuple[Location, str]] = []
    for node_id in report.unreached_nodes:
        found.append((nodes[node_id].location, Deferred(N_("node {node!r} is never reached by any play"), node=node_id)))
    for node_id in report.unreached_endings:
        if node_id == story.walkout:
            message = Deferred(
                N_("the walkout ending {node!r} is never reached: no play makes the customer walk out"), node=node_id
            )
        else:
            message = Deferred(N_("ending {node!r} is never reached by any play"), node=node_id)
        found.append((nodes[node_id].location, message))
    for node_id, number in report.never_offered:
        choice = nodes[node_id].choices[number - 1]
        if choice.condition is not None:
            message = Deferred(
                N_("reply {number} of node {node!r} is never offered: its 'if' ({condition}) never holds there"),
                number=number,
                node=node_id,
                condition=choice.condition,
            )
        else:
            message = Deferred(N_("reply {number} of node {node!r} is never offered"), number=number, node=node_id)
        found.append((choice.location, message))
    for branch in report.never_taken:
        location = nodes[branch.node].choices[branch.reply - 1].branches[branch.branch - 1].location
        found.append(
            (
                location,
                Deferred(
                    N_("branch {branch} of reply {reply} of node {node!r} (if {condition}, goto {goto}) is never taken"),
                    branch=branch.branch,
                    reply=branch.reply,
                    node=branch.node,
                    condition=branch.condition,
                    goto=branch.goto,
                ),
            )
        )
    for stop in report.no_way_out:
        found.append((nodes[stop.node].location, _stop_message(stop.node, stop.reason, choose(stop.picks, whole))))
    for stop in report.dead_ends:
        location = nodes[stop.node].location if stop.node in nodes else Location(story.path)
        found.append((location, _stop_message(stop.node, stop.reason, choose(stop.picks, whole))))
    audit = report.audit
    if audit is not None:
        top = audit.top_outcome
        for marked in audit.marked_tops:
            found.append(
                (
                    nodes[marked.ending].location if marked.ending in nodes else Location(story.path),
                    Deferred(
                        N_(
                            "lesson: a play reaches {outcome} at {ending!r} after a reply the articles warn against "
                            "(--choose {picks})"
                        ),
                        outcome=top,
                        ending=marked.ending,
                        picks=choose(marked.picks, whole),
                    ),
                )
            )
        if audit.clean_top is None and audit.complete:
            reached = any(ending.outcome == top for ending in report.endings)
            found.append(
                (
                    Location(story.path),
                    Deferred(N_("lesson: no play reaches {outcome} without a reply the articles warn against"), outcome=top)
                    if reached
                    else Deferred(
                        N_("lesson: no play reaches {outcome}; a learner who answers as the articles advise should be able to"),
                        outcome=top,
                    ),
                )
            )
        for wrong in audit.contradictions:
            found.append(
                (
                    nodes[wrong.ending].location,
                    Deferred(
                        N_(
                            "lesson: ending {ending!r} says its words fit {fits}, but a play ends there on {outcome} (--choose {picks})"
                        ),
                        ending=wrong.ending,
                        fits=", ".join(wrong.fits),
                        outcome=wrong.outcome,
                        picks=choose(wrong.picks, whole),
                    ),
                )
            )
        for flag, where in audit.unread_flags:
            found.append(
                (
                    where,
                    Deferred(
                        N_("lesson: the flag {flag!r} is set but no condition reads it; read it in an 'if' or remove it"),
                        flag=flag,
                    ),
                )
            )
    if not report.complete:
        for reason in report.incomplete_reasons:
            found.append((Location(story.path), Deferred(N_("the analysis is incomplete: {reason}"), reason=reason)))
    found.sort(key=lambda item: (item[0].line, item[0].column))
    return [(Location(display_path(where.path), where.line, where.column), message) for where, message in found]


def _stop_message(node: str, reason: str, picks: str) -> Deferred:
    return Deferred(N_("node {node!r}: {reason} (--choose {picks})"), node=node, reason=reason, picks=picks)


def _endings_table(endings: list[EndingReport]) -> None:
    rows = [(_("outcome"), _("ending"), _("mood on arrival"), _("shortest picks"))]
    for ending in endings:
        mood = str(ending.mood_min) if ending.mood_min == ending.mood_max else f"{ending.mood_min}-{ending.mood_max}"
        name = translate(ending.ending)
        if ending.walked_out and not ending.ending.startswith("("):
            name += " " + translate(WALKED_OUT)
        rows.append((ending.outcome, name, mood, translate(choose(ending.picks))))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3])


def print_report(report: StoryAnalysis) -> None:
    story = report.story
    print(f"{story.title} ({display_path(story.path)})")
    states = ngettext("{count} state", "{count} states", report.states).format(count=format_number(report.states))
    histories = ngettext("{count} history told apart", "{count} histories told apart", report.classes).format(
        count=format_number(report.classes)
    )
    explored = f"{states} ({histories})"
    if report.complete:
        print(_("{explored} explored: every way through the story.").format(explored=explored))
    else:
        print(
            _("The exact exploration did not finish: {reason} after {seconds} s, with {explored} explored.").format(
                reason=translate(report.stopped or ""), seconds=format_number(report.seconds, decimals=1), explored=explored
            )
        )
        print(
            _(
                "What it lists is certain (every route is real and the shortest there is); what it did not reach "
                "is not claimed to be unreachable, so unreached nodes, replies and branches and loops with no way out "
                "are not checked."
            )
        )
    print(
        _(
            "(A state is a node, a mood, a loyalty and what else some condition or rule can still tell apart, "
            "so plays in one state go on alike; a history is a state without its mood and loyalty.)"
        )
    )
    print()
    if report.endings:
        print(
            _("Endings reached, best outcome first:")
            if report.complete
            else _("Endings the exact exploration reached, best outcome first:")
        )
        _endings_table(report.endings)
        print()
    elif report.complete:
        print(_("No play reaches an ending."))
        print()
    sampled = report.sampled
    if sampled is not None:
        plays = ngettext(
            "Sampled: {count} random play in {seconds} s (seed {seed}).",
            "Sampled: {count} random plays in {seconds} s (seed {seed}).",
            sampled.plays,
        ).format(count=format_number(sampled.plays), seconds=format_number(sampled.seconds, decimals=1), seed=sampled.seed)
        nodes = ngettext(
            "Coverage: {visited} of {total} node visited,", "Coverage: {visited} of {total} nodes visited,", sampled.nodes_total
        ).format(visited=format_number(sampled.nodes_visited), total=format_number(sampled.nodes_total))
        replies = ngettext("{taken} of {total} reply given.", "{taken} of {total} replies given.", sampled.replies_total).format(
            taken=format_number(sampled.replies_taken), total=format_number(sampled.replies_total)
        )
        print(f"{plays} {nodes} {replies}")
        rate = sampled.replies_given / sampled.seconds if sampled.seconds > 0 else 0.0
        given = ngettext(
            "{count} reply in all ({rate} a second);", "{count} replies in all ({rate} a second);", sampled.replies_given
        ).format(count=format_number(sampled.replies_given), rate=format_number(rate, decimals=0))
        confirmed = (
            ngettext(
                "{count} route listed from them, each replayed through the engine and confirmed.",
                "{count} routes listed from them, each replayed through the engine and confirmed.",
                sampled.confirmed,
            ).format(count=format_number(sampled.confirmed))
            if sampled.confirmed
            else _("no route is listed from them.")
        )
        print(f"  {given} {confirmed}")
        if sampled.disagreed:
            print(
                "  "
                + ngettext(
                    "{count} route the engine did not confirm is left out.",
                    "{count} routes the engine did not confirm are left out.",
                    sampled.disagreed,
                ).format(count=format_number(sampled.disagreed))
            )
        if sampled.unfinished:
            print(
                "  "
                + ngettext(
                    "{count} play was cut off at {limit} replies without reaching an ending.",
                    "{count} plays were cut off at {limit} replies without reaching an ending.",
                    sampled.unfinished,
                ).format(count=format_number(sampled.unfinished), limit=format_number(sampled.turn_limit))
            )
        if report.sampled_endings:
            print("  " + _("Endings only the sampled plays reached (sampled, so the picks are not always the shortest):"))
            _endings_table(report.sampled_endings)
        else:
            print("  " + _("The sampled plays reached no ending and outcome that the exact exploration had not."))
        print()
    labels = (_("Best outcome:"), _("Worst outcome:"))
    width = max(len(label) for label in labels)
    for label, route in zip(labels, (report.best, report.worst), strict=True):
        if route is not None:
            reached = _("{outcome} at {ending} (mood {mood}, loyalty {loyalty}):").format(
                outcome=route.outcome, ending=translate(route.ending), mood=route.mood, loyalty=route.loyalty
            )
            print(f"{label:<{width}} {reached} roleplay run {display_path(story.path)} --choose {translate(choose(route.picks))}")
    print()
    audit = report.audit
    if audit is not None:
        if audit.clean_top is not None:
            print(
                _("Lesson audit: {outcome} is reachable with no reply the articles warn against: --choose {picks}").format(
                    outcome=audit.top_outcome, picks=translate(choose(audit.clean_top))
                )
            )
        elif audit.complete:
            print(
                _("Lesson audit: {outcome} is not reachable without a reply the articles warn against.").format(
                    outcome=audit.top_outcome
                )
            )
        else:
            print(
                _(
                    "Lesson audit: no play explored or sampled reached {outcome} without a reply the articles warn against."
                ).format(outcome=audit.top_outcome)
            )
        if audit.undeclared_endings:
            print(
                _(
                    "Endings that do not say which outcomes their words fit, so the audit cannot check them "
                    "(add 'outcomes: [...]'): {endings}"
                ).format(endings=", ".join(audit.undeclared_endings))
            )
        print()
    found = problems(report)
    if found:
        print(_("Problems:"))
        for where, message in found:
            print(f"{where}: {translate(message)}")
        print(
            ngettext(
                "{count} problem (--strict exits 1 on any).", "{count} problems (--strict exits 1 on any).", len(found)
            ).format(count=format_number(len(found)))
        )
    elif report.complete:
        print(_("No problems: every node, reply, branch and ending is reached, and every play can finish."))


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
