"""Fixtures shared by the whole suite."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
"""The repository root."""

ARTICLES = ROOT / "roleplay" / "rules" / "articles"
"""The source articles as the package ships them (their titles, sections and quotes are in articles.yaml there)."""


_APP_SIGNS = ("run_test(", "snap_compare", "roleplay.tui", "textual", '"serve"', "roleplay.webpage")
_BROWSER_SIGNS = ("selenium", "chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test core, app or browser by what its module uses, so `pytest -m core` runs alone in seconds."""
    kinds: dict[Path, str] = {}
    for item in items:
        path = Path(str(item.fspath))
        if path not in kinds:
            text = path.read_text(encoding="utf-8")
            kinds[path] = (
                "browser"
                if any(sign in text for sign in _BROWSER_SIGNS)
                else "app"
                if any(sign in text for sign in _APP_SIGNS)
                else "core"
            )
        item.add_marker(kinds[path])


@pytest.fixture
def write_story(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML text (dedented) or bytes to a file in a temporary folder and return its path."""

    def write(content: str | bytes, name: str = "story.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def isolated_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test's progress records out of the real user data folder."""
    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("ROLEPLAY_DATA_DIR", str(folder))
    return folder


async def settle(pilot) -> None:
    """Wait until the app's background work (catalog loading, the turning point) is done and the screen is drawn."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch):
    """Every test starts in English, whatever the machine's locale; a test that switches language is undone."""
    from roleplay.i18n import set_language

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    set_language("en")
    yield
    set_language("en")
