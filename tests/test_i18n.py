"""The interface catalogues: every string in the code is translated in each language, plurals and formats follow the language."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from roleplay import i18n
from roleplay.i18n import LANGUAGES, _, catalogue_path, format_date, format_number, format_time, ngettext, set_language

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [language for language in LANGUAGES if language != "en"]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
PERCENT = re.compile(r"%(?:\([a-z_]+\))?[srd]")
"""argparse's placeholders (its words are in the catalogues too): ``%s``, ``%(prog)s``, ``%(value)r``."""


def code_messages() -> dict[str | tuple[str, ...], str]:
    """Every message the code marks for translation, as ``pybabel extract -F babel.cfg`` finds it, with where."""
    found: dict[str | tuple[str, ...], str] = {}
    mapping = [("roleplay/**.py", "python")]
    for filename, lineno, message, _comments, _context in extract_from_dir(str(ROOT), method_map=mapping):
        found.setdefault(message, f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def messages() -> dict[str | tuple[str, ...], str]:
    found = code_messages()
    assert len(found) > 100, "the extraction found the interface strings"
    return found


def catalogue(language: str):
    with open(catalogue_path(language), "rb") as handle:
        return read_po(handle, locale=language)


def test_babel_cfg_extracts_what_the_test_extracts(messages) -> None:
    assert (ROOT / "babel.cfg").read_text(encoding="utf-8").count("[python: roleplay/**.py]") == 1


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_interface_string_is_translated(language: str, messages) -> None:
    entries = {message.id: message for message in catalogue(language) if message.id}
    untranslated = []
    for msgid, where in messages.items():
        entry = entries.get(msgid)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else (entry.string if entry else "",)
        if entry is None or entry.fuzzy or not all(text.strip() for text in strings):
            untranslated.append(f"{where}: {msgid!r}")
    assert untranslated == [], f"untranslated in {catalogue_path(language)}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_and_plural_forms(language: str, messages) -> None:
    catalog = catalogue(language)
    expected_forms = 2 if language == "et" else 3
    assert catalog.num_plurals == expected_forms
    for message in catalog:
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple):
            assert len(strings) == expected_forms, message.id
        wanted = set(PLACEHOLDER.findall(sources[-1]))
        wanted_percent = sorted(PERCENT.findall(sources[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, (message.id, text)
            assert sorted(PERCENT.findall(text)) == wanted_percent, (message.id, text)
    # Entries no code uses any more are removed, so translators never work on dead text.
    assert {m.id for m in catalog if m.id} <= set(messages)


def test_three_plural_forms_where_the_language_has_them() -> None:
    def replies(n: int) -> str:
        return ngettext("{count} reply", "{count} replies", n).format(count=n)

    set_language("lv")
    assert [replies(n) for n in (1, 2, 10, 21)] == ["1 atbilde", "2 atbildes", "10 atbilžu", "21 atbilde"]
    set_language("pl")
    assert [replies(n) for n in (1, 2, 5, 22)] == ["1 odpowiedź", "2 odpowiedzi", "5 odpowiedzi", "22 odpowiedzi"]
    assert ngettext("{count} node", "{count} nodes", 3).format(count=3) == "3 węzły"
    assert ngettext("{count} node", "{count} nodes", 5).format(count=5) == "5 węzłów"
    set_language("hr")
    assert [ngettext("{count} ending", "{count} endings", n).format(count=n) for n in (1, 3, 5)] == [
        "1 završetak",
        "3 završetka",
        "5 završetaka",
    ]
    set_language("et")
    assert [replies(n) for n in (1, 2)] == ["1 vastus", "2 vastust"]
    set_language("en")
    assert [replies(n) for n in (1, 2)] == ["1 reply", "2 replies"]


def test_the_language_changes_what_underscore_returns() -> None:
    assert _("Debrief") == "Debrief"
    set_language("lv")
    assert _("Debrief") == "Atskats"
    set_language("et")
    assert _("Debrief") == "Kokkuvõte"
    set_language("de")  # not a language of the game: English
    assert _("Debrief") == "Debrief"


def test_english_gives_each_message_as_gettext_gives_it_without_a_catalogue(messages) -> None:
    english, plain = i18n.translations("en"), gettext.NullTranslations()
    for message in messages:
        if isinstance(message, str):
            assert english.gettext(message) == plain.gettext(message) == message
            assert english.pgettext("context", message) == plain.pgettext("context", message)
        else:
            singular, plural = message[:2]
            for n in (0, 1, 2, 5, 21, -1):
                assert english.ngettext(singular, plural, n) == plain.ngettext(singular, plural, n)


def test_starting_in_english_does_not_import_gettext() -> None:
    code = (
        "import sys; from roleplay.i18n import _, ngettext, set_language; set_language('en'); "
        "_('Debrief'); ngettext('{count} node', '{count} nodes', 2); print('gettext' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_catalogues_are_compiled_in_memory_once() -> None:
    i18n.translations.cache_clear()
    first = i18n.translations("pl")
    assert i18n.translations("pl") is first
    assert first.gettext("Settings") == "Ustawienia"


def test_a_catalogue_is_compiled_once_and_kept_until_its_po_file_changes(monkeypatch, tmp_path) -> None:
    compiled: list[str] = []
    compile_catalogue = i18n.compile_catalogue

    def counting(path: Path, language: str) -> bytes:
        compiled.append(language)
        return compile_catalogue(path, language)

    monkeypatch.setattr(i18n, "compile_catalogue", counting)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    po = tmp_path / "lv" / "LC_MESSAGES" / "roleplay.po"
    po.parent.mkdir(parents=True)
    po.write_bytes((ROOT / "roleplay" / "locale" / "lv" / "LC_MESSAGES" / "roleplay.po").read_bytes())
    for _start in range(2):  # two starts: the second reads what the first kept
        i18n.translations.cache_clear()
        assert i18n.translations("lv").gettext("Debrief") == "Atskats"
    assert compiled == ["lv"]

    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Atskats"', 'msgstr "Pārskats"'), encoding="utf-8")
    i18n.translations.cache_clear()
    assert i18n.translations("lv").gettext("Debrief") == "Pārskats"
    assert compiled == ["lv", "lv"]
    i18n.translations.cache_clear()


def test_numbers_dates_and_times_follow_the_language() -> None:
    moment = datetime(2026, 11, 27, 14, 5)
    assert format_number(12345.5, "en") == "12,345.5"
    assert format_number(12345.5, "lv").replace("\xa0", " ") == "12 345,5"
    assert format_number(12345.5, "pl").replace("\xa0", " ") == "12 345,5"
    assert format_time(moment, language="hr") == "14:05"
    set_language("pl")
    assert format_date(date(2026, 11, 27)) == "27 lis 2026"
    set_language("lv")
    assert format_date(date(2026, 11, 27), "long") == "2026. gada 27. novembris"
    set_language("en")
    assert format_date(date(2026, 11, 27)) == "27 Nov 2026"
