"""The projector with a room: phones join and vote over real websockets while the trainer drives the app."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from roleplay.tui.screens.presenter import PresenterScreen
from roleplay.tui.screens.presenter_summary import RoomSummaryScreen, TurnVotesView
from roleplay.tui.screens.room import RoomJoinScreen, RoomParticipantsScreen
from roleplay.tui.widgets.qr_code import QRCode
from roleplay.tui.widgets.vote_tally import VoteTally
from tests.presenter.conftest import LARGE, press, settle

from .conftest import CODE, PUBLIC_URL, Phone, open_room, phones, until


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


class TestStartingARoom:
    async def test_the_room_opens_on_the_join_code_the_address_and_a_qr_code(self, make_room_app) -> None:
        app = make_room_app()
        async with app.run_test(size=LARGE) as pilot:
            await settle(pilot)
            join = app.screen
            assert isinstance(join, RoomJoinScreen)
            assert text(join, "#room-join-code") == "B C D F G"
            assert text(join, "#room-join-url") == PUBLIC_URL + "/"
            assert join.query_one(QRCode).data == f"{PUBLIC_URL}/?code={CODE}"
            assert text(join, "#room-join-status") == "0 phones joined · joining is open"
            assert app.room_server.host == "127.0.0.1", "loopback unless --host says otherwise"

    async def test_the_vote_opens_on_the_phones_only_once_the_join_screen_is_closed(self, make_room_app) -> None:
        app = make_room_app()
        async with app.run_test(size=LARGE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, RoomJoinScreen)
            presenter = app.screen_stack[-2]
            assert isinstance(presenter, PresenterScreen)
            for _ in range(3):  # the screen behind goes idle again (a timer, a resize...): the phones still wait
                presenter.call_later(presenter.refresh)
                await settle(pilot)
            assert app.audience.phase == "waiting"
            await press(pilot, "escape")
            assert app.audience.phase == "voting" and app.audience.ballot.turn == 1

    async def test_the_join_screen_follows_joins_and_opens_and_closes_joining(self, make_room_app) -> None:
        app = make_room_app()
        async with app.run_test(size=LARGE) as pilot, aiohttp.ClientSession() as session:
            await settle(pilot)
            joined = [await Phone(session, app.room_server.port).join() for _ in range(2)]
            join = app.screen
            await until(pilot, lambda: text(join, "#room-join-status") == "2 phones joined · joining is open", "the count shows")
            assert all(phone.view["phase"] == "waiting" for phone in joined), "the vote opens once the join screen is closed"
            await press(pilot, "o")
            assert text(join, "#room-join-status") == "2 phones joined · joining is closed"
            late = await Phone(session, app.room_server.port).join()
            await until(pilot, lambda: late.refusal is not None, "the late phone is refused")
            assert late.refusal["reason"] == "closed"
            await press(pilot, "escape")
            assert "joining closed" in text(app.screen, "#presenter-room")

    async def test_a_port_in_use_is_shown_and_presenter_mode_goes_on(self, make_room_app) -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            app = make_room_app(port=taken.getsockname()[1])
            async with app.run_test(size=LARGE) as pilot:
                await settle(pilot)
                screen = app.screen
                assert isinstance(screen, PresenterScreen) and screen.audience is None
                assert any("the port is in use" in n.message for n in app._notifications)
                assert screen.check_action("room_join", ()) is False
                await press(pilot, "1", "enter")
                assert screen.phase == "locked"


class TestVotingFromPhones:
    async def test_the_tally_fills_live_with_who_has_voted(self, room_with_phones) -> None:
        async with room_with_phones(4) as (pilot, screen, room):
            assert text(screen, "#presenter-room") == f"0 of 4 joined have voted · Room {CODE} · {PUBLIC_URL}/"
            await room[0].vote(2)
            await room[1].vote(2)
            await room[2].vote(1)
            await until(pilot, lambda: screen.query_one(VoteTally).counts == (1, 2, 0), "the bars show the phones' votes")
            assert "3 of 4 joined have voted" in text(screen, "#presenter-room")
            assert text(screen, "#presenter-prompt") == "3 votes · reply 2 leads · Enter locks it in."
            await room[2].vote(2)  # a change of mind moves the vote, it does not add one
            await until(pilot, lambda: screen.query_one(VoteTally).counts == (0, 3, 0), "the changed vote moves")
            assert "3 of 4 joined have voted" in text(screen, "#presenter-room")

    async def test_keyed_votes_add_to_the_phones_and_enter_locks_in_the_mixed_majority(self, room_with_phones) -> None:
        async with room_with_phones(2) as (pilot, screen, room):
            app = pilot.app
            await room[0].vote(1)
            await room[1].vote(3)
            await until(pilot, lambda: screen.query_one(VoteTally).counts == (1, 0, 1), "the phones' votes show")
            await press(pilot, "3")  # a raised hand in the room, keyed in
            assert screen.query_one(VoteTally).counts == (1, 0, 2)
            await press(pilot, "enter")
            record = screen.room.records[-1]
            assert (record.given, record.counts, record.remote) == (3, (1, 0, 2), (1, 0, 1))
            await until(pilot, lambda: all(phone.view["phase"] == "locked" for phone in room), "the phones see the lock")
            await room[0].vote(2)  # too late
            await pilot.pause(0.1)
            assert screen.query_one(VoteTally).counts == (1, 0, 2)
            assert app.audience.counts() == [1, 0, 1]

    async def test_after_the_reveal_each_phone_shows_the_mood_the_coaching_and_how_it_voted(self, room_with_phones) -> None:
        async with room_with_phones(3) as (pilot, screen, room):
            for phone, choice in zip(room, (1, 1, 2), strict=False):
                await phone.vote(choice)
            await until(pilot, lambda: screen.room.tally.total == 3, "three votes arrive")
            await press(pilot, "enter", "r")
            await until(pilot, lambda: all(phone.view["phase"] == "revealed" for phone in room), "the phones see the reveal")
            result = screen.session.turns[-1]
            reveal = room[2].view["reveal"]
            assert reveal["summary"] == "You voted 2; the room chose 1."
            assert room[0].view["reveal"]["summary"] == "You voted 1; the room chose 1."
            assert (reveal["mood_before"], reveal["mood_after"]) == (result.mood_before, result.mood_after)
            assert reveal["reply"] == result.reply
            assert reveal["coaching"] and all(isinstance(note, str) for note in reveal["coaching"])
            assert reveal["coaching"][0].startswith("✓ ")
            await press(pilot, "enter")
            await until(
                pilot,
                lambda: all(phone.view.get("turn") == 2 and phone.view["phase"] == "voting" for phone in room),
                "the next turn opens on the phones",
            )
            assert all(phone.view["vote"] is None for phone in room)

    async def test_the_trainers_choice_against_the_room_is_said_so(self, room_with_phones) -> None:
        async with room_with_phones(1) as (pilot, screen, (phone,)):
            await phone.vote(1)
            await until(pilot, lambda: screen.room.tally.total == 1, "the vote arrives")
            await press(pilot, "c", "2", "r")
            await until(pilot, lambda: phone.view["phase"] == "revealed", "the reveal arrives")
            assert phone.view["reveal"]["summary"] == "You voted 1; the trainer chose 2."

    async def test_taking_back_a_reply_reopens_the_phones_votes(self, room_with_phones) -> None:
        async with room_with_phones(2) as (pilot, screen, room):
            await room[0].vote(2)
            await room[1].vote(2)
            await until(pilot, lambda: screen.room.tally.total == 2, "two votes arrive")
            await press(pilot, "1", "enter", "u")
            assert screen.phase == "voting"
            assert screen.query_one(VoteTally).counts == (1, 2, 0)
            await until(pilot, lambda: all(phone.view["phase"] == "voting" for phone in room), "the vote reopens")
            assert [phone.view["vote"] for phone in room] == [2, 2]
            await room[0].vote(3)
            await until(pilot, lambda: screen.query_one(VoteTally).counts == (1, 1, 1), "the change counts once")

    async def test_clearing_the_votes_clears_the_phones_too(self, room_with_phones) -> None:
        async with room_with_phones(1) as (pilot, screen, (phone,)):
            await phone.vote(3)
            await until(pilot, lambda: screen.room.tally.total == 1, "the vote arrives")
            await press(pilot, "x")
            await until(pilot, lambda: phone.view["vote"] is None, "the phone's vote is cleared")
            assert screen.query_one(VoteTally).counts == (0, 0, 0)


class TestTrainerControls:
    async def test_a_hidden_tally_shows_only_how_many_voted_until_lock_in(self, room_with_phones) -> None:
        async with room_with_phones(3, hide_tally=True) as (pilot, screen, room):
            for phone, choice in zip(room, (3, 3, 1), strict=False):
                await phone.vote(choice)
            await until(pilot, lambda: "3 of 3 joined have voted" in text(screen, "#presenter-room"), "the count shows")
            tally = screen.query_one(VoteTally)
            assert tally.hidden
            shown = " ".join(str(tally.get_option_at_index(i).prompt) for i in range(tally.option_count))
            assert text(screen, "#presenter-prompt") == "The tally is hidden until the vote is locked in (h shows it)."
            assert "leads" not in text(screen, "#presenter-prompt")
            await press(pilot, "enter")
            assert not tally.hidden and tally.counts == (1, 0, 2) and tally.given == 3
            assert shown  # the rows were there, without counts

    async def test_h_hides_and_shows_the_live_tally(self, room_with_phones) -> None:
        async with room_with_phones(1) as (pilot, screen, (phone,)):
            await phone.vote(2)
            await until(pilot, lambda: screen.query_one(VoteTally).counts == (0, 1, 0), "the vote shows")
            await press(pilot, "h")
            assert screen.query_one(VoteTally).hidden
            await press(pilot, "h")
            assert not screen.query_one(VoteTally).hidden and screen.query_one(VoteTally).counts == (0, 1, 0)

    async def test_removing_a_phone_takes_its_vote_and_keeps_it_out(self, make_room_app) -> None:
        app = make_room_app()
        async with app.run_test(size=LARGE) as pilot, aiohttp.ClientSession() as session:
            screen = await open_room(pilot)
            room = await phones(pilot, 2, session)
            await room[0].vote(1)
            await room[1].vote(2)
            await until(pilot, lambda: screen.room.tally.total == 2, "two votes arrive")
            await press(pilot, "l")
            listing = app.screen
            assert isinstance(listing, RoomParticipantsScreen)
            await press(pilot, "down", "delete")
            await until(pilot, lambda: room[1].refusal is not None, "the removed phone is told")
            assert room[1].refusal["type"] == "removed"
            assert [p.number for p in app.audience.participants_by_number()] == [1]
            await press(pilot, "escape")
            await until(pilot, lambda: screen.query_one(VoteTally).counts == (1, 0, 0), "its vote goes")
            await room[1].close()
            again = Phone(session, app.room_server.port)
            again.token = room[1].token
            await again.join()
            await until(pilot, lambda: again.refusal is not None, "the removed phone is refused")
            assert again.refusal["reason"] == "removed"

    async def test_the_room_keys_and_commands_are_offered_only_with_a_room(self, make_room_app, make_app) -> None:
        from roleplay.tui.commands import RoleplayCommands

        room_actions = {"room_join", "room_joining", "room_hide_tally", "room_participants"}
        for make, offered in ((make_app, False), (make_room_app, True)):
            app = make()
            async with app.run_test(size=LARGE) as pilot:
                await settle(pilot)
                if offered:
                    await press(pilot, "escape")
                screen = app.screen
                assert isinstance(screen, PresenterScreen)
                assert all((screen.check_action(a, ()) is not False) is offered for a in room_actions)
                commands = {command.action for command in RoleplayCommands(screen).available()}
                assert (room_actions <= commands) is offered


class TestSummary:
    @pytest.mark.slow
    async def test_the_summary_adds_the_participants_and_the_phones_votes_per_turn(self, room_with_phones) -> None:
        async with room_with_phones(3) as (pilot, screen, room):
            app = pilot.app
            plan = [(1, 1, 2), (2, 2, None), (1, None, None)]
            for turn, choices in enumerate(plan, start=1):
                await until(
                    pilot,
                    lambda turn=turn: all(p.view.get("turn") == turn and p.view["phase"] == "voting" for p in room),
                    f"turn {turn} opens",
                )
                for phone, choice in zip(room, choices, strict=False):
                    if choice is not None:
                        await phone.vote(choice)
                voted = sum(c is not None for c in choices)
                await until(pilot, lambda voted=voted: screen.room.tally.total == voted, f"turn {turn}'s votes arrive")
                await press(pilot, "enter", "r", "enter")
            summary = app.screen
            assert isinstance(summary, RoomSummaryScreen)
            assert "3 participants on their phones" in text(summary, "#room-outcome-numbers")
            titles = [view.border_title for view in summary.query(TurnVotesView)]
            assert titles[0].startswith("Turn 1 · 3 votes (3 from 3 phones)")
            assert titles[1].startswith("Turn 2 · 2 votes (2 from 3 phones)")
            assert titles[2].startswith("Turn 3 · 1 vote (1 from 3 phones)")
            assert all(phone.view["phase"] == "finished" for phone in room)


@pytest.mark.parametrize("size", [LARGE, (80, 24), (60, 20)], ids=["120x35", "80x24", "60x20"])
class TestRoomSnapshots:
    def test_join_screen(self, make_room_app, snap_compare, size) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)

        assert snap_compare(make_room_app(), run_before=run_before, terminal_size=size)

    def test_projector_with_a_hidden_tally(self, make_room_app, snap_compare, size) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await press(pilot, "escape", "h", "1")

        assert snap_compare(make_room_app(), run_before=run_before, terminal_size=size)


class TestAroundTheRoom:
    async def test_presenter_mode_off_and_on_keeps_the_phones_votes(self, room_with_phones) -> None:
        async with room_with_phones(1) as (pilot, screen, (phone,)):
            app = pilot.app
            await phone.vote(2)
            await until(pilot, lambda: screen.query_one(VoteTally).counts == (0, 1, 0), "the vote shows")
            await press(pilot, "p", "p")
            again = app.screen
            assert isinstance(again, PresenterScreen) and again is not screen
            assert again.query_one(VoteTally).counts == (0, 1, 0)
            await phone.vote(3)
            await until(pilot, lambda: again.query_one(VoteTally).counts == (0, 0, 1), "the new screen follows the room")

    @pytest.mark.parametrize(("theme", "filled"), [("roleplay-presenter", "dark"), ("roleplay-presenter-dark", "light")])
    async def test_the_qr_code_keeps_dark_modules_on_light_in_either_theme(self, make_room_app, theme: str, filled: str) -> None:
        from roleplay.room.qr import qr_lines

        app = make_room_app()
        async with app.run_test(size=LARGE) as pilot:
            await settle(pilot)
            app.theme = theme
            await settle(pilot)
            code = app.screen.query_one(QRCode)
            assert str(code.render()).splitlines() == qr_lines(code.data, filled=filled)


async def next_turn_not_yet_drawn(pilot, session) -> tuple[object, object]:
    """A room with one phone: vote 1, lock in, reveal, and ask for the next turn without letting it be drawn.
    The presenter screen and the phone."""
    screen = await open_room(pilot)
    (phone,) = await phones(pilot, 1, session)
    await press(pilot, "1", "enter", "r")
    screen.action_next()
    return screen, phone


class TestProjectorCost:
    """What a vote and a new turn cost the projector: a room of sixty votes many times a second."""

    async def test_a_burst_of_votes_repaints_the_bars_and_lays_out_nothing(self, room_with_phones, monkeypatch) -> None:
        async with room_with_phones(6) as (pilot, screen, room):
            await room[0].vote(1)
            await until(pilot, lambda: screen.query_one(VoteTally).counts == (1, 0, 0), "the first vote shows")
            tally = screen.query_one(VoteTally)
            prompts = [option.prompt for option in tally.options]
            layouts: list[object] = []
            rebuilt: list[object] = []
            refresh_layout = type(screen)._refresh_layout
            monkeypatch.setattr(type(screen), "_refresh_layout", lambda *a, **k: layouts.append(a) or refresh_layout(*a, **k))
            set_options = type(tally).set_options
            monkeypatch.setattr(type(tally), "set_options", lambda *a, **k: rebuilt.append(a) or set_options(*a, **k))
            for phone, choice in zip(room[1:], (2, 2, 1, 3, 2), strict=True):
                await phone.vote(choice)
            await until(pilot, lambda: tally.counts == (2, 3, 1), "the burst shows")
            assert layouts == [], "a vote only repaints: the screen is not laid out again"
            assert rebuilt == [] and [option.prompt for option in tally.options] == prompts, "the rows keep their layout"
            rows = [str(line.text) for line in tally.render_lines(tally.region.reset_offset)]
            counted = [row for row in rows if row.strip()[:2] in ("1.", "2.", "3.")]
            assert [row.rstrip().rsplit(" ", 1)[-1] for row in counted] == ["2", "3", "1"]
            assert "█" in counted[1] and counted[1].count("█") > counted[2].count("█"), "the bars are drawn in the rows"

    async def test_a_new_turn_lays_out_its_replies_once(self, make_room_app, monkeypatch) -> None:
        app = make_room_app()
        async with app.run_test(size=LARGE) as pilot:
            screen = await open_room(pilot)
            await press(pilot, "1", "enter", "r")
            tally = screen.query_one(VoteTally)
            built: list[object] = []
            set_options = type(tally).set_options
            monkeypatch.setattr(type(tally), "set_options", lambda *a, **k: built.append(a) or set_options(*a, **k))
            await press(pilot, "enter")
            await settle(pilot)
            assert screen.phase == "voting" and tally.display
            assert len(built) == 1, "the replies are laid out once, at the width they are shown at"

    async def test_a_new_turn_opens_on_the_phones_once_the_projector_has_drawn_it(self, make_room_app) -> None:
        app = make_room_app()
        async with app.run_test(size=LARGE) as pilot, aiohttp.ClientSession() as session:
            screen, phone = await next_turn_not_yet_drawn(pilot, session)
            assert screen.phase == "voting" and app.audience.phase == "revealed", "not before the turn is drawn"
            await until(pilot, lambda: phone.view["phase"] == "voting" and phone.view["turn"] == 2, "the phone gets turn 2")
            assert app.audience.ballot is not None and app.audience.ballot.turn == 2

    async def test_a_lock_before_the_turn_is_drawn_locks_the_phones_turn_too(self, make_room_app) -> None:
        app = make_room_app()
        async with app.run_test(size=LARGE) as pilot, aiohttp.ClientSession() as session:
            screen, phone = await next_turn_not_yet_drawn(pilot, session)
            screen.action_lock(2)
            assert app.audience.phase == "locked" and [turn.turn for turn in app.audience.turns] == [1, 2]
            await until(
                pilot, lambda: phone.view["phase"] == "locked" and phone.view["turn"] == 2, "the phone sees turn 2 locked"
            )


class TestRoomLanguage:
    async def test_switching_language_mid_vote_keeps_the_votes_and_the_phones_follow(self, make_room_app) -> None:
        app = make_room_app("branch-not-answering")
        async with app.run_test(size=LARGE) as pilot, aiohttp.ClientSession() as session:
            screen = await open_room(pilot)
            room = await phones(pilot, 2, session)
            await room[0].vote(2)
            await room[1].vote(1)
            await until(pilot, lambda: screen.query_one(VoteTally).counts[:2] == (1, 1), "the votes show")
            english = room[0].view["line"]
            app.action_set_language("et")
            await settle(pilot)
            again = app.screen
            assert isinstance(again, PresenterScreen) and again.session.story.language == "et"
            await until(pilot, lambda: all(phone.view.get("lang") == "et" for phone in room), "the phones switch")
            await until(pilot, lambda: room[0].view["line"] == " ".join(again.session.node.say), "the line in Estonian")
            assert room[0].view["line"] != english
            assert [phone.view["vote"] for phone in room] == [2, 1], "the votes stand"
            assert again.query_one(VoteTally).counts[:2] == (1, 1)
            assert room[0].view["you"] == "Telefon 1" and room[0].view["status"].startswith("Sinu hääl: 2.")
