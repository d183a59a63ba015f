"""The room: participants vote from their phones on the reply the projector's customer gets.

Below the interface, like the engine: :mod:`roleplay.room.model` is the room's
state in plain Python, :mod:`roleplay.room.server` serves the participants'
page and its websocket with aiohttp. Nothing here imports Textual; the app
drives the room through the model's methods and hears from it through a
listener callback.
"""

import logging

for _name in ("roleplay.room", "aiohttp"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
"""The server logs refused connections and dropped messages to ``roleplay.room`` (and aiohttp its own
errors to ``aiohttp``); ``roleplay room`` sends both to a file. The null handlers keep Python from
printing them over the projector's screen when nothing is set up."""
