"""The rulebook: tactics, context modifiers, settlement and the outcome ladder, loaded from data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

from yaml.nodes import Node

from roleplay.conditions import Condition
from roleplay.diagnostics import StoryError, Severity
from roleplay.fields import FieldReader, did_you_mean
from roleplay.yamlfile import read_yaml

TACTIC_KINDS = ("recommended", "situational", "warned")
"""recommended: the articles advise it; warned: they advise against it; situational: it depends."""

WARNED = "warned"
"""The kind of the tactics the articles warn against; the lesson audit counts them."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a rule comes from: an article file and a section heading as written in it."""

    article: str
    section: str
    point: int | None = None

    def __str__(self) -> str:
        point = f", point {self.point}" if self.point is not None else ""
        return f"{self.article} § {self.section}{point}"

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"article": self.article, "section": self.section}
        if self.point is not None:
            data["point"] = self.point
        return data


@dataclass(frozen=True, slots=True)
class Article:
    """A source article: its file name, language, and what it is about."""

    id: str
    language: str
    title: str


@dataclass(frozen=True, slots=True)
class Tactic:
    """What a reply does, with its base effect on mood (now) and loyalty (later)."""

    id: str
    label: str
    kind: str
    mood: int
    loyalty: int
    explain: str
    source: Source
    counters: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Modifier:
    """A context rule: changes a tactic's effect when its condition holds."""

    id: str
    tactic: str
    when: Condition
    mood: int
    loyalty: int
    explain: str
    source: Source


@dataclass(frozen=True, slots=True)
class Settlement:
    """An end-of-conversation rule applied once per unit of a counter."""

    id: str
    per: str
    loyalty: int
    explain: str
    source: Source


@dataclass(frozen=True, slots=True)
class Outcome:
    """A rung of the loyalty ladder."""

    id: str
    label: str
    when: Condition | None
    meaning: str
    source: Source


