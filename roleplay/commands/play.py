"""``roleplay play STORY [--exam]``: play a story in the app; bare ``roleplay`` opens the app on the library.

The app (and Textual) is imported only when it is started, so the other
commands stay quick.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from roleplay.i18n import DEFAULT_LANGUAGE, _

if TYPE_CHECKING:
    # Imported where used: bare ``roleplay`` opens the app without building the parser (see roleplay.cli).
    import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from roleplay.commands.common import add_language_option

    parser = subparsers.add_parser(
        "play",
        help=_("play a story in the app"),
        description=_(
            "Open STORY (a story file, or a bundled story's name) in the app. A file with errors "
            "opens on its list of errors, each with its line and column."
        ),
    )
    parser.add_argument("story", metavar="STORY", help=_("a story file, or the name of a bundled story"))
    parser.add_argument("--exam", action="store_true", help=_("exam mode: no feedback until the debrief"))
    parser.add_argument(
        "--present", action="store_true", help=_("presenter mode: for a room on a projector, voting on each reply")
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help=_(
            "for writers: reload STORY when its file changes and replay the replies so far; "
            "a version with errors shows them and the last good one keeps playing"
        ),
    )
    add_language_option(parser)
    parser.set_defaults(handler=handle)


def add_library_options(parser: argparse.ArgumentParser) -> None:
    """The options of bare ``roleplay`` (the app on the bundled stories), and its handler."""
    parser.add_argument(
        "--exam",
        dest="library_exam",
        action="store_true",
        help=_("with no command: open the app in exam mode (no feedback until the debrief)"),
    )
    parser.add_argument(
        "--present",
        dest="library_present",
        action="store_true",
        help=_("with no command: open the app in presenter mode (for a room on a projector)"),
    )
    parser.default_handler = open_library  # type: ignore[attr-defined]


def handle(args: argparse.Namespace) -> int:
    from roleplay.play.library import resolve_story_path
    from roleplay.tui.app import run_app

    # A story that is not there is a plain command-line error; one with errors opens on its list of errors.
    path = resolve_story_path(args.story)
    if path is None or path.is_dir():
        what = "a folder, not a story file" if path is not None else "no story file, and no bundled story of that name"
        print(f"roleplay play: error: {args.story}: {what}", file=sys.stderr)
        return 1
    return run_app(
        args.story,
        exam=args.exam or getattr(args, "library_exam", False),
        present=args.present or getattr(args, "library_present", False),
        watch=args.watch,
        language=getattr(args, "language", "en"),
    )


def open_library(args: argparse.Namespace) -> int:
    return open_library_with(
        exam=getattr(args, "library_exam", False),
        present=getattr(args, "library_present", False),
        language=getattr(args, "language", DEFAULT_LANGUAGE),
    )


def open_library_with(*, exam: bool = False, present: bool = False, language: str = DEFAULT_LANGUAGE) -> int:
    """The app on the bundled stories: bare ``roleplay`` (and its options)."""
    from roleplay.tui.app import run_app

    return run_app(None, exam=exam, present=present, language=language)
