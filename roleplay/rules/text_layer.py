"""The rulebook's words in other languages: text layers ``rulebook.L.yaml`` over ``rulebook.yaml``.

The same layer format as a story's (:mod:`roleplay.story.translation`), keyed by
what each text explains: ``tactic.<id>.label``, ``tactic.<id>.explain``,
``modifier.<id>.explain``, ``trait.<id>.label``, ``outcome.<id>.meaning``,
``counter.<name>`` (and ``counter.<name>.label``, its name), ``mood.<word>``, ``walkout.explain``, ``settlement.<id>.explain`` and so on.
Numbers, conditions and sources stay in ``rulebook.yaml``; only the words change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TypeVar

from roleplay.rules.rulebook import Rulebook, default_rulebook, default_rulebook_path
from roleplay.story.translation import LayerResult, layer_path, read_layer, replace_fields

_Entry = TypeVar("_Entry")

_FIELDS = {
    "tactic": ("label", "explain"),
    "modifier": ("label", "explain"),
    "trait": ("label", "explain"),
    "settlement": ("label", "explain"),
    "outcome": ("label", "meaning"),
    "article": ("title", "language"),
    "kind": ("heading",),
    "ceiling": ("label", "explain"),
}
"""For each section: the fields of its entries that are words (the rest are numbers and rules)."""

NAMED_BY_ID = frozenset({"modifier", "settlement", "ceiling"})
"""Sections whose entries are named by their id in ``rulebook.yaml`` ('solution before hearing'); a layer gives the
name in its language as ``<section>.<id>.label``."""


def rulebook_path() -> Path:
    return default_rulebook_path()


def _sections(rulebook: Rulebook) -> list[tuple[str, str, object]]:
    """(section, id, entry) for every entry with words, in the rulebook's order."""
    found: list[tuple[str, str, object]] = []
    found += [("article", key, article) for key, article in rulebook.articles.items()]
    found += [("trait", key, trait) for key, trait in rulebook.traits.items()]
    found += [("tactic", key, tactic) for key, tactic in rulebook.tactics.items()]
    found += [("modifier", modifier.id, modifier) for modifier in rulebook.modifiers]
    found += [("settlement", rule.id, rule) for rule in rulebook.settlement]
    found += [("outcome", outcome.id, outcome) for outcome in rulebook.outcomes]
    for section, attribute in (("kind", "kinds"), ("ceiling", "ceilings")):
        entries = getattr(rulebook, attribute, None)
        if isinstance(entries, Mapping):
            found += [(section, key, entry) for key, entry in entries.items()]
        elif entries:
            found += [(section, entry.id, entry) for entry in entries]
    return found


def rulebook_texts(rulebook: Rulebook) -> dict[str, str]:
    """Every text of the rulebook by key, in the file's order."""
    texts: dict[str, str] = {}
    texts["walkout.explain"] = rulebook.walkout.explain
    for name, explain in rulebook.counters.items():
        texts[f"counter.{name}"] = explain
        texts[f"counter.{name}.label"] = name.replace("_", " ")  # the name in words, which the layer translates
    for band in rulebook.mood_bands:
        texts[f"mood.{band.word}"] = band.word
    for section, key, entry in _sections(rulebook):
        for name in _FIELDS[section]:
            value = getattr(entry, name, None)
            if name == "label" and section in NAMED_BY_ID:
                value = getattr(entry, "name", None)  # the id in words, which the layer translates
            if isinstance(value, str) and value:
                texts[f"{section}.{key}.{name}"] = value
    return texts


def overlay_rulebook(rulebook: Rulebook, texts: Mapping[str, str]) -> Rulebook:
    """``rulebook`` with its words replaced by ``texts`` where given; every number and rule is the same."""
    if not texts:
        return rulebook

    def words(section: str, key: str, entry: _Entry) -> _Entry:
        changes = {name: texts[f"{section}.{key}.{name}"] for name in _FIELDS[section] if f"{section}.{key}.{name}" in texts}
        return replace_fields(entry, changes) if changes else entry

    translated = dataclasses.replace(
        rulebook,
        walkout=dataclasses.replace(rulebook.walkout, explain=texts.get("walkout.explain", rulebook.walkout.explain)),
        counters={name: texts.get(f"counter.{name}", explain) for name, explain in rulebook.counters.items()},
        counter_labels={name: texts[f"counter.{name}.label"] for name in rulebook.counters if f"counter.{name}.label" in texts},
        mood_bands=tuple(
            dataclasses.replace(band, word=texts.get(f"mood.{band.word}", band.word)) for band in rulebook.mood_bands
        ),
        articles={key: words("article", key, entry) for key, entry in rulebook.articles.items()},
        traits={key: words("trait", key, entry) for key, entry in rulebook.traits.items()},
        tactics={key: words("tactic", key, entry) for key, entry in rulebook.tactics.items()},
        modifiers=tuple(words("modifier", m.id, m) for m in rulebook.modifiers),
        settlement=tuple(words("settlement", s.id, s) for s in rulebook.settlement),
        outcomes=tuple(words("outcome", o.id, o) for o in rulebook.outcomes),
        kinds={key: words("kind", key, entry) for key, entry in rulebook.kinds.items()},
        ceilings=tuple(words("ceiling", c.id, c) for c in rulebook.ceilings),
    )
    translated.__dict__.pop("_by_tactic", None)
    return translated


@cache
def translated_rulebook(language: str) -> Rulebook:
    """The shipped rulebook with its words in ``language`` (as written where its layer has no usable text)."""
    rulebook = default_rulebook()
    path = layer_path(rulebook_path(), language)
    if language == "en" or not path.is_file():
        return rulebook
    result = read_layer(path)
    if result.layer is None:
        return rulebook
    return overlay_rulebook(rulebook, result.layer.texts(rulebook_texts(rulebook)))


def is_rulebook_layer(path: Path | str) -> bool:
    """Whether ``path`` is a text layer of the shipped rulebook (``roleplay/rules/rulebook.L.yaml``)."""
    from roleplay.story.translation import is_layer_path, source_path_of

    path = Path(path)
    return is_layer_path(path) and source_path_of(path).resolve() == rulebook_path().resolve()


def rulebook_layers() -> list[Path]:
    """The rulebook's text layers that ship with the game."""
    from roleplay.story.translation import layers_beside

    return layers_beside(rulebook_path())


def check_rulebook_layer(path: Path | str) -> LayerResult:
    """Read a rulebook layer and check it against the rulebook."""
    from roleplay.story.translation import check_layer, layer_language

    result = read_layer(path)
    if result.layer is not None:
        result.diagnostics.extend(
            check_layer(result.layer, rulebook_texts(default_rulebook()), rulebook_path().name, layer_language(path))
        )
    return result


def article_words(article_id: str, title: str, language: str) -> tuple[str, str]:
    """An article's title and the name of its language in the interface language.

    From the rulebook's text layer (``article.<id>.title``, ``article.<id>.language``);
    ``title`` and ``language`` as given in English, or where the layer has none.
    """
    from roleplay.i18n import DEFAULT_LANGUAGE, current_language

    language_now = current_language()
    if language_now == DEFAULT_LANGUAGE:
        return title, language
    known = translated_rulebook(language_now).articles.get(article_id)
    if known is None or known is default_rulebook().articles.get(article_id):
        return title, language
    return known.title, known.language
