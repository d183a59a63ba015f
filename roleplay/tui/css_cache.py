"""Textual's parsed stylesheets, kept in the user's cache folder between starts (see :mod:`roleplay.cache`).

Textual parses every stylesheet it uses at every start: the app's ``.tcss``
files and each widget's ``DEFAULT_CSS``. That is a good part of the time to
the first frame. Its :class:`~textual.css.stylesheet.Stylesheet` keeps the
rules it parsed in a cache of its own, for the run; this module fills that
cache at start-up with the rules parsed on earlier runs (:func:`reuse`), and
keeps them for the next start (:func:`keep`): in two parts, those the first
frame needs, and the rest (read once it is out), so the first frame waits
for no more unpickling than it needs.

Each entry is looked up by what Textual looks it up by (the CSS text itself,
where it was read from, whether it is a widget's default CSS, and its scope),
and the whole file is kept for one set of theme variables and one version of
Textual (its CSS code, as files), so an edited stylesheet, another theme or a new Textual is parsed
afresh. Only the rules of CSS that parsed without errors are kept. The cache
uses an attribute Textual does not document (``Stylesheet._parse_cache``);
when it is not there, nothing is kept or reused and Textual parses as usual.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import textual
from textual.css.stylesheet import Stylesheet

from roleplay import cache

if TYPE_CHECKING:
    from textual.css.model import RuleSet
    from textual.css.styles import RulesMap
    from textual.dom import DOMNode

PREFIX = "css"


def _parse_cache(stylesheet: Stylesheet) -> Any:
    parse_cache = getattr(stylesheet, "_parse_cache", None)
    return parse_cache if callable(getattr(parse_cache, "keys", None)) else None


def textual_files() -> list[Path]:
    """Textual's code that parses CSS and defines what the parsed rules hold (a new Textual changes them)."""
    package = Path(textual.__file__).parent
    with os.scandir(package / "css") as entries:
        css = [Path(entry.path) for entry in entries if entry.name.endswith(".py")]
    return [*sorted(css), package / "color.py", package / "geometry.py"]


def _key(stylesheet: Stylesheet) -> tuple[object, ...]:
    """The theme's variables and Textual's code (its version number is slow to look up at start-up)."""
    variables = getattr(stylesheet, "_variables", {})
    return (tuple(sorted(variables.items())), cache.stamps(textual_files()))


def _name(key: tuple[object, ...], part: str) -> str:
    """One file per theme (its variables), so switching themes does not throw away the other's rules."""
    return f"{PREFIX}-{part}-{zlib.crc32(repr(key[0]).encode()):08x}"


def parsed(stylesheet: Stylesheet) -> frozenset[object]:
    """What ``stylesheet`` has parsed so far (the sources in its cache)."""
    parse_cache = _parse_cache(stylesheet)
    return frozenset() if parse_cache is None else frozenset(parse_cache.keys())


def reuse(stylesheet: Stylesheet, part: str) -> frozenset[object]:
    """Put the rules of ``part`` parsed on an earlier run with the same variables in ``stylesheet``'s own
    cache, so Textual does not parse them again; what was found (to give to :func:`keep`)."""
    parse_cache = _parse_cache(stylesheet)
    if parse_cache is None:
        return frozenset()
    key = _key(stylesheet)
    found = cache.load(_name(key, part), key)
    if not isinstance(found, dict):
        return frozenset()
    for source, rules in found.items():
        parse_cache[source] = rules
    return frozenset(found)


def keep(
    stylesheet: Stylesheet, part: str, known: frozenset[object], leave_out: frozenset[object] = frozenset()
) -> frozenset[object]:
    """Keep as ``part`` the rules ``stylesheet`` has parsed (but those in ``leave_out``) for the next start,
    unless they are all ``known`` (what :func:`reuse` found); what is kept now."""
    parse_cache = _parse_cache(stylesheet)
    if parse_cache is None:
        return known
    rules_of = {source: parse_cache.get(source) for source in list(parse_cache.keys()) if source not in leave_out}
    kept = {source: rules for source, rules in rules_of.items() if rules and not any(rule.errors for rule in rules)}
    if kept.keys() <= known:
        return known
    key = _key(stylesheet)
    cache.store(_name(key, part), key, kept)
    return frozenset(kept)


