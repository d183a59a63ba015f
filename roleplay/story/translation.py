"""Text layers: a story's (or the rulebook's) words in another language over one shared graph.

Beside ``X.yaml`` its text in language L is ``X.L.yaml``. The layer holds no
structure, only strings keyed by where they sit in the story::

    translation_of: cracked-kettle.yaml
    language: lv
    strings:
      title: {source: "The cracked kettle", text: "Saplaisājusī tējkanna"}
      start.say.1: {source: "...", text: "..."}     # node id, 1-based line of say
      start.reply.2: {source: "...", text: "..."}   # 1-based reply of that node

``source`` is the text the entry translates, as it was when translated; when
the story's text changes the entry is *stale*. Nodes, replies, tactics and
conditions stay in the story file, so a writer changes a branch once and every
language follows (the way Yarn Spinner's string tables and ink's localisation
keep one graph). Nothing here imports Textual.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode

from roleplay.i18n import LANGUAGES, N_, Deferred
from roleplay.parsing.diagnostics import Diagnostic, Location, Severity
from roleplay.parsing.fields import did_you_mean
from roleplay.parsing.yamlfile import TAG_PREFIX, kind_name, location_of, mapping_items, read_yaml, scalar_value
from roleplay.story.layer_names import LAYER_NAME as _LAYER_NAME

# The names live in layer_names; kept importable from here too.
from roleplay.story.layer_names import is_layer_path as is_layer_path
from roleplay.story.layer_names import layer_language as layer_language
from roleplay.story.layer_names import layer_path as layer_path
from roleplay.story.layer_names import source_path_of as source_path_of
from roleplay.story.model import Story

if TYPE_CHECKING:
    from roleplay.story.loader import LoadResult

ENGLISH_NAMES = {"en": "English", "lv": "Latvian", "et": "Estonian", "hr": "Croatian", "pl": "Polish"}
"""English names, for the comment at the top of a layer file."""

LAYER_FIELDS = ("translation_of", "language", "strings")
ENTRY_FIELDS = ("source", "text", "stale", "was", "note")

_PLACEHOLDER = re.compile(r"\{[^{}\s]*\}")


# naming (in layer_names, which imports nothing heavy: the picker lists a library without YAML) ----
def layers_beside(source: Path | str) -> list[Path]:
    """Every layer file that translates ``source``, by language."""
    source = Path(source)
    if not source.parent.is_dir():
        return []
    found = []
    for candidate in source.parent.iterdir():
        match = _LAYER_NAME.match(candidate.name)
        if match and match.group("base") == source.stem and candidate.is_file():
            found.append(candidate)
    return sorted(found)


# the strings of a story -------------------------------------------------------
_Record = TypeVar("_Record")


def replace_fields(record: _Record, changes: Mapping[str, object]) -> _Record:
    """``record`` (a dataclass) with the fields named in ``changes`` replaced.

    The names come from a text layer's keys at run time, so they cannot be
    checked against the dataclass's fields when the code is type-checked.
    """
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]  # field names known only at run time


def closing_words(node: object) -> Mapping[str, str]:
    """An ending's ``closing`` words per outcome, or an empty mapping for a node without them."""
    closing = getattr(node, "closing", None)
    return closing if isinstance(closing, Mapping) else {}


def story_texts(story: Story) -> dict[str, str]:
    """Every translatable text of ``story`` by key, in the order the file gives them."""
    texts = {"title": story.title}
    if story.summary:
        texts["summary"] = story.summary
    texts["customer.name"] = story.customer.name
    if story.customer.about:
        texts["customer.about"] = story.customer.about
    for node_id, node in story.nodes.items():
        for number, line in enumerate(node.say, start=1):
            texts[f"{node_id}.say.{number}"] = line
        for number, choice in enumerate(node.choices, start=1):
            texts[f"{node_id}.reply.{number}"] = choice.reply
        for outcome, words in closing_words(node).items():
            texts[f"{node_id}.closing.{outcome}"] = words
    return texts


