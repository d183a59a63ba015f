"""Running the ``roleplay`` command line in the test's own process, with what it printed."""

from __future__ import annotations

from roleplay.cli import main


def roleplay(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``roleplay ARGS...``; its exit code, standard output and standard error."""
    try:
        code = main(list(args))
    except SystemExit as exit:
        code = exit.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err
