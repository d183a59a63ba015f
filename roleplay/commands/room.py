"""``roleplay room [STORY]``: presenter mode with a room of participants voting from their phones.

The app runs in this terminal as the projector's screen; the participants'
page and its websocket are served from the same process (aiohttp on the
app's own event loop). Only this computer can connect unless ``--host`` says
otherwise; refused connections and dropped messages go to ``room.log`` in the
user data folder.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from roleplay.commands.common import add_language_option, optional_story_path
from roleplay.commands.serve import parse_port
from roleplay.i18n import _
from roleplay.room.settings import DEFAULT_HOST, DEFAULT_PORT, LOG_FILE, RoomOptions


def add_room_options(parser: argparse.ArgumentParser, *, prefix: str = "") -> None:
    """The room's options (``--host``, ``--port`` ... or, for ``serve``, ``--room-port`` ...)."""
    if not prefix:
        parser.add_argument(
            "--host",
            default=DEFAULT_HOST,
            metavar="H",
            help=_(
                "address the participants' page listens on (default {host}: this computer only; "
                "0.0.0.0 opens it to the room's network)"
            ).format(host=DEFAULT_HOST),
        )
    parser.add_argument(
        f"--{prefix}port",
        type=parse_port,
        default=DEFAULT_PORT,
        metavar="N",
        help=_("port of the participants' page (default {port})").format(port=DEFAULT_PORT),
    )
    parser.add_argument(
        f"--{prefix}url" if prefix else "--public-url",
        dest="room_url",
        metavar="URL",
        help=_("the address phones use to reach the participants' page, when it is not http://HOST:PORT/"),
    )
    parser.add_argument(
        "--hide-tally", action="store_true", help=_("hide the live tally on the projector until each vote is locked in")
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "room",
        help=_("presenter mode with the room voting from their phones"),
        description=_(
            "Start presenter mode with a room: the projector shows a join code, the address and a QR code; "
            "participants open the address on their phones, enter the code and vote on each reply. "
            "By default only this computer can connect; see the README to open the room to its network."
        ),
    )
    parser.add_argument(
        "story", metavar="STORY", nargs="?", help=_("start this story (a file, or a bundled story's name) instead of the picker")
    )
    add_room_options(parser)
    add_language_option(parser)
    parser.set_defaults(handler=handle)


def log_to_file() -> Path:
    """Send the room server's log (and aiohttp's warnings) to ``room.log`` in the user data folder; returns its path."""
    from roleplay.play.record import data_dir

    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name, level in (("roleplay.room", logging.INFO), ("aiohttp", logging.WARNING)):
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if isinstance(h, logging.FileHandler)]:
            logger.removeHandler(old)
            old.close()
        logger.addHandler(handler)
        logger.setLevel(level)
    return path


def handle(args: argparse.Namespace) -> int:
    from roleplay.tui.app import run_app

    found, story = optional_story_path(args.story)
    if not found:
        return 1
    log_to_file()
    options = RoomOptions(host=args.host, port=args.port, public_url=args.room_url, hide_tally=args.hide_tally)
    return run_app(story, present=True, room=options, language=getattr(args, "language", "en"))
