"""The command palette's roleplay entries: the main actions by name, offered only where they apply."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.actions import parse
from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str
    action: str
    """An action string as bindings use it; 'app.' runs it on the app, otherwise on the screen."""


PALETTE_COMMANDS = (
    PaletteCommand("Undo the last reply", "Take back your last reply and try another", "undo"),
    PaletteCommand("Switch to exam mode", "No feedback until the debrief; the meter still moves", "app.set_mode('exam')"),
    PaletteCommand("Switch to coach mode", "Feedback after every reply", "app.set_mode('coach')"),
    PaletteCommand(
        "Presenter mode on or off", "For a room on a projector: high contrast, the room votes, reveal", "app.toggle_presenter"
    ),
    PaletteCommand("Restart the story", "Start this conversation again from the beginning", "restart"),
    PaletteCommand("Open the debrief", "See how the conversation went", "debrief"),
    PaletteCommand("Pick another story", "Back to the story picker", "app.pick_story"),
    PaletteCommand("Open a story file", "Play a story file from its path", "app.open_file"),
    PaletteCommand("Help", "How to play, coach and exam mode, and the keys", "app.help"),
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
            _, name, parameters = parse(action)
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
            yield DiscoveryHit(command.title, partial(self._run, command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.available():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), partial(self._run, command), help=command.help)
