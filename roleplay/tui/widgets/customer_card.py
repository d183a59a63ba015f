"""The customer card: who the customer is and, on the mood meter, how they feel."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from roleplay.rules.rulebook import Rulebook
from roleplay.story.model import Customer
from roleplay.tui.widgets.mood_meter import MoodMeter


class CustomerCard(Vertical):
    """Name (as the border title), a line about the customer, their traits, and the mood meter.

    The line about the customer is cut to the width (the whole text is its
    tooltip), so the meter always shows.
    """

    def __init__(self, customer: Customer, mood: int, rulebook: Rulebook, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.customer = customer
        self.rulebook = rulebook
        self._mood = mood
        self.border_title = customer.name

    def compose(self) -> ComposeResult:
        if self.customer.about:
            about = Static(self.customer.about, classes="customer-about", markup=False)
            about.tooltip = self.customer.about
            yield about
        traits = [self.rulebook.traits[t].label for t in self.customer.traits if t in self.rulebook.traits]
        if traits:
            yield Static(" · ".join(traits), classes="customer-traits", markup=False)
        meter = MoodMeter(self._mood, rulebook=self.rulebook)
        meter.who = self.customer.name
        yield meter

    @property
    def meter(self) -> MoodMeter:
        return self.query_one(MoodMeter)
