"""Telegram's sending limits kept on our side, so the outbox never asks for more than they allow.

PTB's AIORateLimiter limits the overall rate and each group's, as leaky buckets that allow a full burst on top
of the steady rate, and does nothing per chat. Telegram's limits read literally are sliding windows (at most 30
messages in any second, 20 in any minute to a group) and one message a second to a chat; this keeps to those.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class SendLimits:
    overall: int = 30  # messages in any `overall_seconds`, all chats together
    overall_seconds: float = 1.0
    chat_seconds: float = 1.0  # between two messages to one chat
    group: int = 20  # messages in any `group_seconds` to one group (a chat id below 0)
    group_seconds: float = 60.0
    # Added to every window: a request reaches Telegram a little sooner or later than it leaves here, so windows
    # measured here exactly would sometimes hold one message too many there.
    margin_seconds: float = 0.05


class Window:
    """At most `size` events in any `seconds`."""

    def __init__(self, size: int, seconds: float) -> None:
        self.size, self.seconds = size, seconds
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        return 0.0 if len(self.times) < self.size else self.times[0] + self.seconds - now

    def give_back(self, at: float) -> None:
        if at in self.times:
            self.times.remove(at)


class SendPace:
    """When the next message to a chat may go (`wait`), and the books kept when it goes (`take`)."""

    def __init__(self, limits: SendLimits = SendLimits()) -> None:
        self.limits = limits
        self.overall = Window(limits.overall, limits.overall_seconds + limits.margin_seconds)
        self.last_to: dict[int, float] = {}
        self.groups: dict[int, Window] = {}

    def wait(self, chat_id: int, now: float) -> float:
        """Seconds until a message to `chat_id` is within every limit; 0: now."""
        waits = [self.overall.wait(now)]
        if chat_id in self.last_to:
            waits.append(self.last_to[chat_id] + self.limits.chat_seconds + self.limits.margin_seconds - now)
        if chat_id < 0:
            waits.append(self._group(chat_id).wait(now))
        return max(0.0, *waits)

    def take(self, chat_id: int, now: float) -> None:
        """A message to `chat_id` leaves now; call only when wait() said 0."""
        self.overall.times.append(now)
        self.last_to[chat_id] = now
        if chat_id < 0:
            self._group(chat_id).times.append(now)
        if len(self.last_to) > 4096:  # forget chats whose spacing is long over
            horizon = now - self.limits.chat_seconds - self.limits.margin_seconds
            self.last_to = {c: t for c, t in self.last_to.items() if t > horizon or c < 0}

    def give_back(self, chat_id: int, at: float) -> None:
        """The message taken at `at` was refused (429) and sent nothing: it no longer counts overall or in its
        group. The chat's spacing stays: the retry waits at least as long anyway."""
        self.overall.give_back(at)
        if chat_id < 0:
            self._group(chat_id).give_back(at)

    def _group(self, chat_id: int) -> Window:
        if chat_id not in self.groups:
            limits = self.limits
            self.groups[chat_id] = Window(limits.group, limits.group_seconds + limits.margin_seconds)
        return self.groups[chat_id]
