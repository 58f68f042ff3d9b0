"""In-memory fakes of every domain port, with the SQL unit of work's semantics, and a small demo world."""
from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from app.config import Config
    from domain.export import ExportTicket
    from domain.insight import Fees, PartUse, StatsReport
    from domain.periods import Period
    from domain.recurrence import Recurrence, RecurrencePolicy

from domain.errors import DuplicateReport, InviteError, StaleTicket
from domain.estate import Building, Estate
from domain.lifecycle import NON_TRANSITIONS, Status
from domain.people import ALL_ZONES, Person, Role, StaffRole
from domain.ports import TicketFilter, Workload
from domain.registration import Invite, RegisterEntry
from domain.sla import SlaPolicy
from domain.ticket import Ticket, TicketEvent
from domain.outbox import OPEN, Delivery, OutboxMessage
from tests.fake_billing import BillingTables, FakeBillRepository, FakeCatalogRepository, FakeLedgerRepository
from tests.fake_notices import FakeNoticeRepository, NoticeTables
from tests.fake_plans import FakePlanRepository, PlanTables
from domain.usecases import common as uc_common
from domain.usecases import tickets as uc
from domain.usecases.common import Policies
from domain.values import Category, Language, Location, Priority

T0 = datetime(2025, 3, 3, 1, 0, tzinfo=timezone.utc)  # a Monday, 09:00 in Shanghai


def without_quiet_hours(config: "Config") -> "Config":
    """For tests on the real clock: owners' news must not wait for the morning whatever the hour of the run."""
    from app.config import QuietHoursConfig
    return config.model_copy(update={"bot": config.bot.model_copy(
        update={"quiet_hours": QuietHoursConfig(enabled=False)})})


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, now: datetime = T0) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now


@dataclass
class FakeStore:
    """What is committed: the database that several units of work may share."""

    tickets: dict[int, Ticket] = field(default_factory=dict)
    events: dict[int, list[TicketEvent]] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    invites: dict[str, Invite] = field(default_factory=dict)
    register: dict[str, list[RegisterEntry]] = field(default_factory=dict)
    estates: dict[str, Estate] = field(default_factory=dict)
    outbox: dict[int, OutboxMessage] = field(default_factory=dict)
    billing: BillingTables = field(default_factory=BillingTables)  # parts, rates, stock moves, bills, ledger
    notices: NoticeTables = field(default_factory=NoticeTables)
    plans: PlanTables = field(default_factory=PlanTables)
    # Like database sequences: ids handed out are never reused, even after a rollback.
    ticket_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    person_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    outbox_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))


class _Table:
    """Rows as one transaction sees them: its own writes over the committed rows, copied in and out."""

    def __init__(self, committed: dict[Any, Any]) -> None:
        self.committed = committed
        self.pending: dict[Any, Any] = {}
        self.active = False

    def get(self, key: Any) -> Any:
        self._check()
        return copy.deepcopy(self.pending.get(key, self.committed.get(key)))

    def exists(self, key: Any) -> bool:
        return key in self.pending or key in self.committed

    def put(self, key: Any, row: Any) -> None:
        self._check()
        self.pending[key] = copy.deepcopy(row)

    def rows(self) -> list[Any]:
        self._check()
        merged = {**self.committed, **self.pending}
        return [copy.deepcopy(merged[k]) for k in sorted(merged)]

    def flush(self) -> None:
        self.committed.update(self.pending)
        self.pending.clear()

    def _check(self) -> None:
        if not self.active:
            raise RuntimeError("repository used outside `with uow:`")


class FakeTicketRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self._rows = _Table(store.tickets)
        self._events = _Table(store.events)
        self.changes: list[uc_common.TicketChange] = []

    def add(self, ticket: Ticket) -> Ticket:
        if ticket.report_key and self.by_report_key(ticket.report_key) is not None:  # the unique constraint
            raise DuplicateReport("a ticket was opened from this draft already", report_key=ticket.report_key)
        ticket.id = next(self._store.ticket_ids)
        self._rows.put(ticket.id, replace(ticket, new_events=[]))
        self._append_events(ticket)
        return ticket

    def get(self, ticket_id: int) -> Ticket | None:
        return self._rows.get(ticket_id)

    def by_report_key(self, report_key: str) -> Ticket | None:
        return next((t for t in self._rows.rows() if t.report_key == report_key), None)

    def save(self, ticket: Ticket) -> None:
        stored = self._rows.get(ticket.id)
        if stored is None or stored.version != ticket.version:
            raise StaleTicket(f"ticket #{ticket.id} changed since it was loaded", ticket_id=ticket.id)
        ticket.version += 1
        self._rows.put(ticket.id, replace(ticket, new_events=[]))
        self._append_events(ticket)

    def append_events(self, ticket: Ticket) -> None:
        """Non-transition events join the timeline; the stored ticket and its version stay as they are."""
        if any(e.action not in NON_TRANSITIONS or e.from_status is not e.to_status for e in ticket.new_events):
            raise ValueError(f"ticket #{ticket.id}: a change of state must be saved with its version check")
        self._append_events(ticket)

    def find(self, criteria: TicketFilter) -> list[Ticket]:
        """Matching tickets, oldest first; limit 0 means no limit."""
        found = [t for t in self._rows.rows() if _matches(t, criteria)][criteria.offset:]
        return found[:criteria.limit] if criteria.limit else found

    def count(self, criteria: TicketFilter) -> int:
        """How many tickets match, ignoring limit and offset."""
        return len(self.find(replace(criteria, limit=0, offset=0)))

    def timeline(self, ticket_id: int) -> list[TicketEvent]:
        return self._events.get(ticket_id) or []

    def timelines(self, ticket_ids: Iterable[int]) -> dict[int, list[TicketEvent]]:
        return {i: self.timeline(i) for i in ticket_ids}

    def workloads(self, estate_id: str, since: datetime) -> dict[int, Workload]:
        mine = sorted((t for t in self._rows.rows() if t.estate_id == estate_id and t.technician_id is not None),
                      key=lambda t: t.id or 0)
        out: dict[int, Workload] = {}
        for person in {t.technician_id for t in mine if t.technician_id is not None}:
            theirs = [t for t in mine if t.technician_id == person]
            current = tuple(t for t in theirs if t.status.is_open or (t.completed_at and t.completed_at >= since))
            began = [t for t in theirs if t.started_at is not None]
            latest = max(reversed(began), key=lambda t: t.started_at) if began else None  # ties: the later id
            out[person] = Workload(current, latest)
        return out

    def history(self, estate_id: str, building: str | None, category: Category, since: datetime,
                until: datetime) -> list[Ticket]:
        wanted = (building or "").strip(" ").lower()
        return [t for t in self._rows.rows() if t.estate_id == estate_id and t.category is category
                and (t.location.building or "").strip(" ").lower() == wanted and since <= t.created_at <= until]

    def _append_events(self, ticket: Ticket) -> None:
        events = self._events.get(ticket.id) or []
        new = [replace(e, ticket_id=ticket.id) for e in ticket.new_events]
        self._events.put(ticket.id, events + new)
        snapshot = copy.deepcopy(replace(ticket, new_events=[]))
        self.changes += [uc_common.TicketChange(snapshot, e) for e in new]
        ticket.new_events.clear()


def _matches(t: Ticket, c: TicketFilter) -> bool:
    checks = (
        c.statuses is None or t.status in c.statuses,
        not c.open_only or t.status.is_open,
        c.category is None or t.category is c.category,
        c.building is None or t.location.building == c.building,
        c.priority is None or t.priority is c.priority,
        c.owner_id is None or t.owner_id == c.owner_id,
        c.technician_id is None or t.technician_id == c.technician_id,
        not c.unassigned or t.technician_id is None,
        c.since is None or t.created_at >= c.since,
        c.until is None or t.created_at < c.until,
        c.estate_id is None or t.estate_id == c.estate_id,
        c.parent_id is None or t.parent_id == c.parent_id,
        c.due_before is None or any(d is not None and d < c.due_before
                                    for d in (t.response_due_at, t.arrival_due_at, t.resolution_due_at)),
    )
    return all(checks)


class FakePersonRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self._rows = _Table(store.people)

    def add(self, person: Person) -> Person:
        if person.chat_id is not None and self.by_chat_id(person.chat_id) is not None:
            raise ValueError(f"chat id {person.chat_id} is already registered")  # the UNIQUE constraint
        person.id = next(self._store.person_ids)
        self._rows.put(person.id, person)
        return person

    def get(self, person_id: int) -> Person | None:
        return self._rows.get(person_id)

    def by_chat_id(self, chat_id: int) -> Person | None:
        return next((p for p in self._rows.rows() if p.chat_id == chat_id), None)

    def save(self, person: Person) -> None:
        if person.id is None or not self._rows.exists(person.id):
            raise ValueError("save() of a person that was never added")
        self._rows.put(person.id, person)

    def find(self, role: Role | None = None, estate_id: str | None = None,
             phone: str | None = None) -> list[Person]:
        return [p for p in self._rows.rows()
                if (role is None or p.role is role) and (estate_id is None or p.estate_id == estate_id)
                and (phone is None or p.phone == phone)]


class FakeInviteRepository:
    def __init__(self, store: FakeStore) -> None:
        self._rows = _Table(store.invites)

    def add(self, invite: Invite) -> None:
        if self._rows.exists(invite.code):
            raise ValueError("duplicate invite code")
        self._rows.put(invite.code, invite)

    def get(self, code: str) -> Invite | None:
        return self._rows.get(code)

    def save(self, invite: Invite) -> None:
        stored = self._rows.get(invite.code)
        # Like `UPDATE ... WHERE used_at IS NULL [AND revoked_at IS NULL]`: of two racing, only the first lands.
        if stored is not None and stored.used_at is not None and stored.used_by != invite.used_by:
            raise InviteError("used")
        if stored is not None and stored.revoked_at is not None and invite.used_at is not None:
            raise InviteError("revoked")
        self._rows.put(invite.code, invite)


class FakeOwnerRegister:
    def __init__(self, store: FakeStore) -> None:
        self._rows = _Table(store.register)

    def replace_all(self, estate_id: str, entries: list[RegisterEntry]) -> None:
        self._rows.put(estate_id, list(entries))

    def all(self, estate_id: str) -> list[RegisterEntry]:
        return list(self._rows.get(estate_id) or [])

    def by_phone(self, estate_id: str, phone: str) -> list[RegisterEntry]:
        return [e for e in self._rows.get(estate_id) or [] if e.phone == phone]


class FakeEstateRepository:
    def __init__(self, store: FakeStore) -> None:
        self._rows = _Table(store.estates)

    def get(self, estate_id: str) -> Estate | None:
        return self._rows.get(estate_id)

    def put(self, estate: Estate) -> None:
        self._rows.put(estate.id, estate)


def _held(message: OutboxMessage, now: datetime) -> bool:
    """Held for quiet hours (never tried, not yet due): no reason for the chat's later urgent news to wait."""
    return message.status is Delivery.PENDING and message.attempts == 0 and \
        (message.not_before or message.created_at) > now


