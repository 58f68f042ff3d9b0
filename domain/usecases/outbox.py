"""What the bot could never deliver, for staff to follow up by other means (a call, a visit)."""
from __future__ import annotations

from dataclasses import dataclass

from domain.outbox import GIVEN_UP, OutboxMessage
from domain.people import Person
from domain.ports import UnitOfWork
from domain.usecases.queries import _staff


@dataclass(frozen=True)
class Undelivered:
    message: OutboxMessage
    recipient: Person | None  # None: a chat that is nobody's (the staff group)


@dataclass(frozen=True)
class UndeliveredPage:
    items: list[Undelivered]
    total: int


def undelivered_messages(uow: UnitOfWork, actor_id: int, limit: int, offset: int = 0) -> UndeliveredPage:
    """Messages given up on (blocked, chat gone, refused as malformed), newest first; staff only."""
    with uow:
        _staff(uow, actor_id)
        found = uow.outbox.find(GIVEN_UP, limit, offset)
        people = {m.person_id: uow.people.get(m.person_id) for m in found if m.person_id is not None}
        return UndeliveredPage([Undelivered(m, people.get(m.person_id)) for m in found], uow.outbox.count(GIVEN_UP))


def undelivered_count(uow: UnitOfWork, actor_id: int) -> int:
    with uow:
        _staff(uow, actor_id)
        return uow.outbox.count(GIVEN_UP)
