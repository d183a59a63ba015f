"""``roleplay validate PATH...``: check story files and folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from roleplay.commands.common import display_path, print_diagnostics, print_json
from roleplay.i18n import _, ngettext
from roleplay.parsing.diagnostics import Diagnostic, Location
from roleplay.play.validation import story_files, validate_file
from roleplay.rules.text_layer import check_rulebook_layer, is_rulebook_layer, rulebook_layers
from roleplay.story.loader import LoadResult
from roleplay.story.translation import LayerResult, check_story_layer, is_layer_path, layers_beside, source_path_of


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help=_("check story files for errors and warnings"),
        description=_(
            "Check story files (or every .yaml file in the folders given), and the text layers beside "
            "them (X.lv.yaml for X.yaml): missing, stale and orphan translations are warnings, "
            "placeholders that do not match are errors. A layer file given alone is checked against "
            "its story. Exit 0 when clean, 1 when a file has errors (or warnings, with --strict), "
            "2 on usage errors."
        ),
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=_("story files or folders"))
    parser.add_argument("--rulebook", action="store_true", help=_("also check the rulebook's text layers (rulebook.L.yaml)"))
    parser.add_argument("--strict", action="store_true", help=_("treat warnings as errors"))
    parser.add_argument("--json", action="store_true", help=_("print the findings as JSON"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    missing = [path for path in args.paths if not path.exists()]
    if missing:
        for path in missing:
            print(_("roleplay validate: error: no such file or folder: {path}").format(path=path), file=sys.stderr)
        return 2
    if not args.paths and not args.rulebook:
        print(_("roleplay validate: error: give story files or folders (or --rulebook)"), file=sys.stderr)
        return 2
    files: list[Path] = list(rulebook_layers()) if args.rulebook else []
    for path in story_files(args.paths):
        if is_layer_path(path):
            files.append(path)
            continue
        files.append(path)
        files.extend(layers_beside(path))
    files = list(dict.fromkeys(files))
    findings: list[tuple[Path, list[Diagnostic]]] = []
    stories: dict[Path, LoadResult] = {}
    for path in files:
        result: LoadResult | LayerResult
        if is_rulebook_layer(path):
            result = check_rulebook_layer(path)
        elif is_layer_path(path):
            source = source_path_of(path).resolve()
            if source not in stories and source.is_file():
                stories[source] = validate_file(source)
            result = check_story_layer(path, stories.get(source))
        else:
            result = stories[path.resolve()] = validate_file(path)
        diagnostics = [_relative(d) for d in result.diagnostics]
        findings.append((path, diagnostics))
    errors = sum(1 for _, ds in findings for d in ds if d.severity.value == "error")
    warnings = sum(1 for _, ds in findings for d in ds if d.severity.value == "warning")
    if args.json:
        print_json(
            {
                "files": [{"path": display_path(path), "diagnostics": [d.to_json() for d in ds]} for path, ds in findings],
                "errors": errors,
                "warnings": warnings,
            }
        )
    else:
        for _path, diagnostics in findings:
            print_diagnostics(diagnostics, sys.stdout)
        checked = ngettext("{count} file checked", "{count} files checked", len(files)).format(count=len(files))
        found = ngettext("{count} error", "{count} errors", errors).format(count=errors)
        warned = ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings)
        print(f"{checked}: {found}, {warned}", file=sys.stderr)
    if not files and not args.rulebook:
        print(_("roleplay validate: error: no story files (*.yaml, *.yml) found"), file=sys.stderr)
        return 2
    return 1 if errors or (args.strict and warnings) else 0


def _relative(diagnostic: Diagnostic) -> Diagnostic:
    where = diagnostic.location
    return Diagnostic(Location(display_path(where.path), where.line, where.column), diagnostic.message, diagnostic.severity)
