"""The room's server over real loopback websockets: joining, voting, and hostile input of every kind."""

from __future__ import annotations

import asyncio
import json
import logging

import aiohttp
import pytest

from roleplay.room.limits import Limits
from roleplay.room.model import Room
from roleplay.room.server import CLOSE_ABUSE, CLOSE_REFUSED, CLOSE_REMOVED, SECURITY_HEADERS, RoomServer, parse_vote, render_page

REPLIES = ["Sorry.", "No.", "Maybe."]


@pytest.fixture
async def server():
    room = Room(code="BCDFG")
    room.open_vote(1, "I want my money back.", REPLIES)
    server = RoomServer(room, "127.0.0.1", 0)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def client():
    async with aiohttp.ClientSession() as session:
        yield session


def ws_url(server: RoomServer, code: str = "BCDFG", token: str | None = None) -> str:
    url = f"http://127.0.0.1:{server.port}/ws?code={code}"
    return url + (f"&token={token}" if token else "")


async def join(client: aiohttp.ClientSession, server: RoomServer, **kwargs):
    """A phone joins; returns its websocket, its token and its first view."""
    ws = await client.ws_connect(ws_url(server, **kwargs))
    joined = await ws.receive_json(timeout=5)
    assert joined["type"] == "joined", joined
    page = await ws.receive_json(timeout=5)
    assert page["type"] == "page" and page["strings"]["join"], page
    view = await ws.receive_json(timeout=5)
    return ws, joined["token"], view


async def next_state(ws, timeout: float = 5) -> dict:
    while True:
        message = await ws.receive_json(timeout=timeout)
        if message["type"] == "state":
            return message


async def vote(ws, choice: int, turn: int = 1) -> dict:
    await ws.send_json({"type": "vote", "turn": turn, "choice": choice})
    return await next_state(ws)


async def settled(server: RoomServer, counts: list[int], timeout: float = 5) -> None:
    """Wait until the room counts ``counts`` (messages are handled as they arrive)."""
    for _ in range(int(timeout / 0.01)):
        if server.room.counts() == counts:
            return
        await asyncio.sleep(0.01)
    assert server.room.counts() == counts


class TestPage:
    async def test_the_page_and_its_files_come_with_a_strict_policy(self, server, client) -> None:
        for path, kind in (("/", "text/html"), ("/room.js", "text/javascript"), ("/room.css", "text/css")):
            async with client.get(f"http://127.0.0.1:{server.port}{path}") as response:
                assert response.status == 200
                assert response.content_type == kind
                for header, value in SECURITY_HEADERS.items():
                    assert response.headers[header] == value
                text = await response.text()
                assert "http://" not in text and "https://" not in text, f"{path} refers outside the machine"
        assert "default-src 'none'" in SECURITY_HEADERS["Content-Security-Policy"]

    async def test_unknown_paths_are_not_found(self, server, client) -> None:
        async with client.get(f"http://127.0.0.1:{server.port}/../../etc/passwd") as response:
            assert response.status == 404

    def test_the_join_url_carries_the_code(self, server) -> None:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        assert server.join_url == f"{server.url}?code=BCDFG"

    def test_a_public_url_is_shown_as_given(self) -> None:
        assert (
            RoomServer(Room(code="BCDFG"), public_url="https://room.example.org").join_url
            == "https://room.example.org/?code=BCDFG"
        )


class TestLanguage:
    """The page and every message to the phones in the room's language (the presenter's)."""

    async def test_the_page_is_served_in_the_rooms_language(self, server, client) -> None:
        server.room.set_language("lv")
        async with client.get(f"http://127.0.0.1:{server.port}/") as response:
            assert response.charset == "utf-8"
            page = await response.text()
        assert '<html lang="lv">' in page
        assert '<title data-text="title">roleplay: grupas balsojums</title>' in page
        assert ">Grupas kods, kā redzams ekrānā</label>" in page and ">Pievienoties grupai</button>" in page
        assert 'data-reconnecting="Savienojums pārtrūka: savienojas no jauna…"' in page
        assert "{{" not in page, "every label is filled in"

    def test_a_translation_cannot_put_markup_into_the_page(self) -> None:
        page = render_page(b'<html lang="{{lang}}"><p title="{{join}}">{{join}}</p>', "lv", {"join": '"><script>x</script>'})
        assert b"<script>" not in page and b"&lt;script&gt;" in page and b'title="&quot;&gt;' in page

    async def test_a_wrong_code_is_refused_in_the_rooms_language(self, server, client) -> None:
        server.room.set_language("hr")
        ws = await client.ws_connect(ws_url(server, code="XXXXX"))
        refusal = await ws.receive_json(timeout=5)
        assert refusal["message"] == "To nije kod ove dvorane."
        assert refusal["page"]["join"] == "Pridruži se dvorani"
        await ws.close()

    async def test_a_language_switch_relabels_every_phone_and_keeps_the_votes(self, server, client) -> None:
        ws, _token, view = await join(client, server)
        assert (view["lang"], view["you"], view["hint"]) == ("en", "Phone 1", "Your vote is anonymous.")
        await vote(ws, 2)
        server.room.set_language("pl")
        page = await ws.receive_json(timeout=5)
        assert (page["type"], page["lang"], page["strings"]["reconnecting"]) == (
            "page",
            "pl",
            "Utracono połączenie: łączę ponownie…",
        )
        view = await next_state(ws)
        assert (view["you"], view["vote"], view["status"][:13]) == ("Telefon 1", 2, "Twój głos: 2.")
        await ws.send_json({"type": "vote", "turn": 1, "choice": 9})
        notice = await ws.receive_json(timeout=5)
        assert notice == {"type": "notice", "message": "Takiej odpowiedzi nie ma do wyboru."}
        await ws.close()


