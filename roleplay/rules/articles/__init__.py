"""The source articles shipped with the package: their text, titles, cited sections and quotes.

``articles.yaml`` beside this module describes each article file: its language,
its title in English (and as written, where the text has one) and, in the
order they appear, its sections with the heading as written, an English
translation and short verbatim quotes. Loading checks every heading and quote
against the text itself, so a citation can never drift from the article.

Each quote, and each heading, also carries a translation into every other
language of the game (keys ``lv``, ``et``, ``hr``, ``pl``; never its own
language, which needs none), so a learner reads an Estonian article's advice
in Latvian; a part with no heading is described in every language.
Pure Python: no interface code imports from here upwards.
"""

from __future__ import annotations

import re
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

from yaml.nodes import Node

from roleplay.parsing.diagnostics import Severity, StoryError
from roleplay.parsing.fields import Entries, FieldReader, did_you_mean
from roleplay.parsing.yamlfile import read_yaml

TRANSLATED = ("lv", "et", "hr", "pl")
"""The languages a quote and a heading are translated into, beside English (``english``)."""

BULLET = re.compile(r"^\s*(?:•\s*)?")


@dataclass(frozen=True, slots=True)
class Quote:
    """One or two sentences copied verbatim from a section, with an English translation."""

    id: str
    original: str
    english: str
    point: int | None = None
    """The numbered point of the section the quote is in, where the section numbers its points."""
    language: str = ""
    """The code of the article's language, the one the quote is written in."""
    translations: Mapping[str, str] = field(default_factory=dict)
    """The quote in the game's other languages, by code (never its own)."""

    def translation(self, code: str) -> str | None:
        """The quote in language ``code``; None in its own language, which needs none (English where one is missing)."""
        if code == self.language:
            return None
        return self.translations.get(code, self.english)


@dataclass(frozen=True, slots=True)
class Section:
    """A part of an article a rule can cite."""

    name: str
    """What a rule cites: the heading as written, or a short name for a part with no heading."""
    heading: str | None
    """The heading exactly as written in the article; None for text with no heading (an opening, a closing)."""
    english: str
    """The heading in English, or what the part with no heading is."""
    starts: str
    """The words the section starts with in the text: its heading, or its first words."""
    quotes: Mapping[str, Quote]
    language: str = ""
    """The code of the article's language, the one the heading is written in."""
    translations: Mapping[str, str] = field(default_factory=dict)
    """The heading translated (or, for a part with no heading, what it is) in the game's other languages, by code."""

    def words(self, code: str) -> str | None:
        """The heading's translation in language ``code`` (None in the heading's own language), or what a part
        with no heading is, in that language (English where one is missing)."""
        if self.heading is not None and code == self.language:
            return None
        if code == "en":
            return self.english
        return self.translations.get(code, self.english)

    def quote_for(self, point: int | None) -> Quote | None:
        """The section's quote for ``point`` (or its only quote when no point is given)."""
        if point is not None:
            return next((q for q in self.quotes.values() if q.point == point), None)
        return next(iter(self.quotes.values())) if len(self.quotes) == 1 else None


@dataclass(frozen=True, slots=True)
class Article:
    """A source article: its file, language, titles and the sections the rules cite."""

    id: str
    """The file name, e.g. ``000_445a3fd0440ef997.txt``; only data files use it, never a learner."""
    language: str
    code: str
    """The language's ISO 639-1 code, e.g. ``lv``."""
    title: str
    """The title in English."""
    original_title: str | None
    """The title as written in the article, or None when the text carries no title."""
    sections: tuple[Section, ...]
    advice_ends: str | None = None
    """The words where page debris (ratings, adverts) begins; None when the text is advice to the end."""
    path: Path | None = field(default=None, compare=False)

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    @property
    def text(self) -> str:
        assert self.path is not None, f"no text file for {self.id}"
        return _read_text(self.path)

    def spans(self) -> dict[str, tuple[int, int]]:
        """Where each section is in the text: (start, end) offsets, in order; a section not found is left out."""
        text = self.text
        starts: list[tuple[str, int]] = []
        position = 0
        for section in self.sections:
            found = (
                _find_heading(text, section.heading, position)
                if section.heading is not None
                else text.find(section.starts, position)
            )
            if found < 0:
                continue
            starts.append((section.name, found))
            position = found + 1
        end_of_advice = text.find(self.advice_ends, position) if self.advice_ends else -1
        final = end_of_advice if end_of_advice >= 0 else len(text)
        spans = {}
        for index, (name, start) in enumerate(starts):
            spans[name] = (start, starts[index + 1][1] if index + 1 < len(starts) else final)
        return spans

    def section_text(self, name: str) -> str:
        start, end = self.spans()[name]
        return self.text[start:end]


