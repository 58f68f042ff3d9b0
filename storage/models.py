"""Typed SQLAlchemy 2 table models. Rows map to domain objects explicitly in storage/mapping.py."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData, String,
                        Text, TypeDecorator, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite (which drops tzinfo) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use UTC-aware datetimes")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class EstateRow(Base):
    __tablename__ = "estates"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    buildings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    estate_id: Mapped[str] = mapped_column(ForeignKey("estates.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)  # Telegram ids exceed 32 bits
    language: Mapped[str] = mapped_column(String(8))
    homes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    zones: Mapped[list[str]] = mapped_column(JSON, default=list)
    on_duty: Mapped[bool] = mapped_column(Boolean, default=True)
    staff_role: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TicketRow(Base):
    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_estate_status", "estate_id", "status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    estate_id: Mapped[str] = mapped_column(ForeignKey("estates.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    building: Mapped[str | None] = mapped_column(String(32), index=True)
    unit: Mapped[str | None] = mapped_column(String(32))
    room: Mapped[str | None] = mapped_column(String(32))
    area: Mapped[str | None] = mapped_column(String(200))
    common_area: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str] = mapped_column(String(32), index=True)
    priority: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    response_due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    arrival_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolution_due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_urged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    hold_reason: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    completion_notes: Mapped[str | None] = mapped_column(Text)
    completion_parts: Mapped[list[str] | None] = mapped_column(JSON)
    labour_minutes: Mapped[int | None] = mapped_column(Integer)
    rework_count: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # The draft's key: a report submitted twice (a retried tap after a crash) opens one ticket, not two.
    report_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The incident this report is one of (one fault, many reporters): it follows that ticket, never dispatched alone.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)


class TicketEventRow(Base):
    __tablename__ = "ticket_events"
    # /stats reads each ticket's timeline once, grouped by ticket: this index covers that read (no table lookups).
    __table_args__ = (Index("ix_ticket_events_timeline", "ticket_id", "action", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class AttachmentRow(Base):
    __tablename__ = "ticket_attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(16))
    added_by: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)


class InviteRow(Base):
    __tablename__ = "invites"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    estate_id: Mapped[str] = mapped_column(ForeignKey("estates.id"))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    name: Mapped[str | None] = mapped_column(String(200))
    home: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    zones: Mapped[list[str]] = mapped_column(JSON, default=list)
    staff_role: Mapped[str | None] = mapped_column(String(20))
    used_by: Mapped[int | None] = mapped_column(Integer)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class RegisterRow(Base):
    __tablename__ = "owner_register"
    __table_args__ = (Index("ix_owner_register_estate_phone", "estate_id", "phone"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    estate_id: Mapped[str] = mapped_column(ForeignKey("estates.id"))
    building: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str | None] = mapped_column(String(32))
    room: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32))


class ChatStateRow(Base):
    """Half-finished conversations (a report being written, a job being closed) survive restarts."""

    __tablename__ = "chat_states"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Bumped on every write; a write that expected another version lost a race and is retried, not applied.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class KbOutcomeRow(Base):
    """What happened to each self-help suggestion, for the deflection rate."""

    __tablename__ = "kb_outcomes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(String(100), index=True)
    category: Mapped[str | None] = mapped_column(String(32))
    building: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class KbDraftRow(Base):
    """One version of a self-help article made or edited in chat; never changed, only stamped reviewed and
    published. The newest published version of an article is what owners are offered."""

    __tablename__ = "kb_drafts"
    __table_args__ = (UniqueConstraint("article_id", "revision"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(String(100), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    safety: Mapped[str] = mapped_column(String(16))
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    phrasings: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    body: Mapped[dict[str, str]] = mapped_column(JSON)
    source_ticket: Mapped[int | None] = mapped_column(Integer)
    based_on: Mapped[int | None] = mapped_column(Integer)
    staff_note: Mapped[str] = mapped_column(Text, default="")  # the owner's own words: staff only
    made_by: Mapped[int | None] = mapped_column(Integer)
    made_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(Integer)
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_by: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class OutboxRow(Base):
    """A message to send, written in the transaction of the change it tells of (the transactional outbox)."""

    __tablename__ = "outbox"
    # ix_outbox_chat_open: the claim's "no earlier open message in this chat" seeks to the chat's open rows
    # instead of reading its whole history (migration 0016).
    __table_args__ = (Index("ix_outbox_status_due", "status", "next_attempt_at"),
                      Index("ix_outbox_chat_open", "chat_id", "status", "id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    parse_mode: Mapped[str | None] = mapped_column(String(16))
    reply_markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    invoice: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # set: the message is a Telegram invoice
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    ticket_id: Mapped[int | None] = mapped_column(Integer, index=True)
    person_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(Text)


class PartRow(Base):
    """A part in the catalog; its stock changes only by a compare-and-set with a stock_moves row (storage/billing.py)."""

    __tablename__ = "parts"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    unit_zh: Mapped[str] = mapped_column(String(20))
    unit_en: Mapped[str] = mapped_column(String(20))
    price_fen: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    low_at: Mapped[int | None] = mapped_column(Integer)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)


class LabourRateRow(Base):
    __tablename__ = "labour_rates"
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    callout_fen: Mapped[int] = mapped_column(Integer, default=0)
    hourly_fen: Mapped[int] = mapped_column(Integer, default=0)


class StockMoveRow(Base):
    __tablename__ = "stock_moves"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    part_code: Mapped[str] = mapped_column(ForeignKey("parts.code"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    requested: Mapped[int] = mapped_column(Integer)
    before: Mapped[int] = mapped_column(Integer)
    after: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    low_at: Mapped[int | None] = mapped_column(Integer)


class BillRow(Base):
    """One version of a ticket's bill, never updated: a change is the next version."""

    __tablename__ = "bills"
    __table_args__ = (UniqueConstraint("ticket_id", "version", name="uq_bills_ticket_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    payer: Mapped[str] = mapped_column(String(20))
    previous_ticket_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")


class LedgerRow(Base):
    """Append-only: charges, approvals, disputes, adjustments and payments, with who and when."""

    __tablename__ = "ledger"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    bill_version: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(20), default="")
    # Telegram's charge id: unique, so a payment Telegram reports twice can never be booked twice.
    charge_id: Mapped[str | None] = mapped_column(String(128), unique=True)


class NoticeRow(Base):
    """An estate-wide notice staff sent to a building's residents; reports matching it are answered from it."""

    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    estate_id: Mapped[str] = mapped_column(ForeignKey("estates.id"), index=True)
    building: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PlannedTicketRow(Base):
    """Preventive maintenance staff planned for an asset and category; the scheduler opens its ticket on due_on."""

    __tablename__ = "planned_tickets"
    __table_args__ = (Index("ix_planned_tickets_due", "opened_ticket_id", "cancelled_at", "due_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    estate_id: Mapped[str] = mapped_column(ForeignKey("estates.id"), index=True)
    building: Mapped[str | None] = mapped_column(String(32))
    unit: Mapped[str | None] = mapped_column(String(32))
    room: Mapped[str | None] = mapped_column(String(32))
    area: Mapped[str | None] = mapped_column(String(200))
    common_area: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str] = mapped_column(String(32))
    due_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    source_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    opened_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), unique=True)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebSessionRow(Base):
    """A browser signed in to the web chat (web/): the cookie carries `id`, signed; staff can end it."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    invite_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebMessageRow(Base):
    """The web chat's inbox: every message to or from a web chat, Telegram-shaped; `id` is its message_id.
    `seq` grows with every insert or edit, so a live page that reconnects asks for what changed after it."""

    __tablename__ = "web_messages"
    __table_args__ = (Index("ix_web_messages_chat", "chat_id", "id"), Index("ix_web_messages_seq", "chat_id", "seq"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    from_bot: Mapped[bool] = mapped_column(Boolean, default=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebFileRow(Base):
    """A photo or voice note a resident sent from the page (or the bot sent to a web chat), by its `web-` file id."""

    __tablename__ = "web_files"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    mime_type: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class InboundUpdateRow(Base):
    """A webhook update, stored before Telegram is answered: a worker killed mid-update loses nothing, and the
    workers take each chat's oldest open update in turn (storage/inbound.py), so a chat is never handled twice
    at once."""

    __tablename__ = "inbound_updates"
    __table_args__ = (Index("ix_inbound_updates_open", "status", "chat_id", "update_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, unique=True)  # Telegram's re-send is stored once
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, handling, done
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SeenUpdateRow(Base):
    """An update a chat has been through: Telegram's re-send of it (after a missed webhook answer, or a restart
    before the offset was confirmed) is recognised and does nothing twice. Kept two days (bot/scheduled.py)."""

    __tablename__ = "seen_updates"
    __table_args__ = (Index("ix_seen_updates_seen_at", "seen_at"),)
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
