"""The presenter screen's keys for a room of phones (``roleplay room``): the way to join, joining open or
closed, the tally hidden while the room votes, and who is in the room."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from roleplay.i18n import _

if TYPE_CHECKING:
    from roleplay.room.model import Room
    from roleplay.room.server import RoomServer


class RoomKeys(Screen[None]):
    """The room's keys, for the presenter screen; each does nothing without a room (see its ``check_action``)."""

    audience: Room | None = None
    """The room voting from their phones, when the app has one."""

    @property
    def room_server(self) -> RoomServer | None:
        """The app's room server, when a room of phones is open (the app owns it)."""
        server: RoomServer | None = getattr(self.app, "room_server", None)
        return server

    def action_room_join(self) -> None:
        from roleplay.tui.screens.room import RoomJoinScreen

        server = self.room_server
        if self.audience is not None and server is not None and self.is_current:
            self.app.push_screen(RoomJoinScreen(self.audience, server.url, server.join_url))

    def action_room_joining(self) -> None:
        if self.audience is not None:
            self.audience.set_joining(not self.audience.joining_open)
            self.notify(
                _("New phones can join.") if self.audience.joining_open else _("No new phones can join."),
                title=_("Joining open") if self.audience.joining_open else _("Joining closed"),
                timeout=3,
            )

    def action_room_hide_tally(self) -> None:
        if self.audience is not None:
            self.audience.set_tally_hidden(not self.audience.tally_hidden)

    def action_room_participants(self) -> None:
        from roleplay.tui.screens.room import RoomParticipantsScreen

        if self.audience is not None:
            self.app.push_screen(RoomParticipantsScreen(self.audience))
