"""The ``roleplay`` command line: a thin client of the engine.

Each subcommand lives in its own module under ``roleplay.commands`` and
exposes ``register(subparsers)``, which adds its parser and sets ``handler``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from roleplay import __version__
from roleplay.commands import COMMANDS, play
from roleplay.commands.common import add_language_option
from roleplay.i18n import language_from_environment, set_language

Handler = Callable[[argparse.Namespace], int]
"""What a command runs: the parsed arguments in, the exit code out."""

EXIT_OK = 0
"""The exit code of a command that did what it was asked (1: problems found; 2: usage, from argparse)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roleplay",
        description="Practise difficult customer conversations in the terminal.",
        epilog="Run 'roleplay COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"roleplay {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    play.add_library_options(parser)
    add_language_option(parser, suppress=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    args, extra = parser.parse_known_args(arguments)
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.language = args.lang or language_from_environment()
    set_language(args.language)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        default: Handler | None = getattr(parser, "default_handler", None)
        if default is not None:
            return default(args)
        parser.print_help()
        return EXIT_OK
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
