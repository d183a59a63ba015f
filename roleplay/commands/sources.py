"""``roleplay sources``: the articles the rules come from, with the quotes cited and the rules citing each."""

from __future__ import annotations

import argparse

from roleplay.commands.common import add_language_option, print_json
from roleplay.i18n import _
from roleplay.rules.citations import articles_in_use, articles_in_use_json, articles_in_use_lines
from roleplay.rules.text_layer import translated_rulebook


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sources",
        help=_("list the articles the rules come from, with each quote and the rules that cite it"),
        description=_(
            "List the five articles the rulebook is built from: title in English and as written, language, "
            "and for each section cited, the heading with a translation, the quoted passage and the rules citing it."
        ),
    )
    parser.add_argument("--json", action="store_true", help=_("print the articles as JSON (with their file names)"))
    add_language_option(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    uses = articles_in_use(translated_rulebook(getattr(args, "language", "en")))
    if args.json:
        print_json(articles_in_use_json(uses))
        return 0
    for line in articles_in_use_lines(uses):
        print(line)
    return 0
