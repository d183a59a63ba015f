"""The room: participants vote from their phones on the reply the projector's customer gets.

Below the interface, like the engine: :mod:`roleplay.room.model` is the room's
state in plain Python, :mod:`roleplay.room.server` serves the participants'
page and its websocket with aiohttp. Nothing here imports Textual; the app
drives the room through the model's methods and hears from it through a
listener callback.
"""

import logging

logging.getLogger("roleplay.room").addHandler(logging.NullHandler())
"""The server logs refused connections and dropped messages here; the command line sends them to a file.
(The null handler keeps Python from printing them over the projector's screen when nothing is set up.)"""
