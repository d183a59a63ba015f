"""The names of text layer files (``X.lv.yaml`` beside ``X.yaml``), with nothing heavier than ``re`` imported.

:mod:`roleplay.story.translation` reads and writes layers; these helpers only
name them, for a folder scan or a cache key that must not load YAML.
"""

from __future__ import annotations

import re
from pathlib import Path

LAYER_NAME = re.compile(r"^(?P<base>.+)\.(?P<language>[a-z]{2,3})\.(?P<suffix>ya?ml)$")


def layer_language(path: Path | str) -> str | None:
    """The language of a layer file name (``X.lv.yaml`` gives ``lv``), or None for any other file."""
    match = LAYER_NAME.match(Path(path).name)
    return match.group("language") if match else None


def is_layer_path(path: Path | str) -> bool:
    """Whether ``path`` names a text layer rather than a story: folder scans skip these."""
    return layer_language(path) is not None


def source_path_of(path: Path | str) -> Path:
    """The file a layer translates: ``X.lv.yaml`` gives ``X.yaml``."""
    path = Path(path)
    match = LAYER_NAME.match(path.name)
    if match is None:
        raise ValueError(f"{path} is not a layer file name")
    return path.with_name(f"{match.group('base')}.{match.group('suffix')}")


def layer_path(source: Path | str, language: str) -> Path:
    """Where the text of ``source`` in ``language`` lives: beside it, ``X.L.yaml``."""
    source = Path(source)
    return source.with_name(f"{source.stem}.{language}{source.suffix}")
