"""Repositories over one Session. They never commit: the unit of work owns the transaction."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Iterable, Iterator

from sqlalchemy import Select, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.errors import DuplicateReport, InviteError, StaleTicket
from domain.usecases.common import TicketChange
from domain.estate import Estate
from domain.lifecycle import NON_TRANSITIONS, Status
from domain.people import Person, Role
from domain.ports import TicketFilter, Workload
from domain.registration import Invite, RegisterEntry
from domain.values import Category
from domain.ticket import Ticket, TicketEvent
from storage import mapping as m
from storage.models import (AttachmentRow, EstateRow, InviteRow, PersonRow, RegisterRow, TicketEventRow,
                            TicketRow)

OPEN_STATUSES = [s.value for s in Status if s.is_open]


class SqlTicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.changes: list[TicketChange] = []  # what this transaction did to tickets, for the notifier

    def add(self, ticket: Ticket) -> Ticket:
        row = TicketRow(**m.ticket_values(ticket), version=0)
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as exc:
            if ticket.report_key and "report_key" in str(exc.orig).lower():
                raise DuplicateReport("a ticket was opened from this draft already",
                                      report_key=ticket.report_key) from exc
            raise
        ticket.id, ticket.version = row.id, 0
        self._append(ticket)
        return ticket

    def get(self, ticket_id: int) -> Ticket | None:
        row = self.session.get(TicketRow, ticket_id, populate_existing=True)
        return self._to_domain(row) if row else None

    def by_report_key(self, report_key: str) -> Ticket | None:
        row = self.session.scalars(select(TicketRow).where(TicketRow.report_key == report_key)).first()
        return self._to_domain(row) if row else None

    def save(self, ticket: Ticket) -> None:
        assert ticket.id is not None
        result = self.session.execute(
            update(TicketRow)
            .where(TicketRow.id == ticket.id, TicketRow.version == ticket.version)
            .values(**m.ticket_values(ticket), version=ticket.version + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleTicket(f"ticket #{ticket.id} changed meanwhile", ticket_id=ticket.id)
        ticket.version += 1
        self._append(ticket)

    def append_events(self, ticket: Ticket) -> None:
        """Timeline lines that move nothing, written without the version check and without bumping it."""
        _only_non_transitions(ticket)
        self._append(ticket)

    def _append(self, ticket: Ticket) -> None:
        assert ticket.id is not None
        stored = set(self.session.scalars(
            select(AttachmentRow.file_id).where(AttachmentRow.ticket_id == ticket.id)))
        self.session.add_all(m.attachment_to_row(ticket.id, a) for a in ticket.attachments if a.file_id not in stored)
        self.session.add_all(m.event_to_row(ticket.id, e) for e in ticket.new_events)
        self.session.flush()
        snapshot = replace(ticket, new_events=[], attachments=list(ticket.attachments))
        self.changes += [TicketChange(snapshot, replace(e, ticket_id=ticket.id)) for e in ticket.new_events]
        ticket.new_events.clear()

    def find(self, criteria: TicketFilter) -> list[Ticket]:
        query = self._filtered(select(TicketRow), criteria).order_by(TicketRow.id.desc())
        if criteria.limit:
            query = query.limit(criteria.limit).offset(criteria.offset)
        return self._many_to_domain(list(self.session.scalars(query)))

    def count(self, criteria: TicketFilter) -> int:
        return self.session.scalar(self._filtered(select(func.count(TicketRow.id)), criteria)) or 0

    def timeline(self, ticket_id: int) -> list[TicketEvent]:
        rows = self.session.scalars(select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id)
                                    .order_by(TicketEventRow.at, TicketEventRow.id))
        return [m.event_from_row(r) for r in rows]

    def timelines(self, ticket_ids: Iterable[int]) -> dict[int, list[TicketEvent]]:
        wanted = sorted(set(ticket_ids))
        found: dict[int, list[TicketEvent]] = {i: [] for i in wanted}
        for chunk in _chunks(wanted):
            rows = self.session.scalars(select(TicketEventRow).where(TicketEventRow.ticket_id.in_(chunk))
                                        .order_by(TicketEventRow.at, TicketEventRow.id))
            for r in rows:
                found[r.ticket_id].append(m.event_from_row(r))
        return found

    def workloads(self, estate_id: str, since: datetime) -> dict[int, Workload]:
        t = TicketRow
        current = self._many_to_domain(list(self.session.scalars(select(t).where(
            t.estate_id == estate_id, t.technician_id.is_not(None),
            or_(t.status.in_(OPEN_STATUSES), t.completed_at >= since)).order_by(t.id))))
        began = (select(t.technician_id, func.max(t.started_at).label("at"))
                 .where(t.estate_id == estate_id, t.technician_id.is_not(None), t.started_at.is_not(None))
                 .group_by(t.technician_id).subquery())
        latest_rows = self.session.scalars(select(t).join(began, and_(t.technician_id == began.c.technician_id,
                                                                      t.started_at == began.c.at))
                                           .where(t.estate_id == estate_id).order_by(t.id)).all()
        latest = {row.technician_id: ticket  # of two begun at the same moment, the later ticket (ordered by id)
                  for row, ticket in zip(latest_rows, self._many_to_domain(list(latest_rows)))}
        jobs: dict[int, list[Ticket]] = {}
        for ticket in current:
            jobs.setdefault(ticket.technician_id or 0, []).append(ticket)
        return {person: Workload(tuple(jobs.get(person, ())), latest.get(person))
                for person in set(jobs) | set(latest) if person}

    def history(self, estate_id: str, building: str | None, category: Category, since: datetime,
                until: datetime) -> list[Ticket]:
        """The card's recurrence candidates: few (one building, one category, one window), so loaded whole."""
        t, wanted = TicketRow, (building or "").strip(" ").lower()  # as domain.recurrence normalises it
        rows = self.session.scalars(select(t).where(
            t.estate_id == estate_id, func.lower(func.trim(func.coalesce(t.building, ""))) == wanted,
            t.category == category.value, t.created_at >= since, t.created_at <= until).order_by(t.id))
        return [self._to_domain(r) for r in rows]

    def _to_domain(self, row: TicketRow) -> Ticket:
        attachments = list(self.session.scalars(
            select(AttachmentRow).where(AttachmentRow.ticket_id == row.id).order_by(AttachmentRow.id)))
        return m.ticket_from_row(row, attachments)

    def _many_to_domain(self, rows: list[TicketRow]) -> list[Ticket]:
        """Rows to tickets with every ticket's attachments in one query per chunk, not one per ticket."""
        attachments: dict[int, list[AttachmentRow]] = {r.id: [] for r in rows}
        for chunk in _chunks(sorted(attachments)):
            for a in self.session.scalars(select(AttachmentRow).where(AttachmentRow.ticket_id.in_(chunk))
                                          .order_by(AttachmentRow.id)):
                attachments[a.ticket_id].append(a)
        return [m.ticket_from_row(r, attachments[r.id]) for r in rows]

    @staticmethod
    def _filtered(query: Select[Any], c: TicketFilter) -> Select[Any]:
        conditions = []
        if c.statuses is not None:
            conditions.append(TicketRow.status.in_([s.value for s in c.statuses]))
        if c.open_only:
            conditions.append(TicketRow.status.in_(OPEN_STATUSES))
        for column, value in ((TicketRow.category, c.category and c.category.value),
                              (TicketRow.priority, c.priority and c.priority.value),
                              (TicketRow.building, c.building), (TicketRow.owner_id, c.owner_id),
                              (TicketRow.technician_id, c.technician_id), (TicketRow.estate_id, c.estate_id),
                              (TicketRow.parent_id, c.parent_id)):
            if value is not None:
                conditions.append(column == value)
        if c.unassigned:
            conditions.append(TicketRow.technician_id.is_(None))
        if c.since is not None:
            conditions.append(TicketRow.created_at >= c.since)
        if c.until is not None:
            conditions.append(TicketRow.created_at < c.until)
        if c.due_before is not None:
            conditions.append(or_(TicketRow.response_due_at < c.due_before, TicketRow.arrival_due_at < c.due_before,
                                  TicketRow.resolution_due_at < c.due_before))
        return query.where(*conditions)


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    """IN lists of a bounded size: SQLite caps a statement's parameters."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _only_non_transitions(ticket: Ticket) -> None:
    if any(e.action not in NON_TRANSITIONS or e.from_status is not e.to_status for e in ticket.new_events):
        raise ValueError(f"ticket #{ticket.id}: a change of state must be saved with its version check")


class SqlPersonRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, person: Person) -> Person:
        row = m.person_to_row(person)
        self.session.add(row)
        self.session.flush()
        person.id = row.id
        return person

    def get(self, person_id: int) -> Person | None:
        row = self.session.get(PersonRow, person_id)
        return m.person_from_row(row) if row else None

    def by_chat_id(self, chat_id: int) -> Person | None:
        row = self.session.scalar(select(PersonRow).where(PersonRow.chat_id == chat_id))
        return m.person_from_row(row) if row else None

    def save(self, person: Person) -> None:
        row = self.session.get(PersonRow, person.id)
        if row is None:
            raise KeyError(person.id)
        m.person_to_row(person, row)
        self.session.flush()

    def find(self, role: Role | None = None, estate_id: str | None = None,
             phone: str | None = None) -> list[Person]:
        query = select(PersonRow).order_by(PersonRow.id)
        if role is not None:
            query = query.where(PersonRow.role == role.value)
        if estate_id is not None:
            query = query.where(PersonRow.estate_id == estate_id)
        if phone is not None:  # registering by phone reads one owner, not the whole estate's
            query = query.where(PersonRow.phone == phone)
        return [m.person_from_row(r) for r in self.session.scalars(query)]


class SqlInviteRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, invite: Invite) -> None:
        self.session.add(m.invite_to_row(invite))
        self.session.flush()

    def get(self, code: str) -> Invite | None:
        row = self.session.get(InviteRow, code)
        return m.invite_from_row(row) if row else None

    def save(self, invite: Invite) -> None:
        """Using or revoking an invite is conditional on it being unused, and using it on it not being revoked,
        so of two people redeeming one code (or a redemption racing a revocation) only the first wins."""
        values = {"used_by": invite.used_by, "used_at": invite.used_at, "revoked_at": invite.revoked_at}
        still_open = [InviteRow.code == invite.code, InviteRow.used_at.is_(None)]
        if invite.used_at is not None:
            still_open.append(InviteRow.revoked_at.is_(None))
        result = self.session.execute(update(InviteRow).where(*still_open).values(**values)
                                      .execution_options(synchronize_session=False))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            current = self.session.get(InviteRow, invite.code, populate_existing=True)
            raise InviteError("revoked" if current is not None and current.revoked_at else "used")


class SqlOwnerRegister:
    def __init__(self, session: Session) -> None:
        self.session = session

    def replace_all(self, estate_id: str, entries: list[RegisterEntry]) -> None:
        self.session.execute(delete(RegisterRow).where(RegisterRow.estate_id == estate_id))
        self.session.add_all(m.register_to_row(estate_id, e) for e in entries)
        self.session.flush()

    def all(self, estate_id: str) -> list[RegisterEntry]:
        rows = self.session.scalars(select(RegisterRow).where(RegisterRow.estate_id == estate_id).order_by(RegisterRow.id))
        return [m.register_from_row(r) for r in rows]

    def by_phone(self, estate_id: str, phone: str) -> list[RegisterEntry]:
        rows = self.session.scalars(select(RegisterRow).where(RegisterRow.estate_id == estate_id,
                                                              RegisterRow.phone == phone).order_by(RegisterRow.id))
        return [m.register_from_row(r) for r in rows]


class SqlEstateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, estate_id: str) -> Estate | None:
        row = self.session.get(EstateRow, estate_id)
        return m.estate_from_row(row) if row else None

    def put(self, estate: Estate) -> None:
        self.session.merge(m.estate_to_row(estate))
        self.session.flush()
