"""``python -m roleplay`` runs the command line."""

from roleplay.cli import run

run()
