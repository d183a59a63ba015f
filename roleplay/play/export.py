"""The record for trainers: CSV for a spreadsheet, and xAPI statements for a learning record store or an LMS.

One xAPI statement per finished play (xAPI 1.0.3): the actor is the learner
(a mailbox, or a name with an account on a home page), the verb is
*completed*, the object is the story as an Activity, the result carries a
scaled score (the outcome's place on the rulebook's ladder, 0 for the worst and
1 for the best), success (the customer recommends you or stays) and the
outcome; extensions carry the tactics used, reply by reply, and the mode.
The statement id is the play's UUID, so exporting twice gives the same ids and
a store keeps each play once.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from typing import Any, TextIO

from roleplay.play.plays import PlayRecord
from roleplay.rules.rulebook import Rulebook

VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/simulation"
DEFAULT_ACTIVITY_BASE = "urn:roleplay:story:"
"""A story's activity id is this followed by its name (its file name without .yaml)."""
EXTENSION_OUTCOME = "urn:roleplay:extension:outcome"
EXTENSION_TACTICS = "urn:roleplay:extension:tactics"
EXTENSION_MODE = "urn:roleplay:extension:mode"
LANGUAGE = "en-US"

CSV_COLUMNS = (
    "id",
    "finished_at",
    "story",
    "title",
    "outcome",
    "outcome_label",
    "success",
    "score_scaled",
    "mood",
    "loyalty",
    "walked_out",
    "mode",
    "replies",
    "tactics",
)

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_MAILBOX = re.compile(r"^[^@\s:]+@[^@\s]+\.[^@\s.]+$")


class ExportError(ValueError):
    """The export cannot be made as asked (no actor, a malformed address); the message says what to give."""


def is_iri(text: str) -> bool:
    return bool(_IRI.match(text))


def xapi_actor(name: str | None = None, mbox: str | None = None, homepage: str | None = None) -> dict[str, Any]:
    """The learner as an xAPI Agent: with a mailbox, or a name that is an account on ``homepage``."""
    if mbox:
        address = mbox.removeprefix("mailto:")
        if not _MAILBOX.match(address):
            raise ExportError(f"the mailbox {mbox!r} is not an e-mail address")
        actor: dict[str, Any] = {"objectType": "Agent", "mbox": f"mailto:{address}"}
        if name:
            actor["name"] = name
        return actor
    if name and homepage:
        if not re.match(r"^https?://\S+$", homepage):
            raise ExportError(f"the home page {homepage!r} must be a web address (http:// or https://)")
        return {"objectType": "Agent", "name": name, "account": {"homePage": homepage, "name": name}}
    if name:
        raise ExportError(
            "an xAPI actor with only a name needs the home page of the system it is an account on: "
            "give --homepage (e.g. your LMS's address), or --mbox instead"
        )
    raise ExportError("xAPI statements need the learner: give --mbox ADDRESS, or --name NAME with --homepage URL")


def score_scaled(outcome: str, rulebook: Rulebook) -> float:
    """The outcome's place on the ladder: 0.0 for the worst rung, 1.0 for the best."""
    rungs = len(rulebook.outcomes)
    try:
        rank = rulebook.outcome_rank(outcome)
    except ValueError:
        return 0.0
    return round(rank / (rungs - 1), 4) if rungs > 1 else 1.0


def _outcome_label(outcome: str, rulebook: Rulebook) -> str:
    return next((o.label for o in rulebook.outcomes if o.id == outcome), outcome)


def _tactics_used(play: PlayRecord) -> list[str]:
    """Every tactic the play's replies used, once each, in order of first use."""
    seen: dict[str, None] = {}
    for reply in play.tactics:
        for name in reply:
            seen.setdefault(name, None)
    return list(seen)


def xapi_statement(
    play: PlayRecord, rulebook: Rulebook, actor: dict[str, Any], activity_base: str = DEFAULT_ACTIVITY_BASE
) -> dict[str, Any]:
    """One play as an xAPI statement."""
    return {
        "id": play.id,
        "actor": actor,
        "verb": {"id": VERB_COMPLETED, "display": {LANGUAGE: "completed"}},
        "object": {
            "objectType": "Activity",
            "id": f"{activity_base}{play.story_id}",
            "definition": {
                "name": {LANGUAGE: play.title},
                "description": {LANGUAGE: f"Role-play: {play.title}"},
                "type": ACTIVITY_TYPE,
            },
        },
        "result": {
            "score": {"scaled": score_scaled(play.outcome, rulebook)},
            "success": play.outcome in rulebook.good_outcomes,
            "completion": True,
            "response": _outcome_label(play.outcome, rulebook),
            "extensions": {
                EXTENSION_OUTCOME: {
                    "id": play.outcome,
                    "label": _outcome_label(play.outcome, rulebook),
                    "mood": play.mood,
                    "loyalty": play.loyalty,
                    "walked_out": play.walked_out,
                },
                EXTENSION_TACTICS: {
                    "used": _tactics_used(play),
                    "replies": [list(reply) for reply in play.tactics],
                },
            },
        },
        "context": {
            "platform": "roleplay",
            "language": LANGUAGE,
            "extensions": {EXTENSION_MODE: "coach" if play.coached else "exam"},
        },
        "timestamp": play.finished_at,
    }


def xapi_statements(
    plays: Sequence[PlayRecord], rulebook: Rulebook, actor: dict[str, Any], activity_base: str = DEFAULT_ACTIVITY_BASE
) -> list[dict[str, Any]]:
    if not is_iri(activity_base):
        raise ExportError(f"the activity base {activity_base!r} is not an IRI (e.g. https://lms.example.com/roleplay/)")
    return [xapi_statement(play, rulebook, actor, activity_base) for play in plays]


def write_csv(plays: Sequence[PlayRecord], rulebook: Rulebook, stream: TextIO) -> None:
    """One row per play, with a header; replies as their numbers, tactics reply by reply ('+' within, ' | ' between)."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for play in plays:
        writer.writerow(
            (
                play.id,
                play.finished_at,
                play.story,
                play.title,
                play.outcome,
                _outcome_label(play.outcome, rulebook),
                "yes" if play.outcome in rulebook.good_outcomes else "no",
                score_scaled(play.outcome, rulebook),
                play.mood,
                play.loyalty,
                "yes" if play.walked_out else "no",
                "coach" if play.coached else "exam",
                " ".join(map(str, play.picks)),
                " | ".join("+".join(reply) for reply in play.tactics),
            )
        )
