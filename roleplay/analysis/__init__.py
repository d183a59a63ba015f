"""Exploring every way through a story, exactly, within a time and memory budget.

The exploration (:mod:`roleplay.analysis.space`) works on whole sets of (mood,
loyalty) pairs at a time (:mod:`roleplay.analysis.plane`), over only the parts
of the state that some condition or rule can tell apart. When it cannot finish
within its budget (:mod:`roleplay.analysis.budget`), the report keeps what is
certain and random plays fill in the rest (:mod:`roleplay.analysis.sampling`).
"""

from __future__ import annotations

import gc
import time

from roleplay.analysis.budget import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Budget, memory_in_use
from roleplay.analysis.exact import read_report
from roleplay.analysis.report import (
    DEAD_END,
    GOOD_OUTCOMES,
    WALKED_OUT,
    Contradiction,
    EndingReport,
    LessonAudit,
    MarkedTop,
    Route,
    Sampled,
    Stop,
    StoryAnalysis,
    UntakenBranch,
)
from roleplay.analysis.sampling import DEFAULT_PLAYS, sample
from roleplay.analysis.space import COMPARED_COUNT_CAP, StateSpace, Stopped
from roleplay.analysis.turning import TurningPoint, Value, turning_point
from roleplay.model import Story
from roleplay.rulebook import Rulebook, default_rulebook
from roleplay.yamlfile import gc_paused

__all__ = [
    "COMPARED_COUNT_CAP",
    "DEAD_END",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_PLAYS",
    "DEFAULT_SECONDS",
    "GOOD_OUTCOMES",
    "WALKED_OUT",
    "Budget",
    "Contradiction",
    "EndingReport",
    "LessonAudit",
    "MarkedTop",
    "Route",
    "Sampled",
    "StateSpace",
    "Stop",
    "Stopped",
    "StoryAnalysis",
    "TurningPoint",
    "UntakenBranch",
    "Value",
    "analyze",
    "turning_point",
]


def analyze(
    story: Story,
    rulebook: Rulebook | None = None,
    budget: Budget | None = None,
    plays: int = DEFAULT_PLAYS,
    sample_seconds: float | None = None,
    seed: int = 1,
) -> StoryAnalysis:
    """Explore every way through ``story`` and report what a writer needs to know.

    Past the budget (by default none when called from code), the report says why the
    exploration stopped, keeps what it found, and adds what up to ``plays`` random plays
    find within ``sample_seconds`` (by default a quarter of the time budget, at least one
    second). On Ctrl-C the report comes back at once with ``interrupted`` set. Never raises
    MemoryError: running out of memory is one more reason to stop.
    """
    rulebook = rulebook or default_rulebook()
    budget = budget or Budget.unlimited()
    report = StoryAnalysis(story, 0, False, ladder=tuple(o.id for o in rulebook.outcomes))
    space: StateSpace | None = None
    started = time.monotonic()
    try:
        with gc_paused():
            space = StateSpace(story, rulebook, budget)
            space.explore()
            report.seconds = time.monotonic() - started
            read_report(space, report)
            report.complete = True
            return report
    except KeyboardInterrupt:
        report.interrupted = True
        report.stopped = "the analysis was interrupted"
    except Stopped as stop:
        report.stopped = stop.reason
    except MemoryError:
        report.stopped = "the computer ran out of memory"
    report.seconds = time.monotonic() - started
    report.complete = False
    report.incomplete_reasons = [f"{report.stopped} after {report.seconds:.1f} s; what is listed was reached, but not every play was explored"]
    share = max(1.0, (budget.seconds or 4.0) / 4)
    if space is not None:
        # Shortest routes to what was reached, and then random plays, each get a share of the
        # time budget (after Ctrl-C, a second for the routes and no plays). Their memory is small
        # and fixed: they may use what is in use now and a little more.
        space.budget = _afterwards(budget, 1.0 if report.interrupted else share)
    _partial(space, report)
    if not report.interrupted:
        seconds = sample_seconds if sample_seconds is not None else share
        try:
            sample(story, rulebook, report, _afterwards(budget, seconds), plays, seed)
        except KeyboardInterrupt:
            report.interrupted = True
        except MemoryError:
            pass
    return report


def _afterwards(budget: Budget, seconds: float) -> Budget:
    """A budget for the work after the exploration stopped: ``seconds`` more, and memory up to
    what is in use now plus a margin (or the original budget, if that is more)."""
    in_use = memory_in_use()[0] / 1e6
    memory = None if budget.memory_mb is None else max(budget.memory_mb, in_use + 64)
    return Budget(seconds=seconds, memory_mb=memory, progress=budget.progress)


def _partial(space: StateSpace | None, report: StoryAnalysis) -> None:
    """Read what an exploration that stopped early found, freeing it first if memory ran out."""
    if space is None:
        return
    if report.stopped == "the computer ran out of memory":
        # The exploration's own tables are what filled memory; what it found cannot be read
        # without them, so they go, and sampling alone answers.
        report.states = space.states
        del space
        gc.collect()
        return
    try:
        read_report(space, report)
    except MemoryError:
        report.endings.clear()
    except KeyboardInterrupt:
        report.interrupted = True
