"""The subcommands of ``roleplay``, one module each, registered in order of the help listing."""

from roleplay.commands import analyze, graph, play, rules, run, serve, validate

COMMANDS = (play, validate, analyze, graph, run, rules, serve)
"""Modules with ``register(subparsers)``; each sets ``handler`` on its parser."""
