"""Per-user flood control: at most `limit` messages in any `window`; the excess does no work."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class Throttle:
    """A sliding window per user. `allow` records the message when it is allowed; `should_warn` is true once per
    window of excess, so a flood gets one polite "please slow down", not one per message."""

    limit: int
    window: timedelta
    _seen: dict[int, deque[datetime]] = field(default_factory=dict)
    _warned: dict[int, datetime] = field(default_factory=dict)
    _pruned: datetime | None = None

    def allow(self, user: int, now: datetime) -> bool:
        if self._pruned is None or now - self._pruned >= self.window:  # nobody else forgets the users who left:
            self.forget_idle(now)  # once a window keeps memory to the users of the last one, at little cost
            self._pruned = now
        times = self._seen.setdefault(user, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True

    def should_warn(self, user: int, now: datetime) -> bool:
        last = self._warned.get(user)
        if last is not None and now - last < self.window:
            return False
        self._warned[user] = now
        return True

    def forget_idle(self, now: datetime) -> None:
        """Drop users quiet for a whole window, so memory follows the active users only."""
        for user in [u for u, t in self._seen.items() if not t or now - t[-1] >= self.window]:
            self._seen.pop(user, None)
            self._warned.pop(user, None)