def placeholders(text: str) -> set[str]:
    """The ``{name}`` tokens in a text, which a translation must keep."""
    return set(_PLACEHOLDER.findall(text))


# reading a layer --------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Entry:
    """One translated string and where its parts are in the layer file."""

    key: str
    source: str
    text: str
    stale: bool
    was: str | None
    note: str | None
    key_location: Location
    source_location: Location
    text_location: Location


@dataclass
class Layer:
    """A layer file as read: its header and entries (those that could be read)."""

    path: str
    translation_of: str | None
    language: str | None
    entries: dict[str, Entry] = field(default_factory=dict)
    strings_location: Location | None = None
    header_locations: dict[str, Location] = field(default_factory=dict)

    def texts(self, current: Mapping[str, str]) -> dict[str, str]:
        """The translation of each key of ``current`` that has a usable one.

        Entries with no text, or whose placeholders differ from the source's,
        are left out, so the source language shows there instead. Stale entries
        are used: a translation of an earlier wording reads better than a
        sentence in another language, and validate reports them.
        """
        usable = {}
        for key, source in current.items():
            entry = self.entries.get(key)
            if entry is not None and entry.text.strip() and placeholders(entry.text) == placeholders(source):
                usable[key] = entry.text
        return usable


@dataclass
class LayerResult:
    """A layer (None when it cannot be read) and what was wrong with it."""

    path: str
    layer: Layer | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_layer(path: Path | str) -> LayerResult:
    """Read a layer file; problems come back as located diagnostics, never exceptions."""
    path = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return LayerResult(
            path,
            None,
            [Diagnostic(Location(path), Deferred(N_("cannot read the file: {problem}"), problem=exc.strerror or str(exc)))],
        )
    return read_layer_bytes(path, data)


def read_layer_bytes(path: str, data: bytes) -> LayerResult:
    document = read_yaml(path, data)
    result = LayerResult(path, None, list(document.diagnostics))
    if document.root is None:
        return result
    problems = result.diagnostics

    def error(node: Node | Location, message: str) -> None:
        where = node if isinstance(node, Location) else location_of(path, node)
        problems.append(Diagnostic(where, message))

    root = document.root
    if not isinstance(root, MappingNode):
        error(root, Deferred(N_("a text layer must be a mapping with translation_of, language and strings")))
        return result
    top = {key: (key_node, value) for key, key_node, value in mapping_items(root)}
    for key, (key_node, _) in top.items():
        if key not in LAYER_FIELDS:
            error(
                key_node,
                Deferred(
                    N_("unknown field {key!r} in a text layer{hint}; the fields are {fields}"),
                    key=key,
                    hint=did_you_mean(key, LAYER_FIELDS),
                    fields=", ".join(LAYER_FIELDS),
                ),
            )
    for key in LAYER_FIELDS:
        if key not in top:
            error(root, Deferred(N_("a text layer needs '{key}'"), key=key))
    layer = Layer(path, None, None)
    for key in ("translation_of", "language"):
        if key in top:
            value = top[key][1]
            layer.header_locations[key] = location_of(path, value)
            if isinstance(value, ScalarNode) and value.tag == TAG_PREFIX + "str" and value.value.strip():
                setattr(layer, key, value.value.strip())
            else:
                error(value, Deferred(N_("{what} must be text, not {kind}"), what=key, kind=kind_name(value)))
    if "strings" in top:
        key_node, strings = top["strings"]
        layer.strings_location = location_of(path, key_node)
        if isinstance(strings, ScalarNode) and strings.tag == TAG_PREFIX + "null":
            pass  # an empty layer: every string is missing
        elif not isinstance(strings, MappingNode):
            error(
                strings,
                Deferred(N_("strings must be a mapping of keys to {{source, text}}, not {kind}"), kind=kind_name(strings)),
            )
        else:
            for key, entry_key, value in mapping_items(strings):
                entry = _entry(path, key, entry_key, value, error)
                if entry is not None:
                    layer.entries[key] = entry
    result.layer = layer
    return result


