"""The outbox table: claims that two senders never share, and a chat's messages strictly in order."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from domain.outbox import Delivery, OutboxMessage
from storage.models import OutboxRow

_OPEN = (Delivery.PENDING.value, Delivery.SENDING.value)


def _to_domain(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(chat_id=row.chat_id, text=row.text, created_at=row.created_at, parse_mode=row.parse_mode,
                         reply_markup=row.reply_markup, invoice=row.invoice, urgent=row.urgent,
                         not_before=row.next_attempt_at,
                         ticket_id=row.ticket_id, person_id=row.person_id, id=row.id, status=Delivery(row.status),
                         attempts=row.attempts, lease_until=row.lease_until, sent_at=row.sent_at, error=row.error)


class SqlOutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.added = 0  # messages written in this transaction (the unit of work tells its observer on commit)

    def add(self, message: OutboxMessage) -> OutboxMessage:
        row = OutboxRow(chat_id=message.chat_id, text=message.text, parse_mode=message.parse_mode,
                        reply_markup=message.reply_markup, invoice=message.invoice, urgent=message.urgent,
                        ticket_id=message.ticket_id,
                        person_id=message.person_id, status=Delivery.PENDING.value, attempts=0,
                        created_at=message.created_at, next_attempt_at=message.not_before or message.created_at)
        self.session.add(row)
        self.session.flush()
        message.id = row.id
        self.added += 1
        return message

    def claim(self, now: datetime, lease: timedelta, limit: int) -> list[OutboxMessage]:
        due = or_(and_(OutboxRow.status == Delivery.PENDING.value, OutboxRow.next_attempt_at <= now),
                  and_(OutboxRow.status == Delivery.SENDING.value, OutboxRow.lease_until <= now))
        earlier = aliased(OutboxRow)
        # A message never tried and not yet due is held for quiet hours: it is no reason for an urgent one to wait.
        held = and_(earlier.status == Delivery.PENDING.value, earlier.attempts == 0, earlier.next_attempt_at > now)
        head_of_chat = ~exists().where(earlier.chat_id == OutboxRow.chat_id, earlier.id < OutboxRow.id,
                                       earlier.status.in_(_OPEN), ~held)
        # A group's head first: a group takes 20 a minute, so its messages must start at once and go at that pace
        # throughout, or a backlog ends waiting on the group alone; only a chat's head is claimable, so this takes
        # one place per group and holds up nobody. Then oldest first: that spreads a batch over many chats, where
        # urgent news first would fill the places with the few chats that get most of it, each waiting its second.
        group_first = case((OutboxRow.chat_id < 0, 0), else_=1)
        candidates = self.session.scalars(select(OutboxRow.id).where(due, head_of_chat)
                                          .order_by(group_first, OutboxRow.id)
                                          .limit(limit)).all()
        claimed = []
        for message_id in candidates:
            # Conditional, so of two senders only one wins each message.
            won = self.session.execute(update(OutboxRow).where(OutboxRow.id == message_id, due).values(
                status=Delivery.SENDING.value, lease_until=now + lease, attempts=OutboxRow.attempts + 1)
                .execution_options(synchronize_session=False)).rowcount
            if won == 1:
                claimed.append(message_id)
        rows = self.session.scalars(select(OutboxRow).where(OutboxRow.id.in_(claimed)).order_by(OutboxRow.id)
                                    .execution_options(populate_existing=True)).all()
        return [_to_domain(r) for r in rows]

    def sent(self, message_id: int, at: datetime) -> None:
        self._set(message_id, status=Delivery.SENT.value, sent_at=at, lease_until=None, error=None)

    def retry(self, message_id: int, at: datetime, error: str) -> None:
        self._set(message_id, status=Delivery.PENDING.value, next_attempt_at=at, lease_until=None, error=error[:500])

    def renew(self, message_id: int, lease_until: datetime) -> None:
        self.session.execute(update(OutboxRow).where(OutboxRow.id == message_id,
                                                     OutboxRow.status == Delivery.SENDING.value)
                             .values(lease_until=lease_until).execution_options(synchronize_session=False))

    def give_up(self, message_id: int, status: Delivery, error: str) -> None:
        self._set(message_id, status=status.value, lease_until=None, error=error[:500])

    def find(self, statuses: tuple[Delivery, ...], limit: int = 50, offset: int = 0) -> list[OutboxMessage]:
        rows = self.session.scalars(select(OutboxRow).where(OutboxRow.status.in_([s.value for s in statuses]))
                                    .order_by(OutboxRow.id.desc()).limit(limit).offset(offset)).all()
        return [_to_domain(r) for r in rows]

    def count(self, statuses: tuple[Delivery, ...]) -> int:
        return self.session.scalar(select(func.count()).select_from(OutboxRow)
                                   .where(OutboxRow.status.in_([s.value for s in statuses]))) or 0

    def _set(self, message_id: int, **values: object) -> None:
        self.session.execute(update(OutboxRow).where(OutboxRow.id == message_id).values(**values)
                             .execution_options(synchronize_session=False))
