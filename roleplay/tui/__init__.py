"""The Textual interface of roleplay: a client of the engine."""
