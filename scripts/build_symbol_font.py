"""Build roleplay/webpage/static/fonts/DejaVuSansMono-symbols.woff2, the served page's font for symbols.

The browser's terminal font (Roboto Mono, shipped by textual-serve) has no box
drawing, blocks, arrows, checks or warning signs; this subset of DejaVu Sans
Mono adds them, so the page draws every character the app uses without asking
any other machine for a font. Two characters terminals show as emoji, the
header's circle and the command palette's magnifier, get plain glyphs.

    python -m venv /tmp/fonts && /tmp/fonts/bin/pip install fonttools brotli
    /tmp/fonts/bin/python scripts/build_symbol_font.py /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

RANGES = [
    (0x2010, 0x206F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x2300, 0x23FF),
    (0x2500, 0x25FF),
    (0x2600, 0x26FF),
    (0x2700, 0x27BF),
    (0x2B00, 0x2BFF),
]
"""Punctuation, arrows, mathematical and technical signs, box drawing, blocks, shapes, symbols, dingbats."""
ALIASES = {0x2B58: 0x25CB, 0x1F50E: 0x2315, 0x1F50D: 0x2315}
"""Header icon ⭘ drawn as ○; the palette's 🔎 and 🔍 drawn as ⌕."""
OUTPUT = Path(__file__).resolve().parents[1] / "roleplay" / "webpage" / "static" / "fonts" / "DejaVuSansMono-symbols.woff2"


def build(source: Path, output: Path = OUTPUT) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for first, last in RANGES for code in range(first, last + 1)])
    subsetter.subset(font)
    kept = font.getBestCmap()
    table = CmapSubtable.newSubtable(12)
    table.platformID, table.platEncID, table.language = 3, 10, 0
    table.cmap = {**kept, **{new: kept[old] for new, old in ALIASES.items() if old in kept}}
    font["cmap"].tables = [t for t in font["cmap"].tables if t.format != 12] + [table]
    font.flavor = "woff2"
    font.save(output)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
