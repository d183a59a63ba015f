"""The room's rules, one by one: joining with the code, one vote per device per turn, lock-in, reveal, removal."""

from __future__ import annotations

import pytest
import segno

from roleplay.room.limits import AddressLimiter, Bucket, Limits
from roleplay.room.model import CODE_ALPHABET, CODE_LENGTH, Reveal, Room, RoomError, normalise_code
from roleplay.room.qr import qr_lines
from roleplay.room.text import Phrases


def voting_room(**kwargs) -> Room:
    room = Room(code="BCDFG", **kwargs)
    room.open_vote(1, "I want my money back.", ["Sorry.", "No.", "Maybe."])
    return room


class TestJoining:
    def test_codes_are_short_and_from_the_unambiguous_alphabet(self) -> None:
        codes = {Room().code for _ in range(50)}
        assert all(len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET) for code in codes)
        assert len(codes) > 1

    def test_a_wrong_code_is_refused_with_its_reason(self) -> None:
        room = Room(code="BCDFG")
        with pytest.raises(RoomError, match="not this room's code") as refused:
            room.join("BCDFH")
        assert refused.value.reason == "code"
        assert room.participants == {}

    def test_the_code_may_be_typed_in_lower_case_with_spaces(self) -> None:
        assert normalise_code(" bc-dfg ") == "BCDFG"
        room = Room(code="BCDFG")
        assert room.join("bc dfg").number == 1

    def test_each_device_gets_its_own_token_and_number(self) -> None:
        room = Room(code="BCDFG")
        first, second = room.join("BCDFG"), room.join("BCDFG")
        assert first.token != second.token
        assert (first.number, second.number) == (1, 2)
        assert [room.view_for(phone.token)["you"] for phone in (first, second)] == ["Phone 1", "Phone 2"]

    def test_a_device_comes_back_with_its_token(self) -> None:
        room = Room(code="BCDFG")
        phone = room.join("BCDFG")
        room.disconnect(phone.token)
        assert room.join("BCDFG", phone.token) is phone
        assert len(room.participants) == 1 and phone.connections == 1

    def test_an_unknown_token_joins_as_a_new_device(self) -> None:
        room = Room(code="BCDFG")
        assert room.join("BCDFG", "from-another-room").token != "from-another-room"

    def test_closed_joining_refuses_new_devices_but_not_returning_ones(self) -> None:
        room = Room(code="BCDFG")
        phone = room.join("BCDFG")
        room.set_joining(False)
        with pytest.raises(RoomError, match="closed") as refused:
            room.join("BCDFG")
        assert refused.value.reason == "closed"
        assert room.join("BCDFG", phone.token) is phone

    def test_a_removed_device_cannot_come_back_and_loses_its_vote(self) -> None:
        room = voting_room()
        phone = room.join("BCDFG")
        room.vote(phone.token, 1, 2)
        room.remove(phone.token)
        assert room.counts() == [0, 0, 0]
        with pytest.raises(RoomError, match="removed") as refused:
            room.join("BCDFG", phone.token)
        assert refused.value.reason == "removed"
        assert room.view_for(phone.token)["type"] == "removed"


