"""Problems found in story and rulebook files, as values that carry their location."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from roleplay.i18n import translate


class Severity(StrEnum):
    """How serious a diagnostic is: errors stop a story from loading, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file; line and column count from 1, as editors show them."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place, with a message that says what to fix."""

    location: Location
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        """``FILE:LINE:COL: error: message``: the message in the interface language, the rest as editors read it."""
        return f"{self.location}: {self.severity.value}: {translate(self.message)}"

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity.value,
            "message": self.message,
        }


class StoryError(Exception):
    """A story (or rulebook) file could not be loaded; carries every error found in one pass."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]
