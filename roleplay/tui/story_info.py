"""Facts about a story for the picker: its size and the article sections its replies train.

Pure Python (no Textual), so it can be tested and reused without the interface.
"""

from __future__ import annotations

from dataclasses import dataclass

from roleplay.i18n import ngettext
from roleplay.rules.citations import article_name, section_label
from roleplay.rules.rulebook import Rulebook
from roleplay.story.model import Story


@dataclass(frozen=True, slots=True)
class StorySize:
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
