"""Reloading a story while it is played: changes noticed, replies replayed, errors kept as values."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roleplay.play.engine import replay
from roleplay.writing.watch import StoryWatch
from tests.writer.conftest import FIXTURES

SMALL = (FIXTURES / "small.yaml").read_text(encoding="utf-8")


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def rewrite(path: Path, text: str) -> None:
    """Write new content and move the timestamp on, as a save a moment later would."""
    stamp = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))


def test_nothing_happens_until_the_file_changes(story_file: Path) -> None:
    watch = StoryWatch(story_file)
    assert watch.story is not None
    assert watch.poll([2]) is None
    assert watch.poll([2]) is None


def test_a_change_is_reloaded_and_the_replies_replayed(story_file: Path) -> None:
    watch = StoryWatch(story_file)
    rewrite(story_file, SMALL.replace("It arrived cracked.", "It arrived cracked, again."))
    reload = watch.poll([2])
    assert reload is not None and reload.ok
    assert reload.replayed == 1 and reload.stopped is None
    assert reload.session.picks == [2]
    assert reload.session.node.say == ("It arrived cracked, again.",)
    assert reload.session.mood == 25 - 6
    assert watch.story is reload.story
    assert watch.poll([2]) is None  # one reload per change


def test_a_same_second_rewrite_of_the_same_size_is_noticed(story_file: Path) -> None:
    watch = StoryWatch(story_file)
    stamp = story_file.stat().st_mtime_ns
    story_file.write_text(SMALL.replace("Marta", "Maria"), encoding="utf-8")
    os.utime(story_file, ns=(stamp, stamp))
    reload = watch.poll([])
    assert reload is not None and reload.story.customer.name == "Maria"


def test_the_replay_stops_at_the_first_reply_no_longer_on_offer(story_file: Path) -> None:
    watch = StoryWatch(story_file)
    without_courier = SMALL.replace(
        """      - reply: "The courier must have dropped it."
        tactics: [blame_supplier]
        next:
          - if: mood < 15
            goto: walks_out
          - goto: opening
""",
        "",
    )
    rewrite(story_file, without_courier)
    reload = watch.poll([1])
    assert reload.ok and reload.replayed == 1 and reload.session.finished  # reply 1 is still there
    reload = watch.reload([2, 1])
    assert reload.ok and reload.replayed == 0
    assert "reply 1 of the replay (2)" in reload.stopped and "not on offer" in reload.stopped
    assert reload.session.picks == []
    assert "then stopped" in reload.summary()


def test_a_reload_with_errors_reports_them_and_keeps_the_last_good_story(story_file: Path) -> None:
    watch = StoryWatch(story_file)
    good = watch.story
    rewrite(story_file, SMALL.replace("next: resolved", "next: resolve", 1))
    reload = watch.poll([2])
    assert reload is not None and not reload.ok and reload.session is None
    assert [d.message for d in reload.errors] == [
        "reply 1 of node 'opening' goes to 'resolve', which does not exist (did you mean 'resolved'?)"
    ]
    assert reload.errors[0].location.line == 17
    assert watch.story is good
    assert "has 1 error" in reload.summary()
    rewrite(story_file, SMALL)
    fixed = watch.poll([2])
    assert fixed.ok and fixed.session.picks == [2]


def test_a_deleted_file_is_an_error_not_an_exception(story_file: Path) -> None:
    watch = StoryWatch(story_file)
    story_file.unlink()
    reload = watch.poll([])
    assert reload is not None and not reload.ok
    assert reload.errors[0].message.startswith("cannot read the file")
    assert watch.story is not None


def test_replay_gives_the_picks_again(story_file: Path) -> None:
    story = StoryWatch(story_file).story
    again = replay(story, [2, 1])
    assert again.replayed == 2 and again.session.finished and again.session.ending == "resolved"
    stopped = replay(story, [2, 9, 1])
    assert stopped.replayed == 1 and stopped.session.picks == [2]
