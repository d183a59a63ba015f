"""``roleplay new NAME``: write a starter story to begin a new one from."""

from __future__ import annotations

import argparse
import sys
from importlib.resources import files
from pathlib import Path

from roleplay.commands.common import add_language_option
from roleplay.i18n import _
from roleplay.play.validation import STORY_SUFFIXES

TEMPLATE = "starter.yaml"
"""The starter story inside ``roleplay/story/templates``; ``{title}`` and ``{file}`` are filled in.
Beside it, ``starter.L.yaml`` is the same story written in language L (``language: L``)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "new",
        help=_("write a starter story NAME.yaml to begin a new story from"),
        description=_(
            "Write NAME.yaml (or NAME itself if it ends in .yaml or .yml): a small, complete story with "
            "comments explaining each field and the editor schema line. It passes 'roleplay validate "
            "--strict' and 'roleplay analyze --strict' as written. An existing file is never overwritten. "
            "With --lang (lv, et, hr or pl) the story, and its comments, are written in that language."
        ),
    )
    parser.add_argument("name", metavar="NAME", help=_("the story's file name, with or without .yaml"))
    add_language_option(parser)
    parser.set_defaults(handler=handle)


def target_path(name: str) -> Path:
    path = Path(name)
    return path if path.suffix in STORY_SUFFIXES else path.with_name(path.name + ".yaml")


def title_from(path: Path) -> str:
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else "A new story"


def template_name(language: str = "en") -> str:
    """The starter story for a story written in ``language``."""
    return TEMPLATE if language == "en" else TEMPLATE.replace(".yaml", f".{language}.yaml")


def starter_text(path: Path, language: str = "en") -> str:
    template = files("roleplay.story").joinpath("templates", template_name(language)).read_text(encoding="utf-8")
    title = title_from(path)
    if title[:1] in "!&*[]{}|>'\"%@`#,?:-" or ": " in title or title != title.strip():
        title = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return template.replace("{title}", title).replace("{file}", str(path))


def handle(args: argparse.Namespace) -> int:
    name = Path(args.name.strip()).name
    if not any(character.isalnum() for character in Path(name).stem):
        print(
            f"roleplay new: error: {args.name!r} is not a story name; give a file name, e.g. 'roleplay new late-delivery'",
            file=sys.stderr,
        )
        return 2
    path = target_path(args.name)
    if path.exists():
        print(
            _("roleplay new: error: {path} already exists; choose another name (nothing was written)").format(path=path),
            file=sys.stderr,
        )
        return 1
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(starter_text(path, getattr(args, "lang", None) or "en"))
    except FileExistsError:
        print(
            _("roleplay new: error: {path} already exists; choose another name (nothing was written)").format(path=path),
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        print(
            _("roleplay new: error: cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc), file=sys.stderr
        )
        return 1
    print(_("Wrote {path}. Next: roleplay validate {path} --strict, then roleplay analyze {path}").format(path=path))
    return 0
