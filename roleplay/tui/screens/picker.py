"""The story picker: the library's stories with what each is about, and a way to open any story file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from roleplay.i18n import N_, _, ngettext
from roleplay.tui.widgets.header import Header

if TYPE_CHECKING:
    from roleplay.play.library import CatalogEntry
    from roleplay.play.plays import PlayRecord
    from roleplay.tui.story_info import Listed


class StoryList(OptionList):
    """The stories in the library; Enter or a click plays the highlighted one."""

    BINDINGS = [Binding("enter", "select", N_("Play"), show=True)]


Block = list[tuple[str, str]]
"""A paragraph of the details: its lines, each with its kind ('' for plain, 'heading', 'error', 'error heading')."""


class StoryDetails(ScrollView):
    """What the highlighted story is about: summary, customer, length, articles - or its errors.

    One widget, updated in place, that scrolls its own lines, rather than a scrolling container
    around a text (or a widget a heading and paragraph): the details are in the first frame and
    change with every move in the list. Headings and errors are styled by the component classes
    (in picker.tcss). Every line of the text has one style, so it is wrapped as plain text
    (:func:`~roleplay.tui.wrapping.wrap_plain`) once for a width and kept, and only the lines in
    view are drawn, with the styles of the moment (so a new theme restyles it).
    """

    COMPONENT_CLASSES = {"details--heading", "details--error"}

    blocks: list[Block] = []
    _wrapped: tuple[int, list[tuple[str, str]]] | None = None
    """The lines of the text wrapped to a width, each with its kind, and that width."""
    _drawn: dict[int, Strip] = {}
    """The lines drawn so far at that width and in the styles of the moment, by number."""

    def _show(self, blocks: list[Block]) -> None:
        """Show ``blocks``, with a blank line between them, from the top."""
        self.blocks = blocks
        self._wrapped = None
        self._drawn = {}
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _styles(self) -> dict[str, Style]:
        heading = self.get_visual_style("details--heading", partial=True)
        error = self.get_visual_style("details--error", partial=True)
        return {"heading": heading, "error": error, "error heading": heading + error}

    def render(self) -> Content:
        """The whole text, styled (what the lines drawn show, before wrapping)."""
        styles = self._styles()
        return Content("\n\n").join(
            Content("\n").join(Content.styled(line, styles[kind]) if kind else Content(line) for line, kind in block)
            for block in self.blocks
        )

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = {}

    def _lines(self, width: int) -> list[tuple[str, str]]:
        if self._wrapped is None or self._wrapped[0] != width:
            from roleplay.tui.wrapping import wrap_plain

            lines: list[tuple[str, str]] = []
            for number, block in enumerate(self.blocks):
                if number:
                    lines.append(("", ""))
                for text, kind in block:
                    lines.extend((part, kind) for part in wrap_plain(text, width))
            self._wrapped = (width, lines)
            self._drawn = {}
        return self._wrapped[1]

    def _update_lines(self) -> None:
        """Wrap the lines to the width inside the border and padding, beside the scrollbar when they will need
        one (so they are not wrapped again once it shows), and set the height to scroll to match."""
        region = self.scrollable_content_region
        bar = self.styles.scrollbar_size_vertical
        full = region.width + (bar if self.show_vertical_scrollbar else 0)
        width = max(1, full - bar)
        if len(self._lines(width)) <= region.height:
            width = full  # no scrollbar: the lines fit beside one, so they fit without it
        virtual_size = Size(width, len(self._lines(width)))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._update_lines()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        wrapped = self._wrapped  # as _update_lines wrapped them, unless they would not fit
        lines = wrapped[1] if wrapped is not None and wrapped[0] <= width else self._lines(width)
        y += self.scroll_offset.y
        base = self.visual_style
        if not 0 <= y < len(lines):
            return Strip.blank(width, base.rich_style)
        strip = self._drawn.get(y)
        if strip is None:
            text, kind = lines[y]
            style = (base + self._styles()[kind]) if kind else base
            strip = Strip([Segment(text, style.rich_style)] if text else [], cell_len(text))
            strip = self._drawn[y] = strip.extend_cell_length(width, base.rich_style)
        return strip

    def show_entry(self, entry: Listed, best: PlayRecord | None = None, outcome_name: str = "") -> None:
        """Describe ``entry``, with the learner's ``best`` play of it (its outcome named ``outcome_name``)."""

        def heading(words: str, *lines: str) -> Block:
            return [(words, "heading"), *((line, "") for line in lines)]

        blocks: list[Block] = []
        if not entry.playable:
            from roleplay.tui.screens.errors import located

            self.border_title = entry.path.name
            blocks.append(
                [
                    (_("This story has errors and cannot be played:"), "error heading"),
                    *((located(error), "error") for error in entry.errors),
                    (_("Fix the file, or press Enter to see the errors in full."), ""),
                ]
            )
        else:
            self.border_title = entry.title
            if entry.summary:
                blocks.append([(entry.summary, "")])
            # The learner's best comes first after the summary, so it is in view at 80x24.
            if best is not None:
                mode = _("coach mode") if best.coached else _("exam mode")
                shown = _("{outcome} (mood {mood}, loyalty {loyalty}; {mode}, {date})").format(
                    outcome=outcome_name or best.outcome,
                    mood=best.mood,
                    loyalty=best.loyalty,
                    mode=mode,
                    date=played_on(best.finished_at),
                )
                blocks.append(heading(_("Your best so far"), shown))
            blocks.append(heading(_("Customer"), f"{entry.customer}: {entry.about}" if entry.about else entry.customer))
            blocks.append(heading(_("Length"), entry.size))
            blocks.append(heading(_("Trains"), *entry.trains))
        self._show(blocks)

    def show_message(self, title: str, text: str) -> None:
        self.border_title = title
        self._show([[(text, "")]])