def _entry(path: str, key: str, key_node: Node, node: Node, error: Callable[[Node, str], None]) -> Entry | None:
    if not isinstance(node, MappingNode):
        error(
            node,
            Deferred(N_("the entry {key!r} must be a mapping with source and text, not {kind}"), key=key, kind=kind_name(node)),
        )
        return None
    fields = {name: (name_node, value) for name, name_node, value in mapping_items(node)}
    ok = True
    for name, (name_node, _) in fields.items():
        if name not in ENTRY_FIELDS:
            error(
                name_node,
                Deferred(
                    N_("unknown field {name!r} in the entry {key!r}{hint}; the fields are {fields}"),
                    name=name,
                    key=key,
                    hint=did_you_mean(name, ENTRY_FIELDS),
                    fields=", ".join(ENTRY_FIELDS),
                ),
            )
            ok = False
    values: dict[str, object] = {}
    for name in ("source", "text", "was", "note"):
        if name not in fields:
            continue
        value = fields[name][1]
        if isinstance(value, ScalarNode) and value.tag == TAG_PREFIX + "null" and name != "source":
            values[name] = ""
        elif isinstance(value, ScalarNode) and value.tag != TAG_PREFIX + "null":
            values[name] = str(scalar_value(value))
        else:
            error(
                value,
                Deferred(N_("{name} of the entry {key!r} must be text, not {kind}"), name=name, key=key, kind=kind_name(value)),
            )
            ok = False
    for name in ("source", "text"):
        if name not in fields:
            error(node, Deferred(N_("the entry {key!r} needs '{name}'"), key=key, name=name))
            ok = False
    stale = False
    if "stale" in fields:
        value = fields["stale"][1]
        if isinstance(value, ScalarNode) and value.tag == TAG_PREFIX + "bool":
            stale = bool(scalar_value(value))
        else:
            error(
                value,
                Deferred(N_("stale of the entry {key!r} must be true or false, not {kind}"), key=key, kind=kind_name(value)),
            )
            ok = False
    if not ok:
        return None
    return Entry(
        key=key,
        source=str(values["source"]),
        text=str(values["text"]),
        stale=stale,
        was=values.get("was") or None,  # type: ignore[arg-type]
        note=values.get("note") or None,  # type: ignore[arg-type]
        key_location=location_of(path, key_node),
        source_location=location_of(path, fields["source"][1]),
        text_location=location_of(path, fields["text"][1]),
    )


