"""Story diagnostics in the interface language: ``FILE:LINE:COL: error:`` stays as editors read it, the message is translated."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from pathlib import Path

import pytest

from roleplay.cli import main
from roleplay.i18n import LANGUAGES

INVALID = Path(__file__).parent / "fixtures" / "invalid"
TRANSLATED = [language for language in LANGUAGES if language != "en"]
PREFIX = re.compile(r"^(\S+:\d+:\d+: (?:error|warning): )(.*)$")


def validate(capsys, language: str, *args: str) -> list[tuple[str, str]]:
    with contextlib.suppress(SystemExit):
        main(["--lang", language, "validate", *args])
    lines = capsys.readouterr().out.splitlines()
    found = [PREFIX.match(line) for line in lines]
    assert all(found), lines
    return [(m[1], m[2]) for m in found if m]


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_prefix_is_the_same_and_the_message_translated(capsys, language: str) -> None:
    for path in sorted(INVALID.glob("*.yaml")):
        english = validate(capsys, "en", str(path))
        translated = validate(capsys, language, str(path))
        assert [prefix for prefix, _ in translated] == [prefix for prefix, _ in english], path.name
        assert all(ours != theirs for (_, ours), (_, theirs) in zip(translated, english, strict=True)), path.name


@pytest.mark.parametrize(
    ("language", "fixture", "message"),
    [
        (
            "pl",
            "unknown-field",
            "węzeł 'resolved': nieznane pole 'ending' (czy chodziło o 'end'?); dostępne pola: choices, clear, end, outcomes, say, set",
        ),
        (
            "pl",
            "tactics-left-empty",
            "odpowiedź 2 węzła 'opening': pole tactics jest puste: dla neutralnej odpowiedzi napisz 'tactics: []'",
        ),
        (
            "lv",
            "goto-to-a-missing-node",
            "mezgla 'opening' 1. atbilde ved uz 'resolve', kas neeksistē (varbūt domājāt 'resolved'?)",
        ),
        ("lv", "number-out-of-range", "sākuma noskaņojums: 140; jābūt no 0 līdz 100"),
        ("et", "unknown-tactic", "tundmatu võte 'apologise' (kas mõtlesid 'apologize'?); võtted loetleb 'roleplay rules'"),
        ("et", "text-of-wrong-type", "title: peab olema tekst, aga on: loend"),
        ("hr", "starting-mood-zero", "početno raspoloženje je 0, pa bi klijent odmah otišao; počni od 1 ili više"),
        (
            "hr",
            "condition-unknown-tactic",
            "grana (odgovor 2 čvora 'opening'): nepoznata taktika 'apologise' (možda 'apologize'?)",
        ),
        (
            "pl",
            "condition-single-equals",
            "gałąź (odpowiedź 2 węzła 'opening'): błędny warunek: porównuj za pomocą '==', nie '='",
        ),
        ("lv", "duplicate-key", "atkārtota atslēga 'opening' (pirmoreiz 15. rindā); atstājiet vienu"),
        ("et", "playtest-fails", "mängutest ebaõnnestub: valikud 1 lõpevad lõpus 'resolved', mitte 'walks_out'"),
        (
            "hr",
            "playtest-pick-not-on-offer",
            "test igre ne prolazi: odabir 1 testa igre: odgovor 5 ne nudi se u čvoru 'opening'; odaberi od 1 do 2",
        ),
    ],
)
def test_messages_read_in_the_language(capsys, language: str, fixture: str, message: str) -> None:
    assert message in [text for _prefix, text in validate(capsys, language, str(INVALID / f"{fixture}.yaml"))]


def test_warnings_keep_their_word_too(capsys) -> None:
    found = validate(capsys, "pl", str(INVALID / "empty-next-list.yaml"))
    assert [(prefix[prefix.index(".yaml:") :], text) for prefix, text in found] == [
        (".yaml:19:15: error: ", "odpowiedź 1 węzła 'opening': next to pusta lista; podaj co najmniej jedno 'goto'"),
        (".yaml:26:3: warning: ", "węzła 'resolved' nie da się osiągnąć ze startu 'opening'"),
    ]


def test_json_messages_stay_english(capsys) -> None:
    def report(language: str) -> object:
        with contextlib.suppress(SystemExit):
            main(["--lang", language, "validate", "--json", str(INVALID / "unknown-field.yaml")])
        return json.loads(capsys.readouterr().out)

    english = report("en")
    assert report("lv") == english
    assert "unknown field 'ending' in node 'resolved' (did you mean 'end'?)" in json.dumps(english)


def test_a_text_layers_problems_read_in_the_language(capsys, tmp_path, monkeypatch) -> None:
    shutil.copy(Path(__file__).parent / "fixtures" / "now-vs-later.yaml", tmp_path / "story.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["translate", "story.yaml", "--lang", "lv"]) == 0
    layer = tmp_path / "story.lv.yaml"
    text = layer.read_text(encoding="utf-8")
    layer.write_text(text.replace("translation_of: story.yaml", "translation_of: story.yaml\nextra: 1"), encoding="utf-8")
    capsys.readouterr()
    found = validate(capsys, "et", "story.lv.yaml")
    messages = [message for _prefix, message in found]
    assert "tundmatu väli 'extra' tekstikihis; väljad on: translation_of, language, strings" in messages
    assert any(re.fullmatch(r"'[^']+' tõlge puudub: tekst on tühi", message) for message in messages)
    assert {prefix.split(": ")[1] for prefix, _ in found} == {"error", "warning"}


def test_a_pick_not_on_offer_is_refused_in_the_language(capsys) -> None:
    from roleplay.i18n import exception_text, set_language
    from roleplay.play.engine import ChoiceError, Session
    from roleplay.play.library import bundled_stories_dir
    from roleplay.story.loader import load_story

    session = Session(load_story(bundled_stories_dir() / "cracked-kettle.yaml"))
    with pytest.raises(ChoiceError) as refused:
        session.choose(9)
    assert str(refused.value).startswith("reply 9 is not on offer at node ")
    set_language("lv")
    assert re.fullmatch(r"9\. atbilde mezglā '\w+' netiek piedāvāta; izvēlieties no 1 līdz \d", exception_text(refused.value))
    code = main(["--lang", "pl", "run", "cracked-kettle", "--choose", "1,9"])
    assert code == 1
    assert re.search(
        r"^roleplay run: error: wybór 2 \(9\): odpowiedzi 9 nie ma do wyboru w węźle '\w+'", capsys.readouterr().err, re.M
    )
