"""The room's summary at the end of a presenter session: the outcome, the mood chart, the votes, and where the room was split.

Outcome and mood come from the finished session; the votes and how divided
the room was come from :class:`~roleplay.play.voting.RoomVotes` (the measure is
defined there). The full debrief, with the tactics and the turning point, is
one key away.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from roleplay.i18n import N_, _, ngettext
from roleplay.play.engine import Session, TurnResult
from roleplay.play.voting import RoomVotes, TurnVotes
from roleplay.room.model import RoomTurn
from roleplay.tui.keys import ROOM_SUMMARY_KEYS
from roleplay.tui.screens.debrief import DebriefChoice, DebriefScreen, mood_caption, mood_path
from roleplay.tui.widgets.footer import Footer
from roleplay.tui.widgets.mood_chart import MoodChart
from roleplay.tui.widgets.vote_tally import vote_bar

SUMMARY_BAR = 10
"""Cells for a vote bar in the summary."""

DIVISION_EXPLAINED = N_(
    "Divided: the share of the room's votes that went to something other than the most popular reply "
    "(0% everyone agreed; 50% an even two-way split)."
)


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def counts_phrase(record: TurnVotes) -> str:
    """'3 for reply 1, 2 for reply 2, 2 for reply 3' (replies with no votes left out)."""
    return ", ".join(
        _("{count} for reply {number}").format(count=count, number=number)
        for number, count in enumerate(record.counts, start=1)
        if count
    )


def most_divided_text(room: RoomVotes) -> str:
    """Where the room was most divided, in a sentence or two."""
    divided = room.most_divided()
    if not divided:
        return _("The room did not vote, so there is no split to show.")
    top = divided[0]
    assert top.division is not None
    if top.division == 0:
        return _("The room agreed at every turn it voted on: nobody voted against the most popular reply.")
    turns = [record.turn for record in divided]
    if len(turns) == 1:
        where = _("turn {number}").format(number=turns[0])
    else:
        where = _("turns {first} and {last}").format(first=", ".join(map(str, turns[:-1])), last=turns[-1])
    details = "; ".join(_("turn {number}").format(number=record.turn) + f": {counts_phrase(record)}" for record in divided)
    return _(
        "The room was most divided at {where}: {share} of the votes went elsewhere than the most popular reply ({details})."
    ).format(where=where, share=percent(top.division), details=details)


class TurnVotesView(Widget):
    """One turn: what the customer said, each reply with its votes as a bar, and the reply given."""

    COMPONENT_CLASSES = {"turn-votes--bar", "turn-votes--given", "turn-votes--other"}

    def __init__(self, result: TurnResult, record: TurnVotes | None, customer: str, phones: RoomTurn | None = None) -> None:
        super().__init__(classes="turn-votes")
        self.result = result
        self.record = record
        self.customer = customer
        division = (
            ""
            if record is None or record.division is None
            else " · " + _("{share} divided").format(share=percent(record.division))
        )
        votes = (
            _("no vote") if record is None else ngettext("{count} vote", "{count} votes", record.total).format(count=record.total)
        )
        if record is not None and phones is not None:
            votes += (
                " ("
                + ngettext("{voted} from {count} phone", "{voted} from {count} phones", phones.joined).format(
                    voted=phones.voted, count=phones.joined
                )
                + ")"
            )
        self.border_title = _("Turn {number}").format(number=result.turn) + f" · {votes}{division}"

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
            grid.add_row("", Text(_("Given without a vote (before presenter mode)."), style=other_style), "", "")
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
            note = (
                _("Tie broken by the trainer.")
                if record.went_with_room
                else _("Chosen by the trainer, against the room's majority.")
            )
            grid.add_row("", Text(note, style=other_style), "", "")
        return grid


class RoomSummaryScreen(Screen[DebriefChoice]):
    """The end of a session for the room: outcome, mood chart, votes per turn, the most divided turn."""

    BINDINGS = ROOM_SUMMARY_KEYS

    def __init__(self, session: Session, room: RoomVotes, phones: list[RoomTurn] | None = None) -> None:
        super().__init__()
        self.session = session
        self.room = room
        self.phones = phones
        """With a room of phones: per locked turn, how many had joined and how many of them voted."""
        self.rulebook = session.rulebook
        self.title = _("Room summary: {title}").format(title=session.story.title)

    def compose(self) -> ComposeResult:
        session = self.session
        outcome = session.outcome
        assert outcome is not None, "the summary is only for finished conversations"
        customer = session.story.customer.name
        with VerticalScroll(id="room-summary"):
            with Vertical(id="room-outcome", classes=f"-{outcome.tone}"):
                yield Static(outcome.label, id="room-outcome-label", markup=False)
                closing = self._closing_words()
                if closing:
                    yield Static(f"{customer}: {closing}", id="room-outcome-closing", markup=False)
                if session.walked_out:
                    yield Static(_("{name} walked out.").format(name=customer), id="room-outcome-walkout", markup=False)
                yield Static(outcome.meaning, id="room-outcome-meaning", markup=False)
                yield Static(
                    _("Final mood {mood} ({word}) · loyalty {loyalty} of 100").format(
                        mood=session.mood, word=session.mood_word, loyalty=session.loyalty
                    )
                    + " · "
                    + ngettext("{count} reply", "{count} replies", len(session.turns)).format(count=len(session.turns))
                    + " · "
                    + ngettext("{count} vote", "{count} votes", self.room.total_votes).format(count=self.room.total_votes)
                    + self._participants_phrase(),
                    id="room-outcome-numbers",
                    markup=False,
                )
            yield Static(most_divided_text(self.room), id="room-divided", markup=False)
            with Horizontal(id="room-columns"):
                values = mood_path(session)
                with Vertical(id="room-mood", classes="panel") as panel:
                    panel.border_title = _("Mood, reply by reply")
                    yield MoodChart(values, rulebook=self.rulebook, id="room-mood-chart")
                    yield Static(mood_caption(values, self.rulebook), id="room-mood-caption", markup=False)
                with Vertical(id="room-votes", classes="panel") as panel:
                    panel.border_title = _("The room's votes")
                    yield from self._turn_widgets(customer)
                    yield Static(_(DIVISION_EXPLAINED), id="room-divided-explained", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def _participants_phrase(self) -> str:
        """' · 15 participants on their phones' (the most who had joined at any turn), or ''."""
        if self.phones is None:
            return ""
        most = max((turn.joined for turn in self.phones), default=0)
        return " · " + ngettext("{count} participant on their phones", "{count} participants on their phones", most).format(
            count=most
        )

    def _closing_words(self) -> str:
        """What the customer said last (the ending's line), or '' when there is none."""
        node = self.session.node
        return " ".join(node.say) if node is not None else ""

    def _turn_widgets(self, customer: str) -> list[Widget]:
        phones = {turn.turn: turn for turn in self.phones or ()}
        return [
            TurnVotesView(result, self.room.record_for(result.turn), customer, phones.get(result.turn))
            for result in self.session.turns
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
