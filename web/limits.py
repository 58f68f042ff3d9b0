"""Per-session rate limit for what a page posts: a sliding minute, in memory (one process serves the web)."""
from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=1)


class RateLimit:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[datetime]] = defaultdict(deque)

    def allow(self, key: str, now: datetime) -> bool:
        seen = self._seen[key]
        while seen and now - seen[0] >= WINDOW:
            seen.popleft()
        if len(seen) >= self.per_minute:
            return False
        seen.append(now)
        return True
