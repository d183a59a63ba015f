"""``roleplay rules``: print the rulebook with each rule's effect and source."""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from roleplay.commands.common import add_language_option, print_json
from roleplay.i18n import _
from roleplay.rules.citations import Cited, sources_lines
from roleplay.rules.model import Ceiling, Modifier, Settlement
from roleplay.rules.text_layer import translated_rulebook


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "rules",
        help=_("list the tactics, context rules and outcomes of the rulebook"),
        description=_("Print the rulebook: every tactic's effect on mood and loyalty, with its source."),
    )
    parser.add_argument("--json", action="store_true", help=_("print the rulebook as JSON"))
    add_language_option(parser)
    parser.set_defaults(handler=handle)


def _named(rule: Modifier | Settlement | Ceiling) -> str:
    """``"name: "`` when a text layer names the rule in the language, else nothing (its id says it in English)."""
    return f"{rule.name}: " if rule.name != rule.id.replace("_", " ") else ""


def _cited(sources: Iterable[Cited], indent: int) -> None:
    for line in sources_lines(sources):
        print(f"{'':<{indent}}{line}")


def handle(args: argparse.Namespace) -> int:
    rulebook = translated_rulebook(getattr(args, "language", "en"))
    if args.json:
        print_json(rulebook.to_json())
        return 0
    mood, loyalty = _("mood"), _("loyalty")
    for kind in rulebook.kinds.values():
        marks = "".join(
            " (" + _("each adds {change} to {name}").format(change=f"{change:+d}", name=rulebook.counter_label(name)) + ")"
            for name, change in kind.counters.items()
        )
        print(f"{kind.heading}{marks}:")
        for tactic in rulebook.tactics.values():
            if tactic.kind != kind.id:
                continue
            counters = "".join(f", {rulebook.counter_label(name)} {change:+d}" for name, change in tactic.counters.items())
            print(f"  {tactic.id:<20} {mood} {tactic.mood:+3d}  {loyalty} {tactic.loyalty:+3d}{counters}  {tactic.label}")
            print(f"  {'':<20} {tactic.explain}")
            _cited(tactic.sources, 23)
        print()
    print(_("Counters (conditions name them as on the left):"))
    for name, explain in rulebook.counters.items():
        words = rulebook.counter_label(name)
        print(f"  {name:<18} " + (f"{words}: " if words != name else "") + explain)
    print()
    print(_("Context rules (added to a tactic's effect when the condition holds):"))
    for modifier in rulebook.modifiers:
        when = _("when {condition}").format(condition=modifier.when)
        print(
            f"  {modifier.id:<24} {_named(modifier)}{modifier.tactic} {when}: {mood} {modifier.mood:+d}, {loyalty} {modifier.loyalty:+d}"
        )
        print(f"  {'':<24} {modifier.explain}")
        _cited(modifier.sources, 27)
    print()
    print(_("Persona traits:"))
    for trait in rulebook.traits.values():
        print(f"  {trait.id:<14} {trait.label}: {trait.explain}")
        _cited(trait.sources, 17)
    print()
    print(_("Walking out: when {condition}.").format(condition=rulebook.walkout.when) + f" {rulebook.walkout.explain}")
    _cited(rulebook.walkout.sources, 2)
    print()
    print(_("At the end:"))
    for rule in rulebook.settlement:
        per = _("per unit of {counter}").format(counter=rulebook.counter_label(rule.per))
        print(f"  {rule.id:<24} {_named(rule)}{loyalty} {rule.loyalty:+d} {per}: {rule.explain}")
        _cited(rule.sources, 27)
    print()
    print(_("Outcomes, best first (the first that holds decides):"))
    for outcome in rulebook.outcomes:
        condition = _("when {condition}").format(condition=outcome.when) if outcome.when else _("otherwise")
        print(f"  {outcome.id:<18} {outcome.label} ({condition})")
        print(f"  {'':<18} {outcome.meaning}")
        _cited(outcome.sources, 21)
    if rulebook.ceilings:
        print()
        print(_("Ceilings (marks that good replies later cannot buy back; checked after the ladder):"))
        for ceiling in rulebook.ceilings:
            when = _("when {condition}").format(condition=ceiling.when)
            best = _("no better than {outcome}").format(outcome=rulebook.outcome(ceiling.best).label)
            print(f"  {ceiling.id:<18} {_named(ceiling)}{when}: {best}")
            print(f"  {'':<18} {ceiling.explain}")
            _cited(ceiling.sources, 21)
    return 0
