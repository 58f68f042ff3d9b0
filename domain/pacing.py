"""Telegram's sending limits kept on our side, so the outbox never asks for more than they allow.

PTB's AIORateLimiter limits the overall rate and each group's, as leaky buckets that allow a full burst on top
of the steady rate, and does nothing per chat. Telegram's limits read literally are sliding windows (at most 30
messages in any second, 20 in any minute to a group) and one message a second to a chat; this keeps to those.

Telegram counts a message when the request reaches it, some time between our sending it and our hearing back,
and a busy machine makes that time vary by tens of milliseconds. A fixed margin on the windows is either too
small (a 429 now and then) or too costly, so a call is booked by when it ended: from `take` until `done` it
counts as sent at every moment, and `done` books it at the end of the call. Telegram saw it no later than
that, so a window measured from there holds at most what Telegram's holds, whatever the request's delay.

A call that hangs (a timeout: no answer for seconds) would hold its place for all that time and a window
after. Once its request is known to be written, Telegram has it, if at all, within a trip across the network,
and a round trip is longer than the way there: so from twice the longest recent round trip after the write
(half a second at least) it is booked at that moment (`settle`) and its place is free again. A request held
up longer than that could be counted later than booked: at worst a 429, which the sender waits out.
"""
from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class SendLimits:
    overall: int = 30  # messages in any `overall_seconds`, all chats together
    overall_seconds: float = 1.0
    chat_seconds: float = 1.0  # between two messages to one chat
    group: int = 20  # messages in any `group_seconds` to one group (a chat id below 0)
    group_seconds: float = 60.0
    # Added to every window. Booking calls by their end already keeps within Telegram's windows; this is for
    # a clock that runs apart from Telegram's, which one on the same machine (the sandbox) does not.
    margin_seconds: float = 0.0


class Window:
    """At most `size` events in any `seconds`; an event in flight counts until it ends, then from its end."""

    def __init__(self, size: int, seconds: float) -> None:
        self.size, self.seconds = size, seconds
        self.times: deque[float] = deque()  # ended events, oldest first
        self.flying = 0

    def wait(self, now: float) -> float:
        # Written as the wait below is, so that rounding never has a full window both keep its oldest and wait 0.
        while self.times and self.times[0] + self.seconds <= now:
            self.times.popleft()
        if len(self.times) + self.flying < self.size:
            return 0.0
        # Full: the next place frees when the oldest ended event leaves; one still in flight leaves later still.
        return (self.times[0] if self.times else now) + self.seconds - now

    def take(self) -> None:
        self.flying += 1

    def done(self, at: float | None) -> None:
        """The event in flight ended at `at` (None: it never counted, it was refused)."""
        self.flying = max(0, self.flying - 1)
        if at is not None:
            if not self.times or at >= self.times[-1]:
                self.times.append(at)
            else:
                self.times.insert(bisect.bisect_right(self.times, at), at)


ROUND_TRIPS = 64  # answered calls whose durations bound how long a request takes to reach Telegram
# A hanging request is booked no sooner than this after it was written: a round trip bounds the way there
# only while nothing stalls, and a receiver busy for a moment (the sandbox on a loaded machine; Telegram under
# load) counts it later than any recent trip says. With one round trip alone, 3 of 5,545 calls were counted
# past their booking (the outbox bench's "taken" profile, 2026-12-07).
HANG_FLOOR_SECONDS = 0.5


class SendPace:
    """When the next message to a chat may go (`wait`), the books kept when it goes (`take`) and when its call
    ends (`done`, or `refused` for a 429, which Telegram did not count)."""

    def __init__(self, limits: SendLimits = SendLimits()) -> None:
        self.limits = limits
        self.overall = Window(limits.overall, limits.overall_seconds + limits.margin_seconds)
        self.last_to: dict[int, float] = {}
        self.flying_to: set[int] = set()
        self.settled: set[int] = set()  # chats whose call in flight is booked already (settle)
        self.groups: dict[int, Window] = {}
        self.trips: deque[float] = deque(maxlen=ROUND_TRIPS)  # the latest answered calls' durations

    def wait(self, chat_id: int, now: float) -> float:
        """Seconds until a message to `chat_id` is within every limit; 0: now."""
        return max(self.overall.wait(now), self.own_wait(chat_id, now))

    def own_wait(self, chat_id: int, now: float) -> float:
        """Seconds until the chat's own turn (its second, a group's minute), whatever the overall window says."""
        spacing = self.limits.chat_seconds + self.limits.margin_seconds
        waits = [0.0]
        if chat_id in self.flying_to:
            waits.append(spacing)
        elif chat_id in self.last_to:
            waits.append(self.last_to[chat_id] + spacing - now)
        if chat_id < 0:
            waits.append(self._group(chat_id).wait(now))
        return max(0.0, *waits)

    def take(self, chat_id: int, now: float) -> None:
        """A message to `chat_id` leaves now; call only when wait() said 0, then `done` or `refused` once."""
        self.overall.take()
        self.flying_to.add(chat_id)
        self.last_to[chat_id] = now
        if chat_id < 0:
            self._group(chat_id).take()
        if len(self.last_to) > 4096:  # forget chats whose spacing is long over
            horizon = now - self.limits.chat_seconds - self.limits.margin_seconds
            self.last_to = {c: t for c, t in self.last_to.items() if t > horizon or c < 0 or c in self.flying_to}

    def done(self, chat_id: int, now: float, answered: bool = True) -> None:
        """The call for the message to `chat_id` ended now, however it ended: Telegram may have counted it.
        `answered`: Telegram answered it, so its duration was a round trip (not a timeout or a dropped line)."""
        if answered and chat_id in self.flying_to:
            self.trips.append(max(0.0, now - self.last_to[chat_id]))
        self._end(chat_id, now, now)

    def counted_by(self, written_at: float) -> float | None:
        """The latest moment Telegram can have counted a request written at `written_at`: twice the longest
        recent round trip later, and never less than HANG_FLOOR_SECONDS (None: no call answered yet, so nothing
        is known)."""
        if not self.trips:
            return None
        return written_at + max(HANG_FLOOR_SECONDS, 2 * max(self.trips))

    def settle(self, chat_id: int, at: float) -> None:
        """The call to `chat_id` still hangs, but Telegram counted it by `at`, if at all: booked there now."""
        if chat_id not in self.flying_to or chat_id in self.settled:
            return
        self.settled.add(chat_id)
        for window in self._windows(chat_id):
            window.done(at)

    def refused(self, chat_id: int, now: float) -> None:
        """The call ended now in a 429, which sent nothing: it leaves the overall and group windows. The chat's
        spacing still runs from now: the retry waits at least as long anyway."""
        self._end(chat_id, now, None)

    def _end(self, chat_id: int, now: float, counted_at: float | None) -> None:
        if chat_id in self.settled:
            self.settled.discard(chat_id)  # booked when it settled: Telegram counted it by then, if at all
        else:
            for window in self._windows(chat_id):
                window.done(counted_at)
        self.flying_to.discard(chat_id)
        self.last_to[chat_id] = now

    def _windows(self, chat_id: int) -> Iterable[Window]:
        return (self.overall, self._group(chat_id)) if chat_id < 0 else (self.overall,)

    def _group(self, chat_id: int) -> Window:
        if chat_id not in self.groups:
            limits = self.limits
            self.groups[chat_id] = Window(limits.group, limits.group_seconds + limits.margin_seconds)
        return self.groups[chat_id]
