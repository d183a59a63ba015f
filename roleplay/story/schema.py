"""The story format described for editors and writers: a JSON Schema and the guide's tables.

The field tables below are the one description of every field of a story
file. From them and from the rulebook (tactic, trait, outcome and article
names) this module builds:

- the draft-07 JSON Schema shipped as ``roleplay/story/story-schema.json`` and
  printed by ``roleplay schema`` (editors with the YAML language server use
  it to complete and check fields);
- the generated sections of ``docs/story-format.md`` (field reference and
  the tactics with their effects and sources), written between
  ``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->``.

Tests check that the field tables name exactly the loader's fields, that the
committed JSON file and guide equal what this module generates, and that the
schema and the loader agree on the bundled stories and the invalid fixtures.
After changing the rulebook or a field, regenerate both with::

    python -m roleplay.story.schema --write
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from roleplay.parsing.conditions import MAX_LENGTH
from roleplay.rules.citations import Cited, cite, original_title, section_label
from roleplay.rules.rulebook import Rulebook, default_rulebook

SCHEMA_FILE = "story-schema.json"
"""The schema's file name inside the package."""

ID_PATTERN = r"^[\w-]+$"
"""Node ids and other names: letters, digits, '_' and '-'."""

PICKS_PATTERN = r"^\s*0*[1-9][0-9]*\s*(,\s*0*[1-9][0-9]*\s*)*$"


@dataclass(frozen=True)
class Field:
    """One field of a part of a story file, as the guide and the schema describe it."""

    name: str
    type: str
    """The type in words, as the guide shows it."""
    default: str | None
    """The default in words, or None when the field is required."""
    description: str


STORY = (
    Field("title", "text", None, "The story's name, shown in the story picker and at the top of the conversation."),
    Field("language", "text", "en", "The language the story is written in (a code such as en, pl, lv)."),
    Field("summary", "text", "empty", "One or two sentences about the situation, shown in the story picker."),
    Field(
        "sources",
        "article file name, or a list of them",
        "none",
        "The articles (files in roleplay/rules/articles; `roleplay sources` lists them) the story's situation is drawn from.",
    ),
    Field("customer", "customer", None, "Who the player is talking to, and how they feel at the start."),
    Field("start", "node id", None, "The node the conversation opens with."),
    Field(
        "walkout",
        "node id",
        "none",
        "The ending that plays when the customer's mood reaches 0 and they walk out; it must have end: true. Without it the conversation simply stops where the customer walked out.",
    ),
    Field(
        "nodes",
        "mapping of node id to node",
        None,
        "Every moment of the conversation, by id. Ids are made of letters, digits, '_' and '-'.",
    ),
    Field(
        "playtests",
        "list of playtests",
        "none",
        "Play-throughs the story promises; 'roleplay validate' plays each and fails if it ends differently.",
    ),
)

CUSTOMER = (
    Field("name", "text", None, "The customer's name, shown beside everything they say."),
    Field("about", "text", "empty", "Who they are and why they are calling, shown before the conversation starts."),
    Field(
        "mood",
        "whole number 1 to 100",
        "50",
        "Mood at the start, shown on the meter. At 0 the customer walks out, so it starts at 1 or more.",
    ),
    Field(
        "loyalty",
        "whole number 0 to 100",
        "the rulebook's default (50)",
        "Loyalty at the start. It is hidden from the player and decides the outcome at the end.",
    ),
    Field(
        "traits",
        "trait name, or a list of them",
        "none",
        "Persona traits from the rulebook; context rules use them to change how tactics land.",
    ),
)

NODE = (
    Field("say", "text, or a list of lines", None, "What the customer says at this point."),
    Field("choices", "list of replies", "none", "The replies the player can give. A node without replies must be an ending."),
    Field(
        "end",
        "true or false",
        "false",
        "true makes this node an ending: the conversation finishes here and the outcome is decided.",
    ),
    Field(
        "outcomes",
        "outcome name, or a list of them",
        "not checked",
        "Endings only: the outcomes the ending's words fit. The lesson audit in analyze reports any play that ends here on another outcome.",
    ),
    Field("set", "flag name, or a list of them", "none", "Flags to set when the conversation arrives here."),
    Field("clear", "flag name, or a list of them", "none", "Flags to clear when the conversation arrives here."),
)

