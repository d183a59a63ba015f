"""Safe YAML reading that keeps every value's position for error messages.

Files are composed (never constructed) with PyYAML's safe C loader when it is
available, so no tag can run code. The node tree is then checked for what the
safe loader allows but a story must not have: unknown tags, duplicate keys,
merge keys, deep nesting and alias bombs.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roleplay.i18n import N_, Deferred
from roleplay.parsing.diagnostics import Diagnostic, Location, Severity

try:  # the C loader is many times faster; the pure one behaves the same
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_DEPTH = 32
"""Deepest nesting a story file may have; real stories need five or six levels."""

MAX_ALIAS_EXPANSION = 10_000
"""How many nodes repeated through aliases are allowed before the file is refused."""

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Largest file read at all."""

PARSER_DEPTH_GUARD = 1_000
"""Nesting refused before parsing: libyaml recurses per level and would crash far below the file limit."""

TAG_PREFIX = "tag:yaml.org,2002:"
PLAIN_TAGS = {TAG_PREFIX + name: name for name in ("str", "int", "float", "bool", "null", "seq", "map")}

_scalar_constructor = yaml.constructor.SafeConstructor()


@dataclass
class YamlDocument:
    """A composed YAML file: its root node (or None) and every problem found reading it."""

    path: str
    root: Node | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large tree of small objects is built.

    Composing a story allocates one node object per value and no reference
    cycles; with the collector running, each of its passes rescans the growing
    tree, which makes loading large files several times slower than it needs to be.
    Objects are still collected as usual afterwards.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            # Hand what was built straight to the oldest generation: enabling the collector
            # with everything still in the youngest would make its next pass scan it all.
            gc.freeze()
            gc.enable()
            gc.unfreeze()


def location_of(path: str, node: Node) -> Location:
    """The 1-based position where ``node`` starts."""
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


def read_yaml(path: str, data: bytes) -> YamlDocument:
    """Decode and compose ``data``; problems come back as diagnostics, never exceptions."""
    document = YamlDocument(path, None)
    error = document.diagnostics.append

    if len(data) > MAX_FILE_BYTES:
        error(
            Diagnostic(
                Location(path),
                Deferred(
                    N_("the file is {size} bytes; story files are limited to {limit}"), size=len(data), limit=MAX_FILE_BYTES
                ),
            )
        )
        return document
    if b"\x00" in data:
        line, column = _position_of_offset(data, data.index(b"\x00"))
        error(
            Diagnostic(
                Location(path, line, column), Deferred(N_("this is a binary file, not a YAML story: it contains NUL bytes"))
            )
        )
        return document
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position_of_offset(data, exc.start)
        error(
            Diagnostic(
                Location(path, line, column),
                Deferred(N_("the file is not UTF-8 (byte 0x{byte:02x}); save it as UTF-8"), byte=data[exc.start]),
            )
        )
        return document
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        error(Diagnostic(Location(path), EMPTY_FILE))
        return document
    too_deep = _runaway_nesting(text)
    if too_deep is not None:
        line, column = too_deep
        error(
            Diagnostic(
                Location(path, line, column),
                Deferred(N_("nested too deeply; at most {depth} levels are allowed"), depth=MAX_DEPTH),
            )
        )
        return document
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.context}, {exc.problem}"
        started = exc.context_mark
        if started is not None and mark is not None and started.line != mark.line:
            problem = Deferred(
                N_("{problem} (it starts at line {line}, column {column})"),
                problem=problem,
                line=started.line + 1,
                column=started.column + 1,
            )
        error(Diagnostic(where, Deferred(N_("YAML syntax error: {problem}"), problem=problem)))
        return document
    except yaml.YAMLError as exc:  # e.g. a second document in the stream
        error(Diagnostic(Location(path), Deferred(N_("YAML error: {problem}"), problem=str(exc))))
        return document
    except RecursionError:
        error(
            Diagnostic(
                Location(path), Deferred(N_("the file is nested too deeply; at most {depth} levels are allowed"), depth=MAX_DEPTH)
            )
        )
        return document
    if root is None:
        error(Diagnostic(Location(path), EMPTY_FILE))
        return document
    _TreeChecker(path, document.diagnostics).check(root)
    if not any(d.severity is Severity.ERROR for d in document.diagnostics):
        document.root = root
    return document