def _find_heading(text: str, heading: str, start: int) -> int:
    """The offset of the first line from ``start`` that is ``heading`` (leading spaces and a bullet aside), or -1."""
    for match in re.finditer(r"^.*$", text[start:], re.MULTILINE):
        line = match.group(0)
        if BULLET.sub("", line, count=1).rstrip() == heading:
            return start + match.start()
    return -1


def point_line(section_text: str, point: int) -> str | None:
    """The line of a numbered point (``  7. ...``) in a section's text, or None."""
    match = re.search(rf"^\s*{point}\. .*$", section_text, re.MULTILINE)
    return match.group(0) if match else None


@cache
def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Library:
    """The articles by file name."""

    path: str
    articles: Mapping[str, Article]

    def __getitem__(self, article_id: str) -> Article:
        return self.articles[article_id]

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.articles

    def __iter__(self) -> Iterator[str]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def get(self, article_id: str) -> Article | None:
        return self.articles.get(article_id)

    def values(self) -> ValuesView[Article]:
        return self.articles.values()

    def items(self) -> ItemsView[str, Article]:
        return self.articles.items()

    def keys(self) -> KeysView[str]:
        return self.articles.keys()


def articles_folder() -> Path:
    return Path(str(files("roleplay.rules.articles")))


@cache
def default_library() -> Library:
    """The articles shipped with the package, loaded and checked once."""
    return load_library(articles_folder() / "articles.yaml")


def load_library(path: Path | str) -> Library:
    """Load ``articles.yaml`` and check it against the article files beside it; raise StoryError listing every problem."""
    path = Path(path)
    with open(path, "rb") as handle:
        document = read_yaml(str(path), handle.read())
    if document.root is None:
        raise StoryError(document.diagnostics)
    reader = _LibraryReader(str(path))
    articles = reader.read(document.root, path.parent)
    if any(d.severity is Severity.ERROR for d in reader.diagnostics):
        raise StoryError(reader.diagnostics)
    return Library(str(path), articles)


