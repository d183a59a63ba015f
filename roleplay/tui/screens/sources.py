"""The sources screen: the five articles the rules come from, each quote cited and the rules citing it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from roleplay.i18n import N_, _, current_language
from roleplay.rules.citations import (
    ArticleUse,
    article_lines,
    articles_in_use,
    cited_by,
    not_cited,
    point_quote,
    quote_translation,
    section_label,
)
from roleplay.tui.widgets.footer import Footer
from roleplay.tui.widgets.header import Header


def article_widgets(use: ArticleUse, number: int) -> list[Widget]:
    """One article: its titles and language, then each cited section with its quotes and the rules citing them."""
    title, details = article_lines(use.article)
    widgets: list[Widget] = [
        Static(f"{number}. {title}", classes="sources-title", markup=False),
        Static(details, classes="sources-details", markup=False),
    ]
    if not use.sections:
        widgets.append(Static(not_cited(), classes="sources-note", markup=False))
    for section_use in use.sections:
        widgets.append(Static(section_label(section_use.section), classes="sources-section", markup=False))
        for quote_use in section_use.quotes:
            quote = quote_use.quote
            widgets.append(QuoteText(point_quote(quote), quote_translation(quote), cited_by(quote_use.rules)))
    return widgets


class QuoteText(Static):
    """A quote as the article has it, its translation and the rules citing it: one widget, each on its
    own lines (a screen of every quote as three widgets each took a second to open)."""

    COMPONENT_CLASSES = {"quote--translation", "quote--rules"}

    def __init__(self, original: str, translated: str | None, rules: str) -> None:
        super().__init__(classes="sources-quote", markup=False)
        self.lines = (original, translated, rules)

    def render(self) -> Content:
        original, translated, rules = self.lines
        parts = [Content(original)]
        if translated is not None:
            parts.append(Content.styled(translated, self.get_visual_style("quote--translation", partial=True)))
        parts.append(Content.styled(rules, self.get_visual_style("quote--rules", partial=True)))
        return Content("\n").join(parts)


class SourcesScreen(Screen[None]):
    """Every article by title and language, with the passages the rules quote; Escape goes back."""

    AUTO_FOCUS = "#sources-scroll"
    BINDINGS = [
        Binding("escape", "close", N_("Back"), tooltip=N_("Back to where you were")),
        Binding("i", "close", N_("Back"), show=False),
    ]

    def compose(self) -> ComposeResult:
        from roleplay.rules.text_layer import article_words, translated_rulebook

        yield Header()
        with VerticalScroll(id="sources-scroll"):
            for number, use in enumerate(articles_in_use(translated_rulebook(current_language())), start=1):
                with Vertical(classes="sources-article panel") as panel:
                    panel.border_title = article_words(use.article.id, use.article.title, use.article.language)[1]
                    yield from article_widgets(use, number)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = _("Sources: the articles behind the rules")

    def language_changed(self) -> None:
        """The app switched language: the titles, headings' translations and quotes' translations follow."""
        self.title = _("Sources: the articles behind the rules")
        self.refresh(recompose=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sources":
            return False  # already here
        return True

    def action_close(self) -> None:
        self.dismiss(None)
