"""Presenter mode switched on and off: the mode's name in the header, the theme, and the open conversation
carried over to the other kind of screen (the presenter screen for a room, or the ordinary conversation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.i18n import N_, _
from roleplay.tui.themes import PRESENTER_THEMES

if TYPE_CHECKING:
    from textual.app import App

    from roleplay.play.engine import Session
    from roleplay.play.voting import RoomVotes
    from roleplay.tui.screens.conversation import ConversationScreen
    from roleplay.tui.screens.presenter import PresenterScreen

MODE_LABELS: dict[str, str] = {"coach": N_("Coach mode"), "exam": N_("Exam mode")}
"""The mode's name in English, as extracted for translation; show it with ``_()``."""
PRESENTER_LABEL = N_("Presenter mode")


def conversation_screen(
    session: Session, presenting: bool, room: RoomVotes | None = None
) -> ConversationScreen | PresenterScreen:
    """The screen that plays ``session``: the presenter screen for a room, or the ordinary conversation."""
    from roleplay.tui.screens.conversation import ConversationScreen
    from roleplay.tui.screens.presenter import PresenterScreen

    if presenting:
        return PresenterScreen(session, room)
    return ConversationScreen(session)


if TYPE_CHECKING:
    AppPart = App[None]
else:
    AppPart = object
    """A part of the app (for the type checker, an App): a plain class, so the app is one App class to make."""


class PresenterSwitching(AppPart):
    """The part of the app that switches presenter mode on and off (see :func:`switch_presenting`)."""

    theme_before_presenting = ""
    """The theme to go back to when presenter mode is switched off."""
    kept_room: tuple[Session, RoomVotes] | None = None
    """Presenter mode's votes while it is switched off mid-conversation, so switching back resumes them."""

    def switch_presenting(self, presenting: bool) -> None:
        """Apply presenter mode: the theme, and the open conversation's screen.

        The open conversation carries on with the same session on the other kind
        of screen; the room's votes are kept on the app while presenter mode is
        off, and resume when it comes back on in the same conversation.
        """
        from roleplay.tui.screens.conversation import ConversationScreen
        from roleplay.tui.screens.presenter import PresenterScreen

        presenter_themes = {theme.name for theme in PRESENTER_THEMES}
        if presenting:
            if self.theme not in presenter_themes:
                self.theme_before_presenting = self.theme
                self.theme = PRESENTER_THEMES[0].name
        elif self.theme in presenter_themes:
            self.theme = self.theme_before_presenting
        self.notify(
            _("The room votes on each reply; r reveals its effect. Press ? for the keys.")
            if presenting
            else _("Back to playing alone."),
            title=_("Presenter mode on") if presenting else _("Presenter mode off"),
            timeout=3,
        )
        wrong_kind = ConversationScreen if presenting else PresenterScreen
        stack = self.screen_stack
        current = next((screen for screen in reversed(stack) if isinstance(screen, (ConversationScreen, PresenterScreen))), None)
        if current is None or not isinstance(current, wrong_kind):
            return
        session = current.session
        room = None
        if isinstance(current, PresenterScreen):
            self.kept_room = (session, current.room)
        elif self.kept_room is not None and self.kept_room[0] is session:
            room = self.kept_room[1]
        while self.screen is not current:
            self.pop_screen()
        self.pop_screen()
        self.push_screen(conversation_screen(session, presenting, room))
