"""Reloading a story while it is being played, for writers who edit and play side by side.

A :class:`StoryWatch` notices when a story file changes on disk, reloads it
through :func:`roleplay.play.validation.validate_file` (so playtests run too), and
replays the replies given so far onto a new :class:`Session`, stopping at the
first reply that is no longer on offer. A reload with errors returns them as
values and keeps the last good version of the story. Pure Python: clients
(the app's conversation screen) poll it from a timer.

Changes are noticed by polling the file's modification time, size and inode,
and, while the file was modified in the last two seconds (where file systems
with coarse timestamps could hide a second write), by comparing its content.
This needs nothing beyond the standard library and works for editors that
save by replacing the file as well as for those that write it in place.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from roleplay.parsing.diagnostics import Diagnostic, Location, Severity
from roleplay.play.engine import Session, replay
from roleplay.play.validation import validate_file
from roleplay.rules.rulebook import Rulebook, default_rulebook
from roleplay.story.model import Story

RECENT_SECONDS = 2.0
"""A file modified this recently is compared by content, not only by its timestamp."""

POLL_SECONDS = 0.5
"""How often clients are expected to poll."""


@dataclass(frozen=True)
class Reload:
    """What reloading a changed story file gave."""

    path: str
    story: Story | None
    """The new story, or None when the file now has errors (the last good version stays in use)."""
    session: Session | None
    """A new session replayed to the same point (as far as the new story allows), or None on errors."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Everything the loader and the playtests found in the new file (errors and warnings)."""
    replayed: int = 0
    stopped: str | None = None
    """Why the replay stopped short, if it did."""

    @property
    def ok(self) -> bool:
        return self.story is not None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    def summary(self) -> str:
        """One line for a notification."""
        name = Path(self.path).name
        if not self.ok:
            count = len(self.errors)
            return f"{name} has {count} error{'s' * (count != 1)}; still playing the last version that loaded"
        if self.stopped:
            return f"Reloaded {name}; replayed {self.replayed} repl{'ies' if self.replayed != 1 else 'y'}, then stopped: {self.stopped}"
        return f"Reloaded {name}; replayed {self.replayed} repl{'ies' if self.replayed != 1 else 'y'}"


@dataclass(frozen=True)
class _Fingerprint:
    stamp: tuple[int, int, int] | None
    digest: bytes | None


class StoryWatch:
    """One story file being played while it is edited: notices changes and reloads it."""

    def __init__(self, path: Path | str, rulebook: Rulebook | None = None) -> None:
        self.path = str(path)
        self.rulebook = rulebook or default_rulebook()
        self._fingerprint = self._take_fingerprint(None)
        result = validate_file(self.path, self.rulebook)
        self.story: Story | None = result.story
        """The last version of the story that loaded without errors (None if none has yet)."""
        self.diagnostics: tuple[Diagnostic, ...] = tuple(result.diagnostics)
        """The findings of the most recent load."""

    def _take_fingerprint(self, previous: _Fingerprint | None) -> _Fingerprint:
        try:
            status = os.stat(self.path)
        except OSError:
            return _Fingerprint(None, None)
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        recent = time.time() - status.st_mtime < RECENT_SECONDS
        if previous is not None and previous.stamp == stamp and not recent:
            return previous
        try:
            with open(self.path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).digest()
        except OSError:
            return _Fingerprint(None, None)
        return _Fingerprint(stamp, digest)

    def changed(self) -> bool:
        """True once for each change to the file (including its removal) since the last call."""
        current = self._take_fingerprint(self._fingerprint)
        before, self._fingerprint = self._fingerprint, current
        return (current.stamp is None) != (before.stamp is None) or current.digest != before.digest

    def reload(self, picks: Sequence[int]) -> Reload:
        """Load the file now and replay ``picks``; on errors keep the last good story."""
        result = validate_file(self.path, self.rulebook)
        self.diagnostics = tuple(result.diagnostics)
        if result.story is None:
            diagnostics = tuple(result.diagnostics) or (Diagnostic(Location(self.path), "the story could not be loaded"),)
            return Reload(self.path, None, None, diagnostics)
        self.story = result.story
        again = replay(result.story, picks, self.rulebook)
        stopped = None if again.error is None else f"reply {again.replayed + 1} of the replay ({again.refused}): {again.error}"
        return Reload(self.path, result.story, again.session, tuple(result.diagnostics), again.replayed, stopped)

    def poll(self, picks: Sequence[int]) -> Reload | None:
        """If the file changed since the last poll, reload it replaying ``picks``; else None."""
        if not self.changed():
            return None
        return self.reload(picks)
