"""Fixtures for the writer tools' tests."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
"""Small stories with known answers, written for these tests."""

INVALID = HERE.parent / "fixtures" / "invalid"
"""One story file per kind of error, each headed by the error it must give."""


@pytest.fixture
def cli(capsys):
    """Run ``roleplay ARGS...`` in-process: (exit code, stdout, stderr)."""
    from roleplay.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
