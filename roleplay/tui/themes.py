"""High-contrast themes for presenter mode, readable on a projector from the back of a room.

Projectors wash out dark backgrounds in a lit room, so the default presenter
theme is black on white; the dark variant is for a darkened room. Every text
colour keeps a contrast ratio of at least 7:1 (WCAG AAA) against its
background; ``tests/presenter/test_themes.py`` checks it.
"""

from __future__ import annotations

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