class TestVoting:
    async def test_join_vote_change_and_the_room_counts_one_vote_per_device(self, server, client) -> None:
        ws, _token, view = await join(client, server)
        assert view["phase"] == "voting" and view["replies"] == REPLIES and view["vote"] is None
        assert (await vote(ws, 2))["vote"] == 2
        assert (await vote(ws, 3))["vote"] == 3
        assert server.room.counts() == [0, 0, 1]
        other, _, _ = await join(client, server)
        await vote(other, 3)
        assert server.room.counts() == [0, 0, 2]

    async def test_lock_in_and_reveal_reach_every_phone(self, server, client) -> None:
        from roleplay.room.model import Reveal

        phones = [await join(client, server) for _ in range(3)]
        for (ws, _, _), choice in zip(phones, (1, 2, 1), strict=False):
            await vote(ws, choice)
        server.room.lock()
        for ws, _, _ in phones:
            assert (await next_state(ws))["phase"] == "locked"
        server.room.reveal(Reveal(1, "majority", "Sorry.", 30, 41, ("✓ Apologize",)))
        summaries = [(await next_state(ws))["reveal"]["summary"] for ws, _, _ in phones]
        assert summaries == ["You voted 1; the room chose 1.", "You voted 2; the room chose 1.", "You voted 1; the room chose 1."]

    async def test_a_vote_after_lock_in_is_refused_with_a_notice(self, server, client) -> None:
        ws, _, _ = await join(client, server)
        await vote(ws, 1)
        server.room.lock()
        await next_state(ws)
        await ws.send_json({"type": "vote", "turn": 1, "choice": 2})
        notice = await ws.receive_json(timeout=5)
        assert notice == {"type": "notice", "message": "Voting on that turn is closed."}
        assert server.room.counts() == [1, 0, 0]


