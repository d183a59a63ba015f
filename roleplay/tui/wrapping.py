"""Plain text wrapped as Textual wraps a widget's text, without building Textual's styled text first.

Textual's :class:`~textual.content.Content` wraps styled text: for a few
kilobytes of text that is a good part of a frame. Text whose every line has
one style (the picker's details, a story as listed) needs only the places to
break, which :func:`wrap_plain` finds the way ``Content.wrap`` does (Rich's
line breaking, at spaces, a word longer than the width folded), giving the
same lines.
"""

from __future__ import annotations

from rich._wrap import divide_line, re_word
from rich.cells import cached_cell_len, cell_len, set_cell_size


def wrap_plain(text: str, width: int) -> list[str]:
    """``text`` (one line, no newline) broken into lines of at most ``width`` cells, as ``Content.wrap``
    breaks it: at spaces, which are dropped at the end of each line but the last; a longer word folded."""
    width = max(1, width)
    if not text.isprintable():  # tabs, control codes: Textual's own way
        from textual.content import Content

        return [line.plain for line in Content(text).wrap(width)]
    if one_cell_each(text):
        if len(text) <= width:
            return [text]
        offsets = _divide_one_cell_each(text, width)
    else:
        if cell_len(text) <= width:
            return [text]
        offsets = divide_line(text, width, fold=True)
    starts = [0, *offsets]
    ends = [*offsets, len(text)]
    lines = [text[start:end] for start, end in zip(starts, ends, strict=True)]
    lines[:-1] = [line.rstrip() for line in lines[:-1]]
    return [line if cell_len(line) <= width else set_cell_size(line, width) for line in lines]


def one_cell_each(text: str) -> bool:
    """Whether every character of ``text`` takes one cell, so a line's width is its length. Rich measures
    text outside the alphabets it knows (typographic quotes, dashes) character by character, every time."""
    return text.isascii() or all(cached_cell_len(character) == 1 for character in set(text))


def _divide_one_cell_each(text: str, width: int) -> list[int]:
    """Rich's ``divide_line`` (fold on) for text whose every character takes one cell: the same breaks, with
    lengths for widths."""
    breaks: list[int] = []
    offset = 0
    for match in re_word.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = [word[index : index + width] for index in range(0, len(word), width)]
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            offset = len(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks
