"""The join screen's QR code, as the projector draws it in text cells, read by a real QR decoder (zxing-cpp).

The test takes the cells the app renders (characters and their colours, as a
terminal receives them), paints each cell as a phone camera would see it on
the projector (a cell is one module wide and two high: half blocks paint the
foreground colour in their half, the background in the other) and decodes
the picture. What the decoder reads must be the join address with the code.
"""

from __future__ import annotations

import pytest
import zxingcpp

from roleplay.tui.widgets.qr_code import QRCode
from tests.presenter.conftest import settle

from .conftest import CODE, PUBLIC_URL

MODULE = 4
"""Pixels to a module (a cell is MODULE wide and 2 * MODULE high)."""
HALVES = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}


def luminance(colour) -> int:
    red, green, blue = colour.get_truecolor()
    return round(0.299 * red + 0.587 * green + 0.114 * blue)


def cells(strip) -> list[tuple[str, int | None, int | None]]:
    """Each cell of a rendered line: its character, and its foreground and background luminance (None: not set)."""
    row = []
    for segment in strip:
        style = segment.style
        foreground = luminance(style.color) if style is not None and style.color is not None else None
        background = luminance(style.bgcolor) if style is not None and style.bgcolor is not None else None
        row += [(character, foreground, background) for character in segment.text]
    return row


def picture(app, margin: int = 0) -> tuple[bytes, int, int]:
    """The QR code's cells (its quiet zone included) and ``margin`` more around it, as a greyscale image (bytes, width, height)."""
    screen = app.screen
    region = screen.query_one(QRCode).region
    lines = screen._compositor.render_strips()
    top, bottom = max(0, region.y - margin), min(len(lines), region.bottom + margin)
    left, right = max(0, region.x - margin), region.right + margin
    rows: list[bytes] = []
    for y in range(top, bottom):
        upper, lower = bytearray(), bytearray()
        for character, foreground, background in cells(lines[y])[left:right]:
            assert character in HALVES, f"a cell of the QR code holds {character!r}"
            top_filled, bottom_filled = HALVES[character]
            assert background is not None and (foreground is not None or character == " "), "every module has a colour"
            upper += bytes([foreground if top_filled else background]) * MODULE
            lower += bytes([foreground if bottom_filled else background]) * MODULE
        rows += [bytes(upper)] * MODULE + [bytes(lower)] * MODULE
    width = len(rows[0])
    return b"".join(rows), width, len(rows)


def decode(data: bytes, width: int, height: int) -> list[str]:
    image = memoryview(data).cast("B", (height, width))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.mark.parametrize("size", [(80, 24), (120, 35)], ids=["80x24", "120x35"])
@pytest.mark.parametrize("theme", ["roleplay-presenter", "roleplay-presenter-dark"])
async def test_a_phone_reads_the_join_address_off_the_projectors_qr_code(make_room_app, size, theme: str) -> None:
    app = make_room_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.theme = theme
        await settle(pilot)
        assert app.screen.query_one(QRCode).display, "the QR code shows at this size"
        data, width, height = picture(app)
        assert decode(data, width, height) == [f"{PUBLIC_URL}/?code={CODE}"]


async def test_the_decoder_does_not_read_a_damaged_code(make_room_app) -> None:
    """The check can fail: with a third of the code painted over, nothing is read."""
    app = make_room_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        data, width, height = picture(app)
        damaged = bytearray(data)
        for y in range(height // 3, 2 * height // 3):
            damaged[y * width : (y + 1) * width] = bytes([255]) * width
        assert decode(bytes(damaged), width, height) == []
