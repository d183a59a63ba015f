"""The rulebook: read from ``rulebook.yaml`` with every problem located, and the one shipped with the package.

What it holds (tactics, modifiers, settlement, outcomes...) is in :mod:`roleplay.rules.model`; the
names are here too, where the rest of the program imports them from.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path

from yaml.nodes import Node

from roleplay.parsing.diagnostics import Severity, StoryError
from roleplay.parsing.fields import FieldReader, did_you_mean
from roleplay.parsing.yamlfile import read_yaml
from roleplay.rules.articles import Library, default_library, resolve
from roleplay.rules.model import (
    OUTCOME_TONES,
    RECOMMENDED,
    TACTIC_KINDS,
    WARNED,
    Ceiling,
    Kind,
    Modifier,
    MoodBand,
    Outcome,
    Rulebook,
    Settlement,
    Source,
    Tactic,
    Trait,
    Walkout,
    sources_json,
)

__all__ = [
    "ARTICLES_FILE",
    "OUTCOME_TONES",
    "RECOMMENDED",
    "TACTIC_KINDS",
    "WARNED",
    "Ceiling",
    "Kind",
    "Modifier",
    "MoodBand",
    "Outcome",
    "Rulebook",
    "Settlement",
    "Source",
    "Tactic",
    "Trait",
    "Walkout",
    "default_rulebook",
    "default_rulebook_path",
    "load_rulebook",
    "sources_json",
]


ARTICLES_FILE = "roleplay/rules/articles/articles.yaml"


def default_rulebook_path() -> Path:
    return Path(str(files("roleplay.rules").joinpath("rulebook.yaml")))


@cache
def default_rulebook() -> Rulebook:
    """The rulebook shipped with the package, loaded once."""
    return load_rulebook(default_rulebook_path())


def load_rulebook(path: Path | str, library: Library | None = None) -> Rulebook:
    """Load and check a rulebook file against the articles; raise StoryError listing every problem."""
    path = str(path)
    with open(path, "rb") as handle:
        document = read_yaml(path, handle.read())
    if document.root is None:
        raise StoryError(document.diagnostics)
    reader = _RulebookReader(path, library or default_library())
    rulebook = reader.read(document.root)
    errors = [d for d in reader.diagnostics if d.severity is Severity.ERROR]
    if errors or rulebook is None:
        raise StoryError(reader.diagnostics)
    return rulebook


class _RulebookReader(FieldReader):
    def __init__(self, path: str, library: Library) -> None:
        super().__init__(path)
        self.library = library
        self.articles = library.articles

    def source(self, node: Node, what: str) -> Source | None:
        entries = self.mapping(
            node, f"the source of {what}", known=("article", "section", "point", "quote"), required=("article", "section")
        )
        if entries is None or "article" not in entries or "section" not in entries:
            return None
        article = self.text(entries["article"][1], "article")
        section = self.text(entries["section"][1], "section")
        point = self.integer(entries["point"][1], "point", 1, 99) if "point" in entries else None
        quote = self.name(entries["quote"][1], "quote") if "quote" in entries else None
        if article is None or section is None:
            return None
        if article not in self.articles:
            self.error(
                entries["article"][1],
                f"unknown article {article!r}{did_you_mean(article, self.articles)}; the articles are listed in {ARTICLES_FILE}",
            )
            return None
        found = resolve(self.library, article, section, point, quote)
        if isinstance(found, str):
            key = "quote" if "quote" in entries and section in [s.name for s in self.articles[article].sections] else "section"
            self.error(entries[key][1], f"{found} (see {ARTICLES_FILE})")
            return None
        return Source(article, section, point, found[2].id)

    def sources(self, entries: dict[str, tuple[Node, Node]], node: Node, what: str) -> tuple[Source, ...] | None:
        """A rule's sources: one under 'source', or a list under 'sources'."""
        if ("source" in entries) == ("sources" in entries):
            self.error(node, f"{what} needs a 'source' or a list of 'sources' (one of the two)")
            return None
        if "source" in entries:
            single = self.source(entries["source"][1], what)
            return (single,) if single else None
        items = self.sequence(entries["sources"][1], f"the sources of {what}")
        if not items:
            if items is not None:
                self.error(entries["sources"][1], f"the sources of {what} are an empty list; cite at least one")
            return None
        found = [self.source(item, what) for item in items]
        sources = tuple(source for source in found if source is not None)
        if len(sources) != len(found):
            return None
        return sources

    def read(self, root: Node) -> Rulebook | None:
        top = self.mapping(
            root,
            "the rulebook",
            known=(
                "version",
                "defaults",
                "walkout",
                "counters",
                "kinds",
                "ceilings",
                "mood_bands",
                "traits",
                "tactics",
                "modifiers",
                "settlement",
                "outcomes",
            ),
            required=("walkout", "mood_bands", "tactics", "outcomes"),
        )
        if top is None:
            return None
        counters: dict[str, str] = {}
        if "counters" in top:
            for name, (_key_node, value) in (self.mapping(top["counters"][1], "counters") or {}).items():
                counters[name] = self.text(value, f"counter {name}") or ""
        counter_names = frozenset(counters)
        self.kinds = (
            self.read_kinds(top["kinds"][1], counter_names)
            if "kinds" in top
            else {kind: Kind(kind, kind.capitalize(), {}) for kind in TACTIC_KINDS}
        )

        default_loyalty = 50
        if "defaults" in top:
            defaults = self.mapping(top["defaults"][1], "defaults", known=("loyalty",)) or {}
            if "loyalty" in defaults:
                default_loyalty = self.integer(defaults["loyalty"][1], "defaults.loyalty", 0, 100) or 50

        walkout = None
        entries = self.mapping(
            top["walkout"][1], "walkout", known=("when", "explain", "source", "sources"), required=("when", "explain")
        )
        if entries and {"when", "explain"} <= entries.keys():
            when = self.condition(entries["when"][1], "walkout.when", counter_names)
            explain = self.text(entries["explain"][1], "walkout.explain")
            source = self.sources(entries, top["walkout"][1], "walkout")
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
        for name, (_key_node, value) in trait_entries.items():
            trait = self.mapping(
                value, f"trait {name}", known=("label", "explain", "source", "sources"), required=("label", "explain")
            )
            if trait and {"label", "explain"} <= trait.keys():
                label = self.text(trait["label"][1], "label")
                explain = self.text(trait["explain"][1], "explain")
                source = self.sources(trait, value, f"trait {name}")
                if label and explain and source:
                    traits[name] = Trait(name, label, explain, source)

        tactics: dict[str, Tactic] = {}
        for name, (_key_node, value) in (self.mapping(top["tactics"][1], "tactics") or {}).items():
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
            rule = self.mapping(
                item,
                "a settlement rule",
                known=("id", "per", "loyalty", "explain", "source", "sources"),
                required=("id", "per", "loyalty", "explain"),
            )
            if rule and {"id", "per", "loyalty", "explain"} <= rule.keys():
                per = self.name(rule["per"][1], "per")
                if per is not None and per not in counters:
                    self.error(rule["per"][1], f"unknown counter {per!r}{did_you_mean(per, counters)}")
                    per = None
                values = (
                    self.name(rule["id"][1], "id"),
                    per,
                    self.integer(rule["loyalty"][1], "loyalty", -100, 100),
                    self.text(rule["explain"][1], "explain"),
                    self.sources(rule, item, "a settlement rule"),
                )
                if None not in values:
                    settlement.append(Settlement(*values))  # type: ignore[arg-type]  # the check above rules out None, which mypy cannot follow through a tuple

        outcomes = []
        outcome_nodes = self.sequence(top["outcomes"][1], "outcomes") or []
        for index, item in enumerate(outcome_nodes):
            rung = self.mapping(
                item,
                "an outcome",
                known=("id", "label", "when", "meaning", "tone", "source", "sources"),
                required=("id", "label", "meaning", "tone"),
            )
            if not rung or not {"id", "label", "meaning", "tone"} <= rung.keys():
                continue
            last = index == len(outcome_nodes) - 1
            when = None
            if "when" in rung:
                when = self.condition(rung["when"][1], "outcome condition", counter_names)
            elif not last:
                self.error(item, "only the last outcome may leave out 'when'")
            if last and "when" in rung:
                self.error(rung["when"][0], "the last outcome is the fallback: remove its 'when'")
            rung_values = (
                self.name(rung["id"][1], "id"),
                self.text(rung["label"][1], "label"),
                when,
                self.text(rung["meaning"][1], "meaning"),
                self.sources(rung, item, "an outcome"),
            )
            tone = self.text(rung["tone"][1], "tone")
            if tone is not None and tone not in OUTCOME_TONES:
                self.error(rung["tone"][1], f"tone must be one of {', '.join(OUTCOME_TONES)}")
                tone = None
            if None not in rung_values[:2] and None not in rung_values[3:] and tone is not None:
                outcomes.append(Outcome(*rung_values, tone=tone))  # type: ignore[arg-type]  # the check above rules out None but in 'when' (which may be None); mypy cannot follow that through a tuple
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
        for name, (_key_node, value) in (self.mapping(node, "kinds") or {}).items():
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
        fields = ("id", "when", "best", "explain")
        entries = self.mapping(node, "a ceiling", known=(*fields, "source", "sources"), required=fields)
        if not entries or not set(fields) <= entries.keys():
            return None
        rule_id = self.name(entries["id"][1], "id")
        if rule_id in seen_ids:
            self.error(entries["id"][1], f"the rule id {rule_id!r} is used twice; rule ids must be unique")
        if rule_id:
            seen_ids.add(rule_id)
        best = self.name(entries["best"][1], "best")
        if best is not None and best not in outcomes:
            self.error(
                entries["best"][1], f"unknown outcome {best!r}{did_you_mean(best, outcomes)}; name a rung of the outcome ladder"
            )
            best = None
        values = (
            rule_id,
            self.condition(entries["when"][1], "ceiling condition", counters),
            best,
            self.text(entries["explain"][1], "explain"),
            self.sources(entries, node, "a ceiling"),
        )
        if None in values:
            return None
        return Ceiling(*values)  # type: ignore[arg-type]  # the check above rules out None, which mypy cannot follow through a tuple

    def tactic(self, name: str, node: Node, counters: frozenset[str]) -> Tactic | None:
        fields = ("label", "kind", "mood", "loyalty", "explain")
        entries = self.mapping(node, f"tactic {name}", known=(*fields, "counters", "source", "sources"), required=fields)
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
            self.sources(entries, node, f"tactic {name}"),
        )
        if None in values:
            return None
        return Tactic(name, *values, counters=changes)  # type: ignore[arg-type]  # the check above rules out None, which mypy cannot follow through a tuple

    def modifier(
        self, node: Node, tactics: Mapping[str, Tactic], traits: Mapping[str, Trait], counters: frozenset[str], seen_ids: set[str]
    ) -> Modifier | None:
        fields = ("id", "tactic", "when", "mood", "loyalty", "explain")
        entries = self.mapping(node, "a modifier", known=(*fields, "source", "sources"), required=fields)
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
                    self.error(
                        self.offset_location(entries["when"][1], reference.offset),
                        f"unknown tactic {reference.name!r}{did_you_mean(reference.name, tactics)}",
                    )
                if reference.kind == "trait" and reference.name not in traits:
                    self.error(
                        self.offset_location(entries["when"][1], reference.offset),
                        f"unknown trait {reference.name!r}{did_you_mean(reference.name, traits)}",
                    )
        values = (
            rule_id,
            tactic,
            when,
            self.integer(entries["mood"][1], "mood", -100, 100),
            self.integer(entries["loyalty"][1], "loyalty", -100, 100),
            self.text(entries["explain"][1], "explain"),
            self.sources(entries, node, "a modifier"),
        )
        if None in values:
            return None
        return Modifier(*values)  # type: ignore[arg-type]  # the check above rules out None, which mypy cannot follow through a tuple
