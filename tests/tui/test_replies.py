"""The replies on offer: more than fit are marked on the border (no scroll bar), and a reply draws the screen once."""

from __future__ import annotations

import textwrap
from pathlib import Path

from roleplay.play.library import bundled_stories_dir
from roleplay.tui.widgets.choices import ChoiceList

from .conftest import press, settle

SIZE = (80, 24)

ALTERNATING = """
title: Two questions
summary: A caller who asks one thing, then another, then the first again.
customer:
  name: Kim
  about: Calls about everything.
  mood: 50
start: question
nodes:
  question:
    say: "The delivery note says Tuesday, but the tracking page says Thursday. Which is it?"
    choices:
      - reply: "Let me look that up for you and tell you exactly when it arrives, so you can plan your week around it."
        tactics: [find_out, listen]
        next: followup
      - reply: "I understand the mix-up is confusing; it is Thursday, and I'll note it on your order so it stays that way."
        tactics: [empathize, explain_cause]
        next: followup
      - reply: "It's on the website, along with every other delivery date and the times the vans usually come round."
        tactics: [refer_to_website]
        next: followup
  followup:
    say: "And the invoice has my old address on it."
    choices:
      - reply: "I'm sorry. I'll change it now."
        tactics: [apologize]
        next: question
      - reply: "Addresses are changed in your profile."
        tactics: [refer_to_website]
        next: question
"""
"""Three long replies (more than the list shows at 80x24), then two short ones, for ever."""


async def test_replies_that_do_not_fit_are_marked_on_the_border_and_follow_the_highlight(make_app) -> None:
    app = make_app(bundled_stories_dir() / "branch-not-answering.yaml")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "1")
        choices = app.screen.query_one(ChoiceList)
        assert choices.option_count == 4 and choices.max_scroll_y > 0, "the story's second replies do not all fit"
        assert not choices.show_vertical_scrollbar
        assert choices.border_subtitle == "↓"
        await pilot.press("down", "down", "down")
        await settle(pilot)
        assert choices.highlighted == 3
        assert choices.scroll_y == choices.max_scroll_y, "the last reply is scrolled into view"
        assert choices.border_subtitle == "↑"
        await pilot.press("up", "up", "up")
        await settle(pilot)
        assert (choices.scroll_y, choices.border_subtitle) == (0, "↓")


async def test_a_reply_draws_the_screen_once_whether_the_next_replies_fit_or_not(make_app, tmp_path: Path) -> None:
    story = tmp_path / "two-questions.yaml"
    story.write_text(textwrap.dedent(ALTERNATING).lstrip(), encoding="utf-8")
    app = make_app(story)
    frames: list[int] = []
    display = app._display

    def counting(screen, renderable) -> None:
        if renderable is not None:
            frames.append(1)
        display(screen, renderable)

    app._display = counting
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The first reply makes undo and restart available: the footer shows them, in frames of its own.
        await press(pilot, "1")
        choices = app.screen.query_one(ChoiceList)
        drawn, marks = [], []
        for _ in range(4):
            frames.clear()
            await pilot.press("1")
            await pilot.pause(0.2)
            drawn.append(len(frames))
            marks.append(choices.border_subtitle)
    assert marks == ["↓", "", "↓", ""], "the replies alternate between fitting and not"
    assert drawn == [1, 1, 1, 1]