@dataclass(frozen=True, slots=True)
class Trait:
    """A persona trait a story can give its customer; modifiers test it with trait(id)."""

    id: str
    label: str
    explain: str
    source: Source


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of tactic (recommended, situational, warned): its heading, and the
    counters each use of one of its tactics adds to."""

    id: str
    heading: str
    counters: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Ceiling:
    """A mark that caps the outcome: when ``when`` holds at the end, the outcome
    is no better than the rung ``best``."""

    id: str
    when: Condition
    best: str
    explain: str
    source: Source


@dataclass(frozen=True, slots=True)
class MoodBand:
    max: int
    word: str


@dataclass(frozen=True, slots=True)
class Walkout:
    when: Condition
    explain: str
    source: Source


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
    def top_outcome(self) -> Outcome:
        """The best rung of the ladder."""
        return self.outcomes[0]

    def rung(self, context) -> Outcome:
        """The rung a finished conversation lands on: the first rung whose condition holds,
        lowered to the best rung any applying ceiling allows."""
        landed = next((o for o in self.outcomes if o.when is None or o.when(context)), self.outcomes[-1])
        for ceiling in self.ceilings_for(context):
            if self.outcome_rank(ceiling.best) < self.outcome_rank(landed.id):
                landed = self.outcome(ceiling.best)
        return landed

    def ceilings_for(self, context) -> tuple[Ceiling, ...]:
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
                }
                for m in self.modifiers
            ],
            "traits": {
                t.id: {"label": t.label, "explain": t.explain, "source": t.source.to_json()}
                for t in self.traits.values()
            },
            "settlement": [
                {"id": s.id, "per": s.per, "loyalty": s.loyalty, "explain": s.explain, "source": s.source.to_json()}
                for s in self.settlement
            ],
            "walkout": {
                "when": self.walkout.when.text,
                "explain": self.walkout.explain,
                "source": self.walkout.source.to_json(),
            },
            "outcomes": [
                {
                    "id": o.id,
                    "label": o.label,
                    "when": o.when.text if o.when else None,
                    "meaning": o.meaning,
                    "source": o.source.to_json(),
                }
                for o in self.outcomes
            ],
            "kinds": {k.id: {"heading": k.heading, "counters": dict(k.counters)} for k in self.kinds.values()},
            "ceilings": [
                {"id": c.id, "when": c.when.text, "best": c.best, "explain": c.explain, "source": c.source.to_json()}
                for c in self.ceilings
            ],
            "mood_bands": [{"max": b.max, "word": b.word} for b in self.mood_bands],
            "default_loyalty": self.default_loyalty,
            "articles": {a.id: {"language": a.language, "title": a.title} for a in self.articles.values()},
        }


def default_rulebook_path() -> Path:
    return Path(str(files("roleplay").joinpath("rulebook.yaml")))


@cache
def default_rulebook() -> Rulebook:
    """The rulebook shipped with the package, loaded once."""
    return load_rulebook(default_rulebook_path())


def load_rulebook(path: Path | str) -> Rulebook:
    """Load and check a rulebook file; raise StoryError listing every problem."""
    path = str(path)
    with open(path, "rb") as handle:
        document = read_yaml(path, handle.read())
    if document.root is None:
        raise StoryError(document.diagnostics)
    reader = _RulebookReader(path)
    rulebook = reader.read(document.root)
    errors = [d for d in reader.diagnostics if d.severity is Severity.ERROR]
    if errors or rulebook is None:
        raise StoryError(reader.diagnostics)
    return rulebook


class _RulebookReader(FieldReader):
    def source(self, node: Node, what: str) -> Source | None:
        entries = self.mapping(node, f"the source of {what}", known=("article", "section", "point"), required=("article", "section"))
        if entries is None or "article" not in entries or "section" not in entries:
            return None
        article = self.text(entries["article"][1], "article")
        section = self.text(entries["section"][1], "section")
        point = self.integer(entries["point"][1], "point", 1, 99) if "point" in entries else None
        if article is None or section is None:
            return None
        if article not in self.articles:
            self.error(entries["article"][1], f"unknown article {article!r}{did_you_mean(article, self.articles)}; declare it under articles")
            return None
        return Source(article, section, point)

    def read(self, root: Node) -> Rulebook | None:
        top = self.mapping(
            root,
            "the rulebook",
            known=("version", "articles", "defaults", "walkout", "counters", "kinds", "ceilings", "mood_bands", "traits", "tactics", "modifiers", "settlement", "outcomes"),
            required=("articles", "walkout", "mood_bands", "tactics", "outcomes"),
        )
        if top is None:
            return None
        self.articles: dict[str, Article] = {}
        for name, (key_node, value) in ((self.mapping(top["articles"][1], "articles") or {}) if "articles" in top else {}).items():
            entries = self.mapping(value, f"article {name}", known=("language", "title"), required=("language", "title"))
            if entries and {"language", "title"} <= entries.keys():
                language = self.text(entries["language"][1], "language")
                title = self.text(entries["title"][1], "title")
                if language and title:
                    self.articles[name] = Article(name, language, title)
        counters: dict[str, str] = {}
        if "counters" in top:
            for name, (key_node, value) in (self.mapping(top["counters"][1], "counters") or {}).items():
                counters[name] = self.text(value, f"counter {name}") or ""
        counter_names = frozenset(counters)
        self.kinds = self.read_kinds(top["kinds"][1], counter_names) if "kinds" in top else {
            kind: Kind(kind, kind.capitalize(), {}) for kind in TACTIC_KINDS
        }

        default_loyalty = 50
        if "defaults" in top:
            defaults = self.mapping(top["defaults"][1], "defaults", known=("loyalty",)) or {}
            if "loyalty" in defaults:
                default_loyalty = self.integer(defaults["loyalty"][1], "defaults.loyalty", 0, 100) or 50

        walkout = None
        entries = self.mapping(top["walkout"][1], "walkout", known=("when", "explain", "source"), required=("when", "explain", "source"))
        if entries and {"when", "explain", "source"} <= entries.keys():
            when = self.condition(entries["when"][1], "walkout.when", counter_names)
            explain = self.text(entries["explain"][1], "walkout.explain")
            source = self.source(entries["source"][1], "walkout")
            if when and explain and source:
                walkout = Walkout(when, explain, source)

        bands = []
        for item in self.sequence(top["mood_bands"][1], "mood_bands") or []:
            band = self.mapping(item, "a mood band", known=("max", "word"), required=("max", "word"))
            if band and "max" in band and "word" in band:
                top_value = self.integer(band["max"][1], "max", 0, 100)
                word = self.text(band["word"][1], "word")
                if top_value is not None and word:
                    bands.append(MoodBand(top_value, word))

        traits: dict[str, Trait] = {}
        trait_entries = (self.mapping(top["traits"][1], "traits") or {}) if "traits" in top else {}
        for name, (key_node, value) in trait_entries.items():
            trait = self.mapping(value, f"trait {name}", known=("label", "explain", "source"), required=("label", "explain", "source"))
            if trait and {"label", "explain", "source"} <= trait.keys():
                label = self.text(trait["label"][1], "label")
                explain = self.text(trait["explain"][1], "explain")
                source = self.source(trait["source"][1], f"trait {name}")
                if label and explain and source:
                    traits[name] = Trait(name, label, explain, source)

        tactics: dict[str, Tactic] = {}
        for name, (key_node, value) in (self.mapping(top["tactics"][1], "tactics") or {}).items():
            tactic = self.tactic(name, value, counter_names)
            if tactic:
                tactics[name] = tactic

        modifiers = []
        seen_ids: set[str] = set()
        for item in (self.sequence(top["modifiers"][1], "modifiers") or []) if "modifiers" in top else []:
            modifier = self.modifier(item, tactics, traits, counter_names, seen_ids)
            if modifier:
                modifiers.append(modifier)

        settlement = []
        for item in (self.sequence(top["settlement"][1], "settlement") or []) if "settlement" in top else []:
            rule = self.mapping(item, "a settlement rule", known=("id", "per", "loyalty", "explain", "source"), required=("id", "per", "loyalty", "explain", "source"))
            if rule and {"id", "per", "loyalty", "explain", "source"} <= rule.keys():
                per = self.name(rule["per"][1], "per")
                if per is not None and per not in counters:
                    self.error(rule["per"][1], f"unknown counter {per!r}{did_you_mean(per, counters)}")
                    per = None
                values = (
                    self.name(rule["id"][1], "id"),
                    per,
                    self.integer(rule["loyalty"][1], "loyalty", -100, 100),
                    self.text(rule["explain"][1], "explain"),
                    self.source(rule["source"][1], "settlement rule"),
                )
                if None not in values:
                    settlement.append(Settlement(*values))  # type: ignore[arg-type]

        outcomes = []
        outcome_nodes = self.sequence(top["outcomes"][1], "outcomes") or []
        for index, item in enumerate(outcome_nodes):
            rung = self.mapping(item, "an outcome", known=("id", "label", "when", "meaning", "source"), required=("id", "label", "meaning", "source"))
            if not rung or not {"id", "label", "meaning", "source"} <= rung.keys():
                continue
            last = index == len(outcome_nodes) - 1
            when = None
            if "when" in rung:
                when = self.condition(rung["when"][1], "outcome condition", counter_names)
            elif not last:
                self.error(item, "only the last outcome may leave out 'when'")
            if last and "when" in rung:
                self.error(rung["when"][0], "the last outcome is the fallback: remove its 'when'")
            values = (
                self.name(rung["id"][1], "id"),
                self.text(rung["label"][1], "label"),
                when,
                self.text(rung["meaning"][1], "meaning"),
                self.source(rung["source"][1], "outcome"),
            )
            if None not in values[:2] and None not in values[3:]:
                outcomes.append(Outcome(*values))  # type: ignore[arg-type]
        ceilings = []
        outcome_ids = [o.id for o in outcomes]
        for item in (self.sequence(top["ceilings"][1], "ceilings") or []) if "ceilings" in top else []:
            ceiling = self.ceiling(item, outcome_ids, counter_names, seen_ids)
            if ceiling:
                ceilings.append(ceiling)
        if walkout is None or not bands or not outcomes:
            return None
        return Rulebook(
            path=self.path,
            articles=self.articles,
            default_loyalty=default_loyalty,
            walkout=walkout,
            counters=counters,
            mood_bands=tuple(sorted(bands, key=lambda b: b.max)),
            traits=traits,
            tactics=tactics,
            modifiers=tuple(modifiers),
            settlement=tuple(settlement),
            outcomes=tuple(outcomes),
            kinds=self.kinds,
            ceilings=tuple(ceilings),
        )

    def read_kinds(self, node: Node, counters: frozenset[str]) -> dict[str, Kind]:
        kinds: dict[str, Kind] = {}
        for name, (key_node, value) in (self.mapping(node, "kinds") or {}).items():
            entries = self.mapping(value, f"kind {name}", known=("heading", "counters"), required=("heading",))
            if not entries or "heading" not in entries:
                continue
            heading = self.text(entries["heading"][1], "heading")
            changes = self.counter_changes(entries["counters"][1], counters) if "counters" in entries else {}
            if heading:
                kinds[name] = Kind(name, heading, changes)
        return kinds

    def counter_changes(self, node: Node, counters: frozenset[str]) -> dict[str, int]:
        changes: dict[str, int] = {}
        for counter, (key_node, value) in (self.mapping(node, "counters") or {}).items():
            if counter not in counters:
                self.error(key_node, f"unknown counter {counter!r}{did_you_mean(counter, counters)}; declare it under counters")
                continue
            amount = self.integer(value, f"counter change {counter}", -10, 10)
            if amount is not None:
                changes[counter] = amount
        return changes

    def ceiling(self, node: Node, outcomes: list[str], counters: frozenset[str], seen_ids: set[str]) -> Ceiling | None:
        fields = ("id", "when", "best", "explain", "source")
        entries = self.mapping(node, "a ceiling", known=fields, required=fields)
        if not entries or not set(fields) <= entries.keys():
            return None
        rule_id = self.name(entries["id"][1], "id")
        if rule_id in seen_ids:
            self.error(entries["id"][1], f"the rule id {rule_id!r} is used twice; rule ids must be unique")
        if rule_id:
            seen_ids.add(rule_id)
        best = self.name(entries["best"][1], "best")
        if best is not None and best not in outcomes:
            self.error(entries["best"][1], f"unknown outcome {best!r}{did_you_mean(best, outcomes)}; name a rung of the outcome ladder")
            best = None
        values = (
            rule_id,
            self.condition(entries["when"][1], "ceiling condition", counters),
            best,
            self.text(entries["explain"][1], "explain"),
            self.source(entries["source"][1], "ceiling"),
        )
        if None in values:
            return None
        return Ceiling(*values)  # type: ignore[arg-type]

    def tactic(self, name: str, node: Node, counters: frozenset[str]) -> Tactic | None:
        fields = ("label", "kind", "mood", "loyalty", "explain", "source")
        entries = self.mapping(node, f"tactic {name}", known=fields + ("counters",), required=fields)
        if not entries or not set(fields) <= entries.keys():
            return None
        kind = self.text(entries["kind"][1], "kind")
        if kind is not None and kind not in self.kinds:
            self.error(entries["kind"][1], f"kind must be one of {', '.join(self.kinds)}")
            kind = None
        changes = dict(self.kinds[kind].counters) if kind is not None else {}
        if "counters" in entries:
            for counter, amount in self.counter_changes(entries["counters"][1], counters).items():
                changes[counter] = changes.get(counter, 0) + amount
        values = (
            self.text(entries["label"][1], "label"),
            kind,
            self.integer(entries["mood"][1], "mood", -100, 100),
            self.integer(entries["loyalty"][1], "loyalty", -100, 100),
            self.text(entries["explain"][1], "explain"),
            self.source(entries["source"][1], f"tactic {name}"),
        )
        if None in values:
            return None
        return Tactic(name, *values, counters=changes)  # type: ignore[arg-type]

    def modifier(self, node: Node, tactics, traits, counters, seen_ids: set[str]) -> Modifier | None:
        fields = ("id", "tactic", "when", "mood", "loyalty", "explain", "source")
        entries = self.mapping(node, "a modifier", known=fields, required=fields)
        if not entries or not set(fields) <= entries.keys():
            return None
        rule_id = self.name(entries["id"][1], "id")
        if rule_id in seen_ids or rule_id in tactics:
            self.error(entries["id"][1], f"the rule id {rule_id!r} is used twice; rule ids must be unique")
        if rule_id:
            seen_ids.add(rule_id)
        tactic = self.name(entries["tactic"][1], "tactic")
        if tactic is not None and tactic not in tactics:
            self.error(entries["tactic"][1], f"unknown tactic {tactic!r}{did_you_mean(tactic, tactics)}")
            tactic = None
        when = self.condition(entries["when"][1], "modifier condition", counters)
        if when is not None:
            for reference in when.references:
                if reference.kind in ("used", "count", "with") and reference.name not in tactics:
                    self.error(self.offset_location(entries["when"][1], reference.offset), f"unknown tactic {reference.name!r}{did_you_mean(reference.name, tactics)}")
                if reference.kind == "trait" and reference.name not in traits:
                    self.error(self.offset_location(entries["when"][1], reference.offset), f"unknown trait {reference.name!r}{did_you_mean(reference.name, traits)}")
        values = (
            rule_id,
            tactic,
            when,
            self.integer(entries["mood"][1], "mood", -100, 100),
            self.integer(entries["loyalty"][1], "loyalty", -100, 100),
            self.text(entries["explain"][1], "explain"),
            self.source(entries["source"][1], "modifier"),
        )
        if None in values:
            return None
        return Modifier(*values)  # type: ignore[arg-type]
