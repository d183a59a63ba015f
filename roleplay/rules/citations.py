"""How a rule's sources read to a learner: the article's title and language, the heading with its translation, the quote.

One module for every client (``roleplay run``, ``rules``, ``sources`` and the
app's coach, debrief, presenter and sources screen), so a learner never sees an
article's file name and every place words a source the same way. Pure Python.
All the words a learner reads are here, marked for translation (:mod:`roleplay.i18n`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from roleplay.i18n import DEFAULT_LANGUAGE, N_, _, current_language
from roleplay.rules.articles import Article, Library, Quote, Section, default_library, resolve

if TYPE_CHECKING:
    from roleplay.rules.rulebook import Rulebook


class Cited(Protocol):
    """What a citation names: an article file, a section, and optionally a point and a quote."""

    @property
    def article(self) -> str: ...

    @property
    def section(self) -> str: ...

    @property
    def point(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Citation:
    """A source resolved against the articles: what a learner is shown."""

    article: Article
    section: Section
    quote: Quote
    point: int | None = None

    def to_json(self) -> dict[str, object]:
        """The readable fields of a source, for ``--json`` beside its file id."""
        return {
            "title": self.article.title,
            "original_title": self.article.original_title,
            "language": self.article.language,
            "language_code": self.article.code,
            "heading": self.section.heading,
            "heading_english": self.section.english,
            "heading_translations": dict(self.section.translations),
            "quote_original": self.quote.original,
            "quote_english": self.quote.english,
            "quote_translations": dict(self.quote.translations),
        }


def cite(source: Cited, library: Library | None = None) -> Citation:
    """The article, section and quote ``source`` names (the rulebook loader has checked it resolves)."""
    found = resolve(library or default_library(), source.article, source.section, source.point, getattr(source, "quote", None))
    if isinstance(found, str):
        raise LookupError(found)
    article, section, quote = found
    return Citation(article, section, quote, source.point)


# one article --------------------------------------------------------------------------


def article_name(article: Article) -> str:
    """The title and language in the interface language, then the title as written where the text has one:
    'How to deal with a difficult customer (Polish: Jak sobie poradzić z trudnym klientem?)'."""
    from roleplay.rules.text_layer import article_words

    title, language = article_words(article.id, article.title, article.language)
    if article.original_title:
        return f"{title} ({language}: {article.original_title})"
    return f"{title} ({language})"


def original_title(article: Article) -> str:
    """The title as written, or a note that the text has none."""
    return (
        _("original title: {title}").format(title=article.original_title)
        if article.original_title
        else _("the copy has no title of its own")
    )


def article_lines(article: Article) -> list[str]:
    """The article in full: English title, then language and title as written."""
    from roleplay.rules.text_layer import article_words

    title, language = article_words(article.id, article.title, article.language)
    return [title, f"{language} ({article.code}) · {original_title(article)}"]


# one source ----------------------------------------------------------------------------


def section_label(section: Section, point: int | None = None) -> str:
    """'Klausieties (“Listen”)', 'Korisni zaključci (“Useful conclusions”), point 7', or what a part with no heading is,
    in the interface language; a heading in the interface language's own article stands alone ('Klausieties' in Latvian)."""
    words = section.words(current_language())
    if section.heading is None:
        label = words or section.english
    else:
        label = f"{section.heading} (“{words}”)" if words is not None else section.heading
    return _("{heading}, point {number}").format(heading=label, number=point) if point is not None else label


def source_line(source: Cited | Citation) -> str:
    """The source on one line: section (translated) in article title (language)."""
    citation = source if isinstance(source, Citation) else cite(source)
    return f"{section_label(citation.section, citation.point)} · {article_name(citation.article)}"


def quote_lines(source: Cited | Citation) -> list[str]:
    """The quote as written and, unless it is written in the interface language, translated into it."""
    citation = source if isinstance(source, Citation) else cite(source)
    translated = quote_translation(citation.quote)
    return [f"“{citation.quote.original}”"] + ([translated] if translated is not None else [])


