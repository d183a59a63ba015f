"""The transcript for presenter mode: the app's transcript, with its line styles laid over its own background.

The transcript draws each line with its component styles alone; Textual
gives such partial styles a transparent background, which comes out black.
On the presenter's white background that hides the text, so here each
component style is combined with the widget's own style first.
"""

from __future__ import annotations

from textual.style import Style

from roleplay.tui.widgets.transcript import Transcript


class PresenterTranscript(Transcript):
    """A :class:`Transcript` whose lines keep the widget's background under every colour."""

    def get_visual_style(self, *component_classes: str, partial: bool = False) -> Style:
        style = super().get_visual_style(*component_classes, partial=partial)
        if partial and component_classes:
            return self.visual_style + style
        return style