CHOICE = (
    Field("reply", "text", None, "What the player says."),
    Field(
        "tactics",
        "tactic name, or a list of them",
        None,
        "The tactics the reply uses; the rulebook scores each. Write [] for a neutral reply.",
    ),
    Field(
        "next",
        "node id, or a list of branches",
        None,
        "Where the conversation goes after this reply: one node id, or branches tried in order.",
    ),
    Field(
        "if",
        "condition",
        "always offered",
        "Offer this reply only when the condition holds (checked before the reply, against the state so far).",
    ),
    Field("set", "flag name, or a list of them", "none", "Flags to set when this reply is given."),
    Field("clear", "flag name, or a list of them", "none", "Flags to clear when this reply is given."),
)

BRANCH = (
    Field(
        "if",
        "condition",
        "always taken",
        "Take this branch when the condition holds (checked after the reply's effect). The last branch should have no if, as the fallback.",
    ),
    Field("goto", "node id", None, "The node this branch leads to."),
)

PLAYTEST = (
    Field(
        "choose",
        'picks, like "1,3,2", or a list of numbers',
        None,
        "The replies to give, numbered as the player sees them: from 1 among the replies on offer at each turn.",
    ),
    Field("outcome", "outcome name", "not checked", "The outcome the play-through must end with."),
    Field("ending", "node id", "not checked", "The ending node the play-through must finish at."),
)

TABLES: dict[str, tuple[Field, ...]] = {
    "story": STORY,
    "customer": CUSTOMER,
    "node": NODE,
    "choice": CHOICE,
    "branch": BRANCH,
    "playtest": PLAYTEST,
}
"""The field tables by the part of the file they describe."""


# --- the JSON Schema --------------------------------------------------------------------------

_TEXT: dict[str, Any] = {"type": ["string", "number"], "pattern": r"\S"}
_ID: dict[str, Any] = {"anyOf": [{"type": "string", "pattern": ID_PATTERN}, {"type": "integer"}]}


def _one_or_list(item: dict[str, Any], min_items: int = 0, unique: bool = False) -> dict[str, Any]:
    listed: dict[str, Any] = {"type": "array", "items": item}
    if min_items:
        listed["minItems"] = min_items
    if unique:
        listed["uniqueItems"] = True
    return {"anyOf": [item, listed]}


def _object(fields: tuple[Field, ...], properties: dict[str, dict[str, Any]], **extra: Any) -> dict[str, Any]:
    described = {}
    for item in fields:
        schema = dict(properties[item.name])
        schema["description"] = item.description
        described[item.name] = schema
    required = [item.name for item in fields if item.default is None]
    result: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": described}
    if required:
        result["required"] = required
    result.update(extra)
    return result


def build_schema(rulebook: Rulebook | None = None) -> dict[str, Any]:
    """The JSON Schema (draft-07) of a story file, with names from ``rulebook``."""
    rulebook = rulebook or default_rulebook()
    tactic = {"enum": sorted(rulebook.tactics)}
    trait = {"enum": sorted(rulebook.traits)}
    articles = sorted(rulebook.articles)
    flags = _one_or_list(_ID)
    condition = {"type": "string", "pattern": r"\S", "maxLength": MAX_LENGTH}
    definitions = {
        "customer": _object(
            CUSTOMER,
            {
                "name": _TEXT,
                "about": _TEXT,
                "mood": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
                "loyalty": {"type": "integer", "minimum": 0, "maximum": 100, "default": rulebook.default_loyalty},
                "traits": _one_or_list(trait),
            },
        ),
        "node": _object(
            NODE,
            {
                "say": _one_or_list(_TEXT, min_items=1),
                "choices": {"type": "array", "items": {"$ref": "#/definitions/choice"}},
                "end": {"type": "boolean", "default": False},
                "outcomes": _one_or_list({"enum": [o.id for o in rulebook.outcomes]}),
                "set": flags,
                "clear": flags,
            },
            **{
                "if": {"properties": {"end": {"const": True}}, "required": ["end"]},
                "then": {"not": {"required": ["choices"]}},
                "else": {"properties": {"choices": {"minItems": 1}}},
            },
        ),
        "choice": _object(
            CHOICE,
            {
                "reply": _TEXT,
                "tactics": _one_or_list(tactic, unique=True),
                "next": {"anyOf": [_ID, {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/branch"}}]},
                "if": condition,
                "set": flags,
                "clear": flags,
            },
        ),
        "branch": _object(BRANCH, {"if": condition, "goto": _ID}),
        "playtest": _object(
            PLAYTEST,
            {
                "choose": {
                    "anyOf": [
                        {"type": "string", "pattern": PICKS_PATTERN},
                        {"type": "integer", "minimum": 1},
                        {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 99}},
                    ]
                },
                "outcome": {"enum": [o.id for o in rulebook.outcomes]},
                "ending": _ID,
            },
            anyOf=[{"required": ["outcome"]}, {"required": ["ending"]}],
        ),
    }
    top = _object(
        STORY,
        {
            "title": _TEXT,
            "language": dict(_TEXT, default="en"),
            "summary": _TEXT,
            "sources": _one_or_list({"enum": articles}, min_items=1),
            "customer": {"$ref": "#/definitions/customer"},
            "start": _ID,
            "walkout": _ID,
            "nodes": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": {"$ref": "#/definitions/node"},
            },
            "playtests": {"type": "array", "items": {"$ref": "#/definitions/playtest"}},
        },
    )
    # In a $ref-ed property the description sits beside the $ref; draft-07 ignores siblings of
    # $ref, so the referenced definitions carry their own description too.
    definitions["customer"]["description"] = STORY[4].description
    definitions["node"]["description"] = "A moment of the conversation: what the customer says and the replies on offer."
    definitions["choice"]["description"] = "A reply the player can give."
    definitions["branch"]["description"] = "One arm of a reply's next: go to goto if the condition holds."
    definitions["playtest"]["description"] = (
        "A play-through the story promises: these picks end with this outcome or at this ending."
    )
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "roleplay story",
        "description": "A branching customer conversation for the roleplay game. Reference: docs/story-format.md.",
        **top,
        "definitions": definitions,
    }


