"""``roleplay analyze`` in the interface language: the text report, its findings and plurals; ``--json`` stays English."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

from roleplay.i18n import N_, Deferred, set_language, translate
from roleplay.writing.analysis import DEAD_END, WALKED_OUT
from tests.cli import roleplay as run

FIXTURES = Path(__file__).parent / "fixtures"
PROBLEMS = str(FIXTURES / "problems.yaml")
LESSONS = str(FIXTURES / "lessons.yaml")


def findings(out: str) -> dict[str, str]:
    """The report's problem lines by ``LINE:COL``."""
    return {m["where"]: m["message"] for m in re.finditer(r"^\S*problems\.yaml:(?P<where>\d+:\d+): (?P<message>.*)$", out, re.M)}


def test_the_polish_report(capsys) -> None:
    code, out, err = run(capsys, "--lang", "pl", "analyze", PROBLEMS)
    assert code == 0, err
    lines = out.splitlines()
    assert "Zbadano 6 stanów (6 rozróżnionych historii), czyli każdą drogę przez scenariusz." in lines
    assert "Osiągnięte zakończenia, od najlepszego wyniku:" in lines
    assert re.search(r"^  wynik +zakończenie +nastrój na miejscu +najkrótsze wybory$", out, re.M)
    assert re.search(r"^Najlepszy wynik: stays w zakończeniu refunded \(nastrój 66, lojalność 71\): roleplay run ", out, re.M)
    assert "Przegląd lekcji: do wyniku recommends nie da się dojść bez odpowiedzi, przed którą ostrzegają artykuły." in lines
    assert "Problemy:" in lines
    found = findings(out)
    assert found["55:3"] == "do węzła 'orphan' nie dochodzi żadna rozgrywka"
    assert found["64:3"] == "do zakończenia 'voucher_taken' nie dochodzi żadna rozgrywka"
    assert (
        found["20:9"]
        == "odpowiedź 3 węzła 'opening' nie jest nigdy proponowana: jej 'if' (mood > 90) nigdy tam nie jest spełnione"
    )
    assert found["34:19"] == ("gałąź 1 odpowiedzi 1 węzła 'checking' (if mood < 5, goto storms_off) nie jest nigdy wybierana")
    assert found["36:3"] == "węzeł 'hold': stąd każda rozgrywka krąży w kółko, nie dochodząc do zakończenia (--choose 2)"
    assert found["48:3"] == (
        "węzeł 'stuck': tu nie ma żadnej odpowiedzi do wyboru: 'if' każdej odpowiedzi jest fałszywe (--choose 3)"
    )
    assert found["67:3"].startswith("zakończenie z wyjściem klienta 'storms_off' nie jest nigdy osiągane")
    # Polish has three plural forms: 10 takes the "many" one, 2 the "few" one.
    assert lines[-1] == "10 problemów (--strict kończy z kodem 1 przy każdym)."
    code, out, _err = run(capsys, "--lang", "pl", "analyze", LESSONS)
    assert out.splitlines()[-1] == "2 problemy (--strict kończy z kodem 1 przy każdym)."
    assert "lekcja: flaga 'blamed' jest ustawiana, ale żaden warunek jej nie sprawdza; użyj jej w 'if' albo ją usuń" in out
    assert (
        "lekcja: zakończenie 'glowing' podaje, że jego słowa pasują do recommends, ale rozgrywka kończy się tam wynikiem stays"
        in out
    )


def test_the_other_languages_and_english(capsys) -> None:
    expected = {
        "lv": (
            "Problēmas:",
            "mezglu 'orphan' nesasniedz neviena spēle",
            "10 problēmas (--strict iziet ar kodu 1, ja ir kaut viena).",
        ),
        "et": (
            "Probleemid:",
            "sõlme 'orphan' ei jõua ükski mäng",
            "10 probleemi (--strict väljub koodiga 1, kui on kasvõi üks).",
        ),
        "hr": (
            "Problemi:",
            "do čvora 'orphan' ne dolazi nijedna igra",
            "10 problema (--strict izlazi s kodom 1 ako postoji ijedan).",
        ),
        "en": ("Problems:", "node 'orphan' is never reached by any play", "10 problems (--strict exits 1 on any)."),
    }
    for language, (heading, orphan, total) in expected.items():
        code, out, _err = run(capsys, "--lang", language, "analyze", PROBLEMS)
        assert code == 0
        assert heading in out.splitlines()
        assert findings(out)["55:3"] == orphan
        assert out.splitlines()[-1] == total


def test_json_is_the_same_in_every_language(capsys) -> None:
    def report(language: str) -> dict[str, object]:
        _code, out, _err = run(capsys, "--lang", language, "analyze", PROBLEMS, "--json")
        data = json.loads(out)
        data.pop("seconds")
        return data

    english = report("en")
    assert {
        "path": english["problems"][0]["path"],
        "line": 55,
        "column": 3,
        "message": "node 'orphan' is never reached by any play",
    } in english["problems"]
    for language in ("lv", "pl"):
        assert report(language) == english


def test_a_stopped_exploration_and_its_sample_in_latvian(capsys) -> None:
    code, out, _err = run(
        capsys, "--lang", "lv", "analyze", str(FIXTURES / "looping-60.yaml"), "--max-seconds", "0.5", "--samples", "40"
    )
    assert code == 1
    assert re.search(r"^Precīzā izpēte netika pabeigta: beidzās laika limits 0\.5 s pēc \d+,\d s; izpētīts: ", out, re.M)
    assert re.search(r"^Izlase: \d+ nejauš(a spēle|as spēles) \d+,\d s laikā \(sēkla 1\)\. Pārklājums: apmeklēt", out, re.M)
    assert "analīze nav pilnīga: beidzās laika limits 0.5 s pēc " in out
    assert "Mācību pārbaude: neviena izpētītā vai izlases spēle nesasniedza recommends" in out


def test_deferred_text_is_english_until_shown() -> None:
    reason = Deferred(N_("the time budget of {seconds:g} s ran out"), seconds=30.0)
    whole = Deferred(N_("the analysis is incomplete: {reason}"), reason=reason)
    assert whole == "the analysis is incomplete: the time budget of 30 s ran out"
    assert json.dumps(whole) == '"the analysis is incomplete: the time budget of 30 s ran out"'
    set_language("hr")
    assert translate(whole) == "analiza je nepotpuna: isteklo je vremensko ograničenje od 30 s"
    assert translate(WALKED_OUT) == "(klijent je otišao)" and WALKED_OUT == "(walked out)"
    assert translate("plain text") == "plain text"
    again = pickle.loads(pickle.dumps(whole))
    assert again == whole and translate(again) == translate(whole)
    set_language("et")
    assert translate(DEAD_END) == "(ummik)"
