"""The participants' page and its websocket, served with aiohttp on the caller's asyncio loop.

One :class:`RoomServer` serves one :class:`~roleplay.room.model.Room`:

* ``GET /`` is the participants' page (``/room.js`` and ``/room.css`` beside
  it); it loads nothing from anywhere else, and its Content-Security-Policy
  says so to the browser.
* ``GET /ws?code=CODE[&token=TOKEN]`` is a device's websocket. The code is
  checked on every connection; the token (given on the first join) brings a
  device back to its own vote after a reconnect.

The page comes in the room's language (its labels are filled in as it is
served); a device's first messages are ``joined`` and ``page`` (the page's
labels, sent again whenever the presenter switches language), then its views.

A device may send one kind of message, a vote:
``{"type": "vote", "turn": 3, "choice": 2}``. Anything else, anything over the
message-rate limit and anything malformed is dropped and logged; a connection
that keeps at it, or sends a message over the size limit, is closed. The
server sends a device its own view of the room (:meth:`Room.view_for`)
whenever that view changes.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import socket
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web

from roleplay.room.limits import AddressLimiter, Bucket, Limits
from roleplay.room.model import Room, RoomError, RoomEvent
from roleplay.room.settings import DEFAULT_HOST, DEFAULT_PORT

log = logging.getLogger("roleplay.room")

CLOSE_REFUSED = 4403
"""Close code for a refused join (wrong code, removed, room closed): the page does not retry."""
CLOSE_REMOVED = 4001
CLOSE_ABUSE = 4008
"""Close code for a connection that kept sending what is not allowed."""

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
STATIC = {
    "/": ("index.html", "text/html"),
    "/room.js": ("room.js", "text/javascript"),
    "/room.css": ("room.css", "text/css"),
}


def _static(name: str) -> bytes:
    return resources.files("roleplay.room").joinpath("static", name).read_bytes()


def render_page(template: bytes, language: str, strings: dict[str, str]) -> bytes:
    """The page with its labels in ``language``: ``{{name}}`` becomes that string, HTML-escaped.

    Strings are put in as text and attribute values only (the page's policy allows
    no inline script), so nothing a translation holds can run.
    """
    text = template.decode("utf-8").replace("{{lang}}", html.escape(language))
    for name, value in strings.items():
        text = text.replace("{{" + name + "}}", html.escape(value))
    return text.encode("utf-8")


def lan_address() -> str:
    """This computer's address on its local network (the one a phone on the same Wi-Fi reaches), or loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))  # no packet is sent: this only picks the outgoing interface
            return probe.getsockname()[0]
        except OSError:
            return DEFAULT_HOST


def _short(data: object, limit: int = 80) -> str:
    text = repr(data)
    return text if len(text) <= limit else text[:limit] + "..."


def parse_vote(text: str) -> tuple[int, int] | None:
    """``(turn, choice)`` from a device's message, or None when it is not a well-formed vote."""
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, dict) or message.get("type") != "vote" or set(message) != {"type", "turn", "choice"}:
        return None
    turn, choice = message["turn"], message["choice"]
    if type(turn) is not int or type(choice) is not int:
        return None
    return turn, choice


@dataclass(eq=False)
class Connection:
    """One open websocket of one device."""

    ws: web.WebSocketResponse
    token: str
    address: str
    bucket: Bucket
    drops: int = 0
    dirty: asyncio.Event = field(default_factory=asyncio.Event)
    notice: dict[str, Any] | None = None
    """A one-off message (why a vote was refused) sent before the next view."""
    page: bool = True
    """The page's labels are to be sent (on joining, and when the room's language changes)."""


