"""High-contrast themes for presenter mode, readable on a projector from the back of a room.

Projectors wash out dark backgrounds in a lit room, so the default presenter
theme is black on white; the dark variant is for a darkened room. Every text
colour keeps a contrast ratio of at least 7:1 (WCAG AAA) against its
background; ``tests/presenter/test_themes.py`` checks it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import textual
from textual.color import Color
from textual.theme import Theme

PRESENTER_THEME = Theme(
    name="roleplay-presenter",
    primary="#00308F",
    secondary="#1A1A1A",
    accent="#6A0DAD",
    warning="#663300",
    error="#8F0000",
    success="#004A18",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E8E8E8",
    boost="#00000014",
    dark=False,
    luminosity_spread=0.08,
    text_alpha=1.0,
    variables={
        "footer-key-foreground": "#00308F",
        "footer-background": "#E8E8E8",
        "footer-foreground": "#000000",
        "footer-description-foreground": "#000000",
        "block-cursor-background": "#00308F",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-text-style": "bold",
        "border": "#000000",
        "border-blurred": "#4D4D4D",
    },
)
"""Black on white with deep, saturated colours: for a projector in a lit room."""

PRESENTER_DARK_THEME = Theme(
    name="roleplay-presenter-dark",
    primary="#7FD4FF",
    secondary="#E6E6E6",
    accent="#FFB3FF",
    warning="#FFD500",
    error="#FF8A8A",
    success="#7CFC8A",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1F1F1F",
    boost="#FFFFFF14",
    dark=True,
    luminosity_spread=0.08,
    text_alpha=1.0,
    variables={
        "footer-key-foreground": "#7FD4FF",
        "footer-background": "#1F1F1F",
        "footer-foreground": "#FFFFFF",
        "footer-description-foreground": "#FFFFFF",
        "block-cursor-background": "#7FD4FF",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "border": "#FFFFFF",
        "border-blurred": "#B3B3B3",
    },
)
"""White on black with bright colours: for a darkened room."""

PRESENTER_THEMES = (PRESENTER_THEME, PRESENTER_DARK_THEME)
"""Registered by the app; presenter mode switches to the first unless told otherwise."""


# Readable colours in every theme ----------------------------------------------------------
TEXT_CONTRAST = 4.5
"""WCAG AA for text: what every text colour the app uses reaches against the backgrounds it sits on."""
GRAPHIC_CONTRAST = 3.0
"""WCAG AA for borders, bars and other marks in the normal themes (presenter themes hold them to TEXT_CONTRAST)."""

TEXT_VARIABLES = ("text-primary", "text-secondary", "text-accent", "text-success", "text-warning", "text-error")
"""Theme text colours made opaque and brought up to TEXT_CONTRAST against the background, surface and panel."""

MOOD_BAND_COLOURS = {
    "furious": "error",
    "angry": "error",
    "upset": "warning",
    "uneasy": "warning",
    "calm": "primary",
    "pleased": "success",
    "delighted": "success",
}
"""The theme colour each mood band's bar and word start from (``$rp-mood-<band>``, made readable)."""


