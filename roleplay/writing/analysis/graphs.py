"""Strongly connected parts of a graph, for ordering the work of the passes over a story."""

from __future__ import annotations


def strongly_connected(start: int, following: dict[int, list[int]], finished: list[int] | None = None) -> list[list[int]]:
    """The strongly connected parts of the graph reachable from ``start`` (Tarjan's algorithm,
    without recursion), each part listed after every part it leads to. ``finished``, if
    given, gets every node in the order the depth-first walk finishes with it."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    parts: list[list[int]] = []
    work = [(start, 0)]
    while work:
        node, position = work.pop()
        if position == 0:
            index[node] = low[node] = len(index)
            stack.append(node)
            on_stack.add(node)
        successors = following.get(node, ())
        for offset in range(position, len(successors)):
            successor = successors[offset]
            if successor not in index:
                work.append((node, offset + 1))
                work.append((successor, 0))
                break
            if successor in on_stack:
                low[node] = min(low[node], index[successor])
        else:
            if finished is not None:
                finished.append(node)
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                parts.append(part)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return parts
