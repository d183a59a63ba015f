"""Helpers the subcommands share: loading a story for a command and printing diagnostics."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from roleplay.i18n import LANGUAGES, _, parse_language

if TYPE_CHECKING:
    # Imported where used: the app's start goes through this module (see roleplay.commands).
    from roleplay.parsing.diagnostics import Diagnostic
    from roleplay.story.model import Story


def print_diagnostics(diagnostics: list[Diagnostic], stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for diagnostic in diagnostics:
        print(diagnostic, file=stream)


def load_for_command(name: str, language: str | None = None) -> Story | None:
    """Load a story named by path or bundled id; print its errors and return None if it has any.

    With ``language``, the story's text in that language from its text layer,
    where it has one (see :mod:`roleplay.story.translation`).
    """
    from roleplay.play.library import resolve_story_path
    from roleplay.play.validation import validate_file
    from roleplay.story.translation import is_layer_path, layer_language, source_path_of

    path = resolve_story_path(name)
    if path is None:
        print(
            _("roleplay: error: no story file {name} (and no bundled story of that name)").format(name=repr(name)),
            file=sys.stderr,
        )
        return None
    if is_layer_path(path):
        # A text layer names its story: play, run, graph and analyze the story, in the layer's language.
        layer, path = path, source_path_of(path)
        language = layer_language(layer)
        print(
            _("roleplay: {layer} is the {language} text of {story}; using {story}").format(
                layer=layer.name, language=language, story=path.name
            ),
            file=sys.stderr,
        )
    result = validate_file(path)
    if result.story is None:
        print_diagnostics(result.errors)
        return None
    if language is not None:
        from roleplay.story.translation import translate_story

        return translate_story(result.story, language)
    return result.story


def optional_story_path(name: str | None) -> tuple[bool, str | None]:
    """For commands whose STORY may be left out: the absolute path of the story ``name`` names (None
    when it is left out), after :func:`load_for_command` checked it; ``(False, None)`` when it has errors
    (printed)."""
    if name is None:
        return True, None
    loaded = load_for_command(name)
    if loaded is None:
        return False, None
    return True, str(Path(loaded.path).resolve())


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def display_path(path: Path | str) -> str:
    """A path relative to the working directory when it is inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def add_language_option(parser: argparse.ArgumentParser, suppress: bool = True) -> None:
    """``--lang L``: the language of the interface and of the stories (where they have it).

    On subcommands the default is suppressed, so ``roleplay --lang lv run ...``
    and ``roleplay run ... --lang lv`` mean the same.
    """
    parser.add_argument(
        "--lang",
        type=parse_language,
        metavar="L",
        default=argparse.SUPPRESS if suppress else None,
        help=_("language: {languages} (default: from LC_ALL, LC_MESSAGES or LANG, else en)").format(
            languages=", ".join(LANGUAGES)
        ),
    )