class FakeOutboxRepository:
    """The outbox in memory, with the SQL one's claims: heads of each chat's queue, due, never claimed twice."""

    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self._rows = _Table(store.outbox)

    def add(self, message: OutboxMessage) -> OutboxMessage:
        message.id = next(self._store.outbox_ids)
        self._rows.put(message.id, replace(message, not_before=message.not_before or message.created_at))
        return message

    def claim(self, now: datetime, lease: timedelta, limit: int) -> list[OutboxMessage]:
        rows = self._rows.rows()
        def due(m: OutboxMessage) -> bool:
            return (m.status is Delivery.PENDING and (m.not_before or m.created_at) <= now) or \
                (m.status is Delivery.SENDING and m.lease_until is not None and m.lease_until <= now)
        claimed = []
        for m in sorted(rows, key=lambda r: (r.chat_id >= 0, r.id or 0)):  # as the table's claim
            earlier_open = any(o.chat_id == m.chat_id and (o.id or 0) < (m.id or 0) and o.status in OPEN
                               and not _held(o, now) for o in rows)
            if due(m) and not earlier_open and len(claimed) < limit:
                m.status, m.lease_until, m.attempts = Delivery.SENDING, now + lease, m.attempts + 1
                self._rows.put(m.id, m)
                claimed.append(copy.deepcopy(m))
        return sorted(claimed, key=lambda r: r.id or 0)

    def sent(self, message_id: int, at: datetime) -> None:
        self._set(message_id, status=Delivery.SENT, sent_at=at, lease_until=None, error=None)

    def retry(self, message_id: int, at: datetime, error: str) -> None:
        self._set(message_id, status=Delivery.PENDING, not_before=at, lease_until=None, error=error)

    def renew(self, message_id: int, lease_until: datetime) -> None:
        if self._rows.get(message_id).status is Delivery.SENDING:
            self._set(message_id, lease_until=lease_until)

    def give_up(self, message_id: int, status: Delivery, error: str) -> None:
        self._set(message_id, status=status, lease_until=None, error=error)

    def find(self, statuses: tuple[Delivery, ...], limit: int = 50, offset: int = 0) -> list[OutboxMessage]:
        return [m for m in reversed(self._rows.rows()) if m.status in statuses][offset:offset + limit]

    def count(self, statuses: tuple[Delivery, ...]) -> int:
        return sum(m.status in statuses for m in self._rows.rows())

    def _set(self, message_id: int, **values: Any) -> None:
        self._rows.put(message_id, replace(self._rows.get(message_id), **values))


class FakeUnitOfWork:
    """`with uow:` opens a transaction; only commit() makes its writes visible to anyone else.
    Like the SQL one, commit() hands the transaction's ticket changes to the notifier first."""

    def __init__(self, store: FakeStore | None = None, notifier: Any = None) -> None:
        self.store = store or FakeStore()
        self.notifier = notifier
        self.tickets = FakeTicketRepository(self.store)
        self.people = FakePersonRepository(self.store)
        self.invites = FakeInviteRepository(self.store)
        self.register = FakeOwnerRegister(self.store)
        self.estates = FakeEstateRepository(self.store)
        self.outbox = FakeOutboxRepository(self.store)
        self.catalog = FakeCatalogRepository(self.store.billing, _Table)
        self.bills = FakeBillRepository(self.store.billing, _Table)
        self.ledger = FakeLedgerRepository(self.store.billing, _Table)
        self.notices = FakeNoticeRepository(self.store.notices, _Table)
        self.plans = FakePlanRepository(self.store.plans, _Table)
        self.commits = 0
        self._active = False

    def _tables(self) -> list[_Table]:
        return [self.tickets._rows, self.tickets._events, self.people._rows, self.invites._rows,
                self.register._rows, self.estates._rows, self.outbox._rows, self.catalog._parts, self.catalog._rates,
                self.catalog._moves, self.bills._rows, self.ledger._rows, self.notices._rows,
                self.plans._rows]

    def __enter__(self) -> "FakeUnitOfWork":
        if self._active:
            raise RuntimeError("the unit of work is already in a transaction")
        self._active = True
        for table in self._tables():
            table.active = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()
        self._active = False
        for table in self._tables():
            table.active = False

    def commit(self) -> None:
        changes, self.tickets.changes = self.tickets.changes, []
        if self.notifier is not None and changes:
            self.notifier.notify(self, changes)
        for table in self._tables():
            table.flush()
        self.commits += 1

    def rollback(self) -> None:
        self.tickets.changes = []
        for table in self._tables():
            table.pending.clear()


# --- The demo world: the sandbox estate and people of issue 2, for unit tests of every layer. ---

