"""The voting model: tallies, the majority and its tie rule, locked replies, per-turn records, division."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roleplay.play.voting import RoomVotes, Tally, TurnVotes, VoteError, division_of, leaders_of


class TestTally:
    def test_starts_at_zero_for_each_reply(self) -> None:
        tally = Tally(3)
        assert tally.counts == [0, 0, 0]
        assert tally.total == 0

    def test_add_counts_per_reply(self) -> None:
        tally = Tally(3)
        assert tally.add(2) == 1
        assert tally.add(2) == 2
        assert tally.add(3) == 1
        assert tally.counts == [0, 2, 1]
        assert tally.total == 3
        assert tally.share(2) == pytest.approx(2 / 3)

    def test_remove_never_goes_negative(self) -> None:
        tally = Tally(2)
        tally.add(1)
        assert tally.remove(1) == 0
        assert tally.remove(1) == 0
        assert tally.remove(2) == 0
        assert tally.counts == [0, 0]

    @pytest.mark.parametrize("number", [0, 4, -1])
    def test_numbers_outside_the_offer_are_refused(self, number: int) -> None:
        tally = Tally(3)
        with pytest.raises(VoteError, match="numbered 1 to 3"):
            tally.add(number)
        with pytest.raises(VoteError):
            tally.remove(number)
        assert tally.counts == [0, 0, 0]

    def test_needs_a_reply_on_offer(self) -> None:
        with pytest.raises(VoteError):
            Tally(0)

    def test_clear(self) -> None:
        tally = Tally(2, [3, 1])
        tally.clear()
        assert tally.counts == [0, 0]

    def test_share_with_no_votes_is_zero(self) -> None:
        assert Tally(2).share(1) == 0.0


class TestMajority:
    def test_most_votes_wins_without_needing_half(self) -> None:
        tally = Tally(3, [3, 2, 2])
        assert tally.majority == 1

    def test_no_votes_means_no_majority(self) -> None:
        tally = Tally(3)
        assert tally.majority is None
        assert "No votes yet" in tally.why_no_majority()

    def test_tie_means_no_majority(self) -> None:
        tally = Tally(4, [2, 0, 2, 2])
        assert tally.leaders == (1, 3, 4)
        assert tally.majority is None
        assert tally.why_no_majority().startswith("Tie between replies 1, 3 and 4")

    def test_adding_a_vote_breaks_a_tie(self) -> None:
        tally = Tally(2, [1, 1])
        tally.add(2)
        assert tally.majority == 2


class TestLocking:
    def test_enter_locks_the_majority(self) -> None:
        room = RoomVotes()
        room.open(["Sorry.", "Tell me more.", "No."])
        for number in (2, 2, 1):
            room.add(number)
        record = room.lock()
        assert record == TurnVotes(1, (1, 2, 0), 2, "majority", ("Sorry.", "Tell me more.", "No."))
        assert record.reply_text(2) == "Tell me more."
        assert room.tally is None

    def test_lock_on_a_tie_is_refused_and_keeps_the_votes(self) -> None:
        room = RoomVotes()
        room.open(2)
        room.add(1)
        room.add(2)
        with pytest.raises(VoteError, match="Tie between replies 1 and 2"):
            room.lock()
        assert room.tally is not None and room.tally.counts == [1, 1]
        assert room.records == []

    def test_trainer_can_choose_any_reply(self) -> None:
        room = RoomVotes()
        room.open(3)
        room.add(1)
        record = room.lock(3)
        assert (record.given, record.locked_by) == (3, "trainer")
        assert record.went_with_room is False
        assert record.against == 1.0

    def test_trainer_choosing_the_majority_counts_as_majority(self) -> None:
        room = RoomVotes()
        room.open(2)
        room.add(2)
        assert room.lock(2).locked_by == "majority"

    def test_trainer_can_lock_without_votes(self) -> None:
        room = RoomVotes()
        room.open(2)
        record = room.lock(1)
        assert record.total == 0
        assert record.division is None
        assert record.against is None

    def test_choosing_a_reply_not_on_offer_is_refused(self) -> None:
        room = RoomVotes()
        room.open(2)
        with pytest.raises(VoteError):
            room.lock(3)

    def test_no_vote_after_the_end(self) -> None:
        room = RoomVotes()
        with pytest.raises(VoteError, match="no vote open"):
            room.add(1)
        with pytest.raises(VoteError):
            room.lock()


class TestRecords:
    def play(self, *turns: tuple[list[int], int | None]) -> RoomVotes:
        room = RoomVotes()
        for counts, given_reply in turns:
            room.open(len(counts))
            for number, count in enumerate(counts, start=1):
                for _ in range(count):
                    room.add(number)
            room.lock(given_reply)
        return room

    def test_one_record_per_turn_in_order(self) -> None:
        room = self.play(([3, 0], None), ([1, 4, 0], None), ([0, 0], 2))
        assert [r.turn for r in room.records] == [1, 2, 3]
        assert [r.given for r in room.records] == [1, 2, 2]
        assert [r.counts for r in room.records] == [(3, 0), (1, 4, 0), (0, 0)]
        assert room.total_votes == 8
        assert room.turn == 4

    def test_take_back_reopens_the_last_tally(self) -> None:
        room = self.play(([3, 1], None), ([1, 4], None))
        record = room.take_back()
        assert record is not None and record.turn == 2
        assert room.tally is not None and room.tally.counts == [1, 4]
        assert room.turn == 2
        assert room.lock().given == 2

    def test_take_back_at_the_start(self) -> None:
        room = RoomVotes()
        assert room.take_back() is None
        assert room.turn == 1

    def test_turns_can_start_later_than_one(self) -> None:
        room = RoomVotes()
        room.open(2, turn=3)
        room.add(1)
        assert room.lock().turn == 3
        room.open(2)
        assert room.turn == 4
        assert room.record_for(3) is not None
        assert room.record_for(1) is None

    def test_a_turn_cannot_be_voted_twice(self) -> None:
        room = self.play(([1, 0], None))
        with pytest.raises(VoteError, match="already has a vote"):
            room.open(2, turn=1)
        with pytest.raises(VoteError):
            room.open(2, turn=0)

    def test_take_back_a_turn_played_without_a_vote(self) -> None:
        room = self.play(([2, 0], None))
        room.open(3, turn=3)
        assert room.take_back() is None
        assert (room.turn, room.tally) == (2, None)
        record = room.take_back()
        assert record is not None and record.turn == 1

    def test_keep_matching_drops_records_the_conversation_no_longer_has(self) -> None:
        room = self.play(([2, 0], None), ([0, 1], None), ([1, 0], None))
        room.keep_matching([1, 2])
        assert [r.turn for r in room.records] == [1, 2]
        assert (room.turn, room.tally) == (3, None)
        room.keep_matching([1, 1, 2])
        assert [r.turn for r in room.records] == [1]
        assert room.turn == 4

    def test_most_divided(self) -> None:
        room = self.play(([5, 0], None), ([3, 2, 0], None), ([1, 1, 2], None), ([0, 0], 1))
        # division: 0, 0.4, 0.5, none
        assert [r.division for r in room.records] == [0.0, pytest.approx(0.4), 0.5, None]
        assert [r.turn for r in room.most_divided()] == [3]

    def test_most_divided_reports_every_tied_turn(self) -> None:
        room = self.play(([2, 2], 1), ([1, 4, 1, 0], None), ([1, 1], 2))
        assert [r.turn for r in room.most_divided()] == [1, 3]

    def test_most_divided_without_votes(self) -> None:
        assert self.play(([0, 0], 1)).most_divided() == []


class TestDivision:
    @pytest.mark.parametrize(
        ("counts", "division"),
        [([4, 0, 0], 0.0), ([2, 2], 0.5), ([1, 1, 1, 1], 0.75), ([6, 3, 1], 0.4), ([0, 0], None)],
    )
    def test_share_outside_the_largest_group(self, counts: list[int], division: float | None) -> None:
        assert division_of(counts) == (None if division is None else pytest.approx(division))

    @given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=9))
    def test_bounds(self, counts: list[int]) -> None:
        division = division_of(counts)
        if sum(counts) == 0:
            assert division is None
            assert leaders_of(counts) == ()
        else:
            assert division is not None
            assert 0 <= division <= 1 - 1 / len(counts) + 1e-12
            assert (division == 0) == (len([c for c in counts if c]) == 1)

    @given(st.lists(st.tuples(st.booleans(), st.integers(min_value=1, max_value=4)), max_size=60))
    def test_counts_never_negative_and_match_the_history(self, actions: list[tuple[bool, int]]) -> None:
        tally = Tally(4)
        expected = [0, 0, 0, 0]
        for adding, number in actions:
            if adding:
                tally.add(number)
                expected[number - 1] += 1
            else:
                tally.remove(number)
                expected[number - 1] = max(0, expected[number - 1] - 1)
        assert tally.counts == expected
        assert all(count >= 0 for count in tally.counts)


def test_the_voting_model_does_not_import_textual() -> None:
    code = "import sys, roleplay.play.voting; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
