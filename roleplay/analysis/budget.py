"""How long and how much memory an analysis may take, and progress while it runs."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_SECONDS = 60.0
"""Default time budget of ``roleplay analyze`` for the exact exploration."""

DEFAULT_MEMORY_MB = 1024
"""Default memory budget (resident memory of the whole process), in MB."""

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


@dataclass
class Budget:
    """A deadline and a memory ceiling; :meth:`check` raises when either is passed."""

    seconds: float | None = DEFAULT_SECONDS
    memory_mb: float | None = DEFAULT_MEMORY_MB
    progress: Callable[[str], None] | None = None
    """Called with a line of progress once a run passes :data:`PROGRESS_AFTER` seconds, then every second."""
    started: float = field(default_factory=time.monotonic)
    _shown: float = 0.0
    _virtual_limit: int | None = field(default_factory=_address_space_limit)

    @classmethod
    def unlimited(cls) -> Budget:
        return cls(seconds=None, memory_mb=None)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def over(self) -> str | None:
        """Why the budget is spent, or None."""
        elapsed = self.elapsed
        if self.seconds is not None and elapsed > self.seconds:
            return f"the time budget of {self.seconds:g} s ran out"
        resident, virtual = memory_in_use()
        if self.memory_mb is not None and resident > self.memory_mb * 1e6:
            return f"the memory budget of {self.memory_mb:g} MB ran out"
        if self._virtual_limit is not None and virtual and virtual > 0.85 * self._virtual_limit:
            return f"memory is close to this process's limit of {self._virtual_limit / 1e6:,.0f} MB"
        return None

    def check(self, work: object = None) -> None:
        """Raise :class:`Stopped` once the budget is spent; show progress now and then."""
        from roleplay.analysis.space import Stopped

        reason = self.over()
        if reason is not None:
            raise Stopped(reason)
        if self.progress is not None:
            elapsed = self.elapsed
            if elapsed >= PROGRESS_AFTER and elapsed - self._shown >= 1.0:
                self._shown = elapsed
                describe = getattr(work, "describe_progress", None)
                self.progress(f"{elapsed:.0f} s: " + (describe() if describe else "working"))
