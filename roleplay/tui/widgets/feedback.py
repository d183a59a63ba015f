"""The coaching panel: after each reply, every rule it triggered, what it did, why, and the source.

Loyalty stays hidden until the debrief, so here a rule's effect on loyalty is
described in words (:func:`loyalty_hint`), never as a number; mood changes,
which the meter shows anyway, are given as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from roleplay.i18n import N_, _
from roleplay.play.engine import Effect, TurnResult
from roleplay.rules.citations import sources_brief
from roleplay.rules.rulebook import Rulebook

COACH_INTRO = N_(
    "Pick a reply. After each one this panel shows the rules it triggered, "
    "what each did to the customer's mood and trust, why, and which article says so."
)
EXAM_NOTE = N_("Exam mode: the feedback for each reply waits for the debrief. The mood meter still moves.")


def loyalty_hint(loyalty: int) -> str:
    """A loyalty change in words, for while loyalty is hidden ('' for no change)."""
    if loyalty == 0:
        return ""
    if loyalty > 0:
        return _("builds a lot of trust") if loyalty >= 10 else _("builds trust")
    return _("costs a lot of trust later") if loyalty <= -10 else _("costs trust later")


def effect_summary(effect: Effect) -> str:
    """'+8 mood · builds trust': the effect as the coach shows it."""
    parts = []
    if effect.mood:
        parts.append(_("{change} mood").format(change=f"{effect.mood:+d}"))
    hint = loyalty_hint(effect.loyalty)
    if hint:
        parts.append(hint)
    return " · ".join(parts) or _("no change")


def effect_title(effect: Effect, rulebook: Rulebook) -> str:
    """The rule's name as a learner reads it."""
    if effect.kind == "tactic" and effect.tactic is not None and effect.tactic in rulebook.tactics:
        return rulebook.tactics[effect.tactic].label
    if effect.kind == "modifier":
        return _("In this situation")
    if effect.kind == "settlement":
        return _("At the end")
    return effect.rule.replace("_", " ").capitalize()


KIND_MARKS = {"recommended": "✓", "situational": "~", "warned": "✗", "context": "↳", "walkout": "✗"}
"""The mark before a rule's name: the tactic's kind in the rulebook (the debrief uses the same marks)."""


@dataclass(frozen=True, slots=True)
class Note:
    """One block of the coach's notes: a rule applied (or a walk-out, or a plain remark)."""

    kind: str
    """'recommended', 'situational' or 'warned' (the tactic's kind), 'context', 'walkout' or 'remark'."""
    title: str
    change: str = ""
    direction: str = "level"
    """'up', 'down' or 'level': which way the change goes, for its colour."""
    explain: str = ""
    source: str = ""
    """Where the advice comes from, in words: article title, heading and quote (see :mod:`roleplay.rules.citations`)."""


def effect_kind(effect: Effect, rulebook: Rulebook) -> str:
    if effect.kind == "tactic" and effect.tactic is not None and effect.tactic in rulebook.tactics:
        return rulebook.tactics[effect.tactic].kind
    return "context"


def direction(mood: int, loyalty: int) -> str:
    if mood > 0 or (mood == 0 and loyalty > 0):
        return "up"
    if mood < 0 or loyalty < 0:
        return "down"
    return "level"


def effect_note(effect: Effect, rulebook: Rulebook) -> Note:
    return Note(
        effect_kind(effect, rulebook),
        effect_title(effect, rulebook),
        effect_summary(effect),
        direction(effect.mood, effect.loyalty),
        effect.explain,
        sources_brief(effect.sources),
    )


def turn_notes(result: TurnResult, rulebook: Rulebook, customer: str, *, point_to_debrief: bool = True) -> list[Note]:
    """What the coach says about one reply: each rule it set off (context rules after their tactic), then a walk-out.

    After the last reply it also points to the debrief, unless ``point_to_debrief`` is off (in the debrief itself).
    """
    notes = [effect_note(effect, rulebook) for effect in result.effects]
    if not result.effects:
        notes.append(Note("remark", _("This reply uses none of the rulebook's tactics, so it changes nothing.")))
    if result.walked_out:
        walkout = rulebook.walkout
        notes.append(
            Note(
                "walkout",
                _("{name} walked out").format(name=customer),
                "",
                "down",
                walkout.explain,
                sources_brief(walkout.sources),
            )
        )
    elif result.finished and point_to_debrief:
        notes.append(Note("remark", _("The conversation is over: open the debrief to see how it ended.")))
    return notes


