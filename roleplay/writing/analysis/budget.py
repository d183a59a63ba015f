"""How long and how much memory an analysis may take, and progress while it runs."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from roleplay import i18n
from roleplay.i18n import N_, Deferred

DEFAULT_SECONDS = 60.0
"""Default time budget of ``roleplay analyze`` for the exact exploration."""

DEFAULT_MEMORY_MB = 1024
"""Default memory budget (resident memory of the whole process), in MB."""

VIRTUAL_SHARE = 0.85
"""Under a limit on address space, stop at this share of it, leaving room to write the report."""

VIRTUAL_LAST_SHARE = 0.90
"""Work given a margin past :data:`VIRTUAL_SHARE` (the routes and random plays after an
exploration stopped) still stops at this share of the limit. Python needs the last few
megabytes to raise MemoryError at all: with none left it aborts instead."""

PROGRESS_AFTER = 1.0
"""Seconds after which progress is shown."""

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def memory_in_use() -> tuple[int, int]:
    """(resident bytes, virtual bytes) of this process; virtual is 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            size, resident = statm.read().split()[:2]
        return int(resident) * _PAGE, int(size) * _PAGE
    except OSError:
        # Elsewhere the peak is the best figure there is (kilobytes on Linux and BSD, bytes on macOS).
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return (peak if peak > 1 << 32 else peak * 1024), 0


def _address_space_limit() -> int | None:
    try:
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (ValueError, OSError):
        return None
    return None if soft == resource.RLIM_INFINITY else soft


OUT_OF_MEMORY = Deferred(N_("the computer ran out of memory"))
"""Why work stopped when Python raised MemoryError."""


class Stopped(Exception):
    """The work ran out of its time or memory budget."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Budget:
    """A deadline and a memory ceiling; :meth:`check` raises when either is passed."""

    seconds: float | None = DEFAULT_SECONDS
    memory_mb: float | None = DEFAULT_MEMORY_MB
    progress: Callable[[str], None] | None = None
    """Called with a line of progress once a run passes :data:`PROGRESS_AFTER` seconds, then every second."""
    started: float = field(default_factory=time.monotonic)
    whole: float | None = None
    """The time budget of the whole run, as messages name it (``seconds`` when None)."""
    virtual_limit: int | None = field(default_factory=_address_space_limit)
    """The process's limit on address space (``ulimit -v``), if any."""
    virtual_ceiling: int | None = None
    """Address space at which to stop: by default :data:`VIRTUAL_SHARE` of the limit."""
    _shown: float = 0.0

    def __post_init__(self) -> None:
        if self.virtual_ceiling is None and self.virtual_limit is not None:
            self.virtual_ceiling = int(VIRTUAL_SHARE * self.virtual_limit)

    @classmethod
    def unlimited(cls) -> Budget:
        return cls(seconds=None, memory_mb=None)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def share(self, fraction: float, memory_margin_mb: float | None = None, at_least: float = 0.0) -> Budget:
        """The same budget ending at ``fraction`` of its time (counted from the same start), or
        ``at_least`` seconds from now if that is later; with ``memory_margin_mb``, memory up to
        what is in use now plus that margin, if that is more (never past
        :data:`VIRTUAL_LAST_SHARE` of a ``ulimit -v``)."""
        memory, ceiling = self.memory_mb, self.virtual_ceiling
        if memory_margin_mb is not None:
            resident, virtual = memory_in_use()
            if memory is not None:
                memory = max(memory, resident / 1e6 + memory_margin_mb)
            if ceiling is not None and self.virtual_limit is not None and virtual:
                last = int(VIRTUAL_LAST_SHARE * self.virtual_limit)
                ceiling = min(max(ceiling, int(virtual + memory_margin_mb * 1e6)), last)
        seconds = None if self.seconds is None else max(self.seconds * fraction, self.elapsed + at_least)
        whole = self.whole if self.whole is not None else self.seconds
        return Budget(seconds, memory, self.progress, self.started, whole, self.virtual_limit, ceiling, self._shown)

    def over(self) -> str | None:
        """Why the budget is spent, or None."""
        elapsed = self.elapsed
        if self.seconds is not None and elapsed > self.seconds:
            return Deferred(
                N_("the time budget of {seconds:g} s ran out"), seconds=self.whole if self.whole is not None else self.seconds
            )
        resident, virtual = memory_in_use()
        if self.memory_mb is not None and resident > self.memory_mb * 1e6:
            return Deferred(N_("the memory budget of {megabytes:g} MB ran out"), megabytes=self.memory_mb)
        if self.virtual_ceiling is not None and virtual and virtual > self.virtual_ceiling:
            limit = self.virtual_limit if self.virtual_limit is not None else self.virtual_ceiling
            return Deferred(N_("memory is close to this process's limit of {megabytes:,.0f} MB"), megabytes=limit / 1e6)
        return None

    def check(self, work: object = None) -> None:
        """Raise :class:`Stopped` once the budget is spent; show progress now and then."""
        reason = self.over()
        if reason is not None:
            raise Stopped(reason)
        if self.progress is not None:
            elapsed = self.elapsed
            if elapsed >= PROGRESS_AFTER and elapsed - self._shown >= 1.0:
                self._shown = elapsed
                describe = getattr(work, "describe_progress", None)
                self.progress(f"{elapsed:.0f} s: " + (describe() if describe else i18n._("working")))
