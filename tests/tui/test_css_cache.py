"""Textual's parsed stylesheets and the themes' variables kept between starts: reused when nothing changed, made
afresh when something did, and an app started from them draws exactly what an app that made everything draws."""

from __future__ import annotations

import dataclasses

import pytest
import textual.css.parse
from textual.app import App
from textual.css.stylesheet import Stylesheet

from roleplay.cache import cache_dir
from roleplay.tui import css_cache
from roleplay.tui.app import create_app
from roleplay.tui.themes import PRESENTER_THEME, kept_variables, make_readable

from .conftest import LIBRARY, settle

pytestmark = pytest.mark.usefixtures("css_parsed_afresh")

CSS = "Screen { background: $background; } .note { color: $text-muted; text-style: italic; }"
VARIABLES = {"background": "#101010", "text-muted": "#a0a0a0"}


class Parses:
    """Counts the stylesheets Textual parses (one call of its parser per stylesheet)."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0
        parse = textual.css.parse.parse

        def counting(*args, **kwargs):
            self.count += 1
            return parse(*args, **kwargs)

        monkeypatch.setattr(textual.css.parse, "parse", counting)
        monkeypatch.setattr(textual.css.stylesheet, "parse", counting)


def stylesheet(variables: dict[str, str] = VARIABLES) -> Stylesheet:
    sheet = Stylesheet(variables=dict(variables))
    sheet.add_source(CSS, read_from=("app.tcss", ""))
    return sheet


def test_rules_kept_are_reused_for_the_same_variables(monkeypatch) -> None:
    first = stylesheet()
    first.parse()
    kept = css_cache.keep(first, "first", frozenset())
    assert len(kept) == 1

    parses = Parses(monkeypatch)
    second = stylesheet()
    assert css_cache.reuse(second, "first") == kept
    second.parse()
    assert parses.count == 0, "the kept rules were parsed again"
    assert [rule.css for rule in second.rules] == [rule.css for rule in first.rules]
    assert "#101010" in second.css.lower()


def test_other_variables_or_changed_css_are_parsed_afresh(monkeypatch) -> None:
    first = stylesheet()
    first.parse()
    css_cache.keep(first, "first", frozenset())

    parses = Parses(monkeypatch)
    other_theme = stylesheet({**VARIABLES, "background": "#fafafa"})
    assert css_cache.reuse(other_theme, "first") == frozenset()
    other_theme.parse()
    assert parses.count == 1
    assert "#fafafa" in other_theme.css.lower()

    edited = Stylesheet(variables=dict(VARIABLES))
    edited.add_source(CSS.replace("italic", "bold"), read_from=("app.tcss", ""))
    css_cache.reuse(edited, "first")
    edited.parse()
    assert parses.count == 2
    assert "bold" in edited.css


def test_a_damaged_cache_file_is_only_ignored(monkeypatch) -> None:
    first = stylesheet()
    first.parse()
    css_cache.keep(first, "first", frozenset())
    [kept] = cache_dir().glob("css-first-*.pickle")
    kept.write_bytes(b"not a pickle")
    parses = Parses(monkeypatch)
    again = stylesheet()
    assert css_cache.reuse(again, "first") == frozenset()
    again.parse()
    assert parses.count == 1


@pytest.mark.parametrize("present", [False, True], ids=["playing alone", "presenter mode"])
async def test_an_app_started_from_kept_rules_parses_nothing_before_its_first_frame_and_draws_the_same(
    monkeypatch, present: bool
) -> None:
    app = create_app(library=LIBRARY, present=present)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        parsed_afresh = app.export_screenshot()
        await pilot.press("down", "enter")  # a conversation: its widgets' stylesheets are kept on quitting
        await settle(pilot)
    assert sorted(path.name.split("-")[1] for path in cache_dir().glob("css-*.pickle")) == ["first", "later"]

    parses = Parses(monkeypatch)
    app = create_app(library=LIBRARY, present=present)
    first_frame: list[int] = []
    display = app._display

    def noting(screen, renderable) -> None:
        if renderable is not None and not first_frame:
            first_frame.append(parses.count)
        display(screen, renderable)

    app._display = noting  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        from_cache = app.export_screenshot()
        # The other screens' stylesheets come from the cache too.
        await pilot.press("down", "enter")
        await settle(pilot)
    assert first_frame == [0]
    assert parses.count == 0
    assert from_cache == parsed_afresh


def test_a_theme_seen_before_takes_its_first_parse_and_another_is_parsed(monkeypatch) -> None:
    sheet = css_cache.ThemeStylesheet(variables=dict(VARIABLES))
    sheet.add_source(CSS, read_from=("app.tcss", ""))
    sheet.parse()
    parses = Parses(monkeypatch)
    sheet.set_variables({**VARIABLES, "background": "#202020"})
    sheet.reparse()
    assert parses.count == 1 and "#202020" in sheet.css.lower()
    sheet.set_variables(dict(VARIABLES))
    sheet.reparse()
    assert parses.count == 1, "the theme first parsed was parsed again"
    assert "#101010" in sheet.css.lower()
    sheet.set_variables({**VARIABLES, "background": "#202020"})
    sheet.reparse()
    assert parses.count == 1, "a theme seen before was parsed again"
    assert "#202020" in sheet.css.lower()
    sheet.add_source(".extra { color: red; }", read_from=("later.tcss", ""))
    sheet.reparse()
    assert parses.count == 3 and ".extra" in sheet.css, "with another stylesheet read, the theme is parsed afresh"


def test_the_same_variables_set_again_keep_what_was_parsed(monkeypatch) -> None:
    sheet = css_cache.ThemeStylesheet(variables=dict(VARIABLES))
    sheet.add_source(CSS, read_from=("app.tcss", ""))
    sheet.parse()
    parses = Parses(monkeypatch)
    sheet.set_variables(dict(VARIABLES))  # as Textual does at every refresh of the CSS
    sheet.add_source(".extra { color: red; }", read_from=("later.tcss", ""))
    sheet.reparse()
    assert parses.count == 1, "only the stylesheet read since was parsed"
    assert ".extra" in sheet.css and "#101010" in sheet.css.lower()


async def test_switching_back_to_a_theme_draws_what_its_first_parse_drew(monkeypatch) -> None:
    app = create_app(None, library=LIBRARY)
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first_theme = app.theme
        first = app.export_screenshot()
        app.theme = "textual-light" if first_theme != "textual-light" else "nord"
        await settle(pilot)
        other = app.export_screenshot()
        parses = Parses(monkeypatch)
        app.theme = first_theme
        await settle(pilot)
        assert parses.count == 0, "the theme seen before was parsed again"
        assert app.export_screenshot() == first
        assert other != first


def test_a_themes_variables_are_kept_between_starts_until_the_theme_changes() -> None:
    made: list[int] = []

    def make() -> dict[str, str]:
        made.append(1)
        return {"background": "#ffffff", "rp-border": f"#00000{len(made)}"}

    assert kept_variables(PRESENTER_THEME, {}, True, make) == {"background": "#ffffff", "rp-border": "#000001"}
    assert kept_variables(PRESENTER_THEME, {}, True, make) == {"background": "#ffffff", "rp-border": "#000001"}
    assert len(made) == 1, "the theme's variables were worked out again"
    assert list(cache_dir().glob("theme-*.pickle"))
    kept_variables(dataclasses.replace(PRESENTER_THEME, primary="#123456"), {}, True, make)
    assert len(made) == 2, "a theme defined otherwise took the variables kept for the old definition"
    kept_variables(PRESENTER_THEME, {"footer-key-foreground": "#ff0000"}, True, make)
    assert len(made) == 3, "other defaults took the variables kept for the old ones"


@pytest.mark.parametrize("present", [False, True], ids=["playing alone", "presenter mode"])
def test_an_app_started_from_kept_variables_has_the_variables_worked_out_afresh(present: bool) -> None:
    create_app(library=LIBRARY, present=present)  # works them out, and keeps them
    assert list(cache_dir().glob("theme-*.pickle"))
    app = create_app(library=LIBRARY, present=present)
    afresh = make_readable(App.get_css_variables(app), presenting=present)
    assert app.stylesheet._variables == afresh
    assert app.get_css_variables() == afresh
