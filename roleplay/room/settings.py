"""What the command line asks of a room: where to listen, the address to show, whether to hide the live tally.

Kept apart from the server so the app can hold these without importing aiohttp.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_HOST = "127.0.0.1"
"""Loopback: only this computer. Open it to the room's network with --host."""
DEFAULT_PORT = 8001
LOG_FILE = "room.log"
"""In the user data folder: refused connections and dropped messages."""


@dataclass(frozen=True)
class RoomOptions:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    public_url: str | None = None
    """The address phones use, when it is not http://HOST:PORT/ (behind a proxy, say)."""
    hide_tally: bool = False
    """Start with the live tally hidden on the projector until each vote is locked in."""
