"""Sets of (mood, loyalty) pairs as one integer's bits, moved a whole set at a time.

Bit ``mood * WIDTH + loyalty`` stands for the pair. Both scales run 0..100 and
the engine clamps them after every change, so moving a set by (mood, loyalty)
shifts every bit and piles those pushed past an edge onto the edge. A shift of
a few hundred thousand bits is one machine operation per word, so a reply is
applied to every pair a conversation can be in with a handful of operations.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from roleplay.play.engine import MOOD_RANGE

LOW, HIGH = MOOD_RANGE
WIDTH = HIGH - LOW + 1
"""Values on each scale (0..100)."""
ROWS = WIDTH
FULL = (1 << (WIDTH * ROWS)) - 1
"""Every pair."""
ROW = (1 << WIDTH) - 1
"""One mood's loyalties, at mood 0."""
_EVERY_ROW = sum(1 << (mood * WIDTH) for mood in range(ROWS))
"""Bit 0 of every row: multiplying a row pattern by it repeats the pattern in every row."""


@functools.cache
def columns(first: int, last: int) -> int:
    """Loyalties first..last (clipped to the scale) at every mood."""
    first, last = max(first, 0), min(last, WIDTH - 1)
    if first > last:
        return 0
    return (((1 << (last - first + 1)) - 1) << first) * _EVERY_ROW


@functools.cache
def rows(first: int, last: int) -> int:
    """Moods first..last (clipped to the scale) at every loyalty."""
    first, last = max(first, 0), min(last, ROWS - 1)
    if first > last:
        return 0
    return ((1 << ((last - first + 1) * WIDTH)) - 1) << (first * WIDTH)


def box(moods: tuple[int, int], loyalties: tuple[int, int]) -> int:
    """Every pair with mood and loyalty in the given inclusive ranges."""
    return rows(*moods) & columns(*loyalties)


def point(mood: int, loyalty: int) -> int:
    return 1 << (mood * WIDTH + loyalty)


_LAST_COLUMN = columns(WIDTH - 1, WIDTH - 1)
_FIRST_COLUMN = columns(0, 0)


def _smear(bits: int, step: int, times: int) -> int:
    """bits | bits >> step | bits >> 2*step ... (``times`` shifts in all), in log(times) operations."""
    done = 1
    while done < times + 1:
        span = min(done, times + 1 - done)
        bits |= bits >> (span * step)
        done += span
    return bits


def _smear_up(bits: int, step: int, times: int) -> int:
    done = 1
    while done < times + 1:
        span = min(done, times + 1 - done)
        bits |= bits << (span * step)
        done += span
    return bits


_LOYALTY_SHIFTS: dict[int, tuple[int, int, int]] = {}


def _loyalty_shift(change: int) -> tuple[int, int, int]:
    """(loyalties that stay on the scale, those that pile onto the edge, the carry adder) for a change."""
    found = _LOYALTY_SHIFTS.get(change)
    if found is None:
        band = abs(change)
        if change > 0:
            over = columns(WIDTH - band, WIDTH - 1)
            adder = (((1 << band) - 1) << (WIDTH - band)) * _EVERY_ROW
        else:
            over = columns(0, band - 1)
            adder = ((1 << band) - 1) * _EVERY_ROW
        found = _LOYALTY_SHIFTS[change] = (FULL ^ over, over, adder)
    return found


_LOW_ROWS = [(1 << (count * WIDTH)) - 1 for count in range(ROWS + 1)]