def played_on(finished_at: str) -> str:
    """The day of a recorded play, written the way the interface language writes dates."""
    from datetime import datetime

    from roleplay.i18n import format_date

    try:
        return format_date(datetime.fromisoformat(finished_at).date())
    except ValueError:
        return finished_at[:10]


PARTS = " · "
"""What parts an indented line of a listed story (the customer · the length): a narrow list breaks it there."""


def wrap_listed(line: str, width: int) -> list[str]:
    """One line of a listed story wrapped to ``width``: an indented line keeps its indent on every line and
    breaks between its parts (so "19 nodes" stays whole) before it breaks inside one."""
    from roleplay.tui.wrapping import wrap_plain

    body = line.lstrip(" ")
    indent = line[: len(line) - len(body)]
    if not indent:
        return wrap_plain(line, width)
    room = max(1, width - len(indent))
    lines: list[str] = []
    current = ""
    for part in body.split(PARTS):
        joined = f"{current}{PARTS}{part}" if current else part
        if cell_len(joined) <= room:
            current = joined
            continue
        if current:
            lines.append(current)
        *full, current = wrap_plain(part, room)
        lines.extend(full)
    lines.append(current)
    return [indent + piece for piece in lines]


class Prompt(Visual):
    """A story as listed: its text wrapped once for a width and kept (the list measures it, then draws it)."""

    def __init__(self, text: str) -> None:
        self.text = Content(text)
        self._wrapped: tuple[int, list[Content]] | None = None

    def _lines(self, width: int) -> list[Content]:
        if self._wrapped is None or self._wrapped[0] != width:
            width = max(1, width)
            lines = [Content(piece) for line in self.text.plain.split("\n") for piece in wrap_listed(line, width)]
            self._wrapped = (width, lines)
        return self._wrapped[1]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(line.cell_length for line in self.text.split("\n"))

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._lines(width))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return [Strip(line.render_segments(style), line.cell_length) for line in self._lines(width)[:height]]

    @property
    def plain(self) -> str:
        return self.text.plain

    def __str__(self) -> str:
        return self.text.plain


def story_prompt(entry: Listed) -> Prompt:
    """The story as listed: its title, and the customer and length underneath (or that it has errors)."""
    if not entry.playable:
        count = len(entry.errors)
        return Prompt(
            f"⚠ {entry.path.name}\n  "
            + ngettext("{count} error: cannot be played", "{count} errors: cannot be played", count).format(count=count)
        )
    nodes = ngettext("{count} node", "{count} nodes", entry.nodes).format(count=entry.nodes)
    return Prompt(f"{entry.title}\n  {entry.customer} · {nodes}")


