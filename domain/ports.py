"""The ports the use cases need: a clock and a unit of work with its repositories."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Iterable, Iterator, Protocol

from domain.billing.ports import BillRepository, CatalogRepository, LedgerRepository
from domain.estate import Estate
from domain.export import ExportTicket
from domain.incidents import Notice
from domain.insight import StatsReport
from domain.outbox import OutboxRepository
from domain.lifecycle import Status
from domain.people import Person, Role
from domain.periods import Period
from domain.planning import PlannedTicket
from domain.recurrence import Recurrence, RecurrencePolicy
from domain.registration import Invite, RegisterEntry
from domain.ticket import Ticket, TicketEvent
from domain.values import Category, Priority

if TYPE_CHECKING:  # the use cases' result type; domain.usecases imports this module
    from domain.usecases.common import TicketChange


class Clock(Protocol):
    def now(self) -> datetime: ...


class Notifier(Protocol):
    """The one place that decides who is told what about a ticket change."""

    def notify(self, uow: "UnitOfWork", changes: "list[TicketChange]") -> None:
        """Write the messages `changes` call for into uow.outbox, inside the caller's transaction."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


@dataclass(frozen=True)
class TicketFilter:
    """Criteria for ticket lists; None means any."""

    statuses: frozenset[Status] | None = None
    open_only: bool = False
    category: Category | None = None
    building: str | None = None
    priority: Priority | None = None
    owner_id: int | None = None
    technician_id: int | None = None
    unassigned: bool = False
    since: datetime | None = None
    until: datetime | None = None
    estate_id: str | None = None
    parent_id: int | None = None  # the reports linked to this incident
    # Some deadline (response, arrival or resolution) fell before this moment, met or not: the cheap superset a
    # store narrows to before domain.sla says which are overdue, instead of reading every open ticket.
    due_before: datetime | None = None
    limit: int = 200
    offset: int = 0


@dataclass(frozen=True)
class Workload:
    """What dispatch reads of one technician's jobs, rather than their whole history: the jobs still open or
    completed since a moment, and the job they most recently began (whatever its status, however old)."""

    jobs: tuple[Ticket, ...] = ()
    latest_started: Ticket | None = None


class TicketRepository(Protocol):
    def add(self, ticket: Ticket) -> Ticket:
        """Store a new ticket and its new_events; the returned ticket has its id.

        Raises DuplicateReport if a ticket with the same report_key exists."""
    def get(self, ticket_id: int) -> Ticket | None: ...
    def by_report_key(self, report_key: str) -> Ticket | None: ...
    def save(self, ticket: Ticket) -> None:
        """Persist changes, append new_events to the timeline and clear them.

        Raises StaleTicket if someone else saved the ticket since it was loaded."""
    def append_events(self, ticket: Ticket) -> None:
        """Append new_events that move nothing (a reminder, an escalation) to the timeline and clear them, leaving
        the ticket and its version alone: the scheduler never makes a person's concurrent change fail.

        Raises ValueError for an event that changes the status."""
    def find(self, criteria: TicketFilter) -> list[Ticket]: ...
    def count(self, criteria: TicketFilter) -> int: ...
    def timeline(self, ticket_id: int) -> list[TicketEvent]: ...
    def timelines(self, ticket_ids: Iterable[int]) -> dict[int, list[TicketEvent]]:
        """Several tickets' timelines read at once (a dispatch round's backlog): every id asked for is a key."""
    def workloads(self, estate_id: str, since: datetime) -> dict[int, Workload]:
        """Per technician (person id) with any job in the estate: their Workload, jobs completed before `since`
        left out. A technician with no such job may be missing."""
    def history(self, estate_id: str, building: str | None, category: Category, since: datetime,
                until: datetime) -> list[Ticket]:
        """Tickets of the estate's building (case-insensitive) and category with since <= created_at <= until:
        the candidates domain.recurrence.for_ticket filters."""


class PersonRepository(Protocol):
    def add(self, person: Person) -> Person: ...
    def get(self, person_id: int) -> Person | None: ...
    def by_chat_id(self, chat_id: int) -> Person | None: ...
    def save(self, person: Person) -> None: ...
    def find(self, role: Role | None = None, estate_id: str | None = None,
             phone: str | None = None) -> list[Person]: ...


class InviteRepository(Protocol):
    def add(self, invite: Invite) -> None: ...
    def get(self, code: str) -> Invite | None: ...
    def save(self, invite: Invite) -> None: ...


class OwnerRegister(Protocol):
    def replace_all(self, estate_id: str, entries: list[RegisterEntry]) -> None: ...
    def all(self, estate_id: str) -> list[RegisterEntry]: ...
    def by_phone(self, estate_id: str, phone: str) -> list[RegisterEntry]: ...


class EstateRepository(Protocol):
    def get(self, estate_id: str) -> Estate | None: ...
    def put(self, estate: Estate) -> None: ...


class NoticeRepository(Protocol):
    def add(self, notice: Notice) -> Notice: ...
    def get(self, notice_id: int) -> Notice | None: ...
    def active(self, estate_id: str, now: datetime) -> list[Notice]:
        """Notices not ended nor expired at `now`, newest first."""
    def end(self, notice_id: int, at: datetime) -> None: ...


class PlanRepository(Protocol):
    def add(self, plan: PlannedTicket) -> PlannedTicket: ...
    def get(self, plan_id: int) -> PlannedTicket | None: ...
    def upcoming(self, estate_id: str) -> list[PlannedTicket]:
        """Plans neither opened nor cancelled, soonest first."""
    def due(self, today: date) -> list[PlannedTicket]:
        """Pending plans of any estate whose day is `today` or earlier, soonest first."""
    def cancel(self, plan_id: int, at: datetime) -> bool:
        """Cancel a pending plan; False when it was opened or cancelled meanwhile."""
    def mark_opened(self, plan_id: int, ticket_id: int, at: datetime) -> bool:
        """Compare-and-set: record the ticket opened for a pending plan; False (nothing changed) when another
        sweep opened it, or staff cancelled it, first."""


class StatsReader(Protocol):
    """Figures computed where the tickets are, in a read-only transaction that blocks no writer."""

    def report(self, estate_id: str, period: Period, now: datetime) -> StatsReport:
        """The period's tickets (by created_at), aggregated; `now` decides what is overdue."""
    def export(self, estate_id: str, period: Period) -> Iterator[ExportTicket]:
        """Every ticket of the period, oldest first, with names and the timeline moments durations need."""
    def recurring(self, estate_id: str, policy: RecurrencePolicy, now: datetime) -> list[Recurrence]:
        """domain.recurrence.groups over the window ending at `now`, by one GROUP BY ... HAVING."""


class UnitOfWork(Protocol):
    """One short transaction: `with uow:` ... `uow.commit()`; leaving without commit rolls back.

    commit() first hands the ticket changes of the transaction to the notifier (if any), which writes the
    messages they call for into `outbox`: the change and the news of it are committed together, or neither."""

    tickets: TicketRepository
    people: PersonRepository
    invites: InviteRepository
    register: OwnerRegister
    estates: EstateRepository
    outbox: OutboxRepository
    catalog: CatalogRepository
    bills: BillRepository
    ledger: LedgerRepository
    notices: NoticeRepository
    plans: PlanRepository

    def __enter__(self) -> "UnitOfWork": ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
