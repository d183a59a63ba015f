"""``roleplay schema``: print the JSON Schema of story files, for editors."""

from __future__ import annotations

import argparse
import sys

from roleplay.i18n import _
from roleplay.story.schema import schema_path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "schema",
        help=_("print the JSON Schema of story files (for editor completion and checks)"),
        description=_(
            "Print the JSON Schema (draft-07) of story files. Save it beside your stories "
            "(roleplay schema > story-schema.json) and start each story with the line "
            "'# yaml-language-server: $schema=story-schema.json' so that editors with the YAML "
            "language server complete and check its fields."
        ),
    )
    parser.add_argument("--path", action="store_true", help=_("print where the installed schema file is instead"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    path = schema_path()
    if args.path:
        print(path)
        return 0
    try:
        sys.stdout.write(path.read_text(encoding="utf-8"))
    except OSError as exc:
        print(
            _("roleplay schema: error: cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc),
            file=sys.stderr,
        )
        return 1
    return 0