class PickerScreen(Screen):
    """Pick a story to play from the library, or open a story file by its path."""

    STYLED_BY_FIRST_STYLES = True
    """Its styles are in the app's first stylesheets, so it can open before the others are read."""

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
        self.listing: list[Listed] = []
        """The stories as listed, in the interface language (from the cache, see :func:`library_listing`)."""
        self._loaded: dict[Path, CatalogEntry] = {}
        """The stories loaded and checked so far, to play (each is loaded when it is chosen)."""
        self.best: dict[str, PlayRecord] = {}
        """The learner's best finished play of each story, by file name."""
        self.outcomes: dict[str, tuple[int, str]] = {}
        """The rulebook's outcomes, each with its rank and its name in the interface language."""

    def compose(self) -> ComposeResult:
        # The list and the details side by side (or one above the other, narrow), straight on the screen:
        # every container is one more widget to mount, style, lay out and draw in the first frame.
        yield Header()
        yield StoryList(id="stories")
        yield StoryDetails(id="story-details")
        # The footer's keys come only after the first frame (Textual's Footer shows them once the screen's
        # bindings are settled), so the first frame has the footer's empty line in its place, and the
        # footer, with Textual's code for it, comes in after (:meth:`mount_footer`).
        yield Static(id="footer-to-come")

    async def mount_footer(self) -> None:
        """Put the footer in the place kept for it, with the keys of the moment."""
        from roleplay.tui.widgets.footer import Footer

        with self.app.batch_update():
            await self.query_one("#footer-to-come").remove()
            await self.mount(Footer(compact=True))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_story":
            return False  # already here
        return True

    def on_mount(self) -> None:
        self.title = _(self.TITLE)
        # The stories are in the first frame: the listing comes from the cache (or, when a file changed,
        # a few hundred milliseconds of checking), so a key pressed as the picker appears acts on the
        # list as shown, never on one about to change.
        self.load_listing()
        self.call_after_refresh(self.mount_footer)

    def load_listing(self) -> None:
        from roleplay.play.library import bundled_stories_dir
        from roleplay.tui.story_info import library_listing

        folder = self.library
        try:
            listing = library_listing(folder, getattr(self.app, "language", "en"))
        except OSError as exc:
            where = folder or bundled_stories_dir()
            self.show_problem(
                _("Cannot read the story folder {folder}: {reason}").format(folder=where, reason=exc.strerror or exc)
            )
            return
        self.show_listing(listing)

    def entry(self, index: int) -> CatalogEntry:
        """The story listed at ``index``, loaded and checked (once)."""
        from roleplay.play.library import load_entry

        path = self.listing[index].path
        entry = self._loaded.get(path)
        if entry is None:
            entry = self._loaded[path] = load_entry(path)
        return entry

    def language_changed(self) -> None:
        """Show the list and the details again in the new interface language."""
        self.title = _(self.TITLE)
        if self.listing:
            stories = self.query_one(StoryList)
            highlighted = stories.highlighted
            self.load_listing()
            stories.highlighted = highlighted
            self._show_highlighted()

    def show_problem(self, text: str) -> None:
        self._details_shown = None
        self.query_one(StoryList).loading = False
        self.query_one(StoryDetails).show_message(_("No stories"), text + "\n" + _("Press o to open a story file."))

    def _load_progress(self) -> None:
        if not getattr(self.app, "record_open", True):
            return  # the record is opened after the first frame, which calls progress_changed
        from roleplay.play.record import best_outcomes
        from roleplay.tui.story_info import outcome_ranks

        plays = self.app.record.plays()  # type: ignore[attr-defined]
        self.outcomes = outcome_ranks(getattr(self.app, "language", "en")) if plays else {}
        ranks = {outcome: rank for outcome, (rank, _name) in self.outcomes.items()}
        self.best = best_outcomes(ranks, plays)

    _details_shown: tuple[object, ...] | None = None
    """What the details show now (the entry, the best play, the language), so the same is not built twice."""

    def _show_entry(self, index: int) -> None:
        entry = self.listing[index]
        best = self.best.get(entry.path.name)
        name = self.outcomes.get(best.outcome, (0, ""))[1] if best is not None else ""
        shown = (entry, best, name, getattr(self.app, "language", None))
        if shown == self._details_shown:
            return  # the highlight set when the list is filled arrives after the details were shown for it
        self._details_shown = shown
        self.query_one(StoryDetails).show_entry(entry, best, name)

    def _show_highlighted(self) -> None:
        index = self.query_one(StoryList).highlighted
        if index is not None and index < len(self.listing):
            self._show_entry(index)

    _resumed = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back from a conversation: a finished play may have set a new best."""
        if not self._resumed:
            # The first time, the picker has just been mounted and styled: Textual (whose handler runs
            # after this one) need not style every widget again before the first frame.
            self._resumed = True
            event.refresh_styles = False
        self.progress_changed()

    def progress_changed(self) -> None:
        """Show the learner's best so far again (the record was opened, or a play finished)."""
        if self.listing:
            self._load_progress()
            self._show_highlighted()

    def show_listing(self, listing: list[Listed]) -> None:
        self.listing = listing
        self._load_progress()
        stories = self.query_one(StoryList)
        stories.loading = False
        stories.set_options(Option(story_prompt(entry), id=str(index)) for index, entry in enumerate(listing))
        if not listing:
            from roleplay.play.library import bundled_stories_dir

            where = self.library or bundled_stories_dir()
            self._details_shown = None
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
        self._show_entry(event.option_index)

    @on(OptionList.OptionSelected, "#stories")
    def story_chosen(self, event: OptionList.OptionSelected) -> None:
        entry = self.entry(event.option_index)
        if entry.story is None:
            self.app.show_errors(str(entry.path), entry.errors)  # type: ignore[attr-defined]
        else:
            self.app.play(entry.story)  # type: ignore[attr-defined]
