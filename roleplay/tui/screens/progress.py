"""The learner's progress: what to practise next, each story's best and last outcome, plays over time, habits by article and tactic.

Everything shown is computed by :mod:`roleplay.play.learning` from the record; the
screen only lays it out. Enter plays the suggested story.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import LoadingIndicator, Sparkline, Static

from roleplay.i18n import N_, _, format_percent, ngettext
from roleplay.play.learning import BETTER, STEADY, WEEKS_CHARTED, WORSE
from roleplay.tui.widgets.footer import Footer
from roleplay.tui.widgets.header import Header

if TYPE_CHECKING:
    from roleplay.play.learning import StoryResult, Suggestion, Tally
    from roleplay.play.plays import PlayRecord
    from roleplay.rules.rulebook import Rulebook
    from roleplay.story.model import Story

# What the learner reads, kept together (plural forms are where they are counted).
TITLE = N_("Your progress")
HEADING_NEXT = N_("Practise next")
HEADING_STORIES = N_("Your stories")
HEADING_CHART = N_("Plays over time")
HEADING_ARTICLES = N_("Replies by article: recommended and warned against")
HEADING_TACTICS = N_("Tactics you used")
NO_PLAYS = N_("No finished plays yet: play a story and your results show here.")
NEXT_WITH_STORY = N_("{article}: {reason}. Try '{story}'; Enter plays it.")
NEXT_WITHOUT_STORY = N_("{article}: {reason}. No story in this library trains it yet.")
ARTICLE_LINE = N_("{recommended} recommended, {warned} warned against ({share})")
TACTIC_LINE = N_("{label}: {count}× ({kind})")
TRENDS = {BETTER: N_("▲ better lately"), WORSE: N_("▼ worse lately"), STEADY: N_("= steady")}
KINDS = {"recommended": N_("recommended"), "warned": N_("warned against")}


def story_line(title: str, plays: int, best: str, last: str) -> str:
    return ngettext(
        "{title}: {plays} play; best {best}, last {last}", "{title}: {plays} plays; best {best}, last {last}", plays
    ).format(title=title, plays=plays, best=best, last=last)


def chart_caption(weeks: int, recent: int, total: int) -> str:
    return ngettext(
        "{weeks} weeks ago → this week: {recent} play, {total} in all",
        "{weeks} weeks ago → this week: {recent} plays, {total} in all",
        recent,
    ).format(weeks=weeks, recent=recent, total=total)


def today() -> date:
    """Today in UTC (the record keeps UTC times); the snapshot test fixes it."""
    return datetime.now(UTC).date()


class ProgressData:
    """What the screen shows, gathered off the main thread."""

    def __init__(self, plays: list[PlayRecord], stories: list[tuple[Path, Story]], rulebook: Rulebook, on: date) -> None:
        from roleplay.play.learning import article_tallies, plays_per_week, story_results, suggestion, tactic_tallies

        self.total = len(plays)
        self.results: list[StoryResult] = story_results(plays, rulebook)
        self.weeks = plays_per_week(plays, on)
        self.articles: list[Tally] = article_tallies(plays, rulebook)
        self.tactics: list[Tally] = tactic_tallies(plays, rulebook)
        self.suggestion: Suggestion | None = suggestion(plays, rulebook, stories)
        self.stories = dict(stories)
        self.titles = {path.name: story.title for path, story in stories}
        """Each library story's title in the interface language, by file name (the record keeps the title played)."""
        self.labels = {outcome.id: outcome.label for outcome in rulebook.outcomes}
        self.tones = {outcome.id: outcome.tone for outcome in rulebook.outcomes}
        """Each outcome's tone (good, wary, bad): the class the stylesheet colours it by."""


def trend_row(text: str, trend: str | None, classes: str) -> Horizontal:
    row = Horizontal(
        Static(text, classes="progress-row-text", markup=False),
        Static(_(TRENDS[trend]) if trend is not None else "", classes=f"progress-trend -{trend or 'none'}"),
        classes=f"progress-row {classes}",
    )
    return row


