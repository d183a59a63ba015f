"""The room's summary at the end of a presenter session: the outcome, the mood chart, the votes, and where the room was split.

Outcome and mood come from the finished session; the votes and how divided
the room was come from :class:`~roleplay.voting.RoomVotes` (the measure is
defined there). The full debrief, with the tactics and the turning point, is
one key away.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from roleplay.i18n import N_, _, ngettext
from roleplay.tui.widgets.footer import Footer

from roleplay.engine import Session, TurnResult
from roleplay.room.model import RoomTurn
from roleplay.tui.screens.debrief import DebriefChoice, DebriefScreen, mood_caption, mood_path
from roleplay.tui.widgets.mood_chart import MoodChart
from roleplay.tui.widgets.vote_tally import vote_bar
from roleplay.voting import RoomVotes, TurnVotes

SUMMARY_BAR = 10
"""Cells for a vote bar in the summary."""

DIVISION_EXPLAINED = (
    "Divided: the share of the room's votes that went to something other than the most popular reply "
    "(0% everyone agreed; 50% an even two-way split)."
)


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def counts_phrase(record: TurnVotes) -> str:
    """'3 for reply 1, 2 for reply 2, 2 for reply 3' (replies with no votes left out)."""
    return ", ".join(f"{count} for reply {number}" for number, count in enumerate(record.counts, start=1) if count)


def most_divided_text(room: RoomVotes) -> str:
    """Where the room was most divided, in a sentence or two."""
    divided = room.most_divided()
    if not divided:
        return "The room did not vote, so there is no split to show."
    top = divided[0]
    assert top.division is not None
    if top.division == 0:
        return "The room agreed at every turn it voted on: nobody voted against the most popular reply."
    turns = [record.turn for record in divided]
    where = f"turn {turns[0]}" if len(turns) == 1 else "turns " + ", ".join(map(str, turns[:-1])) + f" and {turns[-1]}"
    details = "; ".join(f"turn {record.turn}: {counts_phrase(record)}" for record in divided)
    return f"The room was most divided at {where}: {percent(top.division)} of the votes went elsewhere than the most popular reply ({details})."


class TurnVotesView(Widget):
    """One turn: what the customer said, each reply with its votes as a bar, and the reply given."""

    COMPONENT_CLASSES = {"turn-votes--bar", "turn-votes--given", "turn-votes--other"}

    def __init__(self, result: TurnResult, record: TurnVotes | None, customer: str, phones: RoomTurn | None = None) -> None:
        super().__init__(classes="turn-votes")
        self.result = result
        self.record = record
        self.customer = customer
        division = "" if record is None or record.division is None else f" · {percent(record.division)} divided"
        votes = "no vote" if record is None else f"{record.total} vote{'' if record.total == 1 else 's'}"
        if record is not None and phones is not None:
            votes += f" ({phones.voted} from {phones.joined} phone{'' if phones.joined == 1 else 's'})"
        self.border_title = f"Turn {result.turn} · {votes}{division}"

    def render(self) -> Table:
        result, record = self.result, self.record
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True, justify="right", width=2)
        grid.add_column(ratio=1)
        grid.add_column(no_wrap=True, width=SUMMARY_BAR)
        grid.add_column(no_wrap=True, justify="right", width=3)
        said = " ".join(result.customer_said)
        grid.add_row("", Text(f"{self.customer}: {said}", style="italic"), "", "")
        given_style = self.get_component_rich_style("turn-votes--given", partial=True)
        other_style = self.get_component_rich_style("turn-votes--other", partial=True)
        bar_style = self.get_component_rich_style("turn-votes--bar", partial=True)
        if record is None:
            grid.add_row("▶", Text(f"{result.number}. {result.reply}", style=given_style), "", "")
            grid.add_row("", Text("Given without a vote (before presenter mode).", style=other_style), "", "")
            return grid
        for number, count in enumerate(record.counts, start=1):
            given = number == record.given
            style = given_style if given else other_style
            grid.add_row(
                "▶" if given else "",
                Text(f"{number}. {record.reply_text(number)}", style=style),
                Text(vote_bar(count, record.total, SUMMARY_BAR), style=bar_style),
                Text(str(count), style=style),
            )
        if record.locked_by == "trainer":
            note = "Tie broken by the trainer." if record.went_with_room else "Chosen by the trainer, against the room's majority."
            grid.add_row("", Text(note, style=other_style), "", "")
        return grid


class RoomSummaryScreen(Screen[DebriefChoice]):
    """The end of a session for the room: outcome, mood chart, votes per turn, the most divided turn."""

    BINDINGS = [
        Binding("d", "debrief", "Full debrief", tooltip="Tactics used and the turning point"),
        Binding("a", "again", "Play again", tooltip="Start this story again, with a fresh count"),
        Binding("u", "undo", "Take back", tooltip="Take back the last reply and vote again"),
        Binding("s", "stories", "Stories", tooltip="Pick another story"),
        Binding("escape", "back", "Back", tooltip="Back to the conversation"),
        Binding("question_mark", "presenter_help", "Help", key_display="?", tooltip="How presenter mode works, and its keys"),
    ]

    def __init__(self, session: Session, room: RoomVotes, phones: list[RoomTurn] | None = None) -> None:
        super().__init__()
        self.session = session
        self.room = room
        self.phones = phones
        """With a room of phones: per locked turn, how many had joined and how many of them voted."""
        self.rulebook = session.rulebook
        self.title = f"Room summary: {session.story.title}"

    def compose(self) -> ComposeResult:
        session = self.session
        outcome = session.outcome
        assert outcome is not None, "the summary is only for finished conversations"
        customer = session.story.customer.name
        with VerticalScroll(id="room-summary"):
            with Vertical(id="room-outcome", classes=f"-{outcome.id}"):
                yield Static(outcome.label, id="room-outcome-label", markup=False)
                closing = self._closing_words()
                if closing:
                    yield Static(f"{customer}: {closing}", id="room-outcome-closing", markup=False)
                if session.walked_out:
                    yield Static(f"{customer} walked out.", id="room-outcome-walkout", markup=False)
                yield Static(outcome.meaning, id="room-outcome-meaning", markup=False)
                yield Static(
                    f"Final mood {session.mood} ({session.mood_word}) · loyalty {session.loyalty} of 100 · "
                    f"{len(session.turns)} repl{'y' if len(session.turns) == 1 else 'ies'} · "
                    f"{self.room.total_votes} vote{'' if self.room.total_votes == 1 else 's'}"
                    f"{self._participants_phrase()}",
                    id="room-outcome-numbers",
                    markup=False,
                )
            yield Static(most_divided_text(self.room), id="room-divided", markup=False)
            with Horizontal(id="room-columns"):
                values = mood_path(session)
                with Vertical(id="room-mood", classes="panel") as panel:
                    panel.border_title = "Mood, reply by reply"
                    yield MoodChart(values, rulebook=self.rulebook, id="room-mood-chart")
                    yield Static(mood_caption(values, self.rulebook), id="room-mood-caption", markup=False)
                with Vertical(id="room-votes", classes="panel") as panel:
                    panel.border_title = "The room's votes"
                    yield from self._turn_widgets(customer)
                    yield Static(DIVISION_EXPLAINED, id="room-divided-explained", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def _participants_phrase(self) -> str:
        """' · 15 participants on their phones' (the most who had joined at any turn), or ''."""
        if self.phones is None:
            return ""
        most = max((turn.joined for turn in self.phones), default=0)
        return f" · {most} participant{'' if most == 1 else 's'} on their phones"

    def _closing_words(self) -> str:
        """What the customer said last (the ending's line), or '' when there is none."""
        node = self.session.node
        return " ".join(node.say) if node is not None else ""

    def _turn_widgets(self, customer: str) -> list[Widget]:
        phones = {turn.turn: turn for turn in self.phones or ()}
        return [
            TurnVotesView(result, self.room.record_for(result.turn), customer, phones.get(result.turn)) for result in self.session.turns
        ]

    def on_mount(self) -> None:
        most = {record.turn for record in self.room.most_divided() if record.division}
        for view in self.query(TurnVotesView):
            view.set_class(view.result.turn in most, "-most-divided")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return bool(self.session.history)
        return True

    def action_debrief(self) -> None:
        def chosen(choice: DebriefChoice | None) -> None:
            if choice is not None:
                self.dismiss(choice)

        self.app.push_screen(DebriefScreen(self.session), chosen)

    def action_again(self) -> None:
        self.dismiss(DebriefChoice("again"))

    def action_undo(self) -> None:
        self.dismiss(DebriefChoice("undo"))

    def action_stories(self) -> None:
        self.dismiss(DebriefChoice("stories"))

    def action_back(self) -> None:
        self.dismiss(None)

    def action_presenter_help(self) -> None:
        from roleplay.tui.screens.presenter_help import PresenterHelpScreen

        self.app.push_screen(PresenterHelpScreen())
