"""Typed field readers over YAML nodes that record a located diagnostic for each mistake."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from difflib import get_close_matches

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roleplay.i18n import N_, Deferred
from roleplay.parsing.conditions import Condition, ConditionError, is_name, parse_condition
from roleplay.parsing.diagnostics import Diagnostic, Location, Severity
from roleplay.parsing.yamlfile import PLAIN_TAGS, kind_name, location_of, mapping_items, scalar_value

Entries = dict[str, tuple[Node, Node]]
"""A mapping's entries by key: the key's node and the value's node."""


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' (did you mean X?)' when a close match exists, else ''."""
    matches = get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return Deferred(N_(" (did you mean {name!r}?)"), name=matches[0]) if matches else ""


class FieldReader:
    """Reads typed values out of YAML nodes, collecting every problem rather than stopping."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    # reporting ----------------------------------------------------------------
    def where(self, node: Node) -> Location:
        return location_of(self.path, node)

    def error(self, node: Node | Location, message: str) -> None:
        where = node if isinstance(node, Location) else self.where(node)
        self.diagnostics.append(Diagnostic(where, message))

    def warning(self, node: Node | Location, message: str) -> None:
        where = node if isinstance(node, Location) else self.where(node)
        self.diagnostics.append(Diagnostic(where, message, Severity.WARNING))

    # structure ----------------------------------------------------------------
    def mapping(
        self,
        node: Node,
        what: str,
        known: Iterable[str] | None = None,
        required: Iterable[str] = (),
    ) -> Entries | None:
        """The entries of a mapping by key; unknown and missing keys are reported."""
        if not isinstance(node, MappingNode):
            self.error(node, Deferred(N_("{what} must be a mapping of fields, not {kind}"), what=what, kind=kind_name(node)))
            return None
        entries = {key: (key_node, value) for key, key_node, value in mapping_items(node)}
        if known is not None:
            allowed = set(known)
            for key, (key_node, _) in entries.items():
                if key not in allowed:
                    self.error(
                        key_node,
                        Deferred(
                            N_("unknown field {key!r} in {what}{hint}; the fields are {fields}"),
                            key=key,
                            what=what,
                            hint=did_you_mean(key, allowed),
                            fields=", ".join(sorted(allowed)),
                        ),
                    )
        for key in required:
            if key not in entries:
                self.error(node, Deferred(N_("{what} needs a {key!r} field"), what=what, key=key))
        return entries

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.error(node, Deferred(N_("{what} must be a list, not {kind}"), what=what, kind=kind_name(node)))
            return None
        return list(node.value)

    # scalars ------------------------------------------------------------------
    def text(self, node: Node, what: str, allow_empty: bool = False) -> str | None:
        if not isinstance(node, ScalarNode) or PLAIN_TAGS.get(node.tag) not in ("str", "int", "float"):
            self.error(node, Deferred(N_("{what} must be text, not {kind}"), what=what, kind=kind_name(node)))
            return None
        value = str(node.value)
        if not allow_empty and not value.strip():
            self.error(node, Deferred(N_("{what} is empty; write some text"), what=what))
            return None
        return value

    def name(self, node: Node, what: str) -> str | None:
        """A name (:data:`roleplay.parsing.conditions.NAME_PATTERN`), the same everywhere."""
        value = self.text(node, what)
        if value is None:
            return None
        if not is_name(value):
            self.error(
                node,
                Deferred(
                    N_("{what} {value!r} must be a name: a letter or '_' first, then letters, digits, '_' and '-'"),
                    what=what,
                    value=value,
                ),
            )
            return None
        return value

    def integer(self, node: Node, what: str, low: int, high: int) -> int | None:
        value = scalar_value(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(
                node,
                Deferred(
                    N_("{what} must be a whole number from {low} to {high}, not {kind}"),
                    what=what,
                    low=low,
                    high=high,
                    kind=kind_name(node),
                ),
            )
            return None
        if not low <= value <= high:
            self.error(
                node,
                Deferred(N_("{what} is {value}; it must be from {low} to {high}"), what=what, value=value, low=low, high=high),
            )
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        value = scalar_value(node) if isinstance(node, ScalarNode) else None
        if not isinstance(value, bool):
            self.error(node, Deferred(N_("{what} must be true or false, not {kind}"), what=what, kind=kind_name(node)))
            return None
        return value

    def texts(self, node: Node, what: str) -> tuple[str, ...]:
        """One string or a list of strings."""
        if isinstance(node, SequenceNode):
            items = (self.text(item, Deferred(N_("each line of {what}"), what=what)) for item in node.value)
            values = tuple(item for item in items if item is not None)
            if not node.value:
                self.error(node, Deferred(N_("{what} is an empty list; give at least one line"), what=what))
            return values
        value = self.text(node, what)
        return (value,) if value is not None else ()

    def names(self, node: Node, what: str, check: Callable[[str, Node], bool] | None = None) -> tuple[str, ...]:
        """A list of names (one bare name is accepted too); ``check`` may reject some."""
        items = node.value if isinstance(node, SequenceNode) else [node]
        if isinstance(node, MappingNode):
            self.error(node, Deferred(N_("{what} must be a list of names, not a mapping"), what=what))
            return ()
        result = []
        for item in items:
            value = self.name(item, Deferred(N_("each entry of {what}"), what=what))
            if value is not None and (check is None or check(value, item)):
                result.append(value)
        return tuple(result)

    def condition(self, node: Node, what: str, counters: frozenset[str]) -> Condition | None:
        text = self.text(node, what)
        if text is None:
            return None
        try:
            return parse_condition(text, counters)
        except ConditionError as exc:
            self.error(
                self.offset_location(node, exc.offset),
                Deferred(N_("bad condition in {what}: {problem}"), what=what, problem=exc.message),
            )
            return None

    def offset_location(self, node: Node, offset: int) -> Location:
        """The position of character ``offset`` inside a one-line scalar."""
        base = self.where(node)
        quote = 1 if isinstance(node, ScalarNode) and node.style in ("'", '"') else 0
        if node.start_mark.line != node.end_mark.line:
            return base
        return Location(base.path, base.line, base.column + quote + offset)
