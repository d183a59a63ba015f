"""The subcommands of ``roleplay``, one module each, registered in order of the help listing."""

from roleplay.commands import analyze, graph, history, new, play, room, rules, run, schema, serve, sources, translate, validate

COMMANDS = (play, new, validate, translate, analyze, graph, run, rules, sources, schema, serve, room, history)
"""Modules with ``register(subparsers)``; each sets ``handler`` on its parser."""
