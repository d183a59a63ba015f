"""The interface language: choosing it, gettext catalogues, plurals, and locale-aware numbers and dates.

Interface strings are marked ``_("...")`` (``ngettext`` for plurals) and
extracted with Babel (``pybabel extract -F babel.cfg``) into
``roleplay/locale/<lang>/LC_MESSAGES/roleplay.po``. The ``.po`` files are the
only catalogues in the repository: each is compiled in memory with Babel the
first time its language is used (and kept in the cache, :mod:`roleplay.cache`,
until the ``.po`` file changes), so a plain ``pip install`` (or a checkout)
needs no build step. Strings at module level that must follow a language
switch are marked with :func:`N_` and translated where they are shown.

Nothing here imports Textual; the command line and the app both use it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Protocol

LANGUAGES = ("en", "lv", "et", "hr", "pl")
"""The languages the game ships in, English (the source language) first."""

LANGUAGE_NAMES = {"en": "English", "lv": "Latviešu", "et": "Eesti", "hr": "Hrvatski", "pl": "Polski"}
"""Each language by its own name, as a language menu shows it."""

DEFAULT_LANGUAGE = "en"
DOMAIN = "roleplay"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current = DEFAULT_LANGUAGE


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``), or English.

    As in POSIX, the first of the three that is set decides; a locale in a
    language the game does not have (or ``C``/``POSIX``) gives English.
    """
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "").strip()
        if value:
            code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            return code if code in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def parse_language(text: str) -> str:
    """``--lang``'s type: one of :data:`LANGUAGES` (``lv_LV`` and ``LV`` are taken as ``lv``)."""
    import argparse

    code = text.strip().replace("-", "_").split("_")[0].lower()
    if code not in LANGUAGES:
        raise argparse.ArgumentTypeError(
            _("unknown language {language!r}; the languages are {languages}").format(
                language=text, languages=", ".join(LANGUAGES)
            )
        )
    return code


# catalogues -------------------------------------------------------------------
def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


class Catalogue(Protocol):
    """What the interface reads of a language's catalogue (gettext's translations have it)."""

    def gettext(self, message: str, /) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...
    def pgettext(self, context: str, message: str, /) -> str: ...


class SourceText:
    """English, the language the messages are written in: each as written, the singular for 1 and the plural
    otherwise, as gettext's ``NullTranslations`` gives them (without importing gettext when starting in English)."""

    def gettext(self, message: str, /) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return singular if n == 1 else plural

    def pgettext(self, context: str, message: str, /) -> str:
        return message


@cache
def translations(language: str) -> Catalogue:
    """The compiled catalogue of ``language`` (English and unknown languages pass text through)."""
    path = catalogue_path(language)
    if language == DEFAULT_LANGUAGE or not path.is_file():
        return SourceText()
    import gettext

    from roleplay.cache import cached

    # Reading a .po file with Babel takes a good part of a second: the compiled catalogue is kept in the
    # cache (see roleplay.cache) until the .po file changes.
    compiled = cached(f"catalogue-{language}", [path], lambda: compile_catalogue(path, language), extra=language)
    return gettext.GNUTranslations(io.BytesIO(compiled))


def compile_catalogue(path: Path, language: str) -> bytes:
    """The .po file at ``path`` compiled, in memory, to what gettext reads (a .mo file's bytes)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def set_language(language: str) -> None:
    """Make ``language`` the one :func:`_` and the format helpers use from now on."""
    global _current
    _current = language if language in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    return _current


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` in the current language (three forms in lv, pl, hr)."""
    return translations(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart from the same English in another context."""
    return translations(_current).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (it is translated where shown)."""
    return message


class Deferred(str):
    """English text that remembers its template and values, to be shown later in any language.

    It *is* the English string, so whatever keeps or writes it out (a report, ``--json``)
    stays English; an interface shows :func:`translate` of it, which looks the template up
    in the current catalogue and fills in the values (themselves translated when they are
    deferred too). Mark the template with :func:`N_` so that it is extracted:
    ``Deferred(N_("the time budget of {seconds:g} s ran out"), seconds=30.0)``.
    """

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, /, **values: object) -> Deferred:
        text = super().__new__(cls, template.format(**values))
        text.template = template
        text.values = values
        return text

    def __reduce__(self) -> tuple[object, ...]:
        return (_deferred, (self.template, self.values))


def _deferred(template: str, values: dict[str, object]) -> Deferred:
    return Deferred(template, **values)


def translate(text: str) -> str:
    """``text`` in the current language when it is :class:`Deferred`, else unchanged."""
    if not isinstance(text, Deferred):
        return text
    values = {name: translate(value) if isinstance(value, str) else value for name, value in text.values.items()}
    return _(text.template).format(**values)


def exception_text(error: BaseException) -> str:
    """What an exception says, in the current language when its message is :class:`Deferred`."""
    message = error.args[0] if len(error.args) == 1 else None
    return translate(message) if isinstance(message, str) else str(error)


def install_argparse_translation() -> None:
    """Have argparse's own words ("usage:", "options", its error messages) follow the current language.

    argparse looks them up with the module-level ``gettext`` and ``ngettext``
    it imported, which read installed ``.mo`` files of the default domain;
    pointing them at this module's catalogue puts its words beside ours
    (the command line lists the ones a user can meet).
    """
    import argparse

    setattr(argparse, "_", _)  # noqa: B010 (argparse's stub does not declare the name)
    setattr(argparse, "ngettext", ngettext)  # noqa: B010


# numbers and dates --------------------------------------------------------------
def _locale() -> str:
    return {"en": "en_GB"}.get(_current, _current)


def format_number(value: float | int, language: str | None = None, decimals: int | None = None) -> str:
    """``value`` with the digit grouping and decimal sign of the language (``1 234,5`` in lv);
    with ``decimals``, always that many digits after the decimal sign (``2,0``)."""
    from babel.numbers import format_decimal

    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale() if language is None else language)


def format_percent(value: float, language: str | None = None) -> str:
    """A fraction (0.25) as a percentage written the way the language writes it."""
    from babel.numbers import format_percent as babel_percent

    return babel_percent(value, locale=_locale() if language is None else language)


def format_date(value: date | datetime, format: str = "medium", language: str | None = None) -> str:
    """A date as the language writes it (``2026. gada 27. nov.`` in lv)."""
    from babel.dates import format_date as babel_date

    return babel_date(value, format=format, locale=_locale() if language is None else language)


def format_time(value: datetime, format: str = "short", language: str | None = None) -> str:
    """A time of day as the language writes it (``14:05``)."""
    from babel.dates import format_time as babel_time

    return babel_time(value, format=format, locale=_locale() if language is None else language)


def format_datetime(value: datetime, format: str = "medium", language: str | None = None) -> str:
    """A date and time as the language writes them."""
    from babel.dates import format_datetime as babel_datetime

    return babel_datetime(value, format=format, locale=_locale() if language is None else language)