def _fold_rows(bits: int) -> int:
    """The OR of all rows of ``bits`` (a few rows at most), as one row at mood 0."""
    if not bits:
        return 0
    return _smear(bits, WIDTH, (bits.bit_length() - 1) // WIDTH) & ROW


def shift(bits: int, mood: int, loyalty: int) -> int:
    """Every pair moved by (mood, loyalty), clamped to the scales as the engine clamps.

    Loyalties pushed past an edge are found with one addition: adding all ones to each row's
    overflowing band carries a bit out of the band exactly when the band holds any bit."""
    if loyalty:
        if loyalty >= WIDTH or loyalty <= -WIDTH:
            edge = _smear(bits, 1, WIDTH - 1) & _FIRST_COLUMN
            bits = edge << (WIDTH - 1) if loyalty > 0 else edge
        else:
            keep, over, adder = _loyalty_shift(loyalty)
            spilled = bits & over
            if loyalty > 0:
                bits = (bits & keep) << loyalty
                if spilled:
                    bits |= ((spilled + adder) >> 1) & _LAST_COLUMN
            else:
                bits = (bits & keep) >> -loyalty
                if spilled:
                    bits |= ((spilled + adder) >> -loyalty) & _FIRST_COLUMN
    if mood > 0:
        if mood >= ROWS:
            return _fold_rows(bits) << ((ROWS - 1) * WIDTH) if bits else 0
        bits <<= mood * WIDTH
        top = bits >> (ROWS * WIDTH)
        if top:
            bits = (bits ^ (top << (ROWS * WIDTH))) | (_fold_rows(top) << ((ROWS - 1) * WIDTH))
    elif mood < 0:
        if mood <= -ROWS:
            return _fold_rows(bits)
        under = bits & _LOW_ROWS[-mood]
        bits >>= -mood * WIDTH
        if under:
            bits |= _fold_rows(under)
    return bits


def shift_loyalty(bits: int, change: int) -> int:
    """{(m, clamp(l + change))}."""
    return shift(bits, 0, change)


def shift_mood(bits: int, change: int) -> int:
    """{(clamp(m + change), l)}."""
    return shift(bits, change, 0)


def unshift_loyalty(bits: int, change: int) -> int:
    """{(m, l) : (m, clamp(l + change)) in bits}."""
    if not change or not bits:
        return bits
    change = max(-(WIDTH - 1), min(WIDTH - 1, change))
    if change > 0:
        found = (bits >> change) & columns(0, WIDTH - 2 - change)
        top = bits & _LAST_COLUMN
        if top:
            found |= _smear(top, 1, change)
        return found
    found = (bits << -change) & columns(1 - change, WIDTH - 1) & FULL
    bottom = bits & _FIRST_COLUMN
    if bottom:
        found |= _smear_up(bottom, 1, -change)
    return found


def unshift_mood(bits: int, change: int) -> int:
    """{(m, l) : (clamp(m + change), l) in bits}."""
    if not change or not bits:
        return bits
    change = max(-(ROWS - 1), min(ROWS - 1, change))
    if change > 0:
        found = (bits >> (change * WIDTH)) & rows(0, ROWS - 2 - change)
        top = bits & rows(ROWS - 1, ROWS - 1)
        if top:
            found |= _smear(top, WIDTH, change)
        return found
    found = (bits << (-change * WIDTH)) & rows(1 - change, ROWS - 1) & FULL
    bottom = bits & ROW
    if bottom:
        found |= _smear_up(bottom, WIDTH, -change)
    return found


def unshift(bits: int, mood: int, loyalty: int) -> int:
    """Every pair that ``shift`` by (mood, loyalty) moves into ``bits``."""
    return unshift_loyalty(unshift_mood(bits, mood), loyalty)


def lowest(bits: int) -> tuple[int, int]:
    """The (mood, loyalty) of the lowest set bit (lowest mood, then lowest loyalty)."""
    return divmod((bits & -bits).bit_length() - 1, WIDTH)


def moods(bits: int) -> tuple[int, int]:
    """The lowest and highest mood in a non-empty set."""
    return ((bits & -bits).bit_length() - 1) // WIDTH, (bits.bit_length() - 1) // WIDTH


def loyalties(bits: int) -> int:
    """The loyalties (as bits 0..100) present at any mood."""
    return _smear(bits, WIDTH, ROWS - 1) & ROW


def highest_loyalty_then_mood(bits: int) -> tuple[int, int]:
    """The pair with the highest loyalty, and among those the highest mood."""
    loyalty = loyalties(bits).bit_length() - 1
    at = bits & columns(loyalty, loyalty)
    return (at.bit_length() - 1) // WIDTH, loyalty


def pairs(bits: int) -> Iterator[tuple[int, int]]:
    """Every (mood, loyalty) in the set, lowest first (for tests and small sets)."""
    while bits:
        low = bits & -bits
        yield divmod(low.bit_length() - 1, WIDTH)
        bits ^= low


def count(bits: int) -> int:
    return bits.bit_count()
