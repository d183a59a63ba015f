"""The branch graph of a story as Mermaid or Graphviz DOT text.

One edge per way a reply can lead on: a reply with a plain ``next`` gives one
edge, a reply with branches one edge per branch. Each edge is labelled with
the reply's number among the node's replies, its tactics and their base effect
on mood from the rulebook (context rules can change it in play), then the
condition of the reply (``when ...``) and of the branch (``if ...``, or
``otherwise`` for the fallback after conditional branches). Conditional edges
are dashed. Endings are drawn as rounded boxes, the walkout node in red, the
start in bold.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from roleplay.rules.rulebook import Rulebook, default_rulebook
from roleplay.story.model import Choice, Story

FORMATS = ("mermaid", "dot")


@dataclass(frozen=True)
class Edge:
    """One way a reply leads from one node to another."""

    source: str
    target: str
    label: str
    conditional: bool


def effect_label(choice: Choice, rulebook: Rulebook) -> str:
    """'apologize, empathize +16': the tactics and the sum of their base mood effects."""
    mood = sum(rulebook.tactics[name].mood for name in choice.tactics)
    tactics = ", ".join(choice.tactics) if choice.tactics else "no tactic"
    return f"{tactics} {mood:+d}"


def edges(story: Story, rulebook: Rulebook | None = None) -> Iterator[Edge]:
    rulebook = rulebook or default_rulebook()
    for node in story.nodes.values():
        for choice in node.choices:
            base = f"{choice.index + 1}. {effect_label(choice, rulebook)}"
            if choice.condition is not None:
                base += f"; when {choice.condition}"
            conditional_before = False
            for branch in choice.branches:
                label = base
                if branch.condition is not None:
                    label += f"; if {branch.condition}"
                elif conditional_before:
                    label += "; otherwise"
                yield Edge(
                    node.id,
                    branch.goto,
                    label,
                    choice.condition is not None or branch.condition is not None or conditional_before,
                )
                conditional_before = conditional_before or branch.condition is not None


def _role(story: Story, node_id: str) -> str:
    node = story.nodes[node_id]
    if node_id == story.walkout:
        return "walkout"
    if node.end:
        return "ending"
    if node_id == story.start:
        return "start"
    return "step"


# --- Mermaid ----------------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label (entity codes for quotes and angle brackets)."""
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def mermaid(story: Story, rulebook: Rulebook | None = None) -> str:
    """A Mermaid flowchart of the story (paste into Markdown as a ```mermaid block)."""
    ids = {node_id: f"n{number}" for number, node_id in enumerate(story.nodes)}
    lines = ["flowchart TD"]
    for node_id in story.nodes:
        role = _role(story, node_id)
        text = _mermaid_text(node_id + (" (walkout)" if role == "walkout" else ""))
        shape = f'(["{text}"])' if role in ("ending", "walkout") else f'["{text}"]'
        lines.append(f"    {ids[node_id]}{shape}:::{role}")
    for edge in edges(story, rulebook):
        arrow = "-.->" if edge.conditional else "-->"
        lines.append(f'    {ids[edge.source]} {arrow}|"{_mermaid_text(edge.label)}"| {ids[edge.target]}')
    lines += [
        "    classDef step fill:#f4f4f4,stroke:#555",
        "    classDef start fill:#f4f4f4,stroke:#000,stroke-width:3px",
        "    classDef ending fill:#e3f2e1,stroke:#2e7d32",
        "    classDef walkout fill:#fbe4e4,stroke:#c62828,stroke-width:2px",
    ]
    return "\n".join(lines) + "\n"


# --- Graphviz DOT -----------------------------------------------------------------------------


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_DOT_STYLES = {
    "step": "shape=box",
    "start": "shape=box, style=bold",
    "ending": 'shape=box, style="rounded,filled", fillcolor="#e3f2e1", color="#2e7d32"',
    "walkout": 'shape=box, style="rounded,filled,bold", fillcolor="#fbe4e4", color="#c62828"',
}


def dot(story: Story, rulebook: Rulebook | None = None) -> str:
    """A Graphviz digraph of the story (render with ``dot -Tsvg``)."""
    lines = [
        f"digraph {_dot_string(story.title)} {{",
        '    node [fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    for node_id in story.nodes:
        role = _role(story, node_id)
        label = node_id + ("\n(walkout)" if role == "walkout" else "")
        lines.append(f"    {_dot_string(node_id)} [label={_dot_string(label)}, {_DOT_STYLES[role]}];")
    for edge in edges(story, rulebook):
        style = ", style=dashed" if edge.conditional else ""
        lines.append(f"    {_dot_string(edge.source)} -> {_dot_string(edge.target)} [label={_dot_string(edge.label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(story: Story, format: str, rulebook: Rulebook | None = None) -> str:
    """The graph in one of :data:`FORMATS`."""
    if format == "mermaid":
        return mermaid(story, rulebook)
    if format == "dot":
        return dot(story, rulebook)
    raise ValueError(f"unknown graph format {format!r}; the formats are {', '.join(FORMATS)}")