class ProgressScreen(Screen):
    """The learner's record at a glance, and what to practise next."""

    TITLE = TITLE
    BINDINGS = [
        Binding("enter", "play_suggested", N_("Play suggested"), tooltip=N_("Play the story suggested to practise next")),
        Binding("escape", "back", N_("Back"), tooltip=N_("Back to the story picker")),
    ]

    def __init__(self, stories: list[tuple[Path, Story]] | None = None) -> None:
        super().__init__()
        self.stories = stories
        """The library's playable stories, when the picker has them already."""
        self.data: ProgressData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(LoadingIndicator(), id="progress-body", can_focus=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = _(self.TITLE)
        self.gather()

    def language_changed(self) -> None:
        """The app switched language: gather again, so the rulebook's names come in it too."""
        self.title = _(self.TITLE)
        self.gather()

    @work(thread=True, exclusive=True, group="progress")
    def gather(self) -> None:
        app = self.app
        plays = app.record.plays()  # type: ignore[attr-defined]
        stories = self.stories
        if stories is None:
            from roleplay.play.library import load_catalog

            try:
                entries = load_catalog(app.options.library)  # type: ignore[attr-defined]
            except OSError:
                entries = []
            stories = [(entry.path, entry.story) for entry in entries if entry.story is not None]
        from roleplay.story.translation import translate_story

        stories = [(path, translate_story(story, app.language)) for path, story in stories]  # type: ignore[attr-defined]
        data = ProgressData(plays, stories, app.rulebook, today())  # type: ignore[attr-defined]
        # Textual types call_from_thread's callback as returning Awaitable[Never]; a coroutine function is what it runs.
        app.call_from_thread(self.show, data)  # type: ignore[arg-type]

    async def show(self, data: ProgressData) -> None:
        self.data = data
        body = self.query_one("#progress-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all(self._sections(data))
        self.app.show_record_notices()  # type: ignore[attr-defined]
        self.refresh_bindings()

    def _sections(self, data: ProgressData) -> list[Widget]:
        sections: list[Widget] = []
        advice = data.suggestion
        if advice is not None:
            if advice.story_title is not None:
                text = _(NEXT_WITH_STORY).format(article=advice.article_label, reason=advice.reason, story=advice.story_title)
            else:
                text = _(NEXT_WITHOUT_STORY).format(article=advice.article_label, reason=advice.reason)
            box = Static(text, id="progress-next", markup=False)
            box.border_title = _(HEADING_NEXT)
            sections.append(box)
        if not data.total:
            sections.append(Static(_(NO_PLAYS), id="progress-empty", markup=False))
            return sections

        story_lines = [
            Static(
                story_line(
                    data.titles.get(result.story, result.title),
                    result.plays,
                    data.labels.get(result.best.outcome, result.best.outcome),
                    data.labels.get(result.last.outcome, result.last.outcome),
                ),
                classes=f"progress-story -{data.tones.get(result.best.outcome, 'bad')}",
                markup=False,
            )
            for result in data.results
        ]
        stories = Vertical(*story_lines, id="progress-stories", classes="progress-section")
        stories.border_title = _(HEADING_STORIES)
        recent = sum(count for _, count in data.weeks)
        chart = Vertical(
            Sparkline([count for _, count in data.weeks], summary_function=max, id="progress-sparkline"),
            Static(chart_caption(WEEKS_CHARTED, recent, data.total), id="progress-chart-caption"),
            id="progress-chart",
            classes="progress-section",
        )
        chart.border_title = _(HEADING_CHART)
        sections.append(Horizontal(stories, chart, id="progress-top"))

        if data.articles:
            articles = Vertical(
                *(
                    widget
                    for tally in data.articles
                    for widget in (
                        Static(tally.label, classes="progress-article", markup=False),
                        trend_row(
                            _(ARTICLE_LINE).format(
                                recommended=tally.recommended, warned=tally.warned, share=format_percent(tally.warned_share)
                            ),
                            tally.trend,
                            "-article",
                        ),
                    )
                ),
                id="progress-articles",
                classes="progress-section",
            )
            articles.border_title = _(HEADING_ARTICLES)
            sections.append(articles)
        if data.tactics:
            tactics = Vertical(
                *(
                    trend_row(
                        _(TACTIC_LINE).format(
                            label=tally.label,
                            count=tally.recommended + tally.warned,
                            kind=_(KINDS["recommended" if tally.recommended else "warned"]),
                        ),
                        tally.trend,
                        "-warned" if tally.warned else "-recommended",
                    )
                    for tally in data.tactics
                ),
                id="progress-tactics",
                classes="progress-section",
            )
            tactics.border_title = _(HEADING_TACTICS)
            sections.append(tactics)
        return sections

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "play_suggested":
            advice = self.data.suggestion if self.data is not None else None
            return advice is not None and advice.story_path is not None
        if action == "progress":
            return False  # already here
        return True

    def action_play_suggested(self) -> None:
        advice = self.data.suggestion if self.data is not None else None
        if advice is None or advice.story_path is None:
            return
        story = self.data.stories.get(advice.story_path) if self.data is not None else None
        if story is not None:
            self.app.play(story)  # type: ignore[attr-defined]
        else:
            self.app.open_story(str(advice.story_path))  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()
