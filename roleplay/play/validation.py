"""Whole-story checks beyond loading: running the playtests a story declares."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from roleplay.i18n import N_, Deferred

if TYPE_CHECKING:
    from roleplay.rules.rulebook import Rulebook
    from roleplay.story.loader import LoadResult
    from roleplay.story.model import Playtest, Story

STORY_SUFFIXES = (".yaml", ".yml")


def run_playtest(story: Story, playtest: Playtest, rulebook: Rulebook) -> str | None:
    """None when the playtest holds, else what went differently."""
    from roleplay.play.engine import replay

    again = replay(story, playtest.picks, rulebook)
    if again.error is not None:
        return Deferred(
            N_("pick {number} of the playtest: {problem}"),
            number=again.replayed + 1,
            problem=again.error.args[0] if isinstance(again.error.args[0], str) else str(again.error),
        )
    session = again.session
    outcome = session.outcome
    if outcome is None:
        return Deferred(
            N_("the picks {picks} stop at node {node!r} before the conversation ends"),
            picks=_picks(playtest),
            node=session.state.node,
        )
    if playtest.outcome is not None and outcome.id != playtest.outcome:
        return Deferred(
            N_("the picks {picks} end in {outcome!r} (mood {mood}, loyalty {loyalty}), not {expected!r}"),
            picks=_picks(playtest),
            outcome=outcome.id,
            mood=session.mood,
            loyalty=session.loyalty,
            expected=playtest.outcome,
        )
    if playtest.ending is not None and session.ending != playtest.ending:
        return Deferred(
            N_("the picks {picks} end at {ending!r}, not {expected!r}"),
            picks=_picks(playtest),
            ending=session.ending,
            expected=playtest.ending,
        )
    return None


def _picks(playtest: Playtest) -> str:
    return ",".join(str(p) for p in playtest.picks)


def validate_file(path: Path | str, rulebook: Rulebook | None = None) -> LoadResult:
    """Load a story and run its playtests; every problem is in the result's diagnostics."""
    # Imported here: the picker lists the library from its cache without loading a story (see library_paths).
    from roleplay.parsing.diagnostics import Diagnostic
    from roleplay.rules.rulebook import default_rulebook
    from roleplay.story.loader import check_story_file

    rulebook = rulebook or default_rulebook()
    result = check_story_file(path, rulebook)
    if result.story is not None:
        for playtest in result.story.playtests:
            problem = run_playtest(result.story, playtest, rulebook)
            if problem:
                result.diagnostics.append(
                    Diagnostic(playtest.location, Deferred(N_("playtest fails: {problem}"), problem=problem))
                )
        if result.errors:
            result.story = None
    return result


def is_story_file(path: Path) -> bool:
    """A story file by its name: ``*.yaml`` or ``*.yml``, but not a text layer (``X.lv.yaml``)."""
    from roleplay.story.layer_names import is_layer_path

    return path.suffix in STORY_SUFFIXES and not is_layer_path(path)


def story_files(paths: list[Path]) -> list[Path]:
    """Expand folders into the story files inside them, sorted; files pass through.

    Text layers (``X.lv.yaml``) in a folder are not stories and are left out;
    :func:`roleplay.story.translation.layers_beside` finds them from their story.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if is_story_file(p) and p.is_file()))
        else:
            found.append(path)
    return found
