"""The writer tools' core (analysis, graph, schema, watch) is pure Python: importing it never imports Textual."""

from __future__ import annotations

import subprocess
import sys


def test_the_writer_modules_do_not_import_textual() -> None:
    code = (
        "import sys, roleplay.writing.analysis, roleplay.writing.graph, roleplay.story.schema, roleplay.writing.watch; "
        "sys.exit(1 if any(name == 'textual' or name.startswith('textual.') for name in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_writer_commands_do_not_import_textual() -> None:
    code = (
        "import sys, roleplay.commands.analyze, roleplay.commands.graph, roleplay.commands.schema, roleplay.commands.new; "
        "sys.exit(1 if any(name == 'textual' or name.startswith('textual.') for name in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_schema_command_prints_the_shipped_file(cli) -> None:
    from roleplay.story.schema import schema_path

    code, out, err = cli("schema")
    assert code == 0 and err == "" and out == schema_path().read_text(encoding="utf-8")
    assert cli("schema", "--path") == (0, f"{schema_path()}\n", "")
