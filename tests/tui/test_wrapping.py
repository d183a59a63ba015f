"""Plain text wrapped without Textual's styled text breaks into exactly the lines Textual's own wrapping gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich._wrap import divide_line
from textual.content import Content

from roleplay.tui.wrapping import _divide_one_cell_each, one_cell_each, wrap_plain

PIECES = st.sampled_from(
    [" ", "  ", "a", "word", "supercalifragilistic", "é", "Ļaujiet", "“", "”", "中", "文", "😀", "-", "\u00a0", "\t", "\x07"]
)


@given(st.lists(PIECES, max_size=40).map("".join), st.integers(min_value=1, max_value=30))
def test_lines_are_textuals_own(text: str, width: int) -> None:
    assert wrap_plain(text, width) == [line.plain for line in Content(text).wrap(width)]


ONE_CELL_PIECES = st.sampled_from(
    [" ", "  ", "a", "word", "supercalifragilistic", "é", "Ļaujiet", "“Listen”", "–", "-", "\u00a0", "Pritužbe", "„Klient”"]
)


@given(st.lists(ONE_CELL_PIECES, max_size=80).map("".join), st.integers(min_value=1, max_value=30))
def test_text_of_one_cell_characters_breaks_where_rich_breaks_it(text: str, width: int) -> None:
    """Typographic quotes and dashes take one cell each: their lengths stand for their widths, and the breaks
    are Rich's own (which measures them character by character)."""
    assert one_cell_each(text)
    assert _divide_one_cell_each(text, width) == divide_line(text, width, fold=True)
    assert wrap_plain(text, width) == [line.plain for line in Content(text).wrap(width)]


def test_wide_and_zero_width_characters_are_not_taken_for_one_cell() -> None:
    assert not one_cell_each("a 中 b") and not one_cell_each("a 😀") and not one_cell_each("e\u0301")


def test_a_paragraph_breaks_at_spaces_and_folds_a_long_word() -> None:
    assert wrap_plain("Call the depot now, please", 10) == ["Call the", "depot now,", "please"]
    assert wrap_plain("Thermostatreplacement", 10) == ["Thermostat", "replacemen", "t"]
    assert wrap_plain("fits", 10) == ["fits"]
    assert wrap_plain("", 10) == [""]
