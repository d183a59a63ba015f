"""``roleplay translate STORY --lang L``: write or update a story's text layer in language L."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from roleplay.commands.common import display_path, load_for_command, print_diagnostics
from roleplay.i18n import LANGUAGES, _, parse_language
from roleplay.parsing.diagnostics import Location, Severity
from roleplay.story.translation import Layer, layer_path, read_layer, story_texts, update_layer


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "translate",
        help=_("write or update the text layer of a story (or the rulebook) in a language"),
        description=_(
            "Write STORY's text in language L to the layer file beside it (X.L.yaml for X.yaml), or update "
            "that file after the story changed: translated entries are kept, new texts are added with an "
            "empty 'text' to fill in, entries whose source text changed keep their translation and are "
            "marked 'stale: true' (the old source under 'was'), and entries for texts the story no longer "
            "has are kept and reported (dropped only with --drop-orphans). With --rulebook, the same for "
            "the rulebook's explanations, labels, outcome and mood words (rulebook.L.yaml). "
            "'roleplay validate' then reports what is still missing or stale."
        ),
    )
    parser.add_argument("story", metavar="STORY", nargs="?", help=_("a story file, or the name of a bundled story"))
    parser.add_argument(
        "--lang",
        dest="target",
        required=True,
        type=parse_language,
        metavar="L",
        help=_("the language to translate into: {languages}").format(languages=", ".join(LANGUAGES)),
    )
    parser.add_argument("--rulebook", action="store_true", help=_("the rulebook's text instead of a story's"))
    parser.add_argument("--drop-orphans", action="store_true", help=_("delete entries for texts the source no longer has"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if args.rulebook == (args.story is not None):
        print(_("roleplay translate: error: give a STORY or --rulebook (one of them)"), file=sys.stderr)
        return 2
    if args.rulebook:
        from roleplay.rules.rulebook import default_rulebook
        from roleplay.rules.text_layer import rulebook_path, rulebook_texts

        source = rulebook_path()
        texts = rulebook_texts(default_rulebook())
        source_language = "en"
    else:
        story = load_for_command(args.story)
        if story is None:
            return 1
        source = Path(story.path)
        texts = story_texts(story)
        source_language = story.language
    if args.target == source_language:
        print(
            _("roleplay translate: error: {path} is written in {language}; choose another language to translate it into").format(
                path=display_path(source), language=repr(source_language)
            ),
            file=sys.stderr,
        )
        return 2
    return write_layer(source, texts, args.target, args.drop_orphans)


def write_layer(source: Path, texts: dict[str, str], language: str, drop_orphans: bool) -> int:
    target = layer_path(source, language)
    existing: Layer | None = None
    if target.exists():
        result = read_layer(target)
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        if errors or result.layer is None:
            print_diagnostics(errors)
            print(
                _("roleplay translate: error: fix {path} first (nothing was written)").format(path=display_path(target)),
                file=sys.stderr,
            )
            return 1
        existing = result.layer
    update = update_layer(texts, existing, source.name, language, drop_orphans)
    try:
        old = target.read_text(encoding="utf-8") if target.exists() else None
        if old != update.text:
            target.write_text(update.text, encoding="utf-8")
    except OSError as exc:
        print(
            _("roleplay translate: error: cannot write {path}: {reason}").format(
                path=display_path(target), reason=exc.strerror or exc
            ),
            file=sys.stderr,
        )
        return 1
    where = display_path(target)
    written = read_layer(target).layer
    entries = written.entries if written is not None else {}

    def at(key: str, part: str) -> Location:
        entry = entries.get(key)
        spot = getattr(entry, part) if entry is not None else Location(str(target))
        return Location(where, spot.line, spot.column)

    for key in update.stale:
        print(
            f"{at(key, 'source_location')}: warning: stale translation of {key!r}: the source changed; update the text",
            file=sys.stderr,
        )
    for key in update.orphans:
        print(
            f"{at(key, 'key_location')}: warning: {key!r} is no longer in {source.name}; kept, move or delete it", file=sys.stderr
        )
    for key in update.dropped:
        print(
            _("{path}: dropped {key}, no longer in {source}").format(path=where, key=repr(key), source=source.name),
            file=sys.stderr,
        )
    done = _("wrote {path}") if existing is None else (_("updated {path}") if old != update.text else _("unchanged: {path}"))
    counts = _("{kept} translated, {empty} to translate ({added} new), {stale} stale, {orphans} no longer in the source").format(
        kept=len(update.kept),
        empty=len(update.empty),
        added=len(update.added),
        stale=len(update.stale),
        orphans=len(update.orphans),
    )
    if update.dropped:
        counts += _(", {dropped} dropped").format(dropped=len(update.dropped))
    print(f"{done.format(path=where)}: {counts}", file=sys.stderr)
    return 0
