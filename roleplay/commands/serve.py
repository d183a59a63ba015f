"""``roleplay serve``: the app in a web browser, for a projector, through textual-serve.

Each browser tab that opens the page starts its own copy of the app (the same
command a user types, run by this Python), so the trainer's laptop serves
itself: the default address is 127.0.0.1, reachable only from this computer.
"""

from __future__ import annotations

import argparse
import errno
import shlex
import sys

from roleplay.commands.common import add_language_option, optional_story_path
from roleplay.i18n import _

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PROJECTOR_FONT_SIZE = 24
"""The font size suggested for a projector, in CSS pixels (the page's own default is 16)."""


def parse_port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a port number from 1 to 65535, not {text}").format(text=repr(text))
        ) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(_("expected a port number from 1 to 65535, not {text}").format(text=port))
    return port


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help=_("serve the app to a web browser (for a projector)"),
        description=_(
            "Serve the app to a web browser with textual-serve. Every browser tab runs its own copy of "
            "the app. By default only this computer can connect (127.0.0.1); zoom the browser, or add "
            "?fontsize={size} to the address, to make the text larger."
        ).format(size=PROJECTOR_FONT_SIZE),
    )
    parser.add_argument(
        "story", metavar="STORY", nargs="?", help=_("start this story (a file, or a bundled story's name) instead of the picker")
    )
    parser.add_argument(
        "--port",
        type=parse_port,
        default=DEFAULT_PORT,
        metavar="N",
        help=_("port to listen on (default {port})").format(port=DEFAULT_PORT),
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="H",
        help=_("address to listen on (default {host}, this computer only; 0.0.0.0 lets other computers connect)").format(
            host=DEFAULT_HOST
        ),
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help=_(
            "the address browsers use to reach the server, when it is not http://HOST:PORT (behind a proxy, or with --host 0.0.0.0)"
        ),
    )
    parser.add_argument("--present", action="store_true", help=_("start the served app in presenter mode"))
    parser.add_argument(
        "--room",
        action="store_true",
        help=_(
            "presenter mode with a room voting from their phones (as 'roleplay room'); "
            "the participants' page listens on --host too, on its own port"
        ),
    )
    from roleplay.commands.room import add_room_options

    add_room_options(parser, prefix="room-")
    add_language_option(parser)
    parser.set_defaults(handler=handle)


def served_command(
    story: str | None = None, present: bool = False, room: list[str] | None = None, language: str | None = None
) -> list[str]:
    """The command each browser tab runs: this Python running roleplay, as a user would.

    With ``room`` (the options of ``roleplay room``) the tab runs ``roleplay room``: that tab's app
    serves the participants' page from its own process.
    """
    command = [sys.executable, "-m", "roleplay"]
    if language is not None:
        command += ["--lang", language]
    if room is not None:
        return [*command, "room", *([story] if story is not None else []), *room]
    if story is not None:
        command += ["play", story]
    if present:
        command.append("--present")
    return command


def room_arguments(args: argparse.Namespace) -> list[str] | None:
    """``roleplay room``'s options from ``serve --room``'s, or None without --room."""
    if not args.room:
        return None
    arguments = ["--host", args.host, "--port", str(args.room_port)]
    if args.room_url:
        arguments += ["--public-url", args.room_url]
    if args.hide_tally:
        arguments.append("--hide-tally")
    return arguments


def handle(args: argparse.Namespace) -> int:
    from roleplay.webpage import LocalServer

    found, story = optional_story_path(args.story)
    if not found:
        return 1
    room = room_arguments(args)
    if room is not None and args.room_port == args.port:
        print(_("roleplay serve: error: --room-port must differ from --port ({port})").format(port=args.port), file=sys.stderr)
        return 2
    command = shlex.join(served_command(story, args.present, room, getattr(args, "language", None)))
    server = LocalServer(command, host=args.host, port=args.port, title="roleplay", public_url=args.public_url)
    address = server.public_url
    print(
        _("roleplay: serving on {address}  (for a projector: {address}/?fontsize={size})").format(
            address=address, size=PROJECTOR_FONT_SIZE
        ),
        flush=True,
    )
    if room is not None:
        print(
            _(
                "roleplay: the room's page listens on port {port}; the projector shows its address, "
                "code and QR code (one projector tab at a time)"
            ).format(port=args.room_port),
            flush=True,
        )
    try:
        server.serve()
    except OSError as exc:
        reason = (
            _("the port is in use; choose another with --port") if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
        )
        print(
            _("roleplay serve: error: cannot listen on {address}: {reason}").format(
                address=f"{args.host}:{args.port}", reason=reason
            ),
            file=sys.stderr,
        )
        return 1
    return 0
