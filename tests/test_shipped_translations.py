"""The translations that ship: every layer validates with nothing missing or stale, and every story has the layers it must have."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from roleplay.i18n import LANGUAGES
from roleplay.play.library import bundled_stories_dir, bundled_story_paths
from roleplay.rules.rulebook import default_rulebook
from roleplay.rules.text_layer import check_rulebook_layer, rulebook_layers, rulebook_path
from roleplay.story.loader import load_story
from roleplay.story.translation import check_story_layer, is_layer_path, layer_language, layer_path, source_path_of

PENDING = Path(__file__).parent / "translations_pending.yaml"
"""Layers a story must have that translators have not delivered yet (the list only shrinks)."""

LANGUAGE_CODES = {"Latvian": "lv", "Estonian": "et", "Croatian": "hr", "Polish": "pl", "English": "en"}
"""The rulebook names each article's language in English; the layers use the codes."""

STORY_LAYERS = sorted(path for path in bundled_stories_dir().iterdir() if is_layer_path(path))


def problems(result) -> list[str]:
    return [str(diagnostic) for diagnostic in result.diagnostics]


@pytest.mark.parametrize("layer", STORY_LAYERS, ids=lambda path: path.name)
def test_every_story_layer_is_complete_and_current(layer: Path) -> None:
    """No missing, stale or orphan entry and no placeholder mismatch: what `validate --strict` demands."""
    assert source_path_of(layer).is_file()
    assert problems(check_story_layer(layer)) == []


def test_the_rulebook_has_a_complete_layer_in_every_language() -> None:
    layers = {layer_language(path): path for path in rulebook_layers()}
    assert sorted(layers) == sorted(language for language in LANGUAGES if language != "en")
    for path in layers.values():
        assert problems(check_rulebook_layer(path)) == [], path.name
    assert rulebook_path().name == "rulebook.yaml"


def required_layers() -> dict[str, set[str]]:
    """For each bundled story, the languages of the articles it draws on (other than its own language)."""
    rulebook = default_rulebook()
    required: dict[str, set[str]] = {}
    for path in bundled_story_paths():
        story = load_story(path)
        languages = {LANGUAGE_CODES[rulebook.articles[source].language] for source in story.sources}
        required[path.stem] = languages - {story.language}
    return required


def test_every_story_has_a_layer_in_the_language_of_each_of_its_articles() -> None:
    pending = {story: set(languages) for story, languages in (yaml.safe_load(PENDING.read_text(encoding="utf-8")) or {}).items()}
    lacking, delivered = [], []
    for story, languages in sorted(required_layers().items()):
        for language in sorted(languages):
            exists = layer_path(bundled_stories_dir() / f"{story}.yaml", language).is_file()
            listed = language in pending.get(story, set())
            if not exists and not listed:
                lacking.append(f"{story}.{language}.yaml")
            if exists and listed:
                delivered.append(f"{story}: {language}")
    assert lacking == [], "layers the stories' sources require"
    assert delivered == [], f"delivered: remove these from {PENDING.name}"
    unknown = {story for story in pending} - set(required_layers())
    assert unknown == set(), f"{PENDING.name} names stories that do not exist"
