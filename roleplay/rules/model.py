"""The rulebook as the engine reads it: tactics, context modifiers, settlement, the outcome ladder,
ceilings, traits, tactic kinds and mood bands, each with the sources that say it.

Plain frozen values; :mod:`roleplay.rules.rulebook` reads them from ``rulebook.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from roleplay.parsing.conditions import Condition, EvaluationContext
from roleplay.rules.articles import Article

TACTIC_KINDS = ("recommended", "situational", "warned")
"""recommended: the articles advise it; warned: they advise against it; situational: it depends."""

RECOMMENDED = "recommended"
"""The kind of the tactics the articles recommend; the learner's progress weighs them against the warned ones."""

WARNED = "warned"
"""The kind of the tactics the articles warn against; the lesson audit counts them."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a rule comes from: an article file, a section as named in ``articles.yaml`` and the quote that says it.

    A learner never sees the file name: :mod:`roleplay.rules.citations` words a source
    as the article's title, the heading with its translation and the quote.
    """

    article: str
    section: str
    point: int | None = None
    quote: str | None = None

    def __str__(self) -> str:
        from roleplay.rules.citations import source_line

        return source_line(self)

    def to_json(self) -> dict[str, object]:
        """The ids (article file, section, point, quote) and, beside them, what a learner reads."""
        from roleplay.rules.citations import cite

        data: dict[str, object] = {"article": self.article, "section": self.section}
        if self.point is not None:
            data["point"] = self.point
        if self.quote is not None:
            data["quote"] = self.quote
        data.update(cite(self).to_json())
        return data


def sources_json(sources: tuple[Source, ...]) -> list[dict[str, object]]:
    return [source.to_json() for source in sources]


class _Cited:
    """A rule's first source as ``source``, for code that shows one; ``sources`` holds them all."""

    __slots__ = ()
    sources: tuple[Source, ...]

    @property
    def source(self) -> Source:
        return self.sources[0]


class _Named(_Cited):
    """A rule named by its id in ``rulebook.yaml`` and by a label in a text layer."""

    __slots__ = ()
    id: str
    label: str

    @property
    def name(self) -> str:
        """What a learner calls the rule: its translated label, or its id in words ('solution before hearing')."""
        return self.label or self.id.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Tactic(_Cited):
    """What a reply does, with its base effect on mood (now) and loyalty (later)."""

    id: str
    label: str
    kind: str
    mood: int
    loyalty: int
    explain: str
    sources: tuple[Source, ...]
    counters: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Modifier(_Named):
    """A context rule: changes a tactic's effect when its condition holds."""

    id: str
    tactic: str
    when: Condition
    mood: int
    loyalty: int
    explain: str
    sources: tuple[Source, ...]
    label: str = ""
    """Its name in the interface language, from a text layer; empty in ``rulebook.yaml``, where the id names it."""


@dataclass(frozen=True, slots=True)
class Settlement(_Named):
    """An end-of-conversation rule applied once per unit of a counter."""

    id: str
    per: str
    loyalty: int
    explain: str
    sources: tuple[Source, ...]
    label: str = ""
    """Its name in the interface language, from a text layer; empty in ``rulebook.yaml``, where the id names it."""


@dataclass(frozen=True, slots=True)
class Outcome(_Cited):
    """A rung of the loyalty ladder."""

    id: str
    label: str
    when: Condition | None
    meaning: str
    sources: tuple[Source, ...]
    tone: str = "bad"
    """How the rung reads: 'good' (the customer stays with you), 'wary' or 'bad'; screens colour by it."""


OUTCOME_TONES = ("good", "wary", "bad")