def quote_translation(quote: Quote) -> str | None:
    """'In English: “…”', 'Latviski: “…”': the quote in the interface language; None when it is written in it."""
    language = current_language()
    text = quote.translation(language)
    if text is None:
        return None
    if language == DEFAULT_LANGUAGE or language not in quote.translations:
        return _("In English: “{quote}”").format(quote=quote.english)
    return _("Translation: “{quote}”").format(quote=text)


def point_quote(quote: Quote) -> str:
    """The quote as written, after its point number where it has one."""
    if quote.point is None:
        return f"“{quote.original}”"
    return _("point {number}: “{quote}”").format(number=quote.point, quote=quote.original)


def cited_by(rules: Iterable[CitedRule]) -> str:
    return _("Cited by: {rules}").format(rules="; ".join(rule.title for rule in rules))


def not_cited() -> str:
    return _("No rule cites this article.")


def source_lines(source: Cited | Citation) -> list[str]:
    """A source in full: where it is, the quote, the quote translated (unless it is in the interface language)."""
    citation = source if isinstance(source, Citation) else cite(source)
    return [source_line(citation), *quote_lines(citation)]


def sources_lines(sources: Iterable[Cited]) -> list[str]:
    """Every source of a rule in full; the second and later begin with 'Also:'."""
    lines: list[str] = []
    for index, source in enumerate(sources):
        block = source_lines(source)
        if index:
            block[0] = _("Also: {source}").format(source=block[0])
        lines.extend(block)
    return lines


def sources_brief(sources: Sequence[Cited]) -> str:
    """For tight places (the coach, the debrief): the first source in full with its quote, the others on a line each."""
    lines = source_lines(sources[0]) if sources else []
    lines.extend(_("Also: {source}").format(source=source_line(source)) for source in sources[1:])
    return "\n".join(lines)


def sources_json(sources: Iterable[Cited]) -> list[dict[str, object]]:
    """Each source's ids with its readable fields."""
    result = []
    for source in sources:
        data = source.to_json() if hasattr(source, "to_json") else {"article": source.article, "section": source.section}
        data.update(cite(source).to_json())
        result.append(data)
    return result


# the rules behind each article ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CitedRule:
    """A rule of the rulebook as the sources list names it."""

    kind: str
    """'tactic', 'context rule', 'trait', 'at the end', 'walking out', 'outcome' or 'ceiling'."""
    id: str
    name: str
    """What a learner calls it: the tactic's, trait's or outcome's label; a readable id otherwise."""
    sources: tuple[Cited, ...]

    @property
    def title(self) -> str:
        """'tactic: Listen and play it back', in the interface language."""
        return f"{_(self.kind)}: {self.name}"


class _Sourced(Protocol):
    """A rule of the rulebook: it names its sources."""

    @property
    def sources(self) -> Iterable[Cited]: ...


def _sources_of(rule: _Sourced) -> tuple[Cited, ...]:
    return tuple(rule.sources)


def cited_rules(rulebook: Rulebook) -> Iterator[CitedRule]:
    """Every rule in the rulebook with its sources, in the order ``roleplay rules`` lists them."""
    for tactic in rulebook.tactics.values():
        yield CitedRule(N_("tactic"), tactic.id, tactic.label, _sources_of(tactic))
    for modifier in rulebook.modifiers:
        yield CitedRule(N_("context rule"), modifier.id, modifier.name, _sources_of(modifier))
    for trait in rulebook.traits.values():
        yield CitedRule(N_("trait"), trait.id, trait.label, _sources_of(trait))
    for rule in rulebook.settlement:
        yield CitedRule(N_("at the end"), rule.id, rule.name, _sources_of(rule))
    yield CitedRule(N_("walking out"), "walkout", _("the customer walks out"), _sources_of(rulebook.walkout))
    for outcome in rulebook.outcomes:
        yield CitedRule(N_("outcome"), outcome.id, outcome.label, _sources_of(outcome))
    for ceiling in rulebook.ceilings:
        yield CitedRule(N_("ceiling"), ceiling.id, ceiling.name, _sources_of(ceiling))


