"""The bundled stories' text layers: a language that has taken on the library has every story,
complete and current, and where a reply uses an article's own wording its note cites it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay.play.library import bundled_story_paths
from roleplay.play.validation import validate_file
from roleplay.rules.rulebook import default_rulebook
from roleplay.story.translation import check_story_layer, layer_path, read_layer, story_texts, translate_story
from tests.conftest import ARTICLES

PATHS = bundled_story_paths()
RULEBOOK = default_rulebook()

# The languages whose text layer every bundled story must have (data: add a language once
# all its layers have landed). The rulebook's article languages, by code, for the citations.
REQUIRED_LANGUAGES = ["pl", "lv", "et", "hr"]
ARTICLE_LANGUAGE = {"lv": "Latvian", "et": "Estonian", "hr": "Croatian", "pl": "Polish"}

# "003_….txt, „Section heading”: „the article's words”" (the quotation marks of the language: Polish „…”, Latvian „…“)
NOTE = re.compile(r"^(?P<article>\d{3}_[0-9a-f]+\.txt), [„\"“](?P<section>[^”\"“]+)[”\"“]: [„\"“](?P<quote>.+)[”\"“]$")

REQUIRED = [(path, language) for language in REQUIRED_LANGUAGES for path in PATHS]


def _id(item: tuple[Path, str]) -> str:
    return f"{item[0].stem}.{item[1]}"


@pytest.mark.parametrize("item", REQUIRED, ids=[_id(item) for item in REQUIRED])
def test_layer_is_complete_and_current(item: tuple[Path, str]) -> None:
    path, language = item
    layer = layer_path(path, language)
    assert layer.is_file(), f"{layer.name} is missing: run 'roleplay translate {path.name} --lang {language}'"
    result = check_story_layer(layer)
    assert result.diagnostics == [], "\n".join(str(d) for d in result.diagnostics)


@pytest.mark.parametrize("item", REQUIRED, ids=[_id(item) for item in REQUIRED])
def test_story_plays_in_the_language(item: tuple[Path, str]) -> None:
    path, language = item
    story = validate_file(path).story
    texts = read_layer(layer_path(path, language)).layer.entries
    translated = translate_story(story, language)
    assert translated.language == language
    assert translated.title == texts["title"].text != story.title
    first = translated.nodes[story.start]
    assert list(first.say) == [texts[f"{story.start}.say.{n}"].text for n in range(1, len(first.say) + 1)]


@pytest.mark.parametrize("item", REQUIRED, ids=[_id(item) for item in REQUIRED])
def test_every_sentence_is_translated(item: tuple[Path, str]) -> None:
    path, language = item
    story = validate_file(path).story
    source, shown = story_texts(story), story_texts(translate_story(story, language))
    # A name or an "ok" may read the same in both languages; a sentence may not.
    untranslated = [key for key in source if shown[key] == source[key] and len(source[key].split()) > 3]
    assert untranslated == []


def _section_tactics() -> dict[tuple[str, str], dict[str, set[str]]]:
    """Per article section, the tactics the rulebook draws from it, by kind (recommended, situational, warned)."""
    sections: dict[tuple[str, str], dict[str, set[str]]] = {}
    for tactic in RULEBOOK.tactics.values():
        if tactic.source is not None:
            kinds = sections.setdefault((tactic.source.article, tactic.source.section), {})
            kinds.setdefault(tactic.kind, set()).add(tactic.id)
    return sections


def _warned() -> set[str]:
    return {tactic.id for tactic in RULEBOOK.tactics.values() if tactic.kind == "warned"}


@pytest.mark.parametrize("item", REQUIRED, ids=[_id(item) for item in REQUIRED])
def test_a_cited_phrase_is_on_a_reply_making_the_move_its_section_advises(item: tuple[Path, str]) -> None:
    path, language = item
    story = validate_file(path).story
    sections = _section_tactics()
    for key, entry in read_layer(layer_path(path, language)).layer.entries.items():
        if not entry.note:
            continue
        match = NOTE.match(entry.note)
        assert match, f"{key}: a note cites as FILE, „Section”: „words”, not {entry.note!r}"
        article = RULEBOOK.articles.get(match["article"])
        assert article is not None, f"{key}: {match['article']} is not an article of the rulebook"
        assert article.language == ARTICLE_LANGUAGE[language], f"{key}: cites a {article.language} article in a {language} layer"
        kinds = sections.get((match["article"], match["section"]))
        assert kinds, f"{key}: no tactic of the rulebook comes from {match['article']} § {match['section']}"
        node, kind, number = key.split(".")
        assert kind == "reply", f"{key}: an article's phrase is a model reply, so it goes on a reply"
        tactics = set(story.nodes[node].choices[int(number) - 1].tactics)
        assert not tactics & _warned(), (
            f"{key}: a model phrase on a reply the articles warn against ({sorted(tactics & _warned())})"
        )
        advised = kinds.get("recommended", set()) | kinds.get("situational", set())
        if advised:
            assert tactics & advised, (
                f"{key}: its tactics {sorted(tactics)} are none of {sorted(advised)}, which § {match['section']} advises"
            )
        else:
            # The rulebook quotes this section only for what it warns against; its advice is the
            # opposite, so the reply must be a recommended move that avoids those tactics.
            assert any(RULEBOOK.tactics[t].kind == "recommended" for t in tactics), (
                f"{key}: no recommended move in {sorted(tactics)}"
            )


@pytest.mark.parametrize("item", REQUIRED, ids=[_id(item) for item in REQUIRED])
def test_a_cited_phrase_is_the_articles_own_words(item: tuple[Path, str]) -> None:
    path, language = item
    for key, entry in read_layer(layer_path(path, language)).layer.entries.items():
        if entry.note and (match := NOTE.match(entry.note)):
            article = " ".join((ARTICLES / match["article"]).read_text(encoding="utf-8").split())
            for piece in match["quote"].split("[…]"):
                words = " ".join(piece.strip().rstrip(".").split())
                assert words in article, f"{key}: {words!r} is not in {match['article']}"


def test_the_polish_layers_use_both_polish_articles() -> None:
    cited = set()
    for path in PATHS:
        for entry in read_layer(layer_path(path, "pl")).layer.entries.values():
            if entry.note and (match := NOTE.match(entry.note)):
                cited.add(match["article"])
    assert cited == {"003_4f22e2007cc1978f.txt", "004_44419913faad36f1.txt"}


def test_the_estonian_layers_use_every_section_of_the_estonian_article() -> None:
    """Each of the five situations of the Estonian article has its model phrase on some reply."""
    article = "001_f62276862ea2b919.txt"
    cited = set()
    for path in PATHS:
        for entry in read_layer(layer_path(path, "et")).layer.entries.values():
            if entry.note and (match := NOTE.match(entry.note)) and match["article"] == article:
                cited.add(match["section"])
    sections = {section for (source, section) in _section_tactics() if source == article}
    assert len(sections) == 5
    assert cited == sections


def test_the_croatian_layers_use_every_section_of_the_croatian_article_that_gives_advice() -> None:
    """Each section of the Croatian article that the rulebook draws a recommended move from has its words on some reply."""
    article = "002_ebedcf5b5245cf8b.txt"
    cited = set()
    for path in PATHS:
        for entry in read_layer(layer_path(path, "hr")).layer.entries.values():
            if entry.note and (match := NOTE.match(entry.note)) and match["article"] == article:
                cited.add(match["section"])
    advising = {
        section
        for (source, section), kinds in _section_tactics().items()
        if source == article and (kinds.get("recommended") or kinds.get("situational"))
    }
    assert advising == {"Ovo je odluka uprave.", "Korisni zaključci", "Bilo je u vašem ugovoru."}
    assert advising <= cited