class RoomServer:
    """Serves ``room`` to participants' browsers on ``host:port`` (port 0: any free port)."""

    def __init__(
        self,
        room: Room,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        limits: Limits | None = None,
        public_url: str | None = None,
    ) -> None:
        self.room = room
        self.host = host
        self.port = port
        self.limits = limits or Limits()
        self._public_url = public_url
        self.connections: dict[str, set[Connection]] = {}
        self._addresses = AddressLimiter(self.limits)
        self._pages = AddressLimiter(
            Limits(connections_burst=self.limits.pages_burst, connections_per_second=self.limits.pages_per_second)
        )
        self._runner: web.AppRunner | None = None
        self._writers: set[asyncio.Task] = set()
        self.dropped = 0
        """Messages dropped since the start (malformed, not allowed, or over the limit)."""
        self.refused = 0
        """Connections refused since the start (wrong code, rate limit, removed)."""
        self.application = self._build()

    # the aiohttp application ----------------------------------------------------
    def _build(self) -> web.Application:
        application = web.Application(client_max_size=4096)
        for path in STATIC:
            application.router.add_get(path, self._page)
        application.router.add_get("/ws", self._websocket)
        return application

    @property
    def url(self) -> str:
        """The participants' page, as a phone on the room's network reaches it."""
        if self._public_url:
            return self._public_url.rstrip("/") + "/"
        host = self.host
        if host in ("0.0.0.0", "", "::"):
            host = lan_address()
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    @property
    def join_url(self) -> str:
        """The page with the code filled in: what the QR code holds."""
        return f"{self.url}?code={self.room.code}"

    async def start(self) -> None:
        """Listen on the running asyncio loop (raises OSError when the address cannot be used)."""
        runner = web.AppRunner(self.application, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        if self.port == 0:
            self.port = runner.addresses[0][1]
        self.room.subscribe(self._on_room_event)
        log.info("room %s open on %s", self.room.code, self.url)

    async def stop(self) -> None:
        self.room.unsubscribe(self._on_room_event)
        for connections in list(self.connections.values()):
            for connection in list(connections):
                await connection.ws.close(code=WSCloseCode.GOING_AWAY, message=b"the room has closed")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for task in list(self._writers):
            task.cancel()

    # the page -------------------------------------------------------------------
    async def _page(self, request: web.Request) -> web.Response:
        if not self._pages.allow(request.remote or "?"):
            return web.Response(status=429, text=self.room.phrases("Too many requests; wait a moment."))
        name, content_type = STATIC[request.path]
        body = _static(name)
        if name == "index.html":
            phrases = self.room.phrases
            body = render_page(body, phrases.language, phrases.page())
        return web.Response(body=body, content_type=content_type, charset="utf-8", headers=SECURITY_HEADERS)

    # the websocket --------------------------------------------------------------
    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        address = request.remote or "?"
        if not self._addresses.allow(address):
            self.refused += 1
            log.warning("refused %s: too many connections", address)
            return web.Response(status=429, text=self.room.phrases("Too many connections; wait a moment."))
        if sum(len(c) for c in self.connections.values()) >= self.limits.max_connections:
            self.refused += 1
            log.warning("refused %s: the server is at its connection limit", address)
            return web.Response(status=503, text=self.room.phrases("The room is full."))
        origin = request.headers.get("Origin")
        if origin and urlsplit(origin).netloc.lower() != request.host.lower():
            self.refused += 1
            log.warning("refused %s: a page from %s tried to connect", address, _short(origin))
            return web.Response(status=403, text=self.room.phrases("Connect from the room's own page."))
        ws = web.WebSocketResponse(max_msg_size=self.limits.max_message_bytes, heartbeat=30)
        try:
            await ws.prepare(request)
        except (ConnectionError, RuntimeError):
            return ws  # the device went away during the handshake
        try:
            participant = self.room.join(request.query.get("code", ""), request.query.get("token") or None)
        except RoomError as refusal:
            self.refused += 1
            log.warning("refused %s: %s", address, refusal)
            try:
                phrases = self.room.phrases
                await ws.send_json(
                    {"type": "refused", "reason": refusal.reason, "message": phrases(str(refusal)), "page": phrases.page()}
                )
                await ws.close(code=CLOSE_REFUSED, message=b"refused")
            except (ConnectionError, RuntimeError):
                pass
            return ws
        connection = Connection(
            ws, participant.token, address, Bucket(self.limits.messages_burst, self.limits.messages_per_second)
        )
        self.connections.setdefault(participant.token, set()).add(connection)
        writer = asyncio.get_running_loop().create_task(self._write(connection))
        self._writers.add(writer)
        writer.add_done_callback(self._writers.discard)
        try:
            await ws.send_json({"type": "joined", "token": participant.token, "you": self.room.phrases.phone(participant.number)})
            connection.dirty.set()
            await self._read(connection)
        except (ConnectionError, RuntimeError):
            pass  # the device went away while we wrote to it
        finally:
            writer.cancel()
            connections = self.connections.get(participant.token)
            if connections is not None:
                connections.discard(connection)
                if not connections:
                    del self.connections[participant.token]
            self.room.disconnect(participant.token)
        return ws

    async def _read(self, connection: Connection) -> None:
        ws = connection.ws
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self._handle(connection, message.data)
            elif message.type == WSMsgType.ERROR:
                log.warning("closed %s: %s", connection.address, ws.exception())
                break
            else:
                self._drop(connection, f"a {message.type.name.lower()} message")
            if connection.drops >= self.limits.drops_before_close:
                log.warning("closed %s: %d messages dropped", connection.address, connection.drops)
                await ws.close(code=CLOSE_ABUSE, message=b"too many bad messages")
                break

    def _drop(self, connection: Connection, why: str) -> None:
        connection.drops += 1
        self.dropped += 1
        if connection.drops <= 3 or connection.drops % 10 == 0:
            log.warning("dropped from %s: %s (%d so far)", connection.address, why, connection.drops)

    def _handle(self, connection: Connection, text: str) -> None:
        if not connection.bucket.allow():
            self._drop(connection, "over the message rate limit")
            return
        vote = parse_vote(text)
        if vote is None:
            self._drop(connection, f"not a vote: {_short(text)}")
            return
        turn, choice = vote
        try:
            self.room.vote(connection.token, turn, choice)
        except RoomError as refusal:
            connection.notice = {"type": "notice", "message": self.room.phrases(str(refusal))}
            connection.dirty.set()

    # pushing views --------------------------------------------------------------
    def _on_room_event(self, event: RoomEvent) -> None:
        if event.kind in ("phase", "language"):
            for connections in self.connections.values():
                for connection in connections:
                    connection.page = connection.page or event.kind == "language"
                    connection.dirty.set()
        elif event.kind in ("voted", "removed", "connected") and event.token is not None:
            for connection in self.connections.get(event.token, ()):
                connection.dirty.set()

    async def _write(self, connection: Connection) -> None:
        """Send the device its view whenever it changed; several changes in a row send one view."""
        ws = connection.ws
        try:
            while not ws.closed:
                await connection.dirty.wait()
                connection.dirty.clear()
                if connection.page:
                    connection.page = False
                    phrases = self.room.phrases
                    await ws.send_json({"type": "page", "lang": phrases.language, "strings": phrases.page()})
                if connection.notice is not None:
                    notice, connection.notice = connection.notice, None
                    await ws.send_json(notice)
                view = self.room.view_for(connection.token)
                await ws.send_json(view)
                if view["type"] == "removed":
                    await ws.close(code=CLOSE_REMOVED, message=b"removed")
                    return
        except (ConnectionError, RuntimeError):
            return
