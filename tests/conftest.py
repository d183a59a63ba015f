"""Fixtures shared by the whole suite."""

from __future__ import annotations

import gc
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
"""The repository root."""

ARTICLES = ROOT / "roleplay" / "rules" / "articles"
"""The source articles as the package ships them (their titles, sections and quotes are in articles.yaml there)."""


def pytest_configure(config: pytest.Config) -> None:
    """Textual's pilot waits for the app to go idle after each key and pause by sleeping a fiftieth of a
    second at a time and checking the processor was not used meanwhile; the suite checks every 4 ms, so a
    test waits for the app's work, not for whole fiftieths (thousands of keys and pauses in all)."""
    import textual._wait

    textual._wait.SLEEP_GRANULARITY = IDLE_CHECK_SECONDS
    textual._wait.SLEEP_IDLE = IDLE_CHECK_SECONDS / 20
    _share_parsed_css()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTING, *gc.get_threshold()[1:])
    # Where the environment asks Python not to write bytecode (PYTHONDONTWRITEBYTECODE), every worker would
    # compile the package and rewrite the asserts of some 180 test modules afresh at every run (3 s a worker,
    # before the first test), and every command the tests start would compile the package again: the suite
    # keeps them, in the __pycache__ folders git ignores.
    sys.dont_write_bytecode = False


YOUNG_OBJECTS_BEFORE_COLLECTING = 10_000
"""How many more objects a test process allocates than frees before the collector looks for cycles among the
new ones (Python's default is 700). An app test allocates millions of short-lived objects: at 700 the collector
ran thousands of times a file and, every hundredth time, through the whole heap of a process that has run
hundreds of apps, a seventh of the app tests' time. At 10,000 it collects the same garbage, later; a worker
peaks at about 330 MB in place of 150."""


IDLE_CHECK_SECONDS = 0.004
"""How often the pilot checks whether the app has gone idle."""

_PARSED_CSS: dict[tuple[object, ...], list] = {}
"""Textual's parsed rules of each stylesheet, by the theme's variables, for every app the worker starts."""
_CSS_SHARED = {"on": True}


def _share_parsed_css() -> None:
    """Each app the suite starts parses its stylesheets from nothing (each test has its own cache folder,
    so the app's CSS cache is always cold), and again for each theme it switches to: a tenth of an app's
    start, for hundreds of apps in one worker parsing the same CSS with the same few sets of variables.
    Here a stylesheet takes the rules an earlier one parsed from the same CSS, place and variables, as the
    app's CSS cache gives them from one run to the next (and Textual's own parse cache within one
    stylesheet); what raises an error is not kept, so it raises again. The tests of the app's CSS cache
    parse everything afresh (the ``css_parsed_afresh`` fixture)."""
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules

    def shared(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        if not _CSS_SHARED["on"]:
            return parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        where = (css, read_from, is_default_rules, tie_breaker, scope)
        key = (tuple(sorted(getattr(self, "_variables", {}).items())), *where)
        rules = _PARSED_CSS.get(key)
        if rules is None:
            rules = _PARSED_CSS[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        else:
            self._parse_cache[where] = rules  # where Textual keeps what it parsed itself
        return rules

    Stylesheet._parse_rules = shared  # type: ignore[method-assign]


@pytest.fixture
def css_parsed_afresh():
    """Textual parses every stylesheet as in a process of its own, for the tests of the app's CSS cache."""
    _CSS_SHARED["on"] = False
    yield
    _CSS_SHARED["on"] = True


_APP_SIGNS = ("run_test(", "snap_compare", "roleplay.tui", "textual", '"serve"', "roleplay.webpage")
_BROWSER_SIGNS = ("selenium", "chromium")
_RUN_FIRST = ("browser", "app", "exhaustive", "core")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test core, app or browser by what its module uses, so `pytest -m core` runs alone in seconds.
    A core test marked exhaustive (a whole state space against the engine, a run to its time or memory limit,
    a process killed mid-write) is that and not core.

    Then the order the workers take the tests in: the tests marked slow and the browser tests (they wait for
    Chromium) first, then the slow kinds, so the last tests to run are short ones and the workers finish together. xdist gives each worker an equal run of
    the list to start with (and an idle worker takes the back half of what another has left), so the tests
    are dealt out to the workers like cards: each worker's run starts with its share of the slow tests."""
    module_kinds: dict[Path, str] = {}
    kinds: dict[str, str] = {}
    for item in items:
        path = Path(str(item.fspath))
        if path not in module_kinds:
            text = path.read_text(encoding="utf-8")
            module_kinds[path] = (
                "browser"
                if any(sign in text for sign in _BROWSER_SIGNS)
                else "app"
                if any(sign in text for sign in _APP_SIGNS)
                else "core"
            )
        kind = module_kinds[path]
        if kind == "core" and item.get_closest_marker("exhaustive") is not None:
            kind = "exhaustive"
        else:
            item.add_marker(kind)
        kinds[item.nodeid] = kind

    def order(item: pytest.Item) -> tuple[bool, int]:
        kind = kinds[item.nodeid]
        return item.get_closest_marker("slow") is None and kind != "browser", _RUN_FIRST.index(kind)

    items.sort(key=order)
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    items[:] = [item for worker in range(workers) for item in items[worker::workers]]


_AFTER_AN_APP = {"yes": False}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """When a test process goes on from app tests to others (once among the slow tests, once for the core tests,
    which come last in each worker's share), the cycles the apps left behind in the oldest generation are
    collected before the first of the others: not in a core test's own collection (the analysis collects before
    its random plays) nor at the very end of the run, where it would hold up the last worker."""
    app = item.get_closest_marker("app") is not None or item.get_closest_marker("browser") is not None
    if _AFTER_AN_APP["yes"] and not app:
        gc.collect()
    _AFTER_AN_APP["yes"] = app


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
    # The start-up cache (the picker's listing) too: each test makes its own.
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path_factory.mktemp("user-cache")))
    return folder


def played(story, *picks: int, rulebook=None):
    """A session of ``story`` (a loaded story, or a story file) with ``picks`` given, as the engine plays them."""
    from roleplay.play.engine import replay
    from roleplay.play.validation import validate_file

    if isinstance(story, Path):
        story = validate_file(story).story
        assert story is not None
    again = replay(story, picks, rulebook)
    assert again.error is None, f"pick {again.replayed + 1} ({again.refused}): {again.error}"
    return again.session


async def settle(pilot) -> None:
    """Wait until the app's background work (catalog loading, the turning point) is done and the screen is drawn."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    """Press ``keys`` one at a time, letting the screen settle after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def wait_until(pilot, condition: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (checked after each turn of its loop), or fail saying ``what``."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, f"waited {seconds} s for {what}"
        await pilot.pause(0.01)


async def run_from_palette(pilot, typed: str, title: str | None = None) -> None:
    """Open the command palette, type ``typed``, wait until the first match is ``title`` (``typed`` by default,
    compared without case) and choose it."""
    from textual.command import CommandList, CommandPalette

    expected = (title or typed).lower()
    await press(pilot, "ctrl+p")
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*typed)

    def first_match() -> str:
        commands = pilot.app.screen.query_one(CommandList)
        if commands.option_count == 0:
            return ""
        return commands.get_option_at_index(commands.highlighted or 0).prompt.plain.lower()  # type: ignore[union-attr]

    await wait_until(pilot, lambda: expected in first_match(), f"the palette to offer {expected!r} first")
    await press(pilot, "enter")


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch):
    """Every test starts in English, whatever the machine's locale; a test that switches language is undone."""
    from roleplay.i18n import set_language

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    set_language("en")
    yield
    set_language("en")