def schema_text(rulebook: Rulebook | None = None) -> str:
    """The schema as the committed file holds it."""
    return json.dumps(build_schema(rulebook), indent=2, ensure_ascii=False) + "\n"


def schema_path() -> Path:
    """Where the shipped schema file is."""
    return Path(str(files("roleplay.story").joinpath(SCHEMA_FILE)))


# --- the guide's generated sections -----------------------------------------------------------

_MARKER = re.compile(r"(<!-- BEGIN GENERATED: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- END GENERATED: (?P=name) -->)", re.S)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def fields_markdown() -> str:
    """One table per part of a story file: field, type, default, what it does."""
    headings = {
        "story": "Top level",
        "customer": "`customer`",
        "node": "A node (under `nodes`)",
        "choice": "A reply (under a node's `choices`)",
        "branch": "A branch (in a reply's `next` list)",
        "playtest": "A playtest (under `playtests`)",
    }
    parts = []
    for part, fields in TABLES.items():
        parts.append(f"#### {headings[part]}\n")
        parts.append("| field | type | default | what it does |")
        parts.append("|---|---|---|---|")
        for item in fields:
            default = "**required**" if item.default is None else _cell(item.default)
            parts.append(f"| `{item.name}` | {_cell(item.type)} | {default} | {_cell(item.description)} |")
        parts.append("")
    return "\n".join(parts)


def _sources_cell(sources: Iterable[Cited]) -> str:
    """A rule's sources in a table: the article's number and each section as headed there, with its translation."""
    cells = [f"{source.article[:3]} {section_label(cite(source).section, source.point)}" for source in sources]
    return "; ".join(dict.fromkeys(cells))


def articles_markdown(rulebook: Rulebook | None = None) -> str:
    """The articles the rules cite: the number the tables use, the file a story's ``sources`` names, title and language."""
    rulebook = rulebook or default_rulebook()
    parts = ["| no. | file (for a story's `sources`) | language | title |", "|---|---|---|---|"]
    for article in rulebook.articles.values():
        title = _cell(article.title) + (f" ({_cell(original_title(article))})" if article.original_title else "")
        parts.append(f"| {article.id[:3]} | `{article.id}` | {article.language} | {title} |")
    parts.append("")
    return "\n".join(parts)


