"""The story library: the bundled stories, and story names given on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from roleplay.play.validation import STORY_SUFFIXES, is_story_file

if TYPE_CHECKING:
    from roleplay.parsing.diagnostics import Diagnostic
    from roleplay.story.model import Story

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def bundled_stories_dir() -> Path:
    """The bundled ``stories/`` folder: inside the installed package, or beside it in a checkout."""
    for candidate in (_PACKAGE_DIR / "stories", _PACKAGE_DIR.parent / "stories"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE_DIR / "stories"


def bundled_story_paths() -> list[Path]:
    folder = bundled_stories_dir()
    return sorted(p for p in folder.iterdir() if is_story_file(p)) if folder.is_dir() else []


def resolve_story_path(name: str) -> Path | None:
    """A story file path, or a bundled story's id (its file name without .yaml)."""
    path = Path(name)
    if path.is_file():
        return path
    for suffix in ("", *STORY_SUFFIXES):
        candidate = bundled_stories_dir() / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


class CatalogEntry(NamedTuple):
    """A story in a library listing: loaded, or the errors that stopped it.

    A named tuple rather than a dataclass: the library is read at start-up, and a dataclass takes a
    millisecond to make."""

    path: Path
    story: Story | None
    errors: tuple[Diagnostic, ...]

    @property
    def id(self) -> str:
        return self.path.stem


def library_paths(folder: Path | None = None) -> list[Path]:
    """The story files in ``folder`` (the bundled library by default), in file-name order; OSError if it cannot be read."""
    return bundled_story_paths() if folder is None else sorted(p for p in folder.iterdir() if is_story_file(p))


def load_entry(path: Path) -> CatalogEntry:
    """One story of a library, loaded and checked."""
    from roleplay.play.validation import validate_file

    result = validate_file(path)
    return CatalogEntry(path, result.story, tuple(result.errors))


def load_catalog(folder: Path | None = None) -> list[CatalogEntry]:
    """Every story in ``folder`` (the bundled library by default), in file-name order."""
    return [load_entry(path) for path in library_paths(folder)]
