"""``roleplay history [--csv | --xapi]``: the learner's finished plays, as a table, CSV, or xAPI statements."""

from __future__ import annotations

import argparse
import sys

from roleplay.commands.common import print_json
from roleplay.i18n import _

EXIT_OK = 0
EXIT_USAGE = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "history",
        help=_("the record of finished plays: a table, CSV, or xAPI statements for an LMS"),
        description=_(
            "Print every finished play from the learner's record. --csv gives a spreadsheet; --xapi gives "
            "xAPI statements (a JSON list) for a learning record store or an LMS, with the learner set by "
            "--mbox, or --name with --homepage, or the [xapi] table of the settings file."
        ),
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--csv", action="store_true", help=_("one row per play, as CSV"))
    output.add_argument("--xapi", action="store_true", help=_("one xAPI statement per play, as a JSON list"))
    output.add_argument("--path", action="store_true", help=_("print where the record and the settings file are"))
    parser.add_argument("--name", help=_("xAPI: the learner's name"))
    parser.add_argument("--mbox", metavar="ADDRESS", help=_("xAPI: the learner's e-mail address"))
    parser.add_argument("--homepage", metavar="URL", help=_("xAPI: the system the name is an account on (e.g. your LMS)"))
    parser.add_argument("--activity-base", metavar="IRI", help=_("xAPI: stories' activity ids start with this"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from roleplay.play.export import DEFAULT_ACTIVITY_BASE, ExportError, write_csv, xapi_actor, xapi_statements
    from roleplay.play.record import Record
    from roleplay.play.settings import ConfigError, config_path, xapi_settings
    from roleplay.rules.rulebook import default_rulebook

    record = Record()
    if args.path:
        print(_("record: {path}").format(path=record.path))
        print(_("settings: {path}").format(path=config_path()))
        return EXIT_OK
    plays = record.plays()
    record.close()
    for notice in record.take_notices():
        print(f"roleplay history: {notice}", file=sys.stderr)
    rulebook = default_rulebook()
    if args.csv:
        write_csv(plays, rulebook, sys.stdout)
        return EXIT_OK
    if args.xapi:
        try:
            settings = xapi_settings()
            actor = xapi_actor(
                name=args.name or settings.name,
                mbox=args.mbox or (None if args.name and args.homepage else settings.mbox),
                homepage=args.homepage or settings.homepage,
            )
            statements = xapi_statements(
                plays, rulebook, actor, args.activity_base or settings.activity_base or DEFAULT_ACTIVITY_BASE
            )
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return EXIT_USAGE
        except ExportError as exc:
            print(f"roleplay history: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print_json(statements)
        return EXIT_OK
    if not plays:
        print(_("No finished plays yet (the record is {path}).").format(path=record.path))
        return EXIT_OK
    labels = {outcome.id: outcome.label for outcome in rulebook.outcomes}
    width = min(40, max(len(play.title) for play in plays))
    outcome_width = max(len(labels.get(play.outcome, play.outcome)) for play in plays)
    for play in plays:
        when = play.finished_at[:16].replace("T", " ")
        mode = "coach" if play.coached else "exam"
        print(
            f"{when}  {play.title[:width]:<{width}}  {labels.get(play.outcome, play.outcome):<{outcome_width}}  mood {play.mood:>3}  loyalty {play.loyalty:>3}  {mode}"
        )
    return EXIT_OK
