"""The user's settings file, ``config.toml`` in the platform's config folder: who the learner is in exports.

``ROLEPLAY_CONFIG_DIR`` points elsewhere (tests do). Read with the standard
library's ``tomllib``; only the ``[xapi]`` table is read::

    [xapi]
    name = "Dana Ozola"
    mbox = "dana@example.com"  # or, with name, an account:
    homepage = "https://lms.example.com"
    activity_base = "https://lms.example.com/roleplay/stories/"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_dir

CONFIG_DIR_VARIABLE = "ROLEPLAY_CONFIG_DIR"
CONFIG_FILE = "config.toml"
XAPI_KEYS = ("name", "mbox", "homepage", "activity_base")


class ConfigError(ValueError):
    """The settings file cannot be read; the message names the file (and line, when TOML gives one)."""


def config_path() -> Path:
    override = os.environ.get(CONFIG_DIR_VARIABLE)
    folder = Path(override) if override else Path(user_config_dir("roleplay", appauthor=False))
    return folder / CONFIG_FILE


@dataclass(frozen=True)
class XapiSettings:
    name: str | None = None
    mbox: str | None = None
    homepage: str | None = None
    activity_base: str | None = None


def xapi_settings(path: Path | None = None) -> XapiSettings:
    """The ``[xapi]`` table of the settings file; empty settings when there is no file."""
    path = path or config_path()
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return XapiSettings()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: error: cannot read the settings file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise ConfigError(f"{path}: error: {exc}") from None
    table = data.get("xapi", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: error: 'xapi' must be a table ([xapi])")
    values: dict[str, str] = {}
    for key, value in table.items():
        if key not in XAPI_KEYS:
            raise ConfigError(f"{path}: error: unknown setting 'xapi.{key}'; the settings are {', '.join(XAPI_KEYS)}")
        if not isinstance(value, str):
            raise ConfigError(f"{path}: error: xapi.{key} must be text in quotes")
        values[key] = value
    return XapiSettings(**values)
