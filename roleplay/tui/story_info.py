"""Facts about a story for the picker: its size, the article sections its replies train, and the
library's listing (what the picker shows of every story, kept in the cache between starts).

Pure Python (no Textual), so it can be tested and reused without the interface.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from roleplay.i18n import ngettext

if TYPE_CHECKING:
    from roleplay.parsing.diagnostics import Diagnostic

    # Only for the types: the listing is read from the cache at start-up without loading the rulebook.
    from roleplay.rules.rulebook import Rulebook
    from roleplay.story.model import Story


class StorySize(NamedTuple):
    nodes: int
    replies: int
    endings: int

    def __str__(self) -> str:
        return ", ".join(
            (
                ngettext("{count} node", "{count} nodes", self.nodes).format(count=self.nodes),
                ngettext("{count} reply", "{count} replies", self.replies).format(count=self.replies),
                ngettext("{count} ending", "{count} endings", self.endings).format(count=self.endings),
            )
        )


def story_size(story: Story) -> StorySize:
    nodes = story.nodes.values()
    return StorySize(len(story.nodes), sum(len(node.choices) for node in nodes), sum(1 for node in nodes if node.end))


def articles_trained(story: Story, rulebook: Rulebook) -> list[tuple[str, list[str]]]:
    """Each article the story declares or its replies' tactics cite, with the sections cited, in file order."""
    sections: dict[str, list[str]] = {article: [] for article in story.sources}
    for node in story.nodes.values():
        for choice in node.choices:
            for name in choice.tactics:
                tactic = rulebook.tactics.get(name)
                if tactic is None:
                    continue
                for source in tactic.sources:
                    cited = sections.setdefault(source.article, [])
                    if source.section not in cited:
                        cited.append(source.section)
    return sorted(sections.items())


def trains_lines(story: Story, rulebook: Rulebook) -> list[str]:
    """The picker's "Trains" lines: each article by title and language, with the cited sections as headed there."""
    from roleplay.rules.citations import article_name, section_label

    lines = []
    for article_id, names in articles_trained(story, rulebook):
        article = rulebook.articles.get(article_id)
        if article is None:
            continue  # the loader has already reported an unknown article
        order = [section.name for section in article.sections]
        found = [section for section in (article.section(n) for n in names) if section is not None]
        labels = [section_label(s) for s in sorted(found, key=lambda s: order.index(s.name))]
        lines.append(f"{article_name(article)}: {'; '.join(labels)}" if labels else article_name(article))
    return lines


class Listed(NamedTuple):
    """A story as the picker lists and describes it, in one language: what the first frame needs, without the story.

    A story with errors has its file name as the title and ``errors`` set. Named tuples rather than
    dataclasses, here and for :class:`StorySize`: they are made at start-up, and a dataclass takes a
    millisecond to make.
    """

    path: Path
    title: str
    customer: str = ""
    about: str = ""
    summary: str = ""
    nodes: int = 0
    size: str = ""
    trains: tuple[str, ...] = ()
    errors: tuple[Diagnostic, ...] = ()

    @property
    def playable(self) -> bool:
        return not self.errors


def listed(path: Path, story: Story | None, errors: tuple[Diagnostic, ...], rulebook: Rulebook) -> Listed:
    """``story`` (already in the language shown, with ``rulebook`` in it too) as the picker shows it."""
    if story is None:
        return Listed(path, path.name, errors=errors)
    return Listed(
        path,
        story.title,
        story.customer.name,
        story.customer.about,
        story.summary,
        len(story.nodes),
        str(story_size(story)),
        tuple(trains_lines(story, rulebook)),
    )


def _rulebook_files(language: str) -> list[Path]:
    """The files the rulebook's words in ``language`` come from, and the code that reads them."""
    from roleplay.cache import package_files
    from roleplay.i18n import catalogue_path

    return [
        catalogue_path(language),
        Path(__file__),
        *package_files("rules", "rules/articles", suffixes=(".py", ".yaml", ".txt")),
        *package_files("parsing"),
    ]


def outcome_ranks(language: str) -> dict[str, tuple[int, str]]:
    """Each of the rulebook's outcomes: its rank (0 for the worst) and its name in ``language``.

    What the picker needs of the rulebook to show the learner's best, without loading the rulebook (cached).
    """
    from roleplay.cache import cached

    def make() -> dict[str, tuple[int, str]]:
        from roleplay.rules.text_layer import translated_rulebook

        rulebook = translated_rulebook(language)
        return {outcome.id: (rulebook.outcome_rank(outcome.id), outcome.label) for outcome in rulebook.outcomes}

    return cached(f"outcomes-{language}", _rulebook_files(language), make, extra=language)


def library_listing(folder: Path | None, language: str) -> list[Listed]:
    """Every story of ``folder`` (the bundled library by default) as the picker shows it, in ``language``.

    Loading and checking every story takes a good part of a second, so the
    listing is kept in the cache (:mod:`roleplay.cache`) and made again only
    when a story, a text layer, the rulebook, the articles, the interface's
    translations or the code that reads them changed, or a story was added
    or removed (the folders are listed only then). Raises OSError when the
    folder cannot be read.
    """
    from roleplay.cache import PACKAGE_DIR, cached_from_listing, package_files
    from roleplay.play.library import bundled_stories_dir

    where = folder or bundled_stories_dir()
    paths: list[Path] = []

    def sources() -> list[Path]:
        from roleplay.play.library import library_paths
        from roleplay.story.layer_names import layer_path

        paths.extend(library_paths(folder))
        return [
            where,
            *paths,
            *(layer_path(path, language) for path in paths),
            *_rulebook_files(language),
            *package_files("story", "play"),
            # The folders the code files were found in, so that a file added to one is seen.
            *(PACKAGE_DIR / name for name in ("rules", "rules/articles", "parsing", "story", "play")),
        ]

    # The folder in the file's name (a checksum is enough: the folder is in the entry's key too).
    name = f"listing-{language}-{zlib.crc32(str(where).encode()):08x}"
    return cached_from_listing(name, sources, lambda: _make_listing(paths, language), extra=(str(where), language))


def _make_listing(paths: list[Path], language: str) -> list[Listed]:
    from roleplay.play.validation import validate_file
    from roleplay.rules.rulebook import default_rulebook
    from roleplay.rules.text_layer import translated_rulebook
    from roleplay.story.translation import translate_story

    rulebook = default_rulebook()
    shown_rulebook = translated_rulebook(language)
    items = []
    for path in paths:
        result = validate_file(path, rulebook)
        story = None if result.story is None else translate_story(result.story, language)
        items.append(listed(path, story, tuple(result.errors), shown_rulebook))
    return items
