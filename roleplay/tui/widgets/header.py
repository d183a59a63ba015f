"""The header: the icon that opens the command palette, and the screen's title with the mode, centred.

It looks and behaves as Textual's Header (the icon at the left opens the
command palette, a click elsewhere makes the header taller or shorter, the
title follows the app's and the screen's title and sub-title), drawn by one
widget instead of four: a header is on almost every screen, the picker's
first frame among them, and each widget is mounted, styled and laid out.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from roleplay.i18n import _

ICON = "⭘"
ICON_WIDTH = 8
"""The cells the icon's place takes at the left (the icon itself in the second)."""
RIGHT_WIDTH = 10
"""The cells left blank at the right (where Textual's header would show a clock)."""


class Header(Widget):
    """One line at the top (three when clicked): the icon, and the title — mode in the middle."""

    DEFAULT_CSS = """
    Header {
        dock: top;
        width: 100%;
        background: $panel;
        color: $foreground;
        height: 1;
    }
    Header.-tall {
        height: 3;
    }
    Header > .header--icon-hover {
        background: $foreground 10%;
    }
    """
    COMPONENT_CLASSES = {"header--icon-hover"}

    icon_hover: reactive[bool] = reactive(False)
    """The mouse is over the icon."""

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._title_changed, init=False)
            self.watch(node, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def title_content(self) -> Content:
        """The title and sub-title shown: the screen's, or else the app's, as the app formats them."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def _on_icon(self, x: int) -> bool:
        return x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        if self._on_icon(event.x):
            await self.run_action("app.command_palette")
        else:
            self.toggle_class("-tall")

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.icon_hover = self._on_icon(event.x)
        self.tooltip = _("Open the command palette") if self.icon_hover else None

    def on_leave(self) -> None:
        self.icon_hover = False

    def watch_icon_hover(self) -> None:
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        base = self.visual_style
        blank = base.rich_style
        if y != (height - 1) // 2:
            return Strip.blank(width, blank)
        room = max(0, width - ICON_WIDTH - RIGHT_WIDTH)
        title = self.title_content()
        if title.cell_length > room:
            title = title.truncate(room, ellipsis=True)
        icon_style = base + self.get_visual_style("header--icon-hover") if self.icon_hover else base
        icon = Content(f" {ICON}".ljust(ICON_WIDTH)).truncate(min(width, ICON_WIDTH))
        left = (room - title.cell_length) // 2
        segments = [
            *icon.render_segments(icon_style),
            *Content(" " * left).render_segments(base),
            *title.render_segments(base),
        ]
        return Strip(segments).extend_cell_length(width, blank).crop(0, width)
