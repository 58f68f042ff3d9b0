"""Telegram's sending limits: about 30 messages a second overall, 1 a second per chat, 20 a minute per group."""
from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

from sandbox.errors import ApiError, too_many_requests

# The methods that put a message in a chat or change one; an album (sendMediaGroup) counts once, as PTB's
# AIORateLimiter counts it, since a 10-photo album must pass a per-chat burst of 3.
SENDING_METHODS = frozenset(name.lower() for name in (
    "sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendVoice", "sendAudio", "sendAnimation",
    "sendMediaGroup", "forwardMessage", "copyMessage", "editMessageText", "editMessageCaption",
    "editMessageReplyMarkup"))


@dataclass(frozen=True)
class RateLimits:
    """Telegram's published limits (names as PTB's AIORateLimiter has them); the per-chat one is a token bucket."""

    overall_max_rate: int = 30  # messages in any `overall_time_period` seconds, all chats together
    overall_time_period: float = 1.0
    chat_rate: float = 1.0  # messages a second to one chat, after a burst of `chat_burst`
    chat_burst: int = 3
    group_max_rate: int = 20  # messages in any `group_time_period` seconds to one group (chat id < 0)
    group_time_period: float = 60.0

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> RateLimits:
        """Settings from a control-API body; absent fields keep Telegram's values. Raises ValueError."""
        kinds = {f.name: int if f.type in ("int", int) else float for f in fields(cls)}
        unknown = set(body) - set(kinds) - {"enabled"}
        if unknown:
            raise ValueError(f"unknown limit settings: {sorted(unknown)}")
        try:
            values = {name: kind(body[name]) for name, kind in kinds.items() if body.get(name) is not None}
        except (TypeError, ValueError):
            raise ValueError("every limit setting must be a number") from None
        if not all(0 < v < math.inf for v in values.values()):
            raise ValueError("every limit setting must be a positive number")
        return cls(**values)  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class SlidingWindow:
    """At most `max_rate` events in any `period` seconds: Telegram's "N per second/minute" read literally."""

    def __init__(self, max_rate: int, period: float) -> None:
        self.max_rate, self.period = max(max_rate, 1), period
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()
        return 0.0 if len(self._times) < self.max_rate else self._times[0] + self.period - now

    def take(self, now: float) -> None:
        self._times.append(now)

    def give_back(self, at: float) -> None:
        if at in self._times:
            self._times.remove(at)


class TokenBucket:
    """`rate` tokens a second up to `burst`: one message a second to a chat, with short bursts allowed."""

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate, self.burst = rate, max(burst, 1)
        self._tokens, self._at = float(self.burst), now

    def wait(self, now: float) -> float:
        self._tokens, self._at = min(self.burst, self._tokens + (now - self._at) * self.rate), now
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate

    def take(self, now: float) -> None:
        self._tokens -= 1

    def give_back(self, at: float) -> None:
        self._tokens = min(self.burst, self._tokens + 1)


Limit = SlidingWindow | TokenBucket


class Limiter:
    """Admits or refuses one sending call; a refused call takes nothing, a failed one gives its share back."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.clock = limits, clock
        self.overall = SlidingWindow(limits.overall_max_rate, limits.overall_time_period)
        self.chats: dict[int, TokenBucket] = {}
        self.groups: dict[int, SlidingWindow] = {}

    def _applying(self, chat_id: int | None, now: float) -> dict[str, Limit]:
        limits, applying = self.limits, {"overall": self.overall}
        if chat_id is not None:
            applying["chat"] = self.chats.setdefault(chat_id, TokenBucket(limits.chat_rate, limits.chat_burst, now))
            if chat_id < 0:
                applying["group"] = self.groups.setdefault(
                    chat_id, SlidingWindow(limits.group_max_rate, limits.group_time_period))
        return applying

    def admit(self, chat_id: int | None) -> Callable[[], None]:
        """Take this call's share of every limit that applies, or raise Limited and take nothing.

        Returns the way to give the share back, for a call that then fails (400, 403) and sent nothing."""
        now = self.clock()
        applying = self._applying(chat_id, now)
        waits = {scope: limit.wait(now) for scope, limit in applying.items()}
        scope = max(waits, key=lambda s: waits[s])
        if waits[scope] > 0:
            raise Limited(scope, max(1, math.ceil(waits[scope])))
        for limit in applying.values():
            limit.take(now)

        def give_back() -> None:
            for limit in applying.values():
                limit.give_back(now)
        return give_back


class Limited(ApiError):
    """Telegram's flood wait: 429 with `parameters.retry_after` in whole seconds; `scope` says which limit."""

    def __init__(self, scope: str, retry_after: int) -> None:
        flood = too_many_requests(retry_after)
        super().__init__(flood.code, flood.description, flood.parameters)
        self.scope = scope
