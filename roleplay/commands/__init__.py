"""The subcommands of ``roleplay``, one module each, registered in order of the help listing.

Each module is imported when the parser needs it (:func:`command_module`): starting the app (bare ``roleplay``,
or ``roleplay play``) needs play's alone, and so does not import what the others need (the rulebook, the
analysis, YAML), which would take longer than the app takes to draw its first frame.
"""

from __future__ import annotations

import importlib
from types import ModuleType

COMMAND_NAMES = (
    "play",
    "new",
    "validate",
    "translate",
    "analyze",
    "graph",
    "run",
    "rules",
    "sources",
    "schema",
    "serve",
    "room",
    "history",
)
"""Each module has ``register(subparsers)``, which sets ``handler`` on its parser."""


def command_module(name: str) -> ModuleType:
    """The module of the command ``name`` (one of :data:`COMMAND_NAMES`)."""
    return importlib.import_module(f"roleplay.commands.{name}")
