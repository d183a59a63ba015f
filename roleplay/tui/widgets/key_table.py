"""The keys as a table (where, key, what it does), read from the bindings: both help screens show one.

The table is a single widget drawing a Rich table, not a Markdown table (which
mounts a widget for every cell: some 170 for the app's keys, each restyled on
every theme or language change).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from roleplay.i18n import _

KeyRow = tuple[str, str, str]
"""Where a key works, the key as shown, and what it does (all in the interface language)."""

NUMBERED_ACTIONS = ("number", "unvote", "choose")
"""Actions bound to each of the keys 1-9: the one binding shown in the footer stands for all nine."""


def key_rows(app, groups: Iterable[tuple[str, Sequence[BindingType]]]) -> list[KeyRow]:
    """A row for every binding with a description, by where it works; each key and action is listed once.

    Bindings that only answer "which reply?" after another key (``answer(n)``)
    are left out: the key before them says so.
    """
    rows: list[KeyRow] = []
    for where, bindings in groups:
        seen: set[tuple[str, str]] = set()
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description or binding.action.startswith("answer("):
                continue
            action = binding.action.split("(", 1)[0]
            if action in NUMBERED_ACTIONS and not binding.show:
                continue
            key = binding.key_display or app.get_key_display(binding)
            description = _(binding.tooltip or binding.description)
            if action == "set_mode":
                description = _("Switch between coach and exam mode")  # one key, m, for exam mode or coach mode
            elif action == "choose":
                key, description = _("1-9, or ↑ ↓ Enter"), _("Give the reply with that number")
            if (key, action) in seen or (key, description) in seen:
                continue
            seen.update({(key, action), (key, description)})
            rows.append((where, key, description))
    return rows


def palette_row() -> KeyRow:
    """The command palette's row: it works everywhere and is no screen's binding."""
    return (_("Everywhere"), "ctrl+p", _("Command palette: every action by name"))


class KeyTable(Static):
    """Rows of keys under the headings where, key and what it does."""

    COMPONENT_CLASSES = {"key-table--header", "key-table--key"}

    def __init__(self, rows: Sequence[KeyRow], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = list(rows)
        """The rows shown, in order."""

    def render(self) -> Table:
        table = Table(
            expand=True,
            box=None,
            pad_edge=False,
            header_style=self.get_component_rich_style("key-table--header"),
        )
        table.add_column(_("Where"))
        table.add_column(_("Key"), ratio=1, style=self.get_component_rich_style("key-table--key"))
        table.add_column(_("What it does"), ratio=3)
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in row))  # as written: a key such as [ is no markup
        return table
