"""The reads a dispatch round makes in bulk (every waiting job's timeline, every technician's workload, a list of
tickets with their photos) give what the one-at-a-time reads give, on SQLite and PostgreSQL, and agree with the
fake the unit tests use."""
from __future__ import annotations

from datetime import timedelta

from domain.lifecycle import Action, Status
from domain.people import Person, Role
from domain.ports import TicketFilter
from domain.ticket import Attachment, AttachmentKind, Stage
from domain.outbox import OutboxMessage
from domain.values import Category, Language
from storage.uow import Commits, SqlUnitOfWork
from tests.fakes import FakeUnitOfWork
from tests.integration.storage.test_repositories import ESTATE, NOW, new_ticket, seed

DAY_START = NOW - timedelta(hours=8)


def _second_technician(uow_factory):  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        other = uow.people.add(Person("李师傅", Role.TECHNICIAN, "e1", chat_id=2002, language=Language.ZH,
                                      skills=frozenset({Category.ELECTRICAL}), zones=frozenset({"3"})))
        uow.commit()
    return other


def _jobs(uow, owner_id: int, tech_id: int, other_id: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A technician's history: open, done today, done yesterday, and the two most recently begun at one moment."""
    made = {
        "assigned": new_ticket(owner_id, status=Status.ASSIGNED, technician_id=tech_id),
        "done_today": new_ticket(owner_id, status=Status.COMPLETED, technician_id=tech_id,
                                 started_at=NOW - timedelta(hours=3), completed_at=NOW - timedelta(hours=2)),
        "done_yesterday": new_ticket(owner_id, status=Status.CLOSED, technician_id=tech_id,
                                     started_at=NOW - timedelta(days=1, hours=1), completed_at=NOW - timedelta(days=1)),
        "begun_first": new_ticket(owner_id, status=Status.IN_PROGRESS, technician_id=tech_id,
                                  started_at=NOW - timedelta(minutes=10)),
        "begun_same_moment": new_ticket(owner_id, status=Status.IN_PROGRESS, technician_id=tech_id,
                                        started_at=NOW - timedelta(minutes=10)),
        "others": new_ticket(owner_id, status=Status.AWAITING_CONFIRMATION, technician_id=other_id,
                             started_at=NOW - timedelta(hours=1), completed_at=NOW - timedelta(minutes=5)),
        "waiting": new_ticket(owner_id),
    }
    return {name: uow.tickets.add(t).id for name, t in made.items()}


def test_workloads_hold_each_technicians_open_and_todays_jobs_and_the_one_they_began_last(uow_factory) -> None:
    owner, tech = seed(uow_factory)
    other = _second_technician(uow_factory)
    with uow_factory() as uow:
        ids = _jobs(uow, owner.id, tech.id, other.id)
        uow.commit()
    with uow_factory() as uow:
        loads = uow.tickets.workloads("e1", DAY_START)
    mine = loads[tech.id]
    assert sorted(t.id for t in mine.jobs) == sorted(ids[k] for k in ("assigned", "done_today", "begun_first",
                                                                        "begun_same_moment"))
    assert mine.latest_started is not None and mine.latest_started.id == ids["begun_same_moment"]
    assert [t.id for t in loads[other.id].jobs] == [ids["others"]]
    assert loads[other.id].latest_started.id == ids["others"]
    assert set(loads) == {tech.id, other.id}  # nobody's waiting job makes a workload


def test_workloads_agree_with_the_fake_the_unit_tests_use(uow_factory) -> None:
    sql = {}
    owner, tech = seed(uow_factory)
    other = _second_technician(uow_factory)
    with uow_factory() as uow:
        _jobs(uow, owner.id, tech.id, other.id)
        uow.commit()
    with uow_factory() as uow:
        sql = uow.tickets.workloads("e1", DAY_START)
    fake = FakeUnitOfWork()
    with fake:
        fake.estates.put(ESTATE)
        _jobs(fake, owner.id, tech.id, other.id)
        fake.commit()
        faked = fake.tickets.workloads("e1", DAY_START)
    assert {p: (sorted(t.id for t in w.jobs), w.latest_started and w.latest_started.id) for p, w in sql.items()} \
        == {p: (sorted(t.id for t in w.jobs), w.latest_started and w.latest_started.id) for p, w in faked.items()}


def test_timelines_read_together_equal_each_ticket_read_alone(uow_factory) -> None:
    owner, tech = seed(uow_factory)
    with uow_factory() as uow:
        ids = []
        for minutes in (0, 1, 2):
            ticket = new_ticket(owner.id, created_at=NOW + timedelta(minutes=minutes))
            ticket.record_opening(owner.id, Role.OWNER, NOW + timedelta(minutes=minutes))
            ids.append(uow.tickets.add(ticket).id)
        uow.commit()
    with uow_factory() as uow:
        first = uow.tickets.get(ids[0])
        first.apply(Action.CLAIM, tech.id, Role.TECHNICIAN, NOW + timedelta(minutes=5))
        uow.tickets.save(first)
        uow.commit()
    with uow_factory() as uow:
        together = uow.tickets.timelines([*ids, 999_999])
        alone = {i: uow.tickets.timeline(i) for i in ids}
    assert {i: together[i] for i in ids} == alone
    assert [e.action for e in together[ids[0]]] == [Action.OPEN, Action.CLAIM]
    assert together[999_999] == []  # asked for, nothing written: an empty timeline, not a missing key


def test_a_list_of_tickets_brings_each_its_own_photos(uow_factory) -> None:
    owner, _ = seed(uow_factory)
    with uow_factory() as uow:
        ids = []
        for n in range(3):
            ticket = new_ticket(owner.id)
            ticket.attachments += [Attachment(f"photo-{n}-{k}", AttachmentKind.PHOTO, Stage.REPORT, owner.id, NOW)
                                   for k in range(n)]
            ids.append(uow.tickets.add(ticket).id)
        uow.commit()
    with uow_factory() as uow:
        listed = {t.id: [a.file_id for a in t.attachments] for t in uow.tickets.find(TicketFilter(limit=0))}
        alone = {i: [a.file_id for a in uow.tickets.get(i).attachments] for i in ids}
    assert listed == alone == {ids[0]: [], ids[1]: ["photo-1-0"], ids[2]: ["photo-2-0", "photo-2-1"]}


def test_commits_are_counted_by_whether_they_wrote_news_or_changed_a_ticket(engine) -> None:
    from storage.db import make_session_factory

    commits, sessions = Commits(), make_session_factory(engine)
    owner, _ = seed(lambda: SqlUnitOfWork(sessions))
    uow = lambda: SqlUnitOfWork(sessions, commit_counts=commits)  # noqa: E731
    with uow() as work:  # a lookup's commit: nothing to tell anyone
        work.people.get(owner.id)
        work.commit()
    assert (commits.news, commits.ticket_changes) == (0, 0)
    with uow() as work:
        work.outbox.add(OutboxMessage(chat_id=1001, text="hello", created_at=NOW))
        work.commit()
    assert (commits.news, commits.ticket_changes) == (1, 0)
    with uow() as work:
        ticket = new_ticket(owner.id)
        ticket.record_opening(owner.id, Role.OWNER, NOW)
        work.tickets.add(ticket)
        work.commit()  # no notifier here: a changed ticket, no news
    assert (commits.news, commits.ticket_changes) == (1, 1)
    with uow() as work:
        work.outbox.add(OutboxMessage(chat_id=1001, text="rolled back", created_at=NOW))
    assert (commits.news, commits.ticket_changes) == (1, 1)  # left without commit: nothing counted
