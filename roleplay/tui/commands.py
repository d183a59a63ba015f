"""The command palette's roleplay entries: the main actions by name, offered only where they apply."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.actions import parse
from textual.command import DiscoveryHit, Hit, Hits, Provider

from roleplay.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    """In English, marked for translation; shown with ``_()`` (a language's own name is shown as is)."""
    help: str
    action: str
    """An action string as bindings use it; 'app.' runs it on the app, otherwise on the screen."""
    title_argument: str = ""
    """Filled into ``{name}`` in the translated title."""

    @property
    def shown_title(self) -> str:
        return _(self.title).format(name=self.title_argument) if self.title_argument else _(self.title)


PALETTE_COMMANDS = (
    PaletteCommand(N_("Undo the last reply"), N_("Take back your last reply and try another"), "undo"),
    PaletteCommand(N_("Switch to exam mode"), N_("No feedback until the debrief; the meter still moves"), "app.set_mode('exam')"),
    PaletteCommand(N_("Switch to coach mode"), N_("Feedback after every reply"), "app.set_mode('coach')"),
    PaletteCommand(
        N_("Presenter mode on or off"),
        N_("For a room on a projector: high contrast, the room votes, reveal"),
        "app.toggle_presenter",
    ),
    PaletteCommand(N_("Restart the story"), N_("Start this conversation again from the beginning"), "restart"),
    PaletteCommand(N_("Open the debrief"), N_("See how the conversation went"), "debrief"),
    PaletteCommand(
        N_("Go back to the turning point"), N_("The reply that mattered most: try the alternative"), "try_turning_point"
    ),
    PaletteCommand(N_("Play the story again"), N_("From the debrief: start this story from the beginning"), "again"),
    PaletteCommand(
        N_("Play again in exam mode"), N_("From the debrief: start again, feedback held back until the end"), "again_in('exam')"
    ),
    PaletteCommand(
        N_("Play again in coach mode"), N_("From the debrief: start again, with feedback after every reply"), "again_in('coach')"
    ),
    PaletteCommand(N_("Pick another story"), N_("Back to the story picker"), "app.pick_story"),
    PaletteCommand(N_("Open a story file"), N_("Play a story file from its path"), "app.open_file"),
    PaletteCommand(
        N_("Your progress"), N_("Results per story, plays over time, habits by article, what to practise next"), "app.progress"
    ),
    PaletteCommand(N_("Sources"), N_("The articles the rules come from: titles, headings, the passages quoted"), "app.sources"),
    PaletteCommand(N_("Help"), N_("How to play, coach and exam mode, and the keys"), "app.help"),
    PaletteCommand(N_("Settings"), N_("The language of the screens, the coach and the stories"), "app.settings"),
    # presenter mode
    PaletteCommand(N_("Lock in the majority reply"), N_("Give the reply with the most votes"), "lock"),
    PaletteCommand(N_("Reveal the reaction"), N_("Move the mood meter and show the coaching"), "reveal"),
    PaletteCommand(N_("Next turn"), N_("The customer's next line and a new vote"), "next"),
    PaletteCommand(N_("Room summary"), N_("The outcome, the mood chart and the votes"), "summary"),
    PaletteCommand(N_("Start or stop the discussion timer"), N_("A countdown while the room talks it over"), "timer"),
    PaletteCommand(N_("Reset the discussion timer"), N_("Stop and go back to the full length"), "reset_timer"),
    PaletteCommand(N_("Show or hide the transcript"), N_("Everything said so far"), "transcript"),
    PaletteCommand(N_("Clear this turn's votes"), N_("Start the count again"), "clear_votes"),
    PaletteCommand(N_("Presenter help"), N_("The keys, the tie rule and what 'divided' means"), "presenter_help"),
    PaletteCommand(N_("Show how to join the room"), N_("The address, the code and the QR code for phones"), "room_join"),
    PaletteCommand(N_("Open or close joining"), N_("Let new phones join the room, or not"), "room_joining"),
    PaletteCommand(
        N_("Hide or show the live tally"), N_("Hide the phones' votes until the vote is locked in"), "room_hide_tally"
    ),
    PaletteCommand(N_("Phones in the room"), N_("The phones that joined; remove one"), "room_participants"),
    *(
        PaletteCommand(
            N_("Language: {name}"),
            N_("Show everything in this language; the conversation carries on"),
            f"app.set_language('{code}')",
            LANGUAGE_NAMES[code],
        )
        for code in LANGUAGES
    ),
)


class RoleplayCommands(Provider):
    """Offers each of :data:`PALETTE_COMMANDS` that the screen (or the app) can do right now.

    Availability comes from ``check_action``, as for the Footer, so the palette
    and the bindings never disagree.
    """

    def _target(self, command: PaletteCommand):
        if command.action.startswith("app."):
            return self.app, command.action[len("app.") :]
        return self.screen, command.action

    def available(self) -> list[PaletteCommand]:
        found = []
        for command in PALETTE_COMMANDS:
            target, action = self._target(command)
            _namespace, name, parameters = parse(action)
            if not hasattr(target, f"action_{name}"):
                continue
            if target.check_action(name, parameters) is False:
                continue
            if target is not self.screen and self.screen.check_action(name, parameters) is False:
                continue  # the screen can veto app actions that make no sense on it
            found.append(command)
        return found

    def _run(self, command: PaletteCommand) -> None:
        target, action = self._target(command)
        self.app.call_next(target.run_action, action)

    async def discover(self) -> Hits:
        for command in self.available():
            yield DiscoveryHit(command.shown_title, partial(self._run, command), help=_(command.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.available():
            title = command.shown_title
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, command), help=_(command.help))
