"""``roleplay rules`` in the interface language: counters by their names in the rulebook's text layers."""

from __future__ import annotations

import re

import pytest

from roleplay.cli import main
from roleplay.rules.rulebook import default_rulebook
from roleplay.rules.text_layer import translated_rulebook

COUNTER_WORDS = re.compile(r"\b(warned|promises|reckless[ _]promises)\b")


def rules(capsys, *args: str) -> str:
    assert main(["rules", *args]) == 0
    return capsys.readouterr().out


def words(out: str) -> str:
    """The listing without the ids in its first column (tactics', rules' and counters' ids are notation)."""
    return "\n".join(re.sub(r"^  [a-z_]+ +", "  ", line) for line in out.splitlines())


@pytest.mark.parametrize(
    ("language", "mark", "counters", "per_unit"),
    [
        (
            "lv",
            "(katra pieskaita +1 skaitītājam “brīdinājumi”):",
            ", brīdinājumi +1, nepildāmi solījumi +1",
            "par katru skaitītāja “solījumi” vienību",
        ),
        (
            "pl",
            "(każda dodaje +1 do licznika „ostrzeżenia”):",
            ", ostrzeżenia +1, obietnice bez pokrycia +1",
            "za każdą jednostkę licznika „obietnice”",
        ),
        (
            "et",
            "(igaüks lisab +1 loendurile „hoiatused“):",
            ", hoiatused +1, katteta lubadused +1",
            "loenduri „lubadused“ iga ühiku kohta",
        ),
        (
            "hr",
            "(svaka dodaje +1 brojaču „upozorenja”):",
            ", upozorenja +1, neispunjiva obećanja +1",
            "po jedinici brojača „obećanja”",
        ),
    ],
)
def test_counters_are_named_in_the_language(capsys, language: str, mark: str, counters: str, per_unit: str) -> None:
    out = rules(capsys, "--lang", language)
    assert mark in out
    assert counters in out
    assert per_unit in out
    # Counter words appear only as notation: in conditions (the language stories' 'if' is written in)
    # and as the ids of the counters' own list, each beside its name in the language.
    prose = [line for line in words(out).splitlines() if COUNTER_WORDS.search(line)]
    conditions = re.compile(r"(ja|gdy|kui|kad) [^:]*\b(warned|promises)\b")
    assert [line for line in prose if not conditions.search(line)] == []
    layer = translated_rulebook(language)
    for name in default_rulebook().counters:
        assert re.search(rf"^  {name} +{re.escape(layer.counter_label(name))}: {re.escape(layer.counters[name])}$", out, re.M)
        assert layer.counter_label(name) != name.replace("_", " ")


def test_english_names_counters_by_their_ids_in_words(capsys) -> None:
    out = rules(capsys)
    assert "(each adds +1 to warned):" in out
    assert ", warned +1, reckless promises +1  Promise the moon" in out
    assert "loyalty -10 per unit of promises:" in out
    assert re.search(r"^  warned +Tactics used so far that the articles warn against\.$", out, re.M)
    assert '"counter_labels"' not in rules(capsys, "--json")


def test_rules_named_by_id_show_their_names_in_the_language(capsys) -> None:
    out = rules(capsys, "--lang", "lv")
    assert re.search(r"^  apology_repeated +atkārtota atvainošanās: apologize ja used\(apologize\): noskaņojums -8", out, re.M)
    assert re.search(
        r"^  promise_unkept +neizpildīts solījums: lojalitāte -10 par katru skaitītāja “solījumi” vienību", out, re.M
    )
    assert re.search(r"^  warned_reply +atbilde, no kuras raksti brīdina: ja warned >= 1: ne labāk kā “Paliek”$", out, re.M)
    english = rules(capsys)
    assert re.search(r"^  apology_repeated +apologize when used\(apologize\): mood -8", english, re.M)