def tactics_markdown(rulebook: Rulebook | None = None) -> str:
    """The tactics with their base effects and sources, the context rules, traits, settlement and outcomes."""
    rulebook = rulebook or default_rulebook()
    parts = [
        "#### The articles\n",
        "Sources below name an article by its number, then the section as headed in the article, with a translation. `roleplay sources` shows each quote.\n",
        articles_markdown(rulebook),
    ]
    for kind in rulebook.kinds.values():
        marks = "".join(f" Each use counts {change:+d} `{name}`." for name, change in kind.counters.items())
        parts.append(f"#### {kind.heading}\n")
        if marks:
            parts.append(f"{marks.strip()}\n")
        parts.append("| tactic | mood | loyalty | what it means | source |")
        parts.append("|---|---|---|---|---|")
        for tactic in rulebook.tactics.values():
            if tactic.kind != kind.id:
                continue
            counters = "".join(
                f" Counts {change:+d} {name}." for name, change in tactic.counters.items() if kind.counters.get(name) != change
            )
            parts.append(
                f"| `{tactic.id}` | {tactic.mood:+d} | {tactic.loyalty:+d} | **{_cell(tactic.label)}.** "
                f"{_cell(tactic.explain)}{counters} | {_cell(_sources_cell(tactic.sources))} |"
            )
        parts.append("")
    parts.append("#### Context rules\n")
    parts.append("Added to a tactic's effect when the reply uses the tactic and the condition holds before the reply.\n")
    parts.append("| rule | tactic | when | mood | loyalty | source |")
    parts.append("|---|---|---|---|---|---|")
    for modifier in rulebook.modifiers:
        parts.append(
            f"| `{modifier.id}` | `{modifier.tactic}` | `{_cell(modifier.when.text)}` | {modifier.mood:+d} | "
            f"{modifier.loyalty:+d} | {_cell(_sources_cell(modifier.sources))} |"
        )
    parts.append("")
    parts.append("#### Traits\n")
    parts.append("| trait | meaning | source |")
    parts.append("|---|---|---|")
    for trait in rulebook.traits.values():
        parts.append(
            f"| `{trait.id}` | **{_cell(trait.label)}.** {_cell(trait.explain)} | {_cell(_sources_cell(trait.sources))} |"
        )
    parts.append("")
    parts.append("#### Counters and settlement\n")
    for name, meaning in rulebook.counters.items():
        parts.append(f"- `{name}`: {meaning}")
    for rule in rulebook.settlement:
        parts.append(
            f"- At the end, `{rule.id}`: loyalty {rule.loyalty:+d} for each unit of `{rule.per}` left. {rule.explain} ({_sources_cell(rule.sources)})"
        )
    parts.append("")
    parts.append("#### Walking out and outcomes\n")
    parts.append(
        f"The customer walks out when `{rulebook.walkout.when.text}` ({_sources_cell(rulebook.walkout.sources)}). The outcome is the first rung whose condition holds, with the settlement already applied to loyalty:\n"
    )
    parts.append("| outcome | when | meaning | source |")
    parts.append("|---|---|---|---|")
    for outcome in rulebook.outcomes:
        when = f"`{_cell(outcome.when.text)}`" if outcome.when is not None else "otherwise"
        parts.append(
            f"| `{outcome.id}` | {when} | **{_cell(outcome.label)}.** {_cell(outcome.meaning)} | {_cell(_sources_cell(outcome.sources))} |"
        )
    parts.append("")
    if rulebook.ceilings:
        parts.append("#### Ceilings\n")
        parts.append(
            "Checked after the ladder: when a ceiling's condition holds at the end, the outcome is no better "
            "than the rung it names, however high loyalty is.\n"
        )
        parts.append("| ceiling | when | at best | why | source |")
        parts.append("|---|---|---|---|---|")
        for ceiling in rulebook.ceilings:
            parts.append(
                f"| `{ceiling.id}` | `{_cell(ceiling.when.text)}` | `{ceiling.best}` | {_cell(ceiling.explain)} | {_cell(_sources_cell(ceiling.sources))} |"
            )
        parts.append("")
    return "\n".join(parts)


def guide_sections(rulebook: Rulebook | None = None) -> dict[str, str]:
    """The generated sections of the guide by marker name."""
    return {"fields": fields_markdown(), "tactics": tactics_markdown(rulebook)}


def update_guide(text: str, rulebook: Rulebook | None = None) -> str:
    """``text`` with every generated section replaced by what the code generates now."""
    sections = guide_sections(rulebook)

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in sections:
            raise ValueError(f"unknown generated section {name!r}")
        return match.group(1) + sections[name] + match.group(4)

    return _MARKER.sub(replace, text)


def main(argv: list[str] | None = None) -> int:
    """Regenerate the shipped schema and the guide's generated sections (``--write``), or check them."""
    parser = argparse.ArgumentParser(prog="python -m roleplay.story.schema", description=main.__doc__)
    parser.add_argument("--write", action="store_true", help="write the files instead of checking them")
    parser.add_argument("--guide", type=Path, default=Path(__file__).resolve().parents[2] / "docs" / "story-format.md")
    args = parser.parse_args(argv)
    targets = [(Path(__file__).resolve().parent / SCHEMA_FILE, schema_text())]
    if args.guide.is_file():
        targets.append((args.guide, update_guide(args.guide.read_text(encoding="utf-8"))))
    stale = []
    for path, wanted in targets:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != wanted:
            stale.append(path)
            if args.write:
                path.write_text(wanted, encoding="utf-8")
    for path in stale:
        print(f"{'updated' if args.write else 'out of date'}: {path}")
    return 1 if stale and not args.write else 0


if __name__ == "__main__":
    raise SystemExit(main())
