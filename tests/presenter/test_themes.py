"""The presenter themes are high-contrast: every text colour at least 7:1 against the background."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.theme import Theme

from roleplay.tui.themes import PRESENTER_THEMES

AAA = 7.0
"""WCAG AAA contrast for normal text."""


def relative_luminance(color: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def ratio(one: str, other: str) -> float:
    lighter, darker = sorted((relative_luminance(Color.parse(one)), relative_luminance(Color.parse(other))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("theme", PRESENTER_THEMES, ids=lambda theme: theme.name)
@pytest.mark.parametrize("role", ["foreground", "primary", "secondary", "accent", "warning", "error", "success"])
def test_text_colours_reach_aaa_contrast(theme: Theme, role: str) -> None:
    colour = getattr(theme, role)
    for background in (theme.background, theme.surface, theme.panel):
        assert ratio(colour, background) >= AAA, f"{theme.name} {role} {colour} on {background}"


@pytest.mark.parametrize("theme", PRESENTER_THEMES, ids=lambda theme: theme.name)
def test_footer_and_cursor_reach_aaa_contrast(theme: Theme) -> None:
    variables = theme.variables
    assert ratio(variables["footer-key-foreground"], variables["footer-background"]) >= AAA
    assert ratio(variables["footer-description-foreground"], variables["footer-background"]) >= AAA
    assert ratio(variables["block-cursor-foreground"], variables["block-cursor-background"]) >= AAA


def test_ratio_matches_the_wcag_extremes() -> None:
    assert ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert ratio("#777777", "#777777") == pytest.approx(1.0)
