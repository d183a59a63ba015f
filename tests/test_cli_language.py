"""The command line's help and usage errors in the interface language, argparse's own words included."""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from roleplay.cli import ARGPARSE_MESSAGES, build_parser, language_asked
from roleplay.commands import COMMAND_NAMES
from roleplay.i18n import LANGUAGES, _, set_language
from tests.cli import roleplay as run

TRANSLATED = [language for language in LANGUAGES if language != "en"]
COMMANDS = list(COMMAND_NAMES)

ONLY_FOR_PROGRAMMERS = {
    ".__call__() not defined",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    'argument "-" with mode %r',
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    ("conflicting option string: %s", "conflicting option strings: %s"),
    "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments",
    ("expected %s argument", "expected %s arguments"),
    "%r is not callable",
}
"""argparse's messages about a parser built wrong (or an ``nargs=N`` roleplay has no option with): no user meets them."""


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def help_texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every text of a parser's help a writer wrote: description, epilog, each option's help."""
    texts = [text for text in (parser.description, parser.epilog) if text]
    texts += [action.help for action in parser._actions if action.help and action.help != argparse.SUPPRESS]
    return texts


def test_the_catalogues_list_every_argparse_message_a_user_can_meet() -> None:
    marked: set[str | tuple[str, ...]] = set()
    for _line, message, _comments, _context in extract_from_file("python", argparse.__file__):
        marked.add(message)
    assert marked - ONLY_FOR_PROGRAMMERS == set(ARGPARSE_MESSAGES)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_help_text_of_every_command_is_in_the_language(language: str) -> None:
    set_language("en")
    english = build_parser()
    set_language(language)
    translated = build_parser()
    pairs = [(english, translated)] + [(subparsers(english)[name], subparsers(translated)[name]) for name in COMMANDS]
    for source, target in pairs:
        for original, text in zip(help_texts(source), help_texts(target), strict=True):
            assert text != original, f"{target.prog}: {original!r} is not translated into {language}"
        target.format_help()  # a translation that breaks argparse's %-formatting would raise here


@pytest.mark.parametrize(
    ("language", "usage", "options", "help_line", "description"),
    [
        ("lv", "lietojums: roleplay analyze", "opcijas:", "parādīt šo palīdzību un iziet", "Izpēta katru sasniedzamo"),
        ("et", "kasutus: roleplay analyze", "valikud:", "näita seda abi ja välju", "Uurib läbi kõik"),
        ("hr", "upotreba: roleplay analyze", "opcije:", "prikaži ovu pomoć i izađi", "Istražuje svako dostupno"),
        ("pl", "użycie: roleplay analyze", "opcje:", "pokaż tę pomoc i zakończ", "Bada każdy osiągalny stan"),
    ],
)
def test_lang_before_the_command_gives_its_help_in_that_language(
    capsys, language: str, usage: str, options: str, help_line: str, description: str
) -> None:
    code, out, err = run(capsys, "--lang", language, "analyze", "--help")
    assert code == 0 and err == ""
    assert out.startswith(usage)
    assert f"\n{options}\n" in out
    assert help_line in out
    assert description in " ".join(out.split())


def test_the_locale_picks_the_help_language(capsys, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "lv_LV.UTF-8")
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert out.startswith("lietojums: roleplay")
    assert "Trenējieties sarežģītās sarunās ar klientiem" in " ".join(out.split())
    assert "\nkomandas:\n" in out and "spēlēt scenāriju lietotnē" in out


def test_lang_after_the_command_counts_too(capsys) -> None:
    code, out, _err = run(capsys, "sources", "--help", "--lang=hr")
    assert code == 0 and out.startswith("upotreba: roleplay sources")


def test_usage_errors_are_in_the_language(capsys) -> None:
    code, out, err = run(capsys, "--lang", "pl", "run", "cracked-kettle", "--choose", "0")
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == "roleplay run: błąd: argument --choose: numery odpowiedzi zaczynają się od 1"
    code, _out, err = run(capsys, "--lang", "et", "analyze")
    assert code == 2
    assert err.splitlines()[-1] == "roleplay analyze: viga: need argumendid on kohustuslikud: STORY"
    code, _out, err = run(capsys, "--lang", "hr", "serve", "--port", "http")
    assert err.splitlines()[-1] == ("roleplay serve: greška: argument --port: očekivan je broj porta od 1 do 65535, a ne 'http'")
    code, _out, err = run(capsys, "--lang", "lv", "rules", "--colour")
    assert code == 2 and err.splitlines()[-1] == "roleplay: kļūda: neatpazīti argumenti: --colour"


def test_an_unknown_language_is_reported_in_the_locale_language(capsys, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    code, _out, err = run(capsys, "--lang", "de", "rules")
    assert code == 2
    assert err.splitlines()[-1] == ("roleplay: błąd: argument --lang: nieznany język 'de'; dostępne języki: en, lv, et, hr, pl")


def test_translate_lang_names_the_target_not_the_interface(capsys, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    assert language_asked(["translate", "story.yaml", "--lang", "lv"]) is None
    assert language_asked(["--lang", "hr", "translate", "story.yaml", "--lang", "lv"]) == "hr"
    code, out, _err = run(capsys, "translate", "x.yaml", "--lang", "lv", "--help")
    assert code == 0 and out.startswith("użycie: roleplay translate")
    assert "język, na który tłumaczyć" in out


def test_english_stays_english(capsys) -> None:
    code, out, _err = run(capsys, "validate", "--help")
    assert code == 0 and out.startswith("usage: roleplay validate")
    assert "show this help message and exit" in out
    assert _("options") == "options"


STORY = Path(__file__).parent / "fixtures" / "now-vs-later.yaml"


def test_what_validate_translate_and_new_say_is_in_the_language(capsys, tmp_path, monkeypatch) -> None:
    code, out, err = run(capsys, "--lang", "pl", "validate", str(STORY))
    assert code == 0 and out == ""
    assert err == "1 plik sprawdzony: 0 błędów, 0 ostrzeżeń\n"

    shutil.copy(STORY, tmp_path / "story.yaml")
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, "--lang", "lv", "translate", "story.yaml", "--lang", "et")
    assert code == 0 and (tmp_path / "story.et.yaml").is_file()
    assert re.fullmatch(
        r"izveidots story\.et\.yaml: iztulkoti: 0, jātulko: (\d+) \(jauni: \1\), novecojuši: 0, avotā vairs nav: 0\n", err
    )
    code, _out, err = run(capsys, "--lang", "lv", "validate", "story.yaml")
    assert err.splitlines()[-1].startswith("2 faili pārbaudīti: 0 kļūdu, ") and err.endswith(" brīdinājumi\n")

    code, out, _err = run(capsys, "new", "late-delivery", "--lang", "et")
    assert code == 0 and out.startswith("Kirjutatud: late-delivery.yaml. Edasi: roleplay validate late-delivery.yaml --strict")
    code, _out, err = run(capsys, "new", "late-delivery", "--lang", "hr")
    assert code == 1 and err.startswith("roleplay new: greška: late-delivery.yaml već postoji")
