"""A QR code in text cells (two modules a cell), coloured by the theme, for phones to scan off the projector."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from roleplay.room.qr import qr_lines


class QRCode(Widget):
    """The QR code of ``data``. Block characters draw whichever modules are light on the theme's
    background, so a dark theme still shows dark modules on light ones, as cameras expect."""

    DEFAULT_CSS = """
    QRCode { width: auto; height: auto; }
    """

    def __init__(self, data: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.data = data

    def _lines(self) -> list[str]:
        dark = self.app.current_theme.dark if self.is_attached else False
        return qr_lines(self.data, filled="light" if dark else "dark")

    def render(self) -> Text:
        return Text("\n".join(self._lines()), no_wrap=True)

    def get_content_width(self, container, viewport) -> int:
        return len(self._lines()[0])

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._lines())