@lru_cache(maxsize=1024)
def relative_luminance(color: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour (kept: the same few colours are compared again and again)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast_ratio(one: Color, other: Color) -> float:
    """The WCAG 2 contrast ratio of two opaque colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(color: Color, backgrounds: list[Color], minimum: float) -> Color:
    """``color`` (made opaque over the first background), moved towards white or black just far
    enough to reach ``minimum`` contrast against every one of ``backgrounds``."""
    base = backgrounds[0]
    color = base + color if color.a < 1 else color
    darkest = min(relative_luminance(background) for background in backgrounds)
    lightest = max(relative_luminance(background) for background in backgrounds)
    # Light backgrounds take darker text and dark ones lighter; in between, whichever side has more room.
    target = Color(0, 0, 0) if (lightest + 0.05) / 0.05 >= 1.05 / (darkest + 0.05) else Color(255, 255, 255)
    for step in range(21):
        candidate = color.blend(target, step / 20)
        if all(contrast_ratio(candidate, background) >= minimum for background in backgrounds):
            return candidate
    return target


_readable: dict[tuple[tuple[tuple[str, str], ...], bool], dict[str, str]] = {}
"""What :func:`readable_variables` worked out for each theme's variables, for the run (Textual asks at
start and at every change of theme)."""


def readable_variables(variables: dict[str, str], *, presenting: bool) -> dict[str, str]:
    """:func:`make_readable`, kept for the run: the same theme gives the same (new) dict again."""
    key = (tuple(variables.items()), presenting)
    found = _readable.get(key)
    if found is None:
        found = _readable[key] = make_readable(variables, presenting=presenting)
    return dict(found)


def make_readable(variables: dict[str, str], *, presenting: bool) -> dict[str, str]:
    """The theme's CSS variables with every colour the app draws text or marks in made readable.

    Textual's muted and ``auto`` text colours are translucent and resolve
    against whatever lies beneath, which is how text came out white on white;
    here they become opaque colours checked against the theme's background,
    surface and panel. Adds the app's own ``$rp-*`` variables: borders (plain
    and focused), the meter's track, and one colour per mood band.
    """

    def colour(name: str) -> Color:
        return Color.parse(variables[name])

    plain = [colour("background"), colour("surface"), colour("panel")]
    background = plain[0]
    foreground = colour("foreground")
    # A focused list or scroll view tints its background a little towards the foreground.
    backgrounds = [*plain, *(colour.blend(foreground, 0.05) for colour in plain)]
    graphic = TEXT_CONTRAST if presenting else GRAPHIC_CONTRAST
    fixed: dict[str, str] = {}

    def soft(towards: float, minimum: float) -> Color:
        """The foreground faded ``towards`` the background, but no further than ``minimum`` allows."""
        for step in range(int(towards * 20), -1, -1):
            candidate = foreground.blend(background, step / 20)
            if all(contrast_ratio(candidate, b) >= minimum for b in backgrounds):
                return candidate
        return readable(foreground, backgrounds, minimum)

    fixed["text-muted"] = soft(0.45, TEXT_CONTRAST).hex
    fixed["foreground-muted"] = fixed["text-muted"]
    for name in TEXT_VARIABLES:
        base = name.removeprefix("text-")
        fixed[name] = readable(colour(base), backgrounds, TEXT_CONTRAST).hex
    fixed["rp-border"] = soft(0.6, graphic).hex
    fixed["rp-border-focus"] = readable(colour("primary"), backgrounds, graphic).hex
    fixed["rp-border-accent"] = readable(colour("accent"), backgrounds, graphic).hex
    fixed["rp-track"] = soft(0.7, graphic).hex
    for band, base in MOOD_BAND_COLOURS.items():
        fixed[f"rp-mood-{band}"] = readable(colour(base), backgrounds, TEXT_CONTRAST).hex
    for name in ("success", "warning", "error", "primary"):
        fixed[f"rp-{name}-mark"] = readable(colour(name), backgrounds, graphic).hex

    footer_background = Color.parse(variables.get("footer-background", variables["panel"]))
    footer_backgrounds = [background + footer_background]
    fixed["footer-key-foreground"] = readable(
        Color.parse(variables["footer-key-foreground"]), footer_backgrounds, TEXT_CONTRAST
    ).hex
    fixed["footer-description-foreground"] = readable(foreground, footer_backgrounds, TEXT_CONTRAST).hex
    fixed["rp-footer-separator"] = readable(foreground.blend(footer_backgrounds[0], 0.6), footer_backgrounds, graphic).hex
    fixed["scrollbar"] = readable(Color.parse(variables["scrollbar"]), [background + colour("scrollbar-background")], graphic).hex
    fixed["scrollbar-hover"] = readable(
        Color.parse(variables["scrollbar-hover"]), [background + colour("scrollbar-background")], graphic
    ).hex
    for level in ("h1", "h2", "h3"):
        name = f"markdown-{level}-color"
        if name in variables:
            fixed[name] = readable(Color.parse(variables[name]), backgrounds, TEXT_CONTRAST).hex
    for state in ("", "blurred-"):
        cursor_background = background + Color.parse(variables[f"block-cursor-{state}background"])
        given = variables[f"block-cursor-{state}foreground"]
        cursor_foreground = foreground if given.startswith("auto") else Color.parse(given)
        fixed[f"block-cursor-{state}foreground"] = readable(cursor_foreground, [cursor_background], TEXT_CONTRAST).hex
    fixed["border"] = fixed["rp-border-focus"]
    fixed["border-blurred"] = fixed["rp-border"]
    return {**variables, **fixed}


def theme_files() -> list[Path]:
    """The code the variables are worked out by: Textual's colour system and its app's variables, and this module."""
    package = Path(textual.__file__).parent
    return [package / "theme.py", package / "design.py", package / "color.py", package / "app.py", Path(__file__)]


def kept_variables(
    theme: Theme, defaults: dict[str, str], presenting: bool, make: Callable[[], dict[str, str]]
) -> dict[str, str]:
    """``make()``, the variables of ``theme`` made readable, kept in the cache (:mod:`roleplay.cache`) between
    starts: Textual works out a theme's colours and this module checks each one's contrast, some 4 ms at
    every start for the same theme. Kept for the theme as it is defined, and the app's defaults."""
    from roleplay.cache import cached

    extra = (repr(theme), tuple(sorted(defaults.items())), presenting)
    return dict(cached(f"theme-{theme.name}", theme_files(), make, extra=extra))


class ReadableColours:
    """Mixed into an App that uses the roleplay stylesheets: provides their ``$rp-*`` variables and makes
    the theme's text colours readable (:func:`readable_variables`), for whichever theme is on."""

    _variables_made: tuple[Theme, dict[str, str]] | None = None
    """The theme last asked about and its variables: Textual asks twice at start for the same theme."""

    making_stylesheet_later = False
    """Set while Textual's App makes a stylesheet of its own, which the app replaces once its theme is chosen
    (the variables would be worked out for a theme perhaps not used, and for a stylesheet never parsed)."""

    def get_css_variables(self) -> dict[str, str]:
        if self.making_stylesheet_later:
            return {}
        theme: Theme = self.current_theme  # type: ignore[attr-defined]
        made = self._variables_made
        if made is not None and made[0] is theme:
            variables = dict(made[1])
        else:
            presenting = theme.name in {theme.name for theme in PRESENTER_THEMES}
            textuals = super().get_css_variables  # type: ignore[misc]

            def make() -> dict[str, str]:
                return readable_variables(textuals(), presenting=presenting)

            defaults = self.get_theme_variable_defaults()  # type: ignore[attr-defined]
            variables = kept_variables(theme, defaults, presenting, make)
            self._variables_made = (theme, dict(variables))
        self.theme_variables = variables
        return variables
