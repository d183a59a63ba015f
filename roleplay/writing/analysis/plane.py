"""Sets of (mood, loyalty) pairs as one integer's bits, moved a whole set at a time.

Bit ``mood * WIDTH + loyalty`` stands for the pair. Both scales run 0..100 and
the engine clamps them after every change, so moving a set by (mood, loyalty)
shifts every bit and piles those pushed past an edge onto the edge. A shift of
a few hundred thousand bits is one machine operation per word, so a reply is
applied to every pair a conversation can be in with a handful of operations.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

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


@functools.cache
def _ones(step: int, times: int) -> int:
    """Bits 0, step, 2*step ... times*step: multiplying a set by it ORs ``times + 1`` copies of
    it, each ``step`` further, as long as no two copies share a bit (the set spans fewer than
    ``step`` bits, or its bits are at least ``times * step + 1`` apart)."""
    return sum(1 << (k * step) for k in range(times + 1))


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

ADDER_STEP = 8
"""Carry adders are kept for every this many moods (each is as long as the moods it reaches)."""

_ADDERS: dict[tuple[int, int], int] = {}


def _adder(change: int, spilled: int) -> int:
    """The carry adder for a loyalty change, only as long as the rows ``spilled`` reaches (an
    addition takes as long as its longer operand)."""
    rows_reached = min(((spilled.bit_length() - 1) // WIDTH) // ADDER_STEP * ADDER_STEP + ADDER_STEP, ROWS)
    found = _ADDERS.get((change, rows_reached))
    if found is None:
        found = _ADDERS[(change, rows_reached)] = _loyalty_shift(change)[2] & _LOW_ROWS[rows_reached]
    return found


def _fold(bits: int, size: int, low: list[int]) -> int:
    """The OR of all blocks of ``size`` bits of ``bits``, as the lowest: each step ORs the upper
    half of the blocks onto the lower (``low[k]``: the lowest ``k`` blocks), so the integer
    halves each time."""
    count = (bits.bit_length() - 1) // size + 1
    while count > 1:
        half = (count + 1) >> 1
        bits = (bits & low[half]) | (bits >> (half * size))
        count = half
    return bits


def _fold_rows(bits: int) -> int:
    """The OR of all rows of ``bits`` (a few rows at most), as one row at mood 0."""
    return _fold(bits, WIDTH, _LOW_ROWS) if bits else 0


def shift(bits: int, mood: int, loyalty: int) -> int:
    """Every pair moved by (mood, loyalty), clamped to the scales as the engine clamps.

    Loyalties pushed past an edge are found with one addition: adding all ones to each row's
    overflowing band carries a bit out of the band exactly when the band holds any bit."""
    if loyalty:
        if loyalty >= WIDTH or loyalty <= -WIDTH:
            edge = _smear(bits, 1, WIDTH - 1) & _FIRST_COLUMN
            bits = edge << (WIDTH - 1) if loyalty > 0 else edge
        else:
            keep, over, _ = _loyalty_shift(loyalty)
            spilled = bits & over
            if loyalty > 0:
                bits = (bits & keep) << loyalty
                if spilled:
                    bits |= ((spilled + _adder(loyalty, spilled)) >> 1) & _LAST_COLUMN
            else:
                bits = (bits & keep) >> -loyalty
                if spilled:
                    bits |= ((spilled + _adder(loyalty, spilled)) >> -loyalty) & _FIRST_COLUMN
    if mood > 0:
        if mood >= ROWS:
            return _fold_rows(bits) << ((ROWS - 1) * WIDTH) if bits else 0
        bits <<= mood * WIDTH
        top = bits >> (ROWS * WIDTH)
        if top:
            bits = (bits & FULL) | (_fold_rows(top) << ((ROWS - 1) * WIDTH))
    elif mood < 0:
        if mood <= -ROWS:
            return _fold_rows(bits)
        under = bits & _LOW_ROWS[-mood]
        bits >>= -mood * WIDTH
        if under:
            bits |= _fold_rows(under)
    return bits


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


class Layers:
    """Sets of (values of a few counters, mood, loyalty) as one integer's bits: for each mood,
    one row of loyalties per combination of the counters' values.

    Counters that only the end of a conversation reads (the settlement, the ceilings) are kept
    this way rather than as part of the history: one operation then moves a set of pairs at
    every value of those counters at once. Bit ``(mood * count + layer) * WIDTH + loyalty``
    stands for (layer, mood, loyalty), where ``layer`` holds the counters' values as its
    digits (the first counter the lowest), each from 0 to its cap: the rows of one mood sit
    together, so a set that reaches only low moods is a short integer whatever the counters.
    With no counters this is the plane above and every method is its plain function."""

    def __init__(self, caps: tuple[int, ...] = ()) -> None:
        self.caps = caps
        self.count = 1
        strides = []
        for cap in caps:
            strides.append(self.count)
            self.count *= cap + 1
        self.strides = tuple(strides)
        """Rows between neighbouring values of each counter."""
        self.mood_bits = self.count * WIDTH
        """Bits of one mood (its rows at every value of the counters)."""
        self.full = (1 << (self.mood_bits * ROWS)) - 1
        self._every_row = sum(1 << (row * WIDTH) for row in range(ROWS * self.count))
        self._first_column = self._every_row
        self._last_column = self._every_row << (WIDTH - 1)
        self._wide_last_column = sum(1 << (row * WIDTH) for row in range(2 * ROWS * self.count)) << (WIDTH - 1)
        """The last loyalty of every row, and of as many rows again above them (where a rise in
        mood takes rows before they are folded onto the top mood)."""
        self._one_mood = (1 << self.mood_bits) - 1
        self._low_moods = [(1 << (count * self.mood_bits)) - 1 for count in range(ROWS + 1)]
        self._loyalty: dict[int, tuple[int, int]] = {}
        """Loyalty change -> (loyalties that stay on the scale, those that pile onto the edge)."""
        self._masks: dict[tuple[object, ...], int] = {}
        self._layer_masks: list[int] | None = None

    # between planes and layers --------------------------------------------------------------------
    def embed(self, mask: int, layer: int | None = None) -> int:
        """A plane's pairs at the counters' values of ``layer`` (None: at every value)."""
        if self.count == 1:
            return mask
        memo = ("embed", mask, layer)
        found = self._masks.get(memo)
        if found is None:
            copies = sum(1 << (row * WIDTH) for row in range(self.count)) if layer is None else 1 << (layer * WIDTH)
            found = 0
            mood = 0
            while mask:
                row = mask & ROW
                if row:
                    found |= (row * copies) << (mood * self.mood_bits)
                mask >>= WIDTH
                mood += 1
            self._masks[memo] = found
        return found

    def extract(self, bits: int, layer: int) -> int:
        """The pairs of ``bits`` at the counters' values of ``layer``, as a plane."""
        if self.count == 1:
            return bits
        found = 0
        bits >>= layer * WIDTH
        mood = 0
        while bits:
            found |= (bits & ROW) << (mood * WIDTH)
            bits >>= self.mood_bits
            mood += 1
        return found

    def point(self, layer: int, mood: int, loyalty: int) -> int:
        return 1 << ((mood * self.count + layer) * WIDTH + loyalty)

    def layer(self, values: tuple[int, ...]) -> int:
        """The layer that holds the given values of the counters."""
        return sum(value * stride for value, stride in zip(values, self.strides, strict=True))

    def values(self, layer: int) -> tuple[int, ...]:
        return tuple((layer // stride) % (cap + 1) for stride, cap in zip(self.strides, self.caps, strict=True))

    def in_layer(self, layer: int) -> int:
        """Every pair at the counters' values of ``layer``."""
        return self._rows_where("layer", layer, lambda row: row % self.count == layer)

    def layers_in(self, bits: int) -> Iterator[int]:
        """The layers holding any pair of ``bits``."""
        if self.count == 1:
            if bits:
                yield 0
            return
        if self._layer_masks is None:
            self._layer_masks = [self.in_layer(layer) for layer in range(self.count)]
        for layer, mask in enumerate(self._layer_masks):
            if bits & mask:
                yield layer

    def lowest(self, bits: int) -> tuple[int, int, int]:
        """(layer, mood, loyalty) of the lowest set bit."""
        row, loyalty = divmod((bits & -bits).bit_length() - 1, WIDTH)
        mood, layer = divmod(row, self.count)
        return layer, mood, loyalty

    def moods(self, bits: int) -> tuple[int, int]:
        """The lowest and highest mood in a non-empty set."""
        return ((bits & -bits).bit_length() - 1) // self.mood_bits, (bits.bit_length() - 1) // self.mood_bits

    def highest_loyalty_then_mood(self, bits: int) -> tuple[int, int]:
        """The pair with the highest loyalty, and among those the highest mood (at any layer)."""
        loyalty = (_smear(bits, WIDTH, ROWS * self.count - 1) & ROW).bit_length() - 1
        at = bits & (self._first_column << loyalty)
        return (at.bit_length() - 1) // self.mood_bits, loyalty

    def _rows_where(self, name: str, value: object, test: Callable[[int], bool]) -> int:
        """Every row (a mood at one layer) whose number passes ``test``, cached as (name, value)."""
        memo = ("rows", name, value)
        found = self._masks.get(memo)
        if found is None:
            found = sum(ROW << (row * WIDTH) for row in range(ROWS * self.count) if test(row))
            self._masks[memo] = found
        return found

    def _counter_band(self, counter: int, first: int, last: int) -> int:
        """Every pair at every layer where ``counter`` has a value from first to last."""
        stride, radix = self.strides[counter], self.caps[counter] + 1
        return self._rows_where(
            f"counter{counter}", (first, last), lambda row: first <= (row % self.count) // stride % radix <= last
        )

    # moving sets ---------------------------------------------------------------------------------
    def shift(self, bits: int, mood: int, loyalty: int, changes: tuple[tuple[int, int], ...] = ()) -> int:
        """Every pair moved by (mood, loyalty) and every counter ``i`` by ``change`` for each
        ``(i, change)`` in ``changes``, each clamped as the engine clamps."""
        if self.count == 1:
            return shift(bits, mood, loyalty)
        if loyalty and mood and -WIDTH < loyalty < WIDTH and -ROWS < mood < ROWS:
            bits = self._shift_both(bits, mood, loyalty)
        else:
            if loyalty:
                bits = self._shift_loyalty(bits, loyalty)
            if mood:
                bits = self._shift_mood(bits, mood)
        for counter, change in changes:
            bits = self._shift_counter(bits, counter, change)
        return bits

    def _shift_loyalty(self, bits: int, change: int) -> int:
        if change >= WIDTH or change <= -WIDTH:
            edge = _smear(bits, 1, WIDTH - 1) & self._first_column
            return edge << (WIDTH - 1) if change > 0 else edge
        found = self._loyalty.get(change)
        if found is None:
            band = abs(change)
            over = (((1 << band) - 1) << (WIDTH - band) if change > 0 else (1 << band) - 1) * self._every_row
            found = self._loyalty[change] = (self.full ^ over, over)
        keep, over = found
        spilled = bits & over
        if change > 0:
            bits = (bits & keep) << change
            if spilled:
                bits |= ((spilled + self._adder(change, spilled)) >> 1) & self._last_column
        else:
            bits = (bits & keep) >> -change
            if spilled:
                bits |= ((spilled + self._adder(change, spilled)) >> -change) & self._first_column
        return bits

    def _shift_both(self, bits: int, mood: int, loyalty: int) -> int:
        """:meth:`_shift_loyalty` then :meth:`_shift_mood` (both changes inside the scales), with
        the pairs that stay on the loyalty scale moved by both in one shift.

        The loyalties that pile onto an edge are found by the carry of an addition (see
        there); for a fall in loyalty the carry lands where the edge's pair would be before
        the move, so it moves in the same shift; for a rise it lands one place past the edge,
        and moves in a shift of its own. The moods pushed past an edge are folded onto it
        afterwards (above) or taken from the rows below before the shift (below)."""
        found = self._loyalty.get(loyalty)
        if found is None:
            self._shift_loyalty(0, loyalty)
            found = self._loyalty[loyalty]
        keep, over = found
        size = self.mood_bits
        net = mood * size + loyalty
        under = bits & self._low_moods[-mood] if mood < 0 else 0
        spilled = bits & over
        moved = bits & keep
        if spilled:
            carried = spilled + self._adder(loyalty, spilled)
            if loyalty < 0:
                moved |= carried & self._column(-loyalty)
                spilled = 0
            else:
                spilled = carried
        moved = moved << net if net > 0 else moved >> -net
        if spilled:
            up = mood * size - 1
            edge = spilled << up if up > 0 else spilled >> -up
            moved |= edge & self._wide_last_column
        if mood > 0:
            top = moved >> (ROWS * size)
            if top:
                moved = (moved & self.full) | (self._fold_moods(top) << ((ROWS - 1) * size))
        elif under:
            moved |= self._fold_moods(self._shift_loyalty(under, loyalty))
        return moved

    def _column(self, loyalty: int) -> int:
        """Every pair at one loyalty, at every layer."""
        memo = ("column", loyalty)
        found = self._masks.get(memo)
        if found is None:
            found = self._masks[memo] = self._first_column << loyalty
        return found

    def _adder(self, change: int, spilled: int) -> int:
        """The carry adder for a loyalty change (all ones on the loyalties that pile onto the
        edge), only as long as the moods ``spilled`` reaches: an addition takes as long as its
        longer operand."""
        moods = min(((spilled.bit_length() - 1) // self.mood_bits) // ADDER_STEP * ADDER_STEP + ADDER_STEP, ROWS)
        memo = ("adder", change, moods)
        found = self._masks.get(memo)
        if found is None:
            found = self._masks[memo] = self._loyalty[change][1] & self._low_moods[moods]
        return found

    def _fold_moods(self, bits: int) -> int:
        """The OR of all moods of ``bits`` (a few moods at most), as mood 0."""
        return _fold(bits, self.mood_bits, self._low_moods) if bits else 0

    def _shift_mood(self, bits: int, change: int) -> int:
        size = self.mood_bits
        if change > 0:
            if change >= ROWS:
                return self._fold_moods(bits) << ((ROWS - 1) * size) if bits else 0
            bits <<= change * size
            top = bits >> (ROWS * size)
            if top:
                bits = (bits & self.full) | (self._fold_moods(top) << ((ROWS - 1) * size))
            return bits
        if change <= -ROWS:
            return self._fold_moods(bits) if bits else 0
        under = bits & self._low_moods[-change]
        bits >>= -change * size
        if under:
            bits |= self._fold_moods(under)
        return bits

    def _shift_counter(self, bits: int, counter: int, change: int) -> int:
        stride, cap = self.strides[counter] * WIDTH, self.caps[counter]
        if change > 0:
            first = max(cap - change + 1, 0)
            spilled = bits & self._counter_band(counter, first, cap)
            bits = (bits ^ spilled) << (change * stride)
            for value in range(first, cap + 1):
                part = spilled & self._counter_band(counter, value, value)
                if part:
                    bits |= part << ((cap - value) * stride)
        else:
            last = min(-change - 1, cap)
            spilled = bits & self._counter_band(counter, 0, last)
            bits = (bits ^ spilled) >> (-change * stride)
            for value in range(last + 1):
                part = spilled & self._counter_band(counter, value, value)
                if part:
                    bits |= part >> (value * stride)
        return bits

    def unshift(self, bits: int, mood: int, loyalty: int, changes: tuple[tuple[int, int], ...] = ()) -> int:
        """Every pair that :meth:`shift` by the same changes moves into ``bits``."""
        for counter, change in reversed(changes):
            bits = self._unshift_counter(bits, counter, change)
        if mood and loyalty and bits and -ROWS < mood < ROWS and -WIDTH < loyalty < WIDTH:
            return self._unshift_both(bits, mood, loyalty)
        if mood and bits:
            bits = self._unshift_mood(bits, mood)
        if loyalty and bits:
            bits = self._unshift_loyalty(bits, loyalty)
        return bits

    def _unshift_both(self, bits: int, mood: int, loyalty: int) -> int:
        """:meth:`_unshift_mood` then :meth:`_unshift_loyalty` (both changes inside the scales),
        with every pair moved back by both in one shift (a pair on an edge lands on one of the
        pairs that reach it, which is all the column mask has to keep from the rows it crosses
        into), the other pairs reaching the loyalty edge spread and moved back in one
        multiplication and one shift, and those reaching the mood edge (one mood) worked out
        apart, on a short integer."""
        size = self.mood_bits
        net = mood * size + loyalty
        inner = self._columns(0, WIDTH - 1 - loyalty) if loyalty > 0 else self._columns(-loyalty, WIDTH - 1)
        found = (bits >> net if net > 0 else bits << -net) & inner
        on_edge = bits & self._loyalty_edge(mood, loyalty > 0)
        if on_edge:
            spread = on_edge * _ones(1, abs(loyalty))
            back = mood * size + max(loyalty, 0)
            found |= spread >> back if back > 0 else spread << -back
        if mood > 0:
            top = bits >> ((ROWS - 1) * size)
            if top:
                found |= self._unshift_loyalty(top * _ones(size, mood), loyalty) << ((ROWS - 1 - mood) * size)
        else:
            bottom = bits & self._one_mood
            if bottom:
                found |= self._unshift_loyalty(bottom * _ones(size, -mood), loyalty)
        return found

    def _loyalty_edge(self, mood: int, rise: bool) -> int:
        """For :meth:`_unshift_both`: the pairs on the loyalty edge a move reaches (the top after
        a rise) that come back from a mood inside the scale."""
        memo = ("edge", mood, rise)
        found = self._masks.get(memo)
        if found is None:
            size = self.mood_bits
            moods = self._low_moods[ROWS - 1 - mood] if mood > 0 else self.full ^ self._low_moods[-mood]
            edge = moods & (self._last_column if rise else self._first_column)
            found = self._masks[memo] = edge << (mood * size) if mood > 0 else edge >> (-mood * size)
        return found

    def _columns(self, first: int, last: int) -> int:
        memo = ("columns", first, last)
        found = self._masks.get(memo)
        if found is None:
            found = self._masks[memo] = (((1 << (last - first + 1)) - 1) << first) * self._every_row if first <= last else 0
        return found

    def _unshift_loyalty(self, bits: int, change: int) -> int:
        change = max(-(WIDTH - 1), min(WIDTH - 1, change))
        if change > 0:
            found = (bits >> change) & self._columns(0, WIDTH - 2 - change)
            top = bits & self._last_column
            if top:
                found |= (top * _ones(1, change)) >> change
            return found
        found = (bits << -change) & self._columns(1 - change, WIDTH - 1)
        bottom = bits & self._first_column
        if bottom:
            found |= bottom * _ones(1, -change)
        return found

    def _unshift_mood(self, bits: int, change: int) -> int:
        change = max(-(ROWS - 1), min(ROWS - 1, change))
        size = self.mood_bits
        if change > 0:
            found = (bits >> (change * size)) & self._low_moods[ROWS - 1 - change]
            top = bits >> ((ROWS - 1) * size)
            if top:
                found |= (top * _ones(size, change)) << ((ROWS - 1 - change) * size)
            return found
        found = (bits << (-change * size)) & (self.full ^ self._low_moods[-change])
        bottom = bits & self._one_mood
        if bottom:
            found |= bottom * _ones(size, -change)
        return found

    def _unshift_counter(self, bits: int, counter: int, change: int) -> int:
        """{x : clamp(x + change) in bits} for one counter."""
        stride, cap = self.strides[counter] * WIDTH, self.caps[counter]
        if change > 0:
            found = ((bits >> (change * stride)) & self._counter_band(counter, 0, cap - change)) if change <= cap else 0
            top = bits & self._counter_band(counter, cap, cap)
            if top:
                for value in range(max(cap - change + 1, 0), cap + 1):
                    found |= top >> ((cap - value) * stride)
            return found
        change = -change
        found = ((bits << (change * stride)) & self._counter_band(counter, change, cap)) if change <= cap else 0
        bottom = bits & self._counter_band(counter, 0, 0)
        if bottom:
            for value in range(min(change, cap + 1)):
                found |= bottom << (value * stride)
        return found