# checking a layer -------------------------------------------------------------
def check_layer(layer: Layer, current: Mapping[str, str], source_name: str, expected_language: str | None) -> list[Diagnostic]:
    """Missing, stale and orphan entries (warnings) and placeholder mismatches (errors)."""
    found: list[Diagnostic] = []
    path = layer.path

    def warn(where: Location, message: str) -> None:
        found.append(Diagnostic(where, message, Severity.WARNING))

    if layer.translation_of is not None and layer.translation_of != source_name:
        found.append(
            Diagnostic(
                layer.header_locations["translation_of"],
                Deferred(
                    N_("translation_of names {named!r}, but this file translates {source!r} (its name says so)"),
                    named=layer.translation_of,
                    source=source_name,
                ),
            )
        )
    if layer.language is not None and expected_language is not None and layer.language != expected_language:
        found.append(
            Diagnostic(
                layer.header_locations["language"],
                Deferred(
                    N_("language is {language!r}, but the file name says {expected!r}"),
                    language=layer.language,
                    expected=expected_language,
                ),
            )
        )
    if layer.language is not None and layer.language not in LANGUAGES:
        found.append(
            Diagnostic(
                layer.header_locations["language"],
                Deferred(
                    N_("unknown language {language!r}{hint}; the languages are {languages}"),
                    language=layer.language,
                    hint=did_you_mean(layer.language, LANGUAGES),
                    languages=", ".join(LANGUAGES),
                ),
            )
        )
    strings_at = layer.strings_location or Location(path)
    for key, source in current.items():
        entry = layer.entries.get(key)
        if entry is None:
            warn(
                strings_at,
                Deferred(
                    N_("missing translation of {key!r} ({source}); 'roleplay translate' adds an entry for it"),
                    key=key,
                    source=_quote(source),
                ),
            )
            continue
        if entry.stale:
            warn(
                entry.source_location,
                Deferred(
                    N_(
                        "stale translation of {key!r}: marked 'stale: true' since the source changed; update the text, then remove the mark"
                    ),
                    key=key,
                ),
            )
        elif entry.source != source:
            warn(
                entry.source_location,
                Deferred(N_("stale translation of {key!r}: the source is now {source}"), key=key, source=_quote(source)),
            )
        if not entry.text.strip():
            warn(entry.text_location, Deferred(N_("missing translation of {key!r}: the text is empty"), key=key))
        elif placeholders(entry.text) != placeholders(source):
            expected = ", ".join(sorted(placeholders(source))) or Deferred(N_("none"))
            got = ", ".join(sorted(placeholders(entry.text))) or Deferred(N_("none"))
            found.append(
                Diagnostic(
                    entry.text_location,
                    Deferred(
                        N_("the placeholders of {key!r} do not match the source: expected {expected}, found {found}"),
                        key=key,
                        expected=expected,
                        found=got,
                    ),
                )
            )
    for key, entry in layer.entries.items():
        if key not in current:
            warn(
                entry.key_location,
                Deferred(
                    N_("{key!r} is no longer in {source}{hint}; remove the entry (or move its text to the new key)"),
                    key=key,
                    source=source_name,
                    hint=did_you_mean(key, current),
                ),
            )
    found.sort(key=lambda d: (d.location.line, d.location.column))
    return found


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return json.dumps(text if len(text) <= limit else text[: limit - 1] + "…", ensure_ascii=False)


# checking a story's layer from its file ---------------------------------------
def check_story_layer(path: Path | str, story_result: LoadResult | None = None) -> LayerResult:
    """Read the layer at ``path`` and check it against the story beside it (loaded, not played:
    a layer concerns only the story's texts)."""
    from roleplay.story.loader import check_story_file

    path = Path(path)
    result = read_layer(path)
    source = source_path_of(path)
    if result.layer is None:
        return result
    if not source.is_file():
        result.diagnostics.append(
            Diagnostic(Location(str(path)), Deferred(N_("there is no story {name} beside this text layer"), name=source.name))
        )
        return result
    story_result = story_result or check_story_file(source)
    if story_result.story is None:
        result.diagnostics.append(
            Diagnostic(
                Location(str(path)),
                Deferred(N_("{name} has errors, so its text layer cannot be checked; fix the story first"), name=source.name),
            )
        )
        return result
    result.diagnostics.extend(check_layer(result.layer, story_texts(story_result.story), source.name, layer_language(path)))
    return result


# using a layer ----------------------------------------------------------------
def overlay_story(story: Story, texts: Mapping[str, str], language: str) -> Story:
    """``story`` with its text replaced by ``texts`` (by key) where given; the graph is untouched."""
    if not texts:
        return dataclasses.replace(story, language=language) if story.language != language else story

    def get(key: str, default: str) -> str:
        return texts.get(key, default)

    customer = dataclasses.replace(
        story.customer, name=get("customer.name", story.customer.name), about=get("customer.about", story.customer.about)
    )
    nodes = {}
    for node_id, node in story.nodes.items():
        say = tuple(get(f"{node_id}.say.{n}", line) for n, line in enumerate(node.say, start=1))
        choices = tuple(
            dataclasses.replace(choice, reply=get(f"{node_id}.reply.{n}", choice.reply))
            for n, choice in enumerate(node.choices, start=1)
        )
        translated = dataclasses.replace(node, say=say, choices=choices)
        closing = closing_words(node)
        if closing:
            words = {outcome: get(f"{node_id}.closing.{outcome}", words) for outcome, words in closing.items()}
            translated = replace_fields(translated, {"closing": words})
        nodes[node_id] = translated
    return dataclasses.replace(
        story,
        title=get("title", story.title),
        summary=get("summary", story.summary),
        customer=customer,
        nodes=nodes,
        language=language,
    )