ESTATE_ID = "sunrise"
OTHER_ESTATE_ID = "elsewhere"
SLA = SlaPolicy(
    response_minutes={Priority.URGENT: 30, Priority.NORMAL: 240, Priority.LOW: 1440},
    resolution_minutes={Priority.URGENT: 240, Priority.NORMAL: 2880, Priority.LOW: 10080},
    arrival_minutes={Priority.URGENT: 120, Priority.NORMAL: 1440, Priority.LOW: 4320},
)
_WORKED = ("triage", "assign", "start")
# How ticket_in() reaches each state through the use cases.
PATHS: dict[Status, tuple[str, ...]] = {
    Status.SUBMITTED: (),
    Status.AWAITING_DISPATCH: ("triage",),
    Status.ASSIGNED: ("triage", "assign"),
    Status.IN_PROGRESS: _WORKED,
    Status.ON_HOLD: _WORKED + ("hold",),
    Status.AWAITING_CONFIRMATION: _WORKED + ("complete",),
    Status.COMPLETED: _WORKED + ("complete", "confirm"),
    Status.CLOSED: _WORKED + ("complete", "confirm", "rate"),
    Status.CANCELLED: ("cancel",),
}


def demo_estate(estate_id: str = ESTATE_ID) -> Estate:
    buildings = tuple(Building(str(n), f"{n}号楼", units=("1", "2")) for n in range(1, 13))
    return Estate(estate_id, "阳光花园 Sunrise Gardens", buildings + (Building("B", "B座"),))


@dataclass
class World:
    """An estate with its people (person ids below), a clock, policies and a unit of work."""

    uow: FakeUnitOfWork
    clock: FakeClock
    policies: Policies
    estate: Estate
    owner: int = 0  # chat 1001, zh, 3-2-1801
    neighbour: int = 0  # chat 1002, en, B-1208
    owner3: int = 0  # chat 1003, zh, 7-1-903
    plumber: int = 0  # chat 2001: plumbing + electrical, buildings 1-6
    lift_tech: int = 0  # chat 2002: hvac + elevator, every building
    builder: int = 0  # chat 2003: plumbing + civil, buildings 7-12 and B
    dispatcher: int = 0  # chat 3001
    manager: int = 0  # chat 3002
    admin: int = 0  # chat 9001
    outsider: int = 0  # chat 4001: a dispatcher of another estate
    outsider_tech: int = 0  # chat 4002: a plumber of another estate

    def new_uow(self) -> FakeUnitOfWork:
        """A second connection to the same store, for races."""
        return FakeUnitOfWork(self.uow.store)

    def person(self, person_id: int) -> Person:
        with self.uow:
            person = self.uow.people.get(person_id)
        assert person is not None
        return person

    def ticket(self, ticket_id: int) -> Ticket:
        with self.uow:
            ticket = self.uow.tickets.get(ticket_id)
        assert ticket is not None
        return ticket

    def timeline(self, ticket_id: int) -> list[TicketEvent]:
        with self.uow:
            return self.uow.tickets.timeline(ticket_id)

    def report(self, owner: int | None = None, category: Category = Category.PLUMBING,
               priority: Priority = Priority.NORMAL, home: str = "3-2-1801", description: str = "厨房水管漏水") -> int:
        """An owner opens a ticket; returns its id."""
        building, *rest = home.split("-")
        unit, room = (rest[0], rest[1]) if len(rest) == 2 else (None, rest[0])
        new = uc.NewTicket(Location(building, unit, room), category, priority, description)
        return uc.open_ticket(self.uow, self.clock, self.policies, owner or self.owner, new).ticket.id or 0

    def ticket_in(self, status: Status, technician: int | None = None, **report: Any) -> int:
        """A ticket driven by the use cases into `status`, assigned to the plumber unless told otherwise."""
        tid = self.report(**report)
        tech, owner = technician or self.plumber, report.get("owner") or self.owner
        steps = {
            "triage": lambda: uc.triage(self.uow, self.clock, self.dispatcher, tid),
            "assign": lambda: uc.assign(self.uow, self.clock, self.dispatcher, tid, tech),
            "start": lambda: uc.start(self.uow, self.clock, tech, tid),
            "hold": lambda: uc.hold(self.uow, self.clock, tech, tid, "等配件"),
            "complete": lambda: uc.complete(self.uow, self.clock, tech, tid, "换了阀门", ("阀门",), 40),
            "confirm": lambda: uc.confirm(self.uow, self.clock, owner, tid),
            "rate": lambda: uc.rate(self.uow, self.clock, owner, tid, 5),
            "cancel": lambda: uc.cancel(self.uow, self.clock, owner, tid, "不需要了"),
        }
        for step in PATHS[status]:
            steps[step]()
        return tid


