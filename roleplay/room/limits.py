"""Rate limits for the room's server: a token bucket per address (connections) and per connection (messages).

Pure Python with an injectable clock, so the tests move time by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Bucket:
    """``capacity`` events at once, refilled at ``rate`` per second."""

    capacity: float
    rate: float
    clock: Callable[[], float] = time.monotonic
    tokens: float = -1.0
    stamp: float = 0.0

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.capacity
        self.stamp = self.clock()

    def allow(self) -> bool:
        """True (and one token spent) when the event is within the limit."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass(frozen=True)
class Limits:
    """The room server's limits; the defaults suit a training room of up to a few hundred phones."""

    connections_burst: int = 120
    """New websocket connections from one address at once (a room behind one router shares an address)."""
    connections_per_second: float = 2.0
    messages_burst: int = 10
    """Messages one connection may send at once; a tap is one message."""
    messages_per_second: float = 4.0
    drops_before_close: int = 50
    """A connection that has sent this many messages over its limit or malformed is closed."""
    max_message_bytes: int = 1024
    """A vote is about 40 bytes; anything larger than this closes the connection."""
    max_connections: int = 1000
    """Open websockets in all."""
    pages_burst: int = 60
    """Requests for the page and its two files from one address at once."""
    pages_per_second: float = 5.0


@dataclass
class AddressLimiter:
    """A connection bucket per address, forgotten once full again so the table stays small."""

    limits: Limits
    clock: Callable[[], float] = time.monotonic
    buckets: dict[str, Bucket] = field(default_factory=dict)

    def allow(self, address: str) -> bool:
        bucket = self.buckets.get(address)
        if bucket is None:
            if len(self.buckets) > 10_000:
                self._forget_full()
            bucket = Bucket(self.limits.connections_burst, self.limits.connections_per_second, self.clock)
            self.buckets[address] = bucket
        return bucket.allow()

    def _forget_full(self) -> None:
        now = self.clock()
        for address, bucket in list(self.buckets.items()):
            if bucket.tokens + (now - bucket.stamp) * bucket.rate >= bucket.capacity:
                del self.buckets[address]