class TestVoting:
    def test_one_vote_per_device_and_a_change_replaces_it(self) -> None:
        room = voting_room()
        a, b = room.join("BCDFG"), room.join("BCDFG")
        room.vote(a.token, 1, 1)
        room.vote(b.token, 1, 1)
        room.vote(a.token, 1, 1)
        assert room.counts() == [2, 0, 0]
        room.vote(a.token, 1, 3)
        assert room.counts() == [1, 0, 1]
        assert (room.voted, room.joined) == (2, 2)

    @pytest.mark.parametrize(("turn", "number", "message"), [(2, 1, "closed"), (1, 4, "not on offer"), (1, 0, "not on offer")])
    def test_votes_off_the_ballot_are_refused(self, turn: int, number: int, message: str) -> None:
        room = voting_room()
        phone = room.join("BCDFG")
        with pytest.raises(RoomError, match=message):
            room.vote(phone.token, turn, number)
        assert room.counts() == [0, 0, 0]

    def test_a_stranger_cannot_vote(self) -> None:
        room = voting_room()
        with pytest.raises(RoomError, match="not in this room"):
            room.vote("made-up", 1, 1)

    def test_no_change_after_lock_in(self) -> None:
        room = voting_room()
        phone = room.join("BCDFG")
        room.vote(phone.token, 1, 2)
        record = room.lock()
        assert (record.turn, record.joined, record.counts, record.voted) == (1, 1, (0, 1, 0), 1)
        with pytest.raises(RoomError, match="closed"):
            room.vote(phone.token, 1, 1)
        assert room.counts() == [0, 1, 0]

    def test_a_device_that_left_with_a_vote_still_counts_as_joined(self) -> None:
        room = voting_room()
        stays, leaves, idle = room.join("BCDFG"), room.join("BCDFG"), room.join("BCDFG")
        room.vote(leaves.token, 1, 1)
        room.disconnect(leaves.token)
        room.disconnect(idle.token)
        assert (room.voted, room.joined) == (1, 2)
        assert stays.connected and not leaves.connected

    def test_clearing_the_votes_asks_every_device_again(self) -> None:
        room = voting_room()
        phone = room.join("BCDFG")
        room.vote(phone.token, 1, 1)
        room.clear_votes()
        assert room.counts() == [0, 0, 0] and room.view_for(phone.token)["vote"] is None

    def test_a_turn_taken_back_reopens_with_its_votes(self) -> None:
        room = voting_room()
        phone = room.join("BCDFG")
        room.vote(phone.token, 1, 3)
        room.lock()
        room.open_vote(1, "I want my money back.", ["Sorry.", "No.", "Maybe."])
        assert room.counts() == [0, 0, 1] and room.turns == []

    def test_a_new_turn_starts_with_no_votes(self) -> None:
        room = voting_room()
        phone = room.join("BCDFG")
        room.vote(phone.token, 1, 3)
        room.lock()
        room.open_vote(2, "And?", ["Yes.", "No."])
        assert room.counts() == [0, 0] and [t.turn for t in room.turns] == [1]


class TestViews:
    def test_a_device_sees_only_its_own_vote(self) -> None:
        room = voting_room()
        a, b = room.join("BCDFG"), room.join("BCDFG")
        room.vote(a.token, 1, 1)
        room.vote(b.token, 1, 2)
        view = room.view_for(a.token)
        assert view["vote"] == 1
        assert "counts" not in view and b.token not in repr(view)
        assert view["replies"] == ["Sorry.", "No.", "Maybe."] and view["line"] == "I want my money back."

    def test_the_reveal_says_what_you_voted_and_what_the_room_chose(self) -> None:
        room = voting_room()
        a, b = room.join("BCDFG"), room.join("BCDFG")
        room.vote(a.token, 1, 2)
        room.lock()
        room.reveal(Reveal(1, "majority", "Sorry.", 40, 52, ("✓ Apologize",)))
        reveal = room.view_for(a.token)["reveal"]
        assert reveal["summary"] == "You voted 2; the room chose 1."
        assert (reveal["mood_before"], reveal["mood_after"], reveal["mood_change"]) == (40, 52, 12)
        assert reveal["coaching"] == ["✓ Apologize"]
        assert room.view_for(b.token)["reveal"]["summary"] == "You did not vote; the room chose 1."

    def test_the_trainers_choice_is_called_so(self) -> None:
        assert Phrases().vote_sentence(3, Reveal(2, "trainer", "x", 1, 1)) == "You voted 3; the trainer chose 2."
        assert Phrases().vote_sentence(None, Reveal(2, "trainer", "x", 1, 1)) == "You did not vote; the trainer chose 2."

    def test_nothing_is_revealed_before_lock_in(self) -> None:
        room = voting_room()
        with pytest.raises(RoomError, match="Nothing is locked"):
            room.reveal(Reveal(1, "majority", "Sorry.", 40, 52))

    def test_the_last_reveal_finishes_the_room(self) -> None:
        room = voting_room()
        room.lock()
        room.reveal(Reveal(1, "majority", "Sorry.", 40, 52, finished=True, closing="Thanks."))
        assert room.phase == "finished"


