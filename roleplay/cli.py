"""The ``roleplay`` command line: a thin client of the engine.

Each subcommand lives in its own module under ``roleplay.commands`` and
exposes ``register(subparsers)``, which adds its parser and sets ``handler``.

The help is in the interface language: the language is settled before the
parser is built (``--lang`` wherever it is given, else the locale), every
help text is marked for translation, and argparse's own words ("usage:",
"options:", its error messages) come from the same catalogue through
:func:`roleplay.i18n.install_argparse_translation`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from roleplay import __version__
from roleplay.commands import COMMAND_NAMES, command_module
from roleplay.i18n import N_, _, install_argparse_translation, language_from_environment, parse_language, set_language

if TYPE_CHECKING:
    # Imported where used: bare ``roleplay`` opens the app without building the parser (see :func:`main`).
    import argparse

Handler = Callable[["argparse.Namespace"], int]
"""What a command runs: the parsed arguments in, the exit code out."""

EXIT_OK = 0
"""The exit code of a command that did what it was asked (1: problems found; 2: usage, from argparse)."""

OWN_LANG_OPTION = ("translate",)
"""Commands whose ``--lang`` names something else (the language translated into), not the interface's."""

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)
"""argparse's words a user of ``roleplay`` can meet, so that they are in the catalogues.

argparse looks each up with gettext when it shows it; the rest of its
messages are about building a parser wrong, which only a programmer sees
(tests/test_cli_language.py checks this list against the running Python's
argparse)."""


def build_parser(commands: Sequence[str] = COMMAND_NAMES) -> argparse.ArgumentParser:
    """The command line with ``commands`` (by default, all of them), its help in the current language."""
    import argparse

    from roleplay.commands.common import add_language_option

    install_argparse_translation()
    parser = argparse.ArgumentParser(
        prog="roleplay",
        description=_("Practise difficult customer conversations in the terminal."),
        epilog=_("Run 'roleplay COMMAND --help' for the options of a command."),
    )
    parser.add_argument(
        "--version", action="version", version=f"roleplay {__version__}", help=_("show the version number and exit")
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))
    for name in commands:
        command_module(name).register(subparsers)
    command_module("play").add_library_options(parser)
    add_language_option(parser, suppress=False)
    return parser


def _options_and_words(arguments: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(token, the value of ``--lang``) for each token of ``arguments`` up to ``--``: ``--lang L`` and
    ``--lang=L`` come as one ("--lang", L); any other token with an empty value."""
    index = 0
    while index < len(arguments):
        token = arguments[index]
        if token == "--":
            return
        if token == "--lang":
            index += 1
            yield token, arguments[index] if index < len(arguments) else ""
        elif token.startswith("--lang="):
            yield "--lang", token.partition("=")[2]
        else:
            yield token, ""
        index += 1


def language_asked(arguments: Sequence[str]) -> str | None:
    """The language ``--lang`` asks for in ``arguments`` (before the parser exists, so its help is in it), or None.

    ``--lang L`` and ``--lang=L`` count wherever they are, except after a
    command that gives ``--lang`` a meaning of its own (``translate``); an
    unknown language is left for the parser to report.
    """
    command: str | None = None
    found: str | None = None
    for token, value in _options_and_words(arguments):
        if token == "--lang":
            if command not in OWN_LANG_OPTION:
                import argparse

                with contextlib.suppress(argparse.ArgumentTypeError):
                    found = parse_language(value)
        elif command is None and token in COMMAND_NAMES:
            command = token
    return found


def starts_the_app(arguments: Sequence[str]) -> bool:
    """Whether ``arguments`` open the app (no command, or ``play``) and ask for no help on the whole command
    line: then the parser needs only play's command and options (see :mod:`roleplay.commands`)."""
    for token, _value in _options_and_words(arguments):
        if token in ("-h", "--help"):
            return False
        if not token.startswith("-"):
            return token == "play"
    return True


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        # Bare ``roleplay``: the app on the library in the locale's language, which is what the parser makes
        # of no arguments, without building it (argparse and the commands' modules would only slow the start).
        from roleplay.commands.play import open_library_with

        language = language_from_environment()
        set_language(language)
        return open_library_with(language=language)
    set_language(language_asked(arguments) or language_from_environment())
    parser = build_parser(("play",) if starts_the_app(arguments) else COMMAND_NAMES)
    args, extra = parser.parse_known_args(arguments)
    if extra:
        parser.error(_("unrecognized arguments: %s") % " ".join(extra))
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