def _people(estate_id: str) -> list[tuple[str, Person]]:
    def owner(chat: int, name: str, home: Location, lang: Language, phone: str) -> Person:
        return Person(name, Role.OWNER, estate_id, chat_id=chat, language=lang, homes=[home], phone=phone)

    def tech(chat: int, name: str, skills: set[Category], zones: set[str]) -> Person:
        return Person(name, Role.TECHNICIAN, estate_id, chat_id=chat, skills=frozenset(skills), zones=frozenset(zones))

    return [
        ("owner", owner(1001, "王芳", Location("3", "2", "1801"), Language.ZH, "13800000001")),
        ("neighbour", owner(1002, "Alice Smith", Location("B", None, "1208"), Language.EN, "13800000002")),
        ("owner3", owner(1003, "李强", Location("7", "1", "903"), Language.ZH, "13800000003")),
        ("plumber", tech(2001, "张师傅", {Category.PLUMBING, Category.ELECTRICAL}, {str(n) for n in range(1, 7)})),
        ("lift_tech", tech(2002, "刘师傅", {Category.HVAC, Category.ELEVATOR}, {ALL_ZONES})),
        ("builder", tech(2003, "陈师傅", {Category.PLUMBING, Category.CIVIL},
                         {str(n) for n in range(7, 13)} | {"B"})),
        ("dispatcher", Person("调度小赵", Role.STAFF, estate_id, chat_id=3001, staff_role=StaffRole.DISPATCHER)),
        ("manager", Person("经理老周", Role.STAFF, estate_id, chat_id=3002, staff_role=StaffRole.MANAGER)),
        ("admin", Person("Admin", Role.ADMIN, estate_id, chat_id=9001)),
    ]


def make_world(clock: FakeClock | None = None, policies: Policies | None = None) -> World:
    """The demo estate, its people and a second estate's staff, committed through a fresh unit of work."""
    uow = FakeUnitOfWork()
    world = World(uow, clock or FakeClock(), policies or Policies(sla=SLA), demo_estate())
    with uow:
        uow.estates.put(world.estate)
        uow.estates.put(demo_estate(OTHER_ESTATE_ID))
        for attr, person in _people(ESTATE_ID):
            setattr(world, attr, uow.people.add(person).id)
        world.outsider = uow.people.add(Person("外人", Role.STAFF, OTHER_ESTATE_ID, chat_id=4001,
                                               staff_role=StaffRole.MANAGER)).id or 0
        world.outsider_tech = uow.people.add(Person("外师傅", Role.TECHNICIAN, OTHER_ESTATE_ID, chat_id=4002,
                                                    skills=frozenset(Category), zones=frozenset({ALL_ZONES}))).id or 0
        uow.commit()
    return world


