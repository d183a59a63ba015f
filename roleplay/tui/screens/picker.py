"""The story picker: the library's stories with what each is about, and a way to open any story file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.i18n import N_, _, ngettext
from roleplay.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from roleplay.play.library import CatalogEntry
    from roleplay.play.plays import PlayRecord


class StoryList(OptionList):
    """The stories in the library; Enter or a click plays the highlighted one."""

    BINDINGS = [Binding("enter", "select", N_("Play"), show=True)]


class StoryDetails(VerticalScroll):
    """What the highlighted story is about: summary, customer, length, articles - or its errors."""

    def show_entry(self, entry: CatalogEntry, best: PlayRecord | None = None) -> None:
        from roleplay.rules.rulebook import default_rulebook
        from roleplay.tui.screens.errors import located
        from roleplay.tui.story_info import story_size, trains_lines

        widgets: list[Widget] = []
        story = entry.story
        if story is None:
            self.border_title = entry.path.name
            widgets.append(Static(_("This story has errors and cannot be played:"), classes="details-heading -error"))
            widgets.extend(Static(located(error), classes="details-error", markup=False) for error in entry.errors)
            widgets.append(Static(_("Fix the file, or press Enter to see the errors in full."), classes="details-text"))
        else:
            self.border_title = story.title
            if story.summary:
                widgets.append(Static(story.summary, classes="details-summary", markup=False))
            rulebook = getattr(self.app, "rulebook", None) or default_rulebook()
            # The learner's best comes first after the summary, so it is in view at 80x24.
            if best is not None:
                widgets.append(Static(_("Your best so far"), classes="details-heading"))
                mode = _("coach mode") if best.coached else _("exam mode")
                widgets.append(
                    Static(
                        _("{outcome} (mood {mood}, loyalty {loyalty}; {mode}, {date})").format(
                            outcome=rulebook.outcome(best.outcome).label,
                            mood=best.mood,
                            loyalty=best.loyalty,
                            mode=mode,
                            date=played_on(best.finished_at),
                        ),
                        classes="details-text -best",
                        markup=False,
                    )
                )
            customer = story.customer
            widgets.append(Static(_("Customer"), classes="details-heading"))
            widgets.append(
                Static(
                    f"{customer.name}: {customer.about}" if customer.about else customer.name,
                    classes="details-text",
                    markup=False,
                )
            )
            widgets.append(Static(_("Length"), classes="details-heading"))
            widgets.append(Static(str(story_size(story)), classes="details-text", markup=False))
            widgets.append(Static(_("Trains"), classes="details-heading"))
            for text in trains_lines(story, rulebook):
                widgets.append(Static(text, classes="details-text -article", markup=False))
        self.remove_children()
        self.mount_all(widgets)
        self.scroll_home(animate=False)

    def show_message(self, title: str, text: str) -> None:
        self.border_title = title
        self.remove_children()
        self.mount(Static(text, classes="details-text", markup=False))


def played_on(finished_at: str) -> str:
    """The day of a recorded play, written the way the interface language writes dates."""
    from datetime import datetime

    from roleplay.i18n import format_date

    try:
        return format_date(datetime.fromisoformat(finished_at).date())
    except ValueError:
        return finished_at[:10]


def story_prompt(entry: CatalogEntry) -> Text:
    """The story as listed: its title, and the customer and length underneath (or that it has errors)."""
    if entry.story is None:
        count = len(entry.errors)
        return Text(
            f"⚠ {entry.path.name}\n  "
            + ngettext("{count} error: cannot be played", "{count} errors: cannot be played", count).format(count=count)
        )
    story = entry.story
    nodes = ngettext("{count} node", "{count} nodes", len(story.nodes)).format(count=len(story.nodes))
    return Text(f"{story.title}\n  {story.customer.name} · {nodes}")


class PickerScreen(Screen):
    """Pick a story to play from the library, or open a story file by its path."""

    TITLE = N_("Pick a story")
    AUTO_FOCUS = "#stories"
    BINDINGS = [
        Binding("o", "app.open_file", N_("Open file"), tooltip=N_("Open a story file by its path")),
        Binding("h", "app.progress", N_("Progress"), tooltip=N_("Your results over time, and what to practise next")),
    ]

    def __init__(self, library: Path | None = None) -> None:
        super().__init__()
        self.library = library
        """The folder listed; None for the bundled stories."""
        self.entries: list[CatalogEntry] = []
        self.best: dict[str, PlayRecord] = {}
        """The learner's best finished play of each story, by file name."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="picker-body"):
            with Vertical(id="story-column"):
                yield StoryList(id="stories")
            yield StoryDetails(id="story-details")
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_story":
            return False  # already here
        return True

    def on_mount(self) -> None:
        self.title = _(self.TITLE)
        # The stories are in the first frame: loading them before it (a few tens of milliseconds) means
        # a key pressed as the picker appears acts on the list as shown, never on one about to change.
        self.load_catalog()

    def load_catalog(self) -> None:
        from roleplay.play.library import bundled_stories_dir, load_catalog

        folder = self.library
        try:
            entries = load_catalog(folder)
        except OSError as exc:
            where = folder or bundled_stories_dir()
            self.show_problem(
                _("Cannot read the story folder {folder}: {reason}").format(folder=where, reason=exc.strerror or exc)
            )
            return
        self.show_catalog(entries)

    def shown(self, entry: CatalogEntry) -> CatalogEntry:
        """``entry`` with its story's text in the app's language (from its text layer, where it has one)."""
        language = getattr(self.app, "language", None)
        if entry.story is None or language is None:
            return entry
        from dataclasses import replace

        from roleplay.story.translation import translate_story

        return replace(entry, story=translate_story(entry.story, language))

    def language_changed(self) -> None:
        """Show the list and the details again in the new interface language."""
        self.title = _(self.TITLE)
        if self.entries:
            stories = self.query_one(StoryList)
            highlighted = stories.highlighted
            stories.set_options(
                Option(story_prompt(self.shown(entry)), id=str(index)) for index, entry in enumerate(self.entries)
            )
            stories.highlighted = highlighted
            self._show_highlighted()

    def show_problem(self, text: str) -> None:
        self.query_one(StoryList).loading = False
        self.query_one(StoryDetails).show_message(_("No stories"), text + "\n" + _("Press o to open a story file."))

    def _load_progress(self) -> None:
        from roleplay.play.record import best_outcomes
        from roleplay.rules.rulebook import default_rulebook

        rulebook = default_rulebook()
        ranks = {outcome.id: rulebook.outcome_rank(outcome.id) for outcome in rulebook.outcomes}
        self.best = best_outcomes(ranks, self.app.record.plays())  # type: ignore[attr-defined]

    def _show_highlighted(self) -> None:
        index = self.query_one(StoryList).highlighted
        if index is not None and index < len(self.entries):
            entry = self.entries[index]
            self.query_one(StoryDetails).show_entry(self.shown(entry), self.best.get(entry.path.name))

    def on_screen_resume(self) -> None:
        """Back from a conversation: a finished play may have set a new best."""
        if self.entries:
            self._load_progress()
            self._show_highlighted()

    def show_catalog(self, entries: list[CatalogEntry]) -> None:
        self.entries = entries
        self._load_progress()
        stories = self.query_one(StoryList)
        stories.loading = False
        stories.set_options(Option(story_prompt(self.shown(entry)), id=str(index)) for index, entry in enumerate(entries))
        if not entries:
            from roleplay.play.library import bundled_stories_dir

            where = self.library or bundled_stories_dir()
            self.query_one(StoryDetails).show_message(
                _("No stories"),
                _("There are no story files in {folder}.").format(folder=where) + "\n" + _("Press o to open a story file."),
            )
            return
        stories.highlighted = 0
        stories.focus()
        self.refresh_bindings()  # the list can be played from now: show Enter in the Footer
        self._show_highlighted()

    @on(OptionList.OptionHighlighted, "#stories")
    def story_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.entries[event.option_index]
        self.query_one(StoryDetails).show_entry(self.shown(entry), self.best.get(entry.path.name))

    @on(OptionList.OptionSelected, "#stories")
    def story_chosen(self, event: OptionList.OptionSelected) -> None:
        entry = self.entries[event.option_index]
        if entry.story is None:
            self.app.show_errors(str(entry.path), entry.errors)  # type: ignore[attr-defined]
        else:
            self.app.play(entry.story)  # type: ignore[attr-defined]
