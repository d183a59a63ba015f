"""Plain text wrapped without Textual's styled text breaks into exactly the lines Textual's own wrapping gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual.content import Content

from roleplay.tui.wrapping import wrap_plain

PIECES = st.sampled_from(
    [" ", "  ", "a", "word", "supercalifragilistic", "é", "Ļaujiet", "“", "”", "中", "文", "😀", "-", "\u00a0", "\t", "\x07"]
)


@given(st.lists(PIECES, max_size=40).map("".join), st.integers(min_value=1, max_value=30))
def test_lines_are_textuals_own(text: str, width: int) -> None:
    assert wrap_plain(text, width) == [line.plain for line in Content(text).wrap(width)]


def test_a_paragraph_breaks_at_spaces_and_folds_a_long_word() -> None:
    assert wrap_plain("Call the depot now, please", 10) == ["Call the", "depot now,", "please"]
    assert wrap_plain("Thermostatreplacement", 10) == ["Thermostat", "replacemen", "t"]
    assert wrap_plain("fits", 10) == ["fits"]
    assert wrap_plain("", 10) == [""]
