"""``roleplay graph STORY --format mermaid|dot``: the branch graph of a story."""

from __future__ import annotations

import argparse
import sys

from roleplay.commands.common import load_for_command
from roleplay.i18n import _
from roleplay.writing.graph import FORMATS, render


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "graph",
        help=_("print the branch graph of a story as Mermaid or Graphviz DOT"),
        description=_(
            "Print the branch graph of STORY (a file, or a bundled story's name). Edges carry the reply's "
            "number, tactics and base mood effect, and the conditions of the reply and the branch; "
            "conditional edges are dashed, endings rounded, the walkout node red, the start bold."
        ),
    )
    parser.add_argument("story", metavar="STORY", help=_("a story file, or the name of a bundled story"))
    parser.add_argument("--format", choices=FORMATS, default="mermaid", help=_("mermaid (the default) or dot"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    story = load_for_command(args.story)
    if story is None:
        return 1
    sys.stdout.write(render(story, args.format))
    return 0
