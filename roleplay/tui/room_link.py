"""How a screen hears from the room: a listener on the room that posts :class:`RoomChanged` to the screen.

The room server and the app share one asyncio loop, so the listener runs on
the app's thread; it only posts a message, and posts none while one is still
waiting, so a burst of sixty votes redraws the projector once or twice, not
sixty times.
"""

from __future__ import annotations

from textual.message_pump import MessagePump

from roleplay.i18n import ngettext
from roleplay.room.model import Room, RoomEvent
from roleplay.tui.messages import RoomChanged


class RoomFollower:
    """Follows ``room`` for ``target`` (a screen) between :meth:`start` and :meth:`stop`."""

    def __init__(self, room: Room, target: MessagePump) -> None:
        self.room = room
        self.target = target
        self.waiting = False
        """A RoomChanged is posted and not yet handled."""

    def start(self) -> None:
        self.room.subscribe(self)

    def stop(self) -> None:
        self.room.unsubscribe(self)

    def __call__(self, event: RoomEvent) -> None:
        if not self.waiting:
            self.waiting = True
            self.target.post_message(RoomChanged())

    def caught_up(self) -> None:
        """Call first thing when handling RoomChanged: later changes post a new message."""
        self.waiting = False


def voted_phrase(room: Room) -> str:
    """'12 of 15 joined have voted' (the projector's line)."""
    joined, voted = room.joined, room.voted
    return ngettext("{voted} of {count} joined has voted", "{voted} of {count} joined have voted", joined).format(
        voted=voted, count=joined
    )