class FakeChatStates:
    """The chat-state store in memory, with the SQL store's version check."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, str], tuple[dict[str, Any], int]] = {}
        self.seen: dict[tuple[int, int], datetime] = {}

    def read(self, chat_id: int) -> dict[str, tuple[dict[str, Any], int]]:
        return {kind: (copy.deepcopy(data), v) for (chat, kind), (data, v) in self.rows.items() if chat == chat_id}

    def get(self, chat_id: int, kind: str) -> dict[str, Any] | None:
        row = self.rows.get((chat_id, kind))
        return copy.deepcopy(row[0]) if row else None

    def put(self, chat_id: int, kind: str, data: dict[str, Any], version: int | None = None,
            *, force: bool = False) -> int:
        from domain.errors import StaleChatState

        current = self.rows.get((chat_id, kind))
        if force:
            version = current[1] if current else None
        if (current[1] if current else None) != version:
            raise StaleChatState(chat_id=chat_id, kind=kind)
        new_version = (version or 0) + 1
        self.rows[(chat_id, kind)] = (copy.deepcopy(data), new_version)
        return new_version

    def drop(self, chat_id: int, kind: str) -> None:
        self.rows.pop((chat_id, kind), None)

    def first_sight(self, chat_id: int, update_id: int, now: datetime) -> bool:
        if (chat_id, update_id) in self.seen:
            return False
        self.seen[(chat_id, update_id)] = now
        return True

    def unsee(self, chat_id: int, update_id: int) -> None:
        self.seen.pop((chat_id, update_id), None)

    def forget_sights(self, before: datetime) -> int:
        old = [key for key, at in self.seen.items() if at < before]
        for key in old:
            del self.seen[key]
        return len(old)


class FakeKbOutcomes:
    def __init__(self) -> None:
        self.recorded: list[tuple[str, str | None, str | None, str, int | None]] = []

    def record(self, article_id: str, category: str | None, building: str | None, outcome: str,
               person_id: int | None) -> None:
        self.recorded.append((article_id, category, building, outcome, person_id))

    def counts(self, by: str) -> dict[tuple[str, str], int]:
        index = {"article_id": 0, "category": 1, "building": 2}[by]
        found: dict[tuple[str, str], int] = {}
        for row in self.recorded:
            key = (str(row[index]), row[3])
            found[key] = found.get(key, 0) + 1
        return found


class FakeStatsReader:
    """The stats reader over a FakeStore, in plain Python from the domain's own rules: the SQL's reference."""

    def __init__(self, store: FakeStore, kb_outcomes: list[tuple[str | None, str, datetime]] | None = None) -> None:
        self.store = store
        self.kb_outcomes = kb_outcomes if kb_outcomes is not None else []  # (category, outcome, at)

    def _tickets(self, estate_id: str, period: "Period") -> list[Ticket]:
        return sorted((t for t in self.store.tickets.values() if t.estate_id == estate_id
                       and period.start <= t.created_at < period.end), key=lambda t: (t.created_at, t.id or 0))

    def report(self, estate_id: str, period: "Period", now: datetime) -> "StatsReport":
        from collections import Counter
        from domain import insight as i
        from domain.sla import Deadline, due_at, is_overdue

        found = self._tickets(estate_id, period)
        events = {t.id: self.store.events.get(t.id or 0, []) for t in found}
        first = {t.id: min((e.at for e in events[t.id] if e.action.value in ("assign", "claim")), default=None)
                 for t in found}
        reached = {name: sum(1 for t in found if any(e.action.value in acts for e in events[t.id]))
                   for name, acts in (("assigned", ("assign", "claim")), ("started", ("start",)),
                                      ("done", ("complete",)), ("confirmed", ("confirm",)), ("rated", ("rate",)))}
        moments = {"response": "accepted_at", "arrival": "started_at", "resolution": "completed_at"}

        def kept(t: Ticket, deadline: str) -> bool | None:
            happened, due = getattr(t, moments[deadline]), due_at(t, Deadline(deadline))
            if due is None or (happened is None and (due >= now or t.status is Status.CANCELLED)):
                return None
            return happened is not None and happened <= due

        def h(start: datetime, end: datetime | None) -> float | None:
            return (end - start).total_seconds() / 3600 if end else None

        edges = period.buckets()
        index = lambda t: max((n for n, e in enumerate(edges) if t.created_at >= e), default=0)  # noqa: E731
        point = lambda n: [t for t in found if index(t) == n]  # noqa: E731
        spread_of = lambda ts, end: i.spread([x for t in ts if (x := h(t.created_at, end(t))) is not None])  # noqa: E731
        techs = sorted({t.technician_id for t in found if t.technician_id})
        ratings = [t.rating for t in found if t.rating]
        lines = [i.TechnicianLine(p, self.store.people[p].name, len(ts := [t for t in found if t.technician_id == p]),
                                  sum(1 for t in ts if t.completed_at), spread_of(ts, lambda t: t.completed_at),
                                  (sum(r) / len(r)) if (r := [t.rating for t in ts if t.rating]) else None, len(r),
                                  sum(1 for t in ts if t.rework_count)) for p in techs]
        outcomes: dict[str, Counter[str]] = {}
        for category, outcome, at in self.kb_outcomes:
            if period.start <= at < period.end:
                outcomes.setdefault(category or "other", Counter())[outcome] += 1
        return i.StatsReport(
            period=period, total=len(found), by_status=dict(Counter(t.status.value for t in found)),
            by_category=dict(Counter(t.category.value for t in found)),
            by_building=dict(Counter(t.location.building for t in found)),
            funnel={"reported": len(found), **reached},
            cancelled=sum(1 for t in found if t.status is Status.CANCELLED),
            sla={d: i.Compliance(sum(1 for t in found if kept(t, d) is True), sum(1 for t in found if kept(t, d) is False))
                 for d in i.DEADLINES},
            assign=spread_of(found, lambda t: first[t.id]), resolve=spread_of(found, lambda t: t.completed_at),
            trend=[i.TrendPoint(e, len(point(n)), spread_of(point(n), lambda t: first[t.id]),
                                spread_of(point(n), lambda t: t.completed_at)) for n, e in enumerate(edges)],
            technicians=sorted(lines, key=lambda line: (-line.jobs, line.name)),
            deflection=[i.Deflection(c, o["shown"], o["deflected"], o["needed_repair"]) for c, o in sorted(outcomes.items())],
            average_rating=sum(ratings) / len(ratings) if ratings else None, rated=len(ratings),
            reworked=sum(1 for t in found if t.rework_count), overdue_now=sum(1 for t in found if is_overdue(t, now)),
            fees=self._fees({t.id for t in found}), parts=self._parts({t.id for t in found}))

    def _fees(self, ids: set[int | None]) -> "Fees":
        from domain.billing.ledger import Entry
        from domain.insight import Fees

        entries = sorted((e for e in self.store.billing.ledger.values() if e.ticket_id in ids), key=lambda e: e.id or 0)
        newest = {e.ticket_id: e.amount_fen for e in entries if e.kind in (Entry.CHARGE, Entry.ADJUST)}
        return Fees(len(newest), sum(newest.values()), sum(e.amount_fen for e in entries if e.kind is Entry.PAY),
                    len({e.ticket_id for e in entries if e.kind is Entry.DISPUTE}))

    def _parts(self, ids: set[int | None]) -> "list[PartUse]":
        from collections import Counter

        from domain.billing.stock import MoveKind
        from domain.insight import PartUse

        taken: Counter[str] = Counter()
        for m in self.store.billing.moves.values():
            if m.ticket_id in ids and m.kind in (MoveKind.USED, MoveKind.REQUISITION):
                taken[m.part_code] += m.taken
        parts = self.store.billing.parts
        return [PartUse(c, parts[c].name_zh, parts[c].name_en, parts[c].unit_zh, parts[c].unit_en, n, n * parts[c].price_fen)
                for c, n in sorted(taken.items(), key=lambda kv: (-kv[1], kv[0])) if n > 0][:8]

    def recurring(self, estate_id: str, policy: "RecurrencePolicy", now: datetime) -> "list[Recurrence]":
        from domain.recurrence import groups

        return groups((t for t in self.store.tickets.values() if t.estate_id == estate_id), policy, now)

    def export(self, estate_id: str, period: "Period") -> "Iterator[ExportTicket]":
        from domain.export import ExportTicket

        for t in self._tickets(estate_id, period):
            tech = self.store.people.get(t.technician_id) if t.technician_id else None
            owner = self.store.people[t.owner_id]
            moments = tuple((e.action, e.at) for e in self.store.events.get(t.id or 0, [])
                            if e.action.value in ("assign", "claim", "hold", "resume"))
            ledger = tuple(sorted((e for e in self.store.billing.ledger.values() if e.ticket_id == t.id),
                                  key=lambda e: e.id or 0))
            yield ExportTicket(copy.deepcopy(t), owner.name, owner.phone, tech.name if tech else None, moments, ledger)