@dataclass(frozen=True, slots=True)
class Trait(_Cited):
    """A persona trait a story can give its customer; modifiers test it with trait(id)."""

    id: str
    label: str
    explain: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of tactic (recommended, situational, warned): its heading, and the
    counters each use of one of its tactics adds to."""

    id: str
    heading: str
    counters: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Ceiling(_Named):
    """A mark that caps the outcome: when ``when`` holds at the end, the outcome
    is no better than the rung ``best``."""

    id: str
    when: Condition
    best: str
    explain: str
    sources: tuple[Source, ...]
    label: str = ""
    """Its name in the interface language, from a text layer; empty in ``rulebook.yaml``, where the id names it."""


@dataclass(frozen=True, slots=True)
class MoodBand:
    max: int
    word: str


@dataclass(frozen=True, slots=True)
class Walkout(_Cited):
    when: Condition
    explain: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Rulebook:
    """Everything the engine needs to score replies and end conversations."""

    path: str
    articles: Mapping[str, Article]
    default_loyalty: int
    walkout: Walkout
    counters: Mapping[str, str]
    mood_bands: tuple[MoodBand, ...]
    traits: Mapping[str, Trait]
    tactics: Mapping[str, Tactic]
    modifiers: tuple[Modifier, ...]
    settlement: tuple[Settlement, ...]
    outcomes: tuple[Outcome, ...]
    kinds: Mapping[str, Kind] = field(default_factory=dict)
    ceilings: tuple[Ceiling, ...] = ()
    counter_labels: Mapping[str, str] = field(default_factory=dict)
    """Counters' names in words in another language (from a text layer's ``counter.<name>.label``)."""

    def counter_label(self, name: str) -> str:
        """What a listing calls a counter: its translated label, or its name in words ('reckless promises')."""
        return self.counter_labels.get(name) or name.replace("_", " ")

    def mood_word(self, mood: int) -> str:
        for band in self.mood_bands:
            if mood <= band.max:
                return band.word
        return self.mood_bands[-1].word

    def outcome(self, outcome_id: str) -> Outcome:
        return next(o for o in self.outcomes if o.id == outcome_id)

    def outcome_rank(self, outcome_id: str) -> int:
        """0 for the worst rung; higher is better (the ladder is written best first)."""
        ids = [o.id for o in self.outcomes]
        return len(ids) - 1 - ids.index(outcome_id)

    @property
    def mark_counters(self) -> tuple[str, ...]:
        """The counters every warned-against tactic adds to: its marks."""
        kind = self.kinds.get(WARNED)
        return tuple(name for name, change in kind.counters.items() if change > 0) if kind else ()

    @property
    def good_outcomes(self) -> frozenset[str]:
        """The outcomes where the customer stays with you (tone 'good')."""
        return frozenset(o.id for o in self.outcomes if o.tone == "good")

    @property
    def top_outcome(self) -> Outcome:
        """The best rung of the ladder."""
        return self.outcomes[0]

    def rung(self, context: EvaluationContext) -> Outcome:
        """The rung a finished conversation lands on: the first rung whose condition holds,
        lowered to the best rung any applying ceiling allows."""
        landed = next((o for o in self.outcomes if o.when is None or o.when(context)), self.outcomes[-1])
        for ceiling in self.ceilings_for(context):
            if self.outcome_rank(ceiling.best) < self.outcome_rank(landed.id):
                landed = self.outcome(ceiling.best)
        return landed

    def ceilings_for(self, context: EvaluationContext) -> tuple[Ceiling, ...]:
        """The ceilings whose condition holds in ``context`` (a finished, settled state)."""
        return tuple(c for c in self.ceilings if c.when(context))

    def modifiers_for(self, tactic: str) -> tuple[Modifier, ...]:
        return self._modifiers_by_tactic.get(tactic, ())

    @property
    def _modifiers_by_tactic(self) -> dict[str, tuple[Modifier, ...]]:
        cached = self.__dict__.get("_by_tactic")
        if cached is None:
            grouped: dict[str, list[Modifier]] = {}
            for modifier in self.modifiers:
                grouped.setdefault(modifier.tactic, []).append(modifier)
            cached = {tactic: tuple(mods) for tactic, mods in grouped.items()}
            self.__dict__["_by_tactic"] = cached
        return cached

    def to_json(self) -> dict[str, object]:
        return {
            "tactics": {
                t.id: {
                    "label": t.label,
                    "kind": t.kind,
                    "mood": t.mood,
                    "loyalty": t.loyalty,
                    "counters": dict(t.counters),
                    "explain": t.explain,
                    "source": t.source.to_json(),
                    "sources": sources_json(t.sources),
                }
                for t in self.tactics.values()
            },
            "modifiers": [
                {
                    "id": m.id,
                    "tactic": m.tactic,
                    "when": m.when.text,
                    "mood": m.mood,
                    "loyalty": m.loyalty,
                    "explain": m.explain,
                    "source": m.source.to_json(),
                    "sources": sources_json(m.sources),
                }
                for m in self.modifiers
            ],
            "traits": {
                t.id: {"label": t.label, "explain": t.explain, "source": t.source.to_json(), "sources": sources_json(t.sources)}
                for t in self.traits.values()
            },
            "settlement": [
                {
                    "id": s.id,
                    "per": s.per,
                    "loyalty": s.loyalty,
                    "explain": s.explain,
                    "source": s.source.to_json(),
                    "sources": sources_json(s.sources),
                }
                for s in self.settlement
            ],
            "walkout": {
                "when": self.walkout.when.text,
                "explain": self.walkout.explain,
                "source": self.walkout.source.to_json(),
                "sources": sources_json(self.walkout.sources),
            },
            "outcomes": [
                {
                    "id": o.id,
                    "label": o.label,
                    "when": o.when.text if o.when else None,
                    "meaning": o.meaning,
                    "tone": o.tone,
                    "source": o.source.to_json(),
                    "sources": sources_json(o.sources),
                }
                for o in self.outcomes
            ],
            "kinds": {k.id: {"heading": k.heading, "counters": dict(k.counters)} for k in self.kinds.values()},
            "ceilings": [
                {
                    "id": c.id,
                    "when": c.when.text,
                    "best": c.best,
                    "explain": c.explain,
                    "source": c.source.to_json(),
                    "sources": sources_json(c.sources),
                }
                for c in self.ceilings
            ],
            "mood_bands": [{"max": b.max, "word": b.word} for b in self.mood_bands],
            "default_loyalty": self.default_loyalty,
            "articles": {
                a.id: {"language": a.language, "language_code": a.code, "title": a.title, "original_title": a.original_title}
                for a in self.articles.values()
            },
        }