def translate_story(story: Story, language: str | None) -> Story:
    """``story`` in ``language`` from the layer beside its file; the story as written when there is none.

    Keys the layer lacks (or whose text is empty or breaks a placeholder) keep
    the story's own text, so a half-done translation still plays.
    """
    if language is None or language == story.language:
        return story
    path = layer_path(story.path, language)
    if not path.is_file():
        return story
    result = read_layer(path)
    if result.layer is None:
        return story
    return overlay_story(story, result.layer.texts(story_texts(story)), language)


# writing a layer --------------------------------------------------------------
@dataclass
class LayerUpdate:
    """What ``roleplay translate`` did to a layer."""

    text: str
    kept: list[str] = field(default_factory=list)
    """Keys with a current translation."""
    empty: list[str] = field(default_factory=list)
    """Keys still to translate: their text is empty (``added`` are among them)."""
    added: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def update_layer(
    current: Mapping[str, str],
    existing: Layer | None,
    source_name: str,
    language: str,
    drop_orphans: bool = False,
) -> LayerUpdate:
    """The new text of a layer: good entries kept, missing ones added, changed ones marked stale.

    An entry whose source changed keeps its text, takes the new source, records
    the old one under ``was`` and gets ``stale: true`` until a translator updates
    the text and removes the mark. Entries for keys the story no longer has are
    kept at the end (reported as orphans) unless ``drop_orphans`` is given.
    """
    entries = existing.entries if existing is not None else {}
    update = LayerUpdate("")
    lines = [
        f"# {ENGLISH_NAMES.get(language, language)} text for {source_name}",
        "# Translate each 'text'; 'source' is the text it translates. After the source",
        "# changes, 'roleplay translate' marks the entry 'stale: true' (the old source is",
        "# under 'was'): update the text, then delete those two lines.",
        f"translation_of: {_plain(source_name)}",
        f"language: {_plain(language)}",
        "strings:",
    ]
    for key, source in current.items():
        entry = entries.get(key)
        if entry is None:
            update.added.append(key)
            update.empty.append(key)
            lines += _entry_lines(key, source, "", stale=False, was=None, note=None)
        elif entry.source != source:
            update.stale.append(key)
            lines += _entry_lines(key, source, entry.text, stale=True, was=entry.was or entry.source, note=entry.note)
        else:
            if entry.stale:
                update.stale.append(key)
            elif entry.text.strip():
                update.kept.append(key)
            else:
                update.empty.append(key)
            lines += _entry_lines(key, source, entry.text, stale=entry.stale, was=entry.was, note=entry.note)
    orphans = [entry for key, entry in entries.items() if key not in current]
    if orphans and not drop_orphans:
        lines.append("  # No longer in the story (validate reports these): move the text to a new key, or delete.")
    for entry in orphans:
        if drop_orphans:
            update.dropped.append(entry.key)
            continue
        update.orphans.append(entry.key)
        lines += _entry_lines(entry.key, entry.source, entry.text, stale=entry.stale, was=entry.was, note=entry.note)
    update.text = "\n".join(lines) + "\n"
    return update


def _entry_lines(key: str, source: str, text: str, stale: bool, was: str | None, note: str | None) -> list[str]:
    lines = [f"  {_key(key)}:", f"    source: {_scalar(source)}"]
    if stale:
        lines.append("    stale: true")
        if was is not None:
            lines.append(f"    was: {_scalar(was)}")
    if note:
        lines.append(f"    note: {_scalar(note)}")
    lines.append(f"    text: {_scalar(text)}")
    return lines


def _scalar(text: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _plain(text: str) -> str:
    """A file name or language code unquoted when YAML reads it back as the same text."""
    return (
        text
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.\-]*", text)
        and text.lower() not in ("yes", "no", "true", "false", "null", "on", "off")
        else _scalar(text)
    )


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_.\-]+", key) and key[0] not in "-." else _scalar(key)