class ThemeStylesheet(Stylesheet):
    """Textual's stylesheet, keeping the rules it parsed for each theme for the rest of the run.

    At every change of theme Textual parses every stylesheet again from nothing (its ``reparse``
    starts from a new, empty stylesheet). The theme picker previews each theme the learner moves
    to, and presenter mode switches between its themes and the learner's, so the same themes come
    back: here a theme seen before, with the same stylesheets read, takes the rules of its first
    parse. The rules are Textual's own, shared as its parse cache shares them between parses.

    A theme not seen before is parsed with the rules this stylesheet has parsed with its variables (its
    parse cache, which :func:`reuse` fills at start), where Textual would parse everything again.
    """

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._rules_by_theme: dict[tuple[object, ...], list[RuleSet]] = {}

    def set_variables(self, variables: dict[str, str]) -> None:
        """Textual sets the variables again at every refresh of the CSS, even when the theme is the same,
        throwing away the rules parsed: the same variables keep them."""
        if variables == getattr(self, "_variables", None):
            return
        super().set_variables(variables)

    def _theme_key(self) -> tuple[object, ...] | None:
        """The theme's variables and the stylesheets read; None if Textual's inner names changed."""
        try:
            return (tuple(sorted(self._variables.items())), tuple(self.source.items()))
        except (AttributeError, TypeError):
            return None

    def _remember(self) -> None:
        key = self._theme_key()
        if key is not None:
            self._rules_by_theme[key] = self._rules

    def parse(self) -> None:
        super().parse()
        self._remember()

    @classmethod
    def replace_rules(cls, node: DOMNode, rules: RulesMap, animate: bool = False) -> None:
        """Textual's, with one refresh of the node for all the rules that changed.

        Textual sets each rule on its own, and each colour that changes refreshes the node and every
        node inside it: a new theme changes a dozen colours on each container, so a screen of a few
        hundred widgets was refreshed thousands of times over. The refreshes asked for are gathered
        and made once, with every kind any of them asked for (layout, children, parent, repaint).
        """
        styles = node.styles.base
        asked: list[tuple[bool, bool, bool, bool]] = []

        def gather(*, layout: bool = False, children: bool = False, parent: bool = False, repaint: bool = True) -> None:
            asked.append((layout, children, parent, repaint))

        styles.refresh = gather  # type: ignore[method-assign]
        try:
            super().replace_rules(node, rules, animate=animate)
        finally:
            del styles.refresh
        if asked:
            layout, children, parent, repaint = (any(kinds) for kinds in zip(*asked, strict=True))
            styles.refresh(layout=layout, children=children, parent=parent, repaint=repaint)

    def reparse(self) -> None:
        key = self._theme_key()
        found = self._rules_by_theme.get(key) if key is not None else None
        if found is not None:
            self._rules = found
            self._rules_map = None
            self._require_parse = False
            return
        parse_cache = _parse_cache(self)
        if parse_cache is None:
            super().reparse()
        else:
            # As Textual does it, in a fresh stylesheet (so CSS with errors leaves this one as it was), but
            # with the rules this one has parsed with these variables (at start, those of the last run).
            fresh = Stylesheet(variables=self._variables)
            fresh._parse_cache = parse_cache
            fresh.source = self.source.copy()
            try:
                fresh.parse()
            except Exception:
                self._invalid_css.update(fresh._invalid_css)
                raise
            self._rules = fresh.rules
            self._rules_map = None
            self.source = fresh.source
            self._require_parse = False
        self._remember()
