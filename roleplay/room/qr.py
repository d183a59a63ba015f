"""The join address as a QR code drawn in text cells, two modules to a cell (half blocks), with segno.

Pure text: the projector colours it. ``filled`` says which modules the block
characters draw: on a dark screen the light modules are drawn (in the light
foreground) so the code keeps the dark-on-light polarity phone cameras expect.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import segno

QUIET_ZONE = 2
"""Modules of margin around the code (the standard asks for 4; 2 is enough on a screen and saves lines)."""

HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_lines(data: str, filled: Literal["light", "dark"] = "light", border: int = QUIET_ZONE) -> list[str]:
    """The QR code for ``data`` as lines of text, each cell two modules high."""
    return list(_drawn(data, filled, border))


@lru_cache(maxsize=8)
def _drawn(data: str, filled: Literal["light", "dark"], border: int) -> tuple[str, ...]:
    """The projector asks for the lines at each layout and each drawing (for its width, its height and its
    cells): the code is made once for each address and polarity."""
    code = segno.make(data, error="l", boost_error=True)
    rows = [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=border)]
    want_dark = filled == "dark"
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))  # a light row below, part of the margin
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=False):
        lines.append("".join(HALF_BLOCKS[(t == want_dark, b == want_dark)] for t, b in zip(top, bottom, strict=False)))
    return tuple(lines)