class FeedbackNotes(Widget):
    """The notes, drawn as one block of text; colours come from the component classes.

    The text is wrapped once for a width and its lines kept (like the transcript's), so measuring
    the notes and drawing them after a reply costs one wrap, not one per measure and per draw.
    """

    COMPONENT_CLASSES = {
        "feedback--recommended",
        "feedback--situational",
        "feedback--warned",
        "feedback--context",
        "feedback--walkout",
        "feedback--title",
        "feedback--up",
        "feedback--down",
        "feedback--level",
        "feedback--explain",
        "feedback--source",
        "feedback--remark",
    }

    def __init__(self, notes: Sequence[Note] = (), *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._notes: list[Note] = list(notes)
        self._content: Content | None = None
        """The notes as one text, kept until they or the styles change."""
        self._strips: tuple[int, list[Content], dict[int, Strip]] | None = None
        """The width, the lines of the notes wrapped to it, and those drawn so far as strips (by line)."""
        self._wrapped: LRUCache[tuple[Note, int], list[Content]] = LRUCache(64)
        """Each note wrapped to a width, in the styles of the moment."""

    @property
    def notes(self) -> list[Note]:
        return list(self._notes)

    def show(self, notes: Sequence[Note]) -> None:
        self._notes = list(notes)
        self._content = None
        self._strips = None
        width = self.size.width
        if width:
            # The new size, known now: set before the layout, the layout finds nothing changed and
            # does not go round again (Textual lays the screen out a second time for a widget
            # whose size it had to change).
            self.virtual_size = Size(width, len(self._lines(width)))
        self.refresh(layout=True)

    @property
    def lines(self) -> int:
        """How many lines the notes take at the width they are shown (0 before they are laid out)."""
        width = self.size.width
        return len(self._lines(width)) if width and self._notes else 0

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._content = None
        self._strips = None
        self._wrapped.clear()

    def _lines(self, width: int) -> list[Content]:
        """The notes wrapped to ``width``; each is made a strip only when it is drawn (:meth:`render_line`),
        since the panel shows a few lines of notes that can run to many.

        Each note is wrapped on its own, and kept (:attr:`_wrapped`): a rule's explanation and source
        come back whenever its tactic does, reply after reply."""
        if self._strips is None or self._strips[0] != width:
            lines: list[Content] = []
            for number, note in enumerate(self._notes):
                key = (note, width)
                wrapped = self._wrapped.get(key)
                if wrapped is None:
                    wrapped = self._wrapped[key] = self._note_text(note).wrap(max(1, width))
                if number:
                    lines.append(Content(""))
                lines.extend(wrapped)
            self._strips = (width, lines, {})
        return self._strips[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width)) if self._notes else 0

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self._lines(width)
        if not 0 <= y < len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        assert self._strips is not None
        drawn = self._strips[2]
        strip = drawn.get(y)
        if strip is None:
            base = self.visual_style
            line = lines[y]
            strip = drawn[y] = Strip(line.render_segments(base), line.cell_length).extend_cell_length(width, base.rich_style)
        return strip

    @property
    def text(self) -> str:
        """The notes as plain text."""
        return self.render().plain

    def render(self) -> Content:
        if self._content is None:
            self._content = self._compose_notes()
        return self._content

    def _compose_notes(self) -> Content:
        return Content("\n\n").join(self._note_text(note) for note in self._notes)

    def _note_text(self, note: Note) -> Content:
        """One note as text, in the component classes' styles."""

        def style(name: str):
            return self.get_visual_style(f"feedback--{name}", partial=True)

        if note.kind == "remark":
            return Content.styled(note.title, style("remark"))
        lines = [
            Content.assemble(
                (f"{KIND_MARKS.get(note.kind, '·')} ", style(note.kind)),
                (note.title, style("title")),
            )
        ]
        if note.change:
            lines.append(Content.styled(f"  {note.change}", style(note.direction)))
        if note.explain:
            lines.append(Content.styled(note.explain, style("explain")))
        if note.source:
            lines.append(Content.styled(note.source, style("source")))
        return Content("\n").join(lines)


class FeedbackPanel(VerticalScroll):
    """The coach's notes on the last reply, or a note that exam mode holds them back."""

    def __init__(self, rulebook: Rulebook, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rulebook = rulebook
        self.border_title = _("Coach")
        self.can_focus = True  # Tab to it to scroll long notes with the keyboard (the conversation pages it with PgUp/PgDn)

    @property
    def allow_vertical_scroll(self) -> bool:
        # No scroll bar is drawn (the border's hint says PgDn), but longer notes still scroll.
        return self.max_scroll_y > 0

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._show_scroll_hint()

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_scroll_hint)

    def _show_scroll_hint(self) -> None:
        """Say under the notes when there is more to read, and which key reads it."""
        if not self.is_attached:
            return
        if self.max_scroll_y <= 0:
            hint = ""
        elif self.scroll_y < self.max_scroll_y:
            hint = _("PgDn: more")
        else:
            hint = _("PgUp: back")
        if self.border_subtitle != hint:
            self.border_subtitle = hint

    def compose(self) -> ComposeResult:
        yield FeedbackNotes()

    @property
    def text(self) -> str:
        return self.query_one(FeedbackNotes).text

    def _show(self, notes: list[Note]) -> None:
        self.show_notes(notes)

    def show_notes(self, notes: list[Note]) -> None:
        """Show ``notes`` from the top. The panel's scrollable size and its hint are set at once, so the
        screen is laid out and drawn once (the panel has no scroll bar: the hint says PgDn)."""
        feedback = self.query_one(FeedbackNotes)
        feedback.show(notes)
        self.scroll_to(y=0, animate=False, immediate=True)
        region = self.scrollable_content_region
        lines = feedback.lines
        if region.width and lines:
            self.virtual_size = Size(region.width, max(region.height, lines))
            hint = _("PgDn: more") if lines > region.height else ""
            if self.border_subtitle != hint:
                self.border_subtitle = hint
        else:
            self.call_after_refresh(self._show_scroll_hint)

    def show_intro(self) -> None:
        self.border_title = _("Coach")
        self._show([Note("remark", _(COACH_INTRO))])

    def show_exam(self) -> None:
        self.border_title = _("Exam")
        self._show([Note("remark", _(EXAM_NOTE))])

    def show_turn(self, result: TurnResult, customer: str) -> None:
        """The notes on ``result``: each rule applied, and a walk-out if there was one."""
        self.border_title = _("Coach · reply {number}").format(number=result.turn)
        self._show(turn_notes(result, self.rulebook, customer))