class TestLanguage:
    """What a phone reads is in the room's language; the story's words come as the presenter gives them."""

    def test_every_line_of_a_view_is_in_the_rooms_language(self) -> None:
        room = Room(code="BCDFG", language="lv")
        a, b = room.join("BCDFG"), room.join("BCDFG")
        assert room.view_for(a.token)["status"] == "Jūs esat grupā. Balsošana sāksies, kad vadītājs būs gatavs."
        room.open_vote(3, "Es gribu atpakaļ savu naudu.", ["Atvainojiet.", "Nē."], "start")
        view = room.view_for(a.token)
        assert (view["lang"], view["you"], view["turn_label"]) == ("lv", "Telefons 1", "3. gājiens")
        assert (view["status"], view["hint"]) == ("Pieskarieties atbildei, kuru jūs sniegtu.", "Jūsu balsojums ir anonīms.")
        room.vote(a.token, 3, 2)
        assert room.view_for(a.token)["status"].startswith("Jūsu balss: 2.")
        room.lock()
        assert room.view_for(b.token)["hint"] == "Šajā gājienā nobalsoja 1 telefons."
        room.reveal(Reveal(1, "trainer", "Atvainojiet.", 40, 48, ("✓ Atzīstiet jūtas",)))
        reveal = room.view_for(a.token)["reveal"]
        assert reveal["summary"] == "Jūs balsojāt par 2. atbildi; vadītājs izvēlējās 1. atbildi."
        assert (reveal["mood"], reveal["given_text"]) == ("Noskaņojums 40 → 48 (+8).", "1. atbilde: Atvainojiet.")
        assert room.view_for(b.token)["reveal"]["summary"] == "Jūs nebalsojāt; vadītājs izvēlējās 1. atbildi."

    @pytest.mark.parametrize(
        ("language", "counts"),
        [
            ("lv", {0: "telefonu", 1: "telefons", 2: "telefoni", 10: "telefonu", 11: "telefonu", 21: "telefons"}),
            ("pl", {1: "telefon", 2: "telefony", 5: "telefonów", 22: "telefony", 25: "telefonów"}),
            ("hr", {1: "mobitel", 3: "mobitela", 5: "mobitela", 21: "mobitel"}),
            ("et", {1: "telefon", 2: "telefoni"}),
            ("en", {1: "phone", 2: "phones"}),
        ],
    )
    def test_how_many_phones_voted_takes_the_languages_plural_forms(self, language: str, counts: dict[int, str]) -> None:
        phrases = Phrases(language)
        for count, word in counts.items():
            line = phrases.phones_voted(count)
            assert f" {count} {word}" in f" {line}", (count, line)

    def test_refusals_are_told_in_the_rooms_language(self) -> None:
        room = Room(code="BCDFG", language="pl")
        with pytest.raises(RoomError) as refused:
            room.join("XXXXX")
        assert room.phrases(str(refused.value)) == "To nie jest kod tej sali."
        assert room.view_for("gone")["message"] == "Prowadzący usunął to urządzenie z sali."

    def test_the_same_turn_in_another_language_keeps_its_votes_and_tells_the_phones(self) -> None:
        room = Room(code="BCDFG")
        phone = room.join("BCDFG")
        room.open_vote(1, "I want my money back.", ["Sorry.", "No."], "start")
        room.vote(phone.token, 1, 2)
        events: list[str] = []
        room.subscribe(lambda event: events.append(event.kind))
        room.set_language("et")
        room.open_vote(1, "Ma tahan oma raha tagasi.", ["Vabandust.", "Ei."], "start")
        assert room.votes == {phone.token: 2} and events == ["language", "phase"]
        view = room.view_for(phone.token)
        assert (view["line"], view["replies"], view["you"]) == ("Ma tahan oma raha tagasi.", ["Vabandust.", "Ei."], "Telefon 1")
        room.open_vote(1, "Something else", ["A", "B"], "elsewhere")  # another node at turn 1: a new vote
        assert room.votes == {}


