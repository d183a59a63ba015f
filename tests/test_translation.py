"""Text layers: the format, 'roleplay translate', what validate reports, and playing a story in a language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from roleplay.i18n import language_from_environment
from roleplay.play.library import load_catalog
from roleplay.play.validation import story_files
from roleplay.story.loader import load_story
from roleplay.story.translation import (
    is_layer_path,
    layer_path,
    layers_beside,
    overlay_story,
    read_layer,
    source_path_of,
    story_texts,
    translate_story,
)
from tests.cli import roleplay

FIXTURES = Path(__file__).parent / "fixtures"
STORY = FIXTURES / "now-vs-later.yaml"


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "sofa.yaml"
    shutil.copy(STORY, path)
    return path


def fill(layer: Path, translations: dict[str, str]) -> None:
    """Give entries of a layer written by 'roleplay translate' their text, as a translator would."""
    lines = layer.read_text(encoding="utf-8").splitlines()
    key = None
    for number, line in enumerate(lines):
        if line.startswith("  ") and not line.startswith("    ") and line.rstrip().endswith(":"):
            key = line.strip()[:-1]
        elif line.startswith("    text: ") and key in translations:
            lines[number] = f'    text: "{translations[key]}"'
    layer.write_text("\n".join(lines) + "\n", encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


# names ---------------------------------------------------------------------------
def test_layer_file_names() -> None:
    assert layer_path("stories/cracked-kettle.yaml", "lv") == Path("stories/cracked-kettle.lv.yaml")
    assert source_path_of("stories/cracked-kettle.lv.yaml") == Path("stories/cracked-kettle.yaml")
    assert is_layer_path("x.pl.yaml") and is_layer_path("rulebook.et.yml")
    assert not is_layer_path("cracked-kettle.yaml") and not is_layer_path("notes.v2.yaml")


def test_folder_scans_and_the_library_skip_layers(story: Path, capsys) -> None:
    assert roleplay(capsys, "translate", str(story), "--lang", "lv")[0] == 0
    assert story_files([story.parent]) == [story]
    assert [entry.path for entry in load_catalog(story.parent)] == [story]
    assert layers_beside(story) == [story.with_name("sofa.lv.yaml")]


# roleplay translate ----------------------------------------------------------------
def test_translate_writes_every_text_of_the_story_keyed_by_node_and_reply(story: Path, capsys) -> None:
    code, out, err = roleplay(capsys, "translate", str(story), "--lang", "pl")
    layer = story.with_name("sofa.pl.yaml")
    assert code == 0 and out == ""
    texts = story_texts(load_story(story))
    assert f"wrote {layer}: 0 translated, {len(texts)} to translate ({len(texts)} new), 0 stale" in err
    read = read_layer(layer)
    assert read.diagnostics == []
    assert read.layer.translation_of == "sofa.yaml" and read.layer.language == "pl"
    assert list(read.layer.entries) == list(texts)
    assert {"title", "summary", "customer.name", "customer.about", "late.say.1", "late.reply.3", "wrong.reply.2"} <= set(texts)
    assert read.layer.entries["late.reply.2"].source == "I'll call you by Friday with a confirmed date."
    assert all(entry.text == "" for entry in read.layer.entries.values())


def test_translate_refuses_the_storys_own_language_and_needs_a_source(story: Path, capsys) -> None:
    code, _, err = roleplay(capsys, "translate", str(story), "--lang", "en")
    assert code == 2 and "is written in 'en'" in err
    assert not story.with_name("sofa.en.yaml").exists()
    code, _, err = roleplay(capsys, "translate", "--lang", "lv")
    assert code == 2 and "give a STORY or --rulebook" in err
    code, _, err = roleplay(capsys, "translate", str(story), "--lang", "de")
    assert code == 2 and "unknown language 'de'" in err


def test_translate_keeps_translations_marks_stale_and_reports_orphans(story: Path, capsys) -> None:
    roleplay(capsys, "translate", str(story), "--lang", "lv")
    layer = story.with_name("sofa.lv.yaml")
    fill(
        layer,
        {"title": "Tagad vai vēlāk", "late.say.1": "Dīvānam bija jāatbrauc pagājušnedēļ. Kad tas būs?", "call.say.1": "Labi."},
    )
    text = story.read_text(encoding="utf-8")
    story.write_text(
        text.replace("My sofa was due last week. When will it come?", "My sofa was due on Monday. When will it come?"),
        encoding="utf-8",
    )
    # The 'call' node goes: its entry stays (an orphan) until a translator moves or deletes it.
    assert "call.say.1" in story_texts(load_story(STORY))
    story.write_text(
        story.read_text(encoding="utf-8").replace("  call:\n", "  ring:\n").replace("next: call", "next: ring"), encoding="utf-8"
    )
    code, _, err = roleplay(capsys, "translate", str(story), "--lang", "lv")
    assert code == 0
    entries = read_layer(layer).layer.entries
    assert entries["title"].text == "Tagad vai vēlāk" and not entries["title"].stale
    stale = entries["late.say.1"]
    assert stale.stale and stale.text == "Dīvānam bija jāatbrauc pagājušnedēļ. Kad tas būs?"
    assert stale.source == "My sofa was due on Monday. When will it come?"
    assert stale.was == "My sofa was due last week. When will it come?"
    assert entries["call.say.1"].text == "Labi." and "ring.say.1" in entries
    assert (
        f"{layer}:{stale.source_location.line}:{stale.source_location.column}: warning: stale translation of 'late.say.1'" in err
    )
    assert f"{layer}:{entries['call.say.1'].key_location.line}:3: warning: 'call.say.1' is no longer in sofa.yaml" in err
    assert "1 translated" in err and "(4 new), 1 stale, 4 no longer in the source" in err  # call: say + 3 replies
    # Running it again changes nothing: the marks stay until a translator clears them.
    before = layer.read_text(encoding="utf-8")
    assert roleplay(capsys, "translate", str(story), "--lang", "lv")[0] == 0
    assert layer.read_text(encoding="utf-8") == before
    code, _, err = roleplay(capsys, "translate", str(story), "--lang", "lv", "--drop-orphans")
    assert "dropped 'call.say.1'" in err and "call.say.1" not in read_layer(layer).layer.entries


def test_translate_will_not_overwrite_a_broken_layer(story: Path, capsys) -> None:
    layer = story.with_name("sofa.lv.yaml")
    layer.write_text("translation_of: sofa.yaml\nlanguage: lv\nstrings: [\n", encoding="utf-8")
    code, _, err = roleplay(capsys, "translate", str(story), "--lang", "lv")
    assert code == 1 and f"{layer}:4:1: error: YAML syntax error" in err and "nothing was written" in err
    assert layer.read_text(encoding="utf-8").endswith("strings: [\n")


# roleplay validate -------------------------------------------------------------------
def test_validate_reports_missing_stale_orphan_and_placeholders_where_they_are(story: Path, capsys) -> None:
    layer = story.with_name("sofa.lv.yaml")
    layer.write_text(
        "translation_of: sofa.yaml\n"
        "language: lv\n"
        "strings:\n"
        '  title: {source: "Now versus later", text: "Tagad vai vēlāk"}\n'
        '  customer.name: {source: "Ilse", text: "Ilze {name}"}\n'
        "  late.say.1:\n"
        '    source: "My sofa was due last week."\n'
        '    text: "Dīvānam bija jāatbrauc pagājušnedēļ."\n'
        '  late.reply.1: {source: "It will be with you tomorrow morning, guaranteed.", text: ""}\n'
        '  late.reply.9: {source: "Gone", text: "Prom"}\n',
        encoding="utf-8",
    )
    code, out, err = roleplay(capsys, "validate", str(story))
    assert code == 1  # the placeholder mismatch is an error
    assert (
        f"{layer}:5:41: error: the placeholders of 'customer.name' do not match the source: expected none, found {{name}}" in out
    )
    assert (
        f"{layer}:7:13: warning: stale translation of 'late.say.1': the source is now \"My sofa was due last week. When will it come?\""
        in out
    )
    assert f"{layer}:9:85: warning: missing translation of 'late.reply.1': the text is empty" in out
    assert f"{layer}:10:3: warning: 'late.reply.9' is no longer in sofa.yaml" in out
    assert (
        f"{layer}:3:1: warning: missing translation of 'summary' (\"The late sofa, a mistaken customer and the small print.\")"
        in out
    )
    assert err.startswith("2 files checked: 1 error")


def test_validate_strict_fails_on_a_layer_with_only_warnings(story: Path, capsys) -> None:
    roleplay(capsys, "translate", str(story), "--lang", "hr")
    assert roleplay(capsys, "validate", str(story))[0] == 0
    code, out, _ = roleplay(capsys, "validate", "--strict", str(story.parent))
    assert code == 1 and "sofa.hr.yaml" in out and "missing translation of 'title': the text is empty" in out


def test_validate_checks_a_layer_given_alone_and_its_header(story: Path, capsys) -> None:
    layer = story.with_name("sofa.et.yaml")
    layer.write_text(
        "translation_of: couch.yaml\nlanguage: lv\nstrings:\n  title: {source: Now versus later, text: Nüüd või hiljem, extra: 1}\n"
    )
    code, out, err = roleplay(capsys, "validate", str(layer))
    assert code == 1 and err.startswith("1 file checked")
    assert f"{layer}:1:17: error: translation_of names 'couch.yaml', but this file translates 'sofa.yaml'" in out
    assert f"{layer}:2:11: error: language is 'lv', but the file name says 'et'" in out
    assert f"{layer}:4:60: error: unknown field 'extra' in the entry 'title'" in out


def test_validate_says_when_a_layer_has_no_story(tmp_path: Path, capsys) -> None:
    layer = tmp_path / "lost.pl.yaml"
    layer.write_text("translation_of: lost.yaml\nlanguage: pl\nstrings: {}\n")
    code, out, _ = roleplay(capsys, "validate", str(layer))
    assert code == 1 and f"{layer}:1:1: error: there is no story lost.yaml beside this text layer" in out


# playing in a language ---------------------------------------------------------------
def test_a_layer_replaces_the_text_and_keeps_the_graph(story: Path, capsys) -> None:
    roleplay(capsys, "translate", str(story), "--lang", "lv")
    layer = story.with_name("sofa.lv.yaml")
    fill(
        layer,
        {
            "title": "Tagad vai vēlāk",
            "customer.name": "Ilze",
            "late.reply.2": "Piezvanīšu līdz piektdienai ar apstiprinātu datumu.",
        },
    )
    original = load_story(story)
    latvian = translate_story(original, "lv")
    assert latvian.title == "Tagad vai vēlāk" and latvian.language == "lv" and latvian.customer.name == "Ilze"
    assert latvian.nodes["late"].choices[1].reply == "Piezvanīšu līdz piektdienai ar apstiprinātu datumu."
    # Untranslated text shows in the story's own language; the graph is the same objects' structure.
    assert latvian.nodes["late"].choices[0].reply == original.nodes["late"].choices[0].reply
    for node_id, node in original.nodes.items():
        other = latvian.nodes[node_id]
        assert (other.end, other.sets, other.clears, other.location) == (node.end, node.sets, node.clears, node.location)
        for mine, theirs in zip(node.choices, other.choices, strict=True):
            assert (mine.tactics, mine.branches, mine.condition) == (theirs.tactics, theirs.branches, theirs.condition)
    assert translate_story(original, "pl") is original  # no Polish layer


def test_run_plays_the_story_in_the_language_asked_for(story: Path, capsys) -> None:
    roleplay(capsys, "translate", str(story), "--lang", "lv")
    fill(
        story.with_name("sofa.lv.yaml"),
        {"title": "Tagad vai vēlāk", "customer.name": "Ilze", "late.say.1": "Kur ir mans dīvāns?"},
    )
    code, out, _ = roleplay(capsys, "run", str(story), "--lang", "lv", "--choose", "1")
    assert code == 0 and out.startswith("Tagad vai vēlāk: Ilze, ")
    assert "  Ilze: Kur ir mans dīvāns?" in out
    code, out, _ = roleplay(capsys, "--lang", "lv", "run", str(story), "--choose", "1")
    assert "  Ilze: Kur ir mans dīvāns?" in out


def test_overlay_ignores_entries_that_would_break_placeholders(story: Path) -> None:
    original = load_story(story)
    texts = {"title": "Tagad {x}", "customer.name": "Ilze"}
    overlaid = overlay_story(original, texts, "lv")
    assert overlaid.title == "Tagad {x}"  # overlay_story takes what it is given
    layer = story.with_name("sofa.lv.yaml")
    layer.write_text(
        "translation_of: sofa.yaml\nlanguage: lv\nstrings:\n"
        '  title: {source: Now versus later, text: "Tagad {x}"}\n'
        "  customer.name: {source: Ilse, text: Ilze}\n",
        encoding="utf-8",
    )
    played = translate_story(original, "lv")
    assert played.title == "Now versus later" and played.customer.name == "Ilze"


# the language ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "lv_LV.UTF-8"}, "lv"),
        ({"LANG": "pl_PL.UTF-8", "LC_MESSAGES": "et_EE.UTF-8"}, "et"),
        ({"LANG": "pl_PL.UTF-8", "LC_MESSAGES": "et_EE", "LC_ALL": "hr_HR.UTF-8"}, "hr"),
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "lv_LV.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "", "LANG": "pl"}, "pl"),
    ],
)
def test_the_default_language_follows_the_locale(environ: dict[str, str], language: str) -> None:
    assert language_from_environment(environ) == language


def test_lang_from_the_environment_reaches_the_commands(story: Path, capsys, monkeypatch) -> None:
    roleplay(capsys, "translate", str(story), "--lang", "lv")
    fill(story.with_name("sofa.lv.yaml"), {"customer.name": "Ilze"})
    monkeypatch.setenv("LANG", "lv_LV.UTF-8")
    code, out, _ = roleplay(capsys, "run", str(story))
    assert code == 0 and "  Ilze: " in out
    code, out, _ = roleplay(capsys, "run", str(story), "--lang", "en")
    assert "  Ilse: " in out