_CLOSING_OR_OPENING = re.compile(r"[\[\]{}]")
_RUNAWAY_BLOCK = re.compile(rf"(?:[-?]\s+(?:[&!]\S*\s+)*){{{PARSER_DEPTH_GUARD}}}")


def _runaway_nesting(text: str) -> tuple[int, int] | None:
    """Where nesting passes the parser guard (line, column), or None.

    A cheap scan before parsing: flow brackets are counted (quoted brackets too,
    which can only over-count in files no one writes by hand), and a line of a
    thousand nested block entries ("- - - ...") is found by one regex search.
    """
    block = _RUNAWAY_BLOCK.search(text)
    if block is not None:
        return _position_in_text(text, block.start())
    if text.count("[") + text.count("{") < PARSER_DEPTH_GUARD:
        return None
    depth = 0
    for match in _CLOSING_OR_OPENING.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > PARSER_DEPTH_GUARD:
                return _position_in_text(text, match.start())
        elif depth:
            depth -= 1
    return None


def _position_in_text(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _position_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


class _TreeChecker:
    """Walks the node graph once, refusing what a story file must not contain."""

    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.seen: set[int] = set()
        self.repeated = 0

    def error(self, node: Node, message: str) -> None:
        self.diagnostics.append(Diagnostic(location_of(self.path, node), message))

    def check(self, root: Node) -> None:
        # Iterative, so that a hostile file cannot exhaust the Python stack.
        stack: list[tuple[Node, int]] = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            if id(node) in self.seen:
                self.repeated += 1
                if self.repeated > MAX_ALIAS_EXPANSION:
                    self.error(node, Deferred(N_("too many repeated aliases (an alias bomb?); write the values out instead")))
                    return
            self.seen.add(id(node))
            if depth > MAX_DEPTH:
                self.error(node, Deferred(N_("nested too deeply; at most {depth} levels are allowed"), depth=MAX_DEPTH))
                return
            if node.tag not in PLAIN_TAGS and node.tag != TAG_PREFIX + "merge":
                self.error(node, _tag_not_allowed(node.tag))
                continue
            if isinstance(node, MappingNode):
                keys: dict[object, Node] = {}
                for key, value in node.value:
                    if key.tag == TAG_PREFIX + "merge":
                        self.error(key, Deferred(N_("merge keys (<<) are not supported; write the fields out")))
                        continue
                    if isinstance(key, ScalarNode):
                        if key.tag not in PLAIN_TAGS:
                            self.error(key, _tag_not_allowed(key.tag))
                            continue
                        name = scalar_value(key)
                        if name in keys:
                            first = keys[name].start_mark.line + 1
                            self.error(
                                key,
                                Deferred(
                                    N_("duplicate key {key!r} (first given on line {line}); keep one"), key=name, line=first
                                ),
                            )
                        else:
                            keys[name] = key
                    else:
                        self.error(key, Deferred(N_("a key must be a plain name, not a list or mapping")))
                    stack.append((value, depth + 1))
            elif isinstance(node, SequenceNode):
                stack.extend((item, depth + 1) for item in reversed(node.value))


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else tag


def scalar_value(node: ScalarNode) -> object:
    """The Python value of a plain scalar (str, int, float, bool or None)."""
    if node.tag == TAG_PREFIX + "str":
        return node.value
    try:
        return _scalar_constructor.construct_object(node)
    except yaml.YAMLError:
        return node.value


def mapping_items(node: MappingNode) -> Iterator[tuple[str, Node, Node]]:
    """(key, key node, value node) for each entry with a scalar key."""
    for key, value in node.value:
        if isinstance(key, ScalarNode):
            yield str(scalar_value(key)), key, value


EMPTY_FILE = Deferred(N_("the file is empty; a story needs at least title, customer, start and nodes"))


def _tag_not_allowed(tag: str) -> Deferred:
    return Deferred(N_("the tag {tag} is not allowed in a story file; remove it"), tag=_short_tag(tag))


def kind_name(node: Node) -> str:
    """A short English name for what a node holds, for error messages."""
    if isinstance(node, MappingNode):
        return Deferred(N_("a mapping"))
    if isinstance(node, SequenceNode):
        return Deferred(N_("a list"))
    return {
        "str": Deferred(N_("text")),
        "int": Deferred(N_("a number")),
        "float": Deferred(N_("a number")),
        "bool": Deferred(N_("true/false")),
        "null": Deferred(N_("nothing")),
    }.get(PLAIN_TAGS.get(node.tag, ""), Deferred(N_("a value")))
