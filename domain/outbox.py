"""Messages to people, written in the same transaction as the change they tell of, then delivered exactly once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Protocol


class Delivery(str, Enum):
    PENDING = "pending"              # waiting to be sent (maybe not before a time: quiet hours, a retry)
    SENDING = "sending"              # a sender holds it, until its lease runs out
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"  # the person blocked the bot, or the chat is gone: staff can see it
    FAILED = "failed"                # refused as malformed: a bug, visible to staff


OPEN = (Delivery.PENDING, Delivery.SENDING)
GIVEN_UP = (Delivery.UNDELIVERABLE, Delivery.FAILED)  # never to be sent: staff see these in /outbox


@dataclass
class OutboxMessage:
    """One message to one chat, fully rendered in the reader's language when the change was made."""

    chat_id: int
    text: str
    created_at: datetime
    parse_mode: str | None = "HTML"
    reply_markup: dict[str, Any] | None = None  # an inline keyboard, as the Bot API takes it
    invoice: dict[str, Any] | None = None       # set: sent as sendInvoice (title, description, payload, prices)
    urgent: bool = False
    not_before: datetime | None = None          # quiet hours: hold until then
    ticket_id: int | None = None
    person_id: int | None = None
    id: int | None = None
    status: Delivery = Delivery.PENDING
    attempts: int = 0
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    error: str | None = None


@dataclass(frozen=True)
class Backoff:
    """How long to wait before the n-th retry: doubling from `first`, never more than `longest`."""

    first: timedelta = timedelta(seconds=1)
    longest: timedelta = timedelta(minutes=5)
    give_up_after: int = 20  # attempts; a message that fails this often is marked failed for staff to see

    def delay(self, attempts: int) -> timedelta:
        return min(self.longest, self.first * (2 ** max(0, attempts - 1)))


class OutboxRepository(Protocol):
    def add(self, message: OutboxMessage) -> OutboxMessage: ...

    def claim(self, now: datetime, lease: timedelta, limit: int) -> list[OutboxMessage]:
        """Take up to `limit` due messages, each the oldest open one of its chat (so a chat's messages arrive in
        order; one held for quiet hours and never tried yet does not hold up the urgent ones after it), marking
        them SENDING until now + lease. A message whose lease ran out (its sender died) is due
        again. Two senders never claim the same message."""

    def sent(self, message_id: int, at: datetime) -> None: ...

    def retry(self, message_id: int, at: datetime, error: str) -> None:
        """Back to PENDING, due again at `at`."""

    def renew(self, message_id: int, lease_until: datetime) -> None:
        """A claimed message still being worked on (waiting its turn under the rate limits) keeps its claim."""

    def give_up(self, message_id: int, status: Delivery, error: str) -> None: ...

    def find(self, statuses: tuple[Delivery, ...], limit: int = 50, offset: int = 0) -> list[OutboxMessage]:
        """Messages in these states, newest first."""

    def count(self, statuses: tuple[Delivery, ...]) -> int: ...


@dataclass(frozen=True)
class QuietHours:
    """Non-urgent messages to owners made at night wait for the morning; urgent ones never wait."""

    start_hour: int = 22
    end_hour: int = 8
    enabled: bool = True

    def hold_until(self, local_now: datetime) -> datetime | None:
        """The local time to send at, or None to send now. `local_now` is in the estate's time zone."""
        if not self.enabled or self.start_hour == self.end_hour:
            return None
        hour = local_now.hour
        night = hour >= self.start_hour or hour < self.end_hour if self.start_hour > self.end_hour \
            else self.start_hour <= hour < self.end_hour
        if not night:
            return None
        morning = local_now.replace(hour=self.end_hour, minute=0, second=0, microsecond=0)
        return morning if morning > local_now else morning + timedelta(days=1)