class _LibraryReader(FieldReader):
    def read(self, root: Node, folder: Path) -> dict[str, Article]:
        articles: dict[str, Article] = {}
        for name, (key_node, value) in (self.mapping(root, "the articles") or {}).items():
            article = self.article(name, key_node, value, folder)
            if article is not None:
                articles[name] = article
        return articles

    def article(self, name: str, key_node: Node, node: Node, folder: Path) -> Article | None:
        fields = ("language", "code", "title", "sections")
        entries = self.mapping(node, f"article {name}", known=(*fields, "original_title", "advice_ends"), required=fields)
        if not entries or not set(fields) <= entries.keys():
            return None
        path = folder / name
        if not path.is_file():
            self.error(key_node, f"there is no article file {name!r} beside {Path(self.path).name}")
            return None
        text = _read_text(path)
        original_title = self.text(entries["original_title"][1], "original_title") if "original_title" in entries else None
        if original_title is not None and original_title not in text:
            self.error(entries["original_title"][1], f"the title {original_title!r} is not written in {name}")
        advice_ends = self.text(entries["advice_ends"][1], "advice_ends") if "advice_ends" in entries else None
        if advice_ends is not None and advice_ends not in text:
            self.error(entries["advice_ends"][1], f"{advice_ends!r} is not in {name}")
        code = self.name(entries["code"][1], "code") or ""
        sections: list[Section] = []
        for item in self.sequence(entries["sections"][1], "sections") or []:
            section = self.section(item, name, code)
            if section is None:
                continue
            if any(s.name == section.name for s in sections):
                self.error(item, f"the section {section.name!r} is listed twice")
                continue
            sections.append(section)
        values = (
            self.text(entries["language"][1], "language"),
            self.name(entries["code"][1], "code"),
            self.text(entries["title"][1], "title"),
        )
        if None in values:
            return None
        article = Article(name, *values, original_title, tuple(sections), advice_ends, path)  # type: ignore[arg-type]
        self.check_text(article, entries["sections"][1])
        return article

    def translations(self, entries: Entries, own: str | None, what: str) -> dict[str, str]:
        """The ``lv``/``et``/``hr``/``pl`` texts of ``entries``; one in ``own`` language (that of the text) is an error."""
        found = {}
        for code in TRANSLATED:
            if code not in entries:
                continue
            if code == own:
                self.error(entries[code][0], f"{what} is written in {code} already: it needs no '{code}' translation")
                continue
            text = self.text(entries[code][1], code)
            if text:
                found[code] = text
        return found

    def section(self, node: Node, article: str, code: str) -> Section | None:
        entries = self.mapping(
            node,
            f"a section of {article}",
            known=("heading", "name", "starts", "english", "quotes", *TRANSLATED),
            required=("english",),
        )
        if entries is None:
            return None
        if ("heading" in entries) == ("name" in entries):
            self.error(
                node,
                "a section has either a 'heading' (as written in the article) or a 'name' and 'starts' (for text with no heading)",
            )
            return None
        heading = self.text(entries["heading"][1], "heading") if "heading" in entries else None
        if "name" in entries and "starts" not in entries:
            self.error(node, "a section with no heading needs 'starts': the words it starts with")
            return None
        name = heading if heading is not None else self.name(entries["name"][1], "name")
        starts = heading if heading is not None else self.text(entries["starts"][1], "starts")
        english = self.text(entries["english"][1], "english")
        if name is None or starts is None or english is None:
            return None
        quotes: dict[str, Quote] = {}
        for quote_id, (_quote_key, value) in (
            (self.mapping(entries["quotes"][1], "quotes") or {}) if "quotes" in entries else {}
        ).items():
            fields = self.mapping(
                value, f"quote {quote_id}", known=("original", "english", "point", *TRANSLATED), required=("original", "english")
            )
            if not fields or not {"original", "english"} <= fields.keys():
                continue
            original = self.text(fields["original"][1], "original")
            translation = self.text(fields["english"][1], "english")
            point = self.integer(fields["point"][1], "point", 1, 99) if "point" in fields else None
            translations = self.translations(fields, code, f"quote {quote_id!r}")
            if original and translation:
                quotes[quote_id] = Quote(quote_id, original, translation, point, code, translations)
                self._quote_nodes[(article, name, quote_id)] = fields["original"][1]
        self._section_nodes[(article, name)] = node
        words = self.translations(entries, code if heading is not None else None, f"the heading {heading!r}")
        return Section(name, heading, english, starts, quotes, code, words)

    def check_text(self, article: Article, sections_node: Node) -> None:
        """Every section is found in the text, in order, and every quote is verbatim inside its section (and point)."""
        spans = article.spans()
        text = article.text
        for section in article.sections:
            node = self._section_nodes.get((article.id, section.name), sections_node)
            if section.name not in spans:
                what = f"the heading {section.heading!r}" if section.heading is not None else f"{section.starts!r}"
                self.error(node, f"{what} is not in {article.id} (after the sections before it)")
                continue
            start, end = spans[section.name]
            body = text[start:end]
            for quote in section.quotes.values():
                quote_node = self._quote_nodes.get((article.id, section.name, quote.id), node)
                if quote.original not in body:
                    where = "in the article" if quote.original in text else "anywhere in the article"
                    self.error(
                        quote_node,
                        f"quote {quote.id!r} is not written word for word in section {section.name!r} ({'it is elsewhere ' if quote.original in text else 'nor '}{where})",
                    )
                    continue
                if quote.point is not None:
                    line = point_line(body, quote.point)
                    if line is None or quote.original not in line:
                        self.error(quote_node, f"quote {quote.id!r} is not in point {quote.point} of section {section.name!r}")

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self._section_nodes: dict[tuple[str, str], Node] = {}
        self._quote_nodes: dict[tuple[str, str, str], Node] = {}


def resolve(
    library: Library, article: str, section: str, point: int | None = None, quote: str | None = None
) -> tuple[Article, Section, Quote] | str:
    """The article, section and quote a citation names, or why it names none (a sentence for an error message)."""
    found = library.get(article)
    if found is None:
        return f"unknown article {article!r}{did_you_mean(article, library.keys())}"
    part = found.section(section)
    if part is None:
        return f"{article} has no section {section!r}{did_you_mean(section, [s.name for s in found.sections])}"
    if quote is not None:
        chosen = part.quotes.get(quote)
        if chosen is None:
            return f"section {section!r} of {article} has no quote {quote!r}{did_you_mean(quote, part.quotes)}"
        if point is not None and chosen.point != point:
            return (
                f"quote {quote!r} is in point {chosen.point} of {section!r}, not point {point}"
                if chosen.point
                else f"quote {quote!r} is not in a numbered point"
            )
        return found, part, chosen
    chosen = part.quote_for(point)
    if chosen is None:
        if not part.quotes:
            return f"section {section!r} of {article} has no quotes yet; add one to articles.yaml"
        where = f"point {point} of " if point is not None else ""
        return f"name the quote from {where}section {section!r}: one of {', '.join(part.quotes)}"
    return found, part, chosen