@dataclass(frozen=True, slots=True)
class QuoteUse:
    """A quote and the rules that cite it."""

    quote: Quote
    rules: tuple[CitedRule, ...]


@dataclass(frozen=True, slots=True)
class SectionUse:
    section: Section
    quotes: tuple[QuoteUse, ...]


@dataclass(frozen=True, slots=True)
class ArticleUse:
    """An article with its cited sections (in the article's order) and the rules citing each quote."""

    article: Article
    sections: tuple[SectionUse, ...]

    @property
    def rules(self) -> tuple[CitedRule, ...]:
        seen: dict[tuple[str, str], CitedRule] = {}
        for section in self.sections:
            for use in section.quotes:
                for rule in use.rules:
                    seen.setdefault((rule.kind, rule.id), rule)
        return tuple(seen.values())


def articles_in_use(rulebook: Rulebook, library: Library | None = None) -> list[ArticleUse]:
    """Each article, in file order, with the sections and quotes the rules cite and which rules cite them."""
    library = library or default_library()
    citing: dict[tuple[str, str, str], list[CitedRule]] = {}
    for rule in cited_rules(rulebook):
        for source in rule.sources:
            citation = cite(source, library)
            users = citing.setdefault((citation.article.id, citation.section.name, citation.quote.id), [])
            if rule not in users:
                users.append(rule)
    result = []
    for article_id in sorted(library.keys()):
        article = library[article_id]
        sections = []
        for section in article.sections:
            quotes = tuple(
                QuoteUse(quote, tuple(citing[(article.id, section.name, quote.id)]))
                for quote in section.quotes.values()
                if (article.id, section.name, quote.id) in citing
            )
            if quotes:
                sections.append(SectionUse(section, quotes))
        result.append(ArticleUse(article, tuple(sections)))
    return result


def articles_in_use_lines(uses: Sequence[ArticleUse]) -> list[str]:
    """``roleplay sources`` as text: each article, then each cited section, quote and the rules that cite it."""
    lines: list[str] = []
    for number, use in enumerate(uses, start=1):
        if lines:
            lines.append("")
        first, second = article_lines(use.article)
        lines.append(f"{number}. {first}")
        lines.append(f"   {second}")
        for section_use in use.sections:
            lines.append(f"   {section_label(section_use.section)}")
            for quote_use in section_use.quotes:
                lines.append(f"     {point_quote(quote_use.quote)}")
                translated = quote_translation(quote_use.quote)
                if translated is not None:
                    lines.append(f"     {translated}")
                lines.append(f"     {cited_by(quote_use.rules)}")
        if not use.sections:
            lines.append(f"   {not_cited()}")
    return lines


def articles_in_use_json(uses: Sequence[ArticleUse]) -> list[dict[str, object]]:
    return [
        {
            "article": use.article.id,
            "title": use.article.title,
            "original_title": use.article.original_title,
            "language": use.article.language,
            "language_code": use.article.code,
            "sections": [
                {
                    "section": section_use.section.name,
                    "heading": section_use.section.heading,
                    "heading_english": section_use.section.english,
                    "heading_translations": dict(section_use.section.translations),
                    "quotes": [
                        {
                            "quote": quote_use.quote.id,
                            "point": quote_use.quote.point,
                            "original": quote_use.quote.original,
                            "english": quote_use.quote.english,
                            "translations": dict(quote_use.quote.translations),
                            "cited_by": [{"kind": rule.kind, "id": rule.id, "name": rule.name} for rule in quote_use.rules],
                        }
                        for quote_use in section_use.quotes
                    ],
                }
                for section_use in use.sections
            ],
        }
        for use in uses
    ]
