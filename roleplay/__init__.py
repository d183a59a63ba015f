"""roleplay: a terminal role-play game for practising difficult customer conversations."""

__version__ = "0.1.0"
