"""Contrast as drawn: the colours the compositor renders for every visible character of the screen.

Theme variables say little about what reaches the eye: a colour with alpha is
blended over whatever lies beneath, a dim style halves the colour, a reverse
style swaps it, a modal screen is composited over the screen beneath it. So
this reads the strips the compositor actually produces (the same ones the
terminal and the browser receive), resolves each visible character's
foreground and background to opaque colours, and measures the WCAG 2
contrast ratio between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len
from rich.color import Color as RichColor
from textual._context import visible_screen_stack
from textual.color import Color

from roleplay.tui.themes import contrast_ratio

DIM_FACTOR = 0.5
"""How far a dim character's colour moves towards its background (xterm.js draws dim at half opacity)."""


@dataclass(frozen=True)
class Cell:
    """One visible character as drawn: where, what, and its opaque colours."""

    x: int
    y: int
    char: str
    foreground: Color
    background: Color

    @property
    def ratio(self) -> float:
        return _ratio(self.foreground, self.background)

    def __str__(self) -> str:
        return f"{self.char!r} at {self.x},{self.y}: {self.foreground.hex} on {self.background.hex} = {self.ratio:.2f}:1"


@lru_cache(maxsize=4096)
def _ratio(foreground: Color, background: Color) -> float:
    return contrast_ratio(foreground, background)


def _opaque(color: RichColor | None, default: Color, app) -> Color:
    if color is None or color.is_default:
        return default
    theme = app.ansi_theme_dark if app.current_theme.dark else app.ansi_theme_light
    r, g, b = color.get_truecolor(theme, foreground=True)
    return Color(r, g, b)


def rendered_cells(app) -> list[Cell]:
    """Every visible (non-blank) character of the app's screen, with the colours it is drawn in.

    The screen is composited with the screens beneath it (as under a dialog)
    and passed through the app's line filters, exactly as for the terminal.
    Characters of a screen beneath a dialog, seen through the dialog's scrim,
    are left out: they are deliberately faded, inactive until the dialog
    closes (WCAG 1.4.3 exempts inactive and incidental text). Everything the
    dialog itself draws counts.
    """
    return rendered_frame(app)[0]


def rendered_frame(app) -> tuple[list[Cell], list[str]]:
    """:func:`rendered_cells` and :func:`screen_text` from one drawing of the screen."""
    screen = app.screen
    under_scrim = _under_scrim(screen)
    theme = app.current_theme
    default_fg = Color.parse(theme.foreground or "#FFFFFF")
    default_bg = Color.parse(theme.background or "#000000")
    visible_screen_stack.set(app._background_screens)
    strips = screen._compositor.render_strips()
    lines = ["".join(text for text, _, control in strip if not control) for strip in strips]
    colours: dict[object, tuple[Color, Color]] = {}
    cells: list[Cell] = []
    for y, strip in enumerate(strips):
        for line_filter in app._filters:
            if line_filter.enabled:
                strip = strip.apply_filter(line_filter, app.styles.background)
        x = 0
        for text, style, control in strip:
            if control:
                continue
            if style is None or not text.strip():
                x += cell_len(text)
                continue
            found = colours.get(style)
            if found is None:
                fg = _opaque(style.color, default_fg, app)
                bg = _opaque(style.bgcolor, default_bg, app)
                if style.reverse:
                    fg, bg = bg, fg
                if style.dim:
                    fg = fg.blend(bg, DIM_FACTOR)
                found = colours[style] = (fg, bg)
            fg, bg = found
            for char in text:
                if not char.isspace() and char != "\u00a0" and not under_scrim(x, y):
                    cells.append(Cell(x, y, char, fg, bg))
                x += cell_len(char)
    return cells, lines


def _under_scrim(screen):
    """A test for whether a cell shows the screen beneath a modal dialog rather than the dialog."""
    from textual.screen import ModalScreen

    if not isinstance(screen, ModalScreen):
        return lambda x, y: False

    def test(x: int, y: int) -> bool:
        try:
            widget, _ = screen.get_widget_at(x, y)
        except Exception:  # no widget there: the scrim itself
            return True
        return widget is screen

    return test


def low_contrast(app, minimum: float, cells: list[Cell] | None = None) -> list[Cell]:
    """The visible characters drawn below ``minimum`` contrast (of ``cells``, or of the screen), worst first."""
    cells = rendered_cells(app) if cells is None else cells
    return sorted((cell for cell in cells if cell.ratio < minimum - 1e-9), key=lambda cell: cell.ratio)


def screen_text(app) -> list[str]:
    """The screen as plain text, one string a line (for telling where a failing character is)."""
    visible_screen_stack.set(app._background_screens)
    return ["".join(text for text, _, control in strip if not control) for strip in app.screen._compositor.render_strips()]


def describe(app, cells: list[Cell], limit: int = 12) -> str:
    """The failing characters, each with the line it is on, for an assertion message."""
    lines = screen_text(app)
    shown = [f"{cell}   | {lines[cell.y].rstrip()[:100]}" for cell in cells[:limit]]
    more = len(cells) - limit
    return "\n".join(shown + ([f"... and {more} more"] if more > 0 else []))
