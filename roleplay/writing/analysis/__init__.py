"""Exploring every way through a story, exactly, within a time and memory budget.

The exploration (:mod:`roleplay.writing.analysis.space`) works on whole sets of (mood,
loyalty) pairs at a time (:mod:`roleplay.writing.analysis.plane`), over only the parts
of the state that some condition or rule can tell apart. When it cannot finish
within its budget (:mod:`roleplay.writing.analysis.budget`), the report keeps what is
certain and random plays fill in the rest (:mod:`roleplay.writing.analysis.sampling`).
"""

from __future__ import annotations

import gc
import time

from roleplay import i18n
from roleplay.i18n import N_, Deferred
from roleplay.parsing.yamlfile import gc_paused
from roleplay.rules.rulebook import Rulebook, default_rulebook
from roleplay.story.model import Story
from roleplay.writing.analysis.budget import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, OUT_OF_MEMORY, Budget, Stopped
from roleplay.writing.analysis.exact import read_report
from roleplay.writing.analysis.report import (
    DEAD_END,
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
from roleplay.writing.analysis.sampling import DEFAULT_PLAYS, sample
from roleplay.writing.analysis.space import COMPARED_COUNT_CAP, StateSpace
from roleplay.writing.analysis.turning import TurningPoint, TurningSearch, Value, find_turning_point, turning_point

__all__ = [
    "COMPARED_COUNT_CAP",
    "DEAD_END",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_PLAYS",
    "DEFAULT_SECONDS",
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
    "TurningSearch",
    "UntakenBranch",
    "Value",
    "analyze",
    "find_turning_point",
    "turning_point",
]


EXPLORE_SHARE = 0.6
"""The part of the time budget the exact exploration may use."""

ROUTES_SHARE = 0.75
"""When the exploration stops early: routes to what it found until this part of the time budget; random plays after."""


MIN_SAMPLE_SECONDS = 1.0
"""Random plays get at least this long, however little of the budget is left."""


def analyze(
    story: Story,
    rulebook: Rulebook | None = None,
    budget: Budget | None = None,
    plays: int = DEFAULT_PLAYS,
    sample_seconds: float = 10.0,
    seed: int = 1,
) -> StoryAnalysis:
    """Explore every way through ``story`` and report what a writer needs to know.

    The budget (by default none when called from code) bounds the whole run: the exact
    exploration may use :data:`EXPLORE_SHARE` of its time and the rest goes to shortest
    routes. If the exploration does not finish in its share, the report says why, keeps what
    it found (routes to it until :data:`ROUTES_SHARE` of the time), and adds what up to
    ``plays`` random plays find in the time left (at least :data:`MIN_SAMPLE_SECONDS`; with no
    time limit, ``sample_seconds``). On Ctrl-C the report comes back at once with
    ``interrupted`` set. Never raises MemoryError: running out of memory is one more reason
    to stop.
    """
    rulebook = rulebook or default_rulebook()
    budget = budget or Budget.unlimited()
    if budget.progress is not None:
        # The progress lines' numbers are written the language's way, from locale data (a few MB)
        # read the first time: read now, the memory budget counts them from the start, instead
        # of the first line (a second in) taking a nearly full process past its limit.
        i18n.format_number(0)
    report = StoryAnalysis(story, 0, False, ladder=tuple(o.id for o in rulebook.outcomes), good=rulebook.good_outcomes)
    space: StateSpace | None = None
    started = time.monotonic()
    try:
        with gc_paused():
            space = StateSpace(story, rulebook, budget.share(EXPLORE_SHARE))
            space.explore()
            report.seconds = time.monotonic() - started
            space.budget = budget
            read_report(space, report)
            report.complete = True
            return report
    except KeyboardInterrupt:
        report.interrupted = True
        report.stopped = Deferred(N_("the analysis was interrupted"))
    except Stopped as stop:
        report.stopped = stop.reason
    except MemoryError:
        report.stopped = OUT_OF_MEMORY
    report.seconds = time.monotonic() - started
    report.complete = False
    report.incomplete_reasons = [
        Deferred(
            N_("{reason} after {seconds:.1f} s; what is listed was reached, but not every play was explored"),
            reason=report.stopped,
            seconds=report.seconds,
        )
    ]
    if space is not None:
        # Shortest routes to what was reached, then random plays, each get a share of the time
        # (after Ctrl-C, one second for the routes and no plays). Their memory is small and fixed:
        # they may use what is in use now and a little more.
        if report.interrupted:
            space.budget = Budget(1.0, None, budget.progress)
        else:
            space.budget = budget.share(ROUTES_SHARE, memory_margin_mb=64, at_least=0.5)
    _partial(space, report)
    space = None  # what the exploration holds is not needed for random plays
    gc.collect()
    if not report.interrupted:
        sampling = budget.share(1.0, memory_margin_mb=64, at_least=MIN_SAMPLE_SECONDS)
        if budget.seconds is None:
            sampling.seconds = sampling.elapsed + sample_seconds
        try:
            sample(story, rulebook, report, sampling, plays, seed)
        except KeyboardInterrupt:
            report.interrupted = True
        except MemoryError:
            pass
    return report


def _partial(space: StateSpace | None, report: StoryAnalysis) -> None:
    """Read what an exploration that stopped early found, freeing it first if memory ran out."""
    if space is None:
        return
    if report.stopped == OUT_OF_MEMORY:
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
