"""The trainer's screens for a room with phones: how to join (code, address, QR code) and who has joined.

Both follow the room as it changes (:class:`~roleplay.tui.room_link.RoomFollower`)
and change it only through the room's own methods.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.i18n import N_, _, ngettext
from roleplay.room.model import Room, RoomError
from roleplay.tui.messages import RoomChanged
from roleplay.tui.room_link import RoomFollower, voted_phrase
from roleplay.tui.widgets.footer import Footer
from roleplay.tui.widgets.qr_code import QRCode


def spaced_code(code: str) -> str:
    """'B C D F G': easier to read from the back of the room."""
    return " ".join(code)


def joining_phrase(room: Room) -> str:
    count = len(room.participants)
    joined = ngettext("{count} phone joined", "{count} phones joined", count).format(count=count)
    return joined + " · " + (_("joining is open") if room.joining_open else _("joining is closed"))


class RoomJoinScreen(ModalScreen[None]):
    """The join code, the address and its QR code, large enough to read and scan off a projector."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (78, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (21, "-tall")]
    """The QR code needs about 76x21 cells with the text beside it; smaller, it gives way to a hint."""

    BINDINGS = [
        Binding("escape", "close", N_("Back"), tooltip=N_("Back to the vote")),
        Binding("enter", "close", N_("Back"), show=False),
        Binding("j", "close", N_("Back"), show=False),
        Binding("o", "joining", N_("Open/close joining"), tooltip=N_("Let new phones join, or not")),
    ]

    def __init__(self, room: Room, url: str, join_url: str) -> None:
        super().__init__()
        self.room = room
        self.url = url
        self.join_url = join_url
        self.follower = RoomFollower(room, self)

    def compose(self) -> ComposeResult:
        with Vertical(id="room-join", classes="dialog") as dialog:
            dialog.border_title = _("Join the room from your phone")
            with Horizontal(id="room-join-columns"):
                with Vertical(id="room-join-text"):
                    yield Static(_("On your phone, open"), classes="room-join-label")
                    yield Static(self.url, id="room-join-url", markup=False)
                    yield Static(_("and enter the code"), classes="room-join-label")
                    yield Static(spaced_code(self.room.code), id="room-join-code", markup=False)
                    yield Static(
                        _("or scan the QR code. Same Wi-Fi as this computer; no app, no account; votes are anonymous."),
                        id="room-join-note",
                        markup=False,
                    )
                    yield Static(id="room-join-status", markup=False)
                    yield Static(_("Enlarge the window (or zoom out) to show the QR code."), id="room-join-no-qr", markup=False)
                yield QRCode(self.join_url, id="room-join-qr")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.follower.start()
        self._show()

    def on_unmount(self) -> None:
        self.follower.stop()

    @on(RoomChanged)
    def _changed(self) -> None:
        self.follower.caught_up()
        self._show()

    def _show(self) -> None:
        self.query_one("#room-join-status", Static).update(joining_phrase(self.room))
        self.set_class(not self.room.joining_open, "-closed")

    def action_joining(self) -> None:
        self.room.set_joining(not self.room.joining_open)

    def action_close(self) -> None:
        self.dismiss(None)


class RoomParticipantsScreen(ModalScreen[None]):
    """The phones in the room, by number (the number shows on each phone); remove one that should not be there."""

    BINDINGS = [
        Binding("escape", "close", N_("Back"), tooltip=N_("Back to the vote")),
        Binding("delete", "remove", N_("Remove"), tooltip=N_("Remove the chosen phone: its vote goes and it cannot rejoin")),
        Binding("x", "remove", N_("Remove"), show=False),
        Binding("o", "joining", N_("Open/close joining"), tooltip=N_("Let new phones join, or not")),
    ]

    def __init__(self, room: Room) -> None:
        super().__init__()
        self.room = room
        self.follower = RoomFollower(room, self)

    def compose(self) -> ComposeResult:
        with Vertical(id="room-participants", classes="dialog") as dialog:
            dialog.border_title = _("Phones in the room")
            yield Static(id="room-participants-status", markup=False)
            yield OptionList(id="room-participants-list")
            yield Static(
                _("Each phone shows its number at the top. Delete removes the chosen phone."), id="room-participants-note"
            )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.follower.start()
        self._show()
        self.query_one(OptionList).focus()

    def on_unmount(self) -> None:
        self.follower.stop()

    @on(RoomChanged)
    def _changed(self) -> None:
        self.follower.caught_up()
        self._show()

    def _show(self) -> None:
        room = self.room
        status = joining_phrase(room)
        if room.phase == "voting":
            status += f" · {voted_phrase(room)}"
        self.query_one("#room-participants-status", Static).update(status)
        options = self.query_one(OptionList)
        highlighted = options.highlighted_option.id if options.highlighted_option is not None else None
        options.set_options(
            Option(
                _("Phone {number}").format(number=p.number) + " · " + (_("connected") if p.connected else _("away")), id=p.token
            )
            for p in room.participants_by_number()
        )
        if options.option_count:
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            options.highlighted = ids.index(highlighted) if highlighted in ids else 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return bool(self.room.participants)
        return True

    def action_remove(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id is None:
            return
        participant = self.room.participants.get(option.id)
        if participant is None:
            return
        try:
            self.room.remove(option.id)
        except RoomError as exc:
            self.notify(_(str(exc)), severity="error")
            return
        self.notify(
            _("Phone {number} removed; it cannot rejoin this room.").format(number=participant.number), title=_("Removed")
        )

    def action_joining(self) -> None:
        self.room.set_joining(not self.room.joining_open)

    def action_close(self) -> None:
        self.dismiss(None)