class TestHostile:
    @pytest.mark.parametrize("code", ["", "BCDFH", "bcdfg'--", "X" * 500])
    async def test_a_wrong_code_is_refused_and_logged(self, server, client, caplog, code: str) -> None:
        caplog.set_level(logging.WARNING, "roleplay.room")
        ws = await client.ws_connect(ws_url(server, code=code))
        refused = await ws.receive_json(timeout=5)
        assert refused["type"] == "refused" and refused["reason"] == "code"
        await ws.receive(timeout=5)
        assert ws.close_code == CLOSE_REFUSED
        assert server.room.participants == {}
        assert "not this room's code" in caplog.text

    async def test_a_page_from_another_site_cannot_connect(self, server, client) -> None:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(ws_url(server), headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403
        assert server.room.participants == {}

    @pytest.mark.parametrize(
        "message",
        [
            "not json",
            "[1, 2]",
            '{"type": "vote"}',
            '{"type": "vote", "turn": 1, "choice": "1"}',
            '{"type": "vote", "turn": 1, "choice": true}',
            '{"type": "vote", "turn": 1, "choice": 1.0}',
            '{"type": "vote", "turn": 1, "choice": 1, "extra": 1}',
            '{"type": "lock", "choice": 1}',
            '{"type": "reveal"}',
            '{"type": "remove", "token": "x"}',
            "[" * 400 + "]" * 400,
        ],
    )
    async def test_malformed_and_forbidden_messages_are_dropped_and_logged(self, server, client, caplog, message: str) -> None:
        caplog.set_level(logging.WARNING, "roleplay.room")
        ws, _, _ = await join(client, server)
        await ws.send_str(message)
        assert (await vote(ws, 2))["vote"] == 2  # the connection carries on
        assert server.room.counts() == [0, 1, 0]
        assert server.room.phase == "voting"
        assert server.dropped == 1
        assert "not a vote" in caplog.text

    def test_only_a_well_formed_vote_parses(self) -> None:
        assert parse_vote('{"type": "vote", "turn": 2, "choice": 3}') == (2, 3)
        assert parse_vote('{"choice": 3, "turn": 2, "type": "vote"}') == (2, 3)
        assert parse_vote('{"type": "vote", "turn": 2, "choice": null}') is None

    async def test_a_binary_message_is_dropped(self, server, client) -> None:
        ws, _, _ = await join(client, server)
        await ws.send_bytes(b"\x00\x01")
        assert (await vote(ws, 1))["vote"] == 1
        assert server.dropped == 1

    async def test_an_oversized_message_closes_that_connection_only(self, server, client, caplog) -> None:
        caplog.set_level(logging.WARNING, "roleplay.room")
        big, _, _ = await join(client, server)
        calm, _, _ = await join(client, server)
        await big.send_str(json.dumps({"type": "vote", "turn": 1, "choice": 1, "pad": "x" * 5000}))
        closed = await big.receive(timeout=5)
        assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert big.close_code == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
        assert (await vote(calm, 3))["vote"] == 3
        assert server.room.counts() == [0, 0, 1]
        assert "closed" in caplog.text

    async def test_a_flood_is_rate_limited_then_cut_off_and_counts_one_vote(self, server, client) -> None:
        ws, _token, _ = await join(client, server)
        for _ in range(200):
            await ws.send_json({"type": "vote", "turn": 1, "choice": 2})
        while True:
            message = await ws.receive(timeout=5)
            if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
        assert ws.close_code == CLOSE_ABUSE
        assert server.dropped >= server.limits.drops_before_close
        assert server.room.counts() == [0, 1, 0]
        calm, _, _ = await join(client, server)
        assert (await vote(calm, 1))["vote"] == 1

    async def test_connections_from_one_address_are_rate_limited(self, client) -> None:
        room = Room(code="BCDFG")
        room.open_vote(1, "?", REPLIES)
        server = RoomServer(room, "127.0.0.1", 0, limits=Limits(connections_burst=5, connections_per_second=0.001))
        await server.start()
        try:
            statuses = []
            for _ in range(8):
                try:
                    ws = await client.ws_connect(ws_url(server, code="WRONG"))
                    await ws.close()
                    statuses.append(101)
                except aiohttp.WSServerHandshakeError as refused:
                    statuses.append(refused.status)
            assert statuses == [101] * 5 + [429] * 3
            assert server.refused == 8
        finally:
            await server.stop()

    async def test_a_reconnect_with_the_token_keeps_the_vote(self, server, client) -> None:
        ws, token, _ = await join(client, server)
        await vote(ws, 3)
        await ws.close()
        again, same, view = await join(client, server, token=token)
        assert same == token and view["vote"] == 3
        assert (await vote(again, 1))["vote"] == 1
        assert server.room.counts() == [1, 0, 0] and len(server.room.participants) == 1

    async def test_two_tabs_of_one_device_hold_one_vote(self, server, client) -> None:
        first, token, _ = await join(client, server)
        second, _, _ = await join(client, server, token=token)
        await vote(first, 1)
        assert (await next_state(second))["vote"] == 1
        await vote(second, 2)
        assert server.room.counts() == [0, 1, 0]

    async def test_a_browser_closed_mid_vote_leaves_its_vote_counted_once(self, server, client) -> None:
        phones = [await join(client, server) for _ in range(4)]
        for ws, _, _ in phones:
            await ws.send_json({"type": "vote", "turn": 1, "choice": 2})
        for ws, _, _ in phones[:2]:
            await ws.close()  # closed right after voting, without waiting for the answer
        phones[2][0]._response.connection.transport.abort()  # a phone that vanished without closing
        await settled(server, [0, 4, 0])
        for _ in range(200):
            if sum(p.connected for p in server.room.participants.values()) == 1:
                break
            await asyncio.sleep(0.01)
        assert (server.room.voted, server.room.joined) == (4, 4)
        assert sum(p.connected for p in server.room.participants.values()) == 1
        assert (await next_state(phones[3][0]))["vote"] == 2
        assert (await vote(phones[3][0], 1))["vote"] == 1
        assert server.room.counts() == [1, 3, 0]

    async def test_a_removed_phone_is_told_and_cannot_rejoin(self, server, client) -> None:
        ws, token, _ = await join(client, server)
        await vote(ws, 2)
        server.room.remove(token)
        removed = await ws.receive_json(timeout=5)
        assert removed["type"] == "removed"
        await ws.receive(timeout=5)
        assert ws.close_code == CLOSE_REMOVED
        again = await client.ws_connect(ws_url(server, token=token))
        assert (await again.receive_json(timeout=5))["reason"] == "removed"
        assert server.room.counts() == [0, 0, 0]

    async def test_closed_joining_refuses_new_phones(self, server, client) -> None:
        server.room.set_joining(False)
        ws = await client.ws_connect(ws_url(server))
        assert (await ws.receive_json(timeout=5))["reason"] == "closed"


class TestSetUp:
    def test_listening_on_every_interface_shows_the_address_phones_can_reach(self) -> None:
        server = RoomServer(Room(code="BCDFG"), "0.0.0.0", 8001)
        host = server.url.removeprefix("http://").split(":")[0]
        assert host not in ("0.0.0.0", "") and server.url.endswith(":8001/")

    async def test_the_command_logs_refusals_to_room_log_in_the_user_data_folder(self, client, isolated_user_data) -> None:
        from roleplay.commands.room import log_to_file

        path = log_to_file()
        assert path == isolated_user_data / "room.log"
        room = Room(code="BCDFG")
        server = RoomServer(room, "127.0.0.1", 0)
        await server.start()
        try:
            ws = await client.ws_connect(ws_url(server, code="WRONG"))
            await ws.receive_json(timeout=5)
            await ws.close()
        finally:
            await server.stop()
            for name in ("roleplay.room", "aiohttp"):
                logger = logging.getLogger(name)
                for handler in [h for h in logger.handlers if isinstance(h, logging.FileHandler)]:
                    logger.removeHandler(handler)
                    handler.close()
        assert "roleplay.room: refused 127.0.0.1: That is not this room's code." in path.read_text(encoding="utf-8")


class TestUnderAttack:
    async def test_honest_phones_are_counted_exactly_while_others_misbehave(self, server, client) -> None:
        """Twenty phones vote (some change their minds) while other clients send garbage, flood,
        send oversized messages, guess codes and reconnect over and over: the counts come out exact."""
        honest = [await join(client, server) for _ in range(20)]

        async def garbage() -> None:
            ws, _, _ = await join(client, server)
            for text in ["{", "null", '{"type": "lock"}', '{"type": "vote", "turn": "1", "choice": 1}'] * 5:
                if ws.closed:
                    return
                await ws.send_str(text)
            await ws.close()

        async def flood() -> None:
            ws, _, _ = await join(client, server)
            for _ in range(100):
                if ws.closed:
                    return
                await ws.send_json({"type": "vote", "turn": 1, "choice": 1})
            await ws.close()

        async def oversized() -> None:
            ws, _, _ = await join(client, server)
            await ws.send_str("x" * 10_000)
            await ws.receive(timeout=5)

        async def guesser() -> None:
            for guess in ("AAAAA", "BBBBB", "CCCCC"):
                ws = await client.ws_connect(ws_url(server, code=guess))
                await ws.receive(timeout=5)
                await ws.close()

        async def reconnecting(ws, token) -> None:
            for _ in range(5):
                await ws.close()
                ws, _, _ = await join(client, server, token=token)
            await vote(ws, 3)

        expected = [0, 0, 0]

        async def honest_vote(index: int, ws, token) -> None:
            choice = index % 3 + 1
            await vote(ws, choice)
            if index % 4 == 0:
                choice = (choice % 3) + 1
                await vote(ws, choice)
            if index == 19:
                await reconnecting(ws, token)
                choice = 3
            expected[choice - 1] += 1

        await asyncio.gather(
            *(honest_vote(i, ws, token) for i, (ws, token, _) in enumerate(honest)),
            garbage(),
            flood(),
            oversized(),
            guesser(),
        )
        # the misbehaving clients joined too and may have voted once each (flood: reply 1); take them out
        honest_tokens = {token for _, token, _ in honest}
        for token in [t for t in server.room.participants if t not in honest_tokens]:
            server.room.remove(token)
        assert server.room.counts() == expected
        assert sum(expected) == 20
        assert server.dropped > 0 and server.refused >= 3

    async def test_a_flood_of_page_requests_is_rate_limited(self, client) -> None:
        server = RoomServer(Room(code="BCDFG"), "127.0.0.1", 0, limits=Limits(pages_burst=20, pages_per_second=0.001))
        await server.start()
        try:
            statuses = []
            for _ in range(25):
                async with client.get(f"http://127.0.0.1:{server.port}/room.css") as response:
                    statuses.append(response.status)
            assert statuses == [200] * 20 + [429] * 5
        finally:
            await server.stop()

    async def test_broken_handshakes_and_raw_garbage_leave_the_server_serving(self, server, client, capsys) -> None:
        for data in (
            b"GET /ws?code=BCDFG HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n",  # cut off mid-request
            b"\x16\x03\x01\x02\x00" + bytes(range(256)),  # a TLS hello, or noise
            b"GET /ws?code=BCDFG HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",  # then gone
        ):
            _reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(data)
            await writer.drain()
            writer.transport.abort()
        await asyncio.sleep(0.2)
        ws, _, _ = await join(client, server)
        assert (await vote(ws, 2))["vote"] == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err == "", "nothing may be printed over the projector's screen"
