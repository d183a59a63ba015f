"""The subcommands of ``roleplay``, one module each, registered in order of the help listing."""

from roleplay.commands import analyze, graph, new, play, room, rules, run, schema, serve, translate, validate

COMMANDS = (play, new, validate, translate, analyze, graph, run, rules, schema, serve, room)
"""Modules with ``register(subparsers)``; each sets ``handler`` on its parser."""