class TestEvents:
    def test_every_change_is_announced_with_a_new_version(self) -> None:
        room = Room(code="BCDFG")
        heard = []
        room.subscribe(heard.append)
        room.open_vote(1, "?", ["a", "b"])
        phone = room.join("BCDFG")
        room.vote(phone.token, 1, 2)
        room.vote(phone.token, 1, 2)  # the same vote again changes nothing
        room.set_tally_hidden(True)
        room.unsubscribe(heard.append)
        room.lock()
        assert [(e.kind, e.token) for e in heard] == [
            ("phase", None),
            ("joined", phone.token),
            ("voted", phone.token),
            ("settings", None),
        ]
        assert [e.version for e in heard] == [1, 2, 3, 4]


class TestLimits:
    def test_a_bucket_allows_its_burst_then_its_rate(self) -> None:
        now = [0.0]
        bucket = Bucket(3, 2.0, lambda: now[0])
        assert [bucket.allow() for _ in range(4)] == [True, True, True, False]
        now[0] += 0.5
        assert [bucket.allow(), bucket.allow()] == [True, False]

    def test_addresses_are_limited_apart(self) -> None:
        now = [0.0]
        limiter = AddressLimiter(Limits(connections_burst=2, connections_per_second=1), lambda: now[0])
        assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
        assert limiter.allow("b")


class TestQRCode:
    @pytest.mark.parametrize("filled", ["light", "dark"])
    def test_the_half_blocks_draw_exactly_the_modules_of_the_code(self, filled: str) -> None:
        data = "http://192.168.1.20:8001/?code=BCDFG"
        lines = qr_lines(data, filled=filled, border=2)  # type: ignore[arg-type]
        matrix = [list(row) for row in segno.make(data, error="l", boost_error=True).matrix_iter(border=2)]
        top = {"▀": True, "█": True, " ": False, "▄": False}
        bottom = {"▄": True, "█": True, " ": False, "▀": False}
        drawn = []
        for line in lines:
            drawn.append([top[c] for c in line])
            drawn.append([bottom[c] for c in line])
        want_dark = filled == "dark"
        expected = [[bool(m) == want_dark for m in row] for row in matrix]
        assert drawn[: len(expected)] == expected
        assert drawn[len(expected) :] in ([], [[not want_dark] * len(expected[0])])


def test_the_room_never_imports_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, roleplay.room.model, roleplay.room.server, roleplay.room.qr, roleplay.room.limits, "
        "roleplay.room.settings, roleplay.play.voting; print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


class TestMixedTally:
    """The projector's tally with votes keyed in by the trainer and votes from phones."""

    def test_the_rules_apply_to_keyed_and_phone_votes_together(self) -> None:
        from roleplay.play.voting import Tally

        tally = Tally(3, [1, 0, 0])
        tally.set_remote([0, 2, 0])
        assert (tally.votes, tally.total, tally.majority, tally.count(2)) == ([1, 2, 0], 3, 2, 2)
        tally.remove(2)  # the trainer cannot take away a phone's vote
        assert tally.votes == [1, 2, 0]

    def test_a_locked_turn_remembers_how_many_votes_came_from_phones_and_a_take_back_restores_both(self) -> None:
        from roleplay.play.voting import RoomVotes

        votes = RoomVotes()
        votes.open(["a", "b"])
        votes.add(1)
        votes.tally.set_remote([0, 3])
        record = votes.lock()
        assert (record.counts, record.remote, record.given) == ((1, 3), (0, 3), 2)
        votes.take_back()
        assert (votes.tally.counts, votes.tally.remote) == ([1, 0], [0, 3])

    def test_a_remote_count_of_the_wrong_shape_is_refused(self) -> None:
        from roleplay.play.voting import Tally, VoteError

        with pytest.raises(VoteError):
            Tally(2).set_remote([1, 2, 3])


def test_opening_the_vote_already_open_keeps_its_votes() -> None:
    room = voting_room()
    phone = room.join("BCDFG")
    room.vote(phone.token, 1, 2)
    room.open_vote(1, "I want my money back.", ["Sorry.", "No.", "Maybe."])
    assert room.counts() == [0, 1, 0]
