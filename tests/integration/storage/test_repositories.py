"""Repository round trips: what goes in comes back out, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from domain.errors import InviteError, StaleTicket
from domain.estate import Building, Estate
from domain.lifecycle import Action, Status
from domain.people import Person, Role, StaffRole
from domain.ports import TicketFilter
from domain.registration import RegisterEntry, new_invite
from domain.ticket import Attachment, AttachmentKind, Completion, Stage, Ticket
from domain.values import Category, Language, Location, Priority

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc)
ESTATE = Estate("e1", "Test Estate", (Building("3", "3号楼", ("1", "2"), (31.2, 121.4)), Building("B", "B座")))


def seed(uow_factory):  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        uow.estates.put(ESTATE)
        owner = uow.people.add(Person("王芳", Role.OWNER, "e1", chat_id=1001, phone="13800001001",
                                      homes=[Location("3", "2", "1801")]))
        tech = uow.people.add(Person("王师傅", Role.TECHNICIAN, "e1", chat_id=2001, language=Language.ZH,
                                     skills=frozenset({Category.PLUMBING}), zones=frozenset({"3"})))
        uow.commit()
    return owner, tech


def new_ticket(owner_id: int, **overrides) -> Ticket:  # type: ignore[no-untyped-def]
    fields = dict(estate_id="e1", owner_id=owner_id, location=Location("3", "2", "1801", "厨房"),
                  category=Category.PLUMBING, priority=Priority.URGENT, description="厨房水管爆了",
                  created_at=NOW, response_due_at=NOW + timedelta(minutes=30),
                  resolution_due_at=NOW + timedelta(hours=4))
    fields.update(overrides)
    return Ticket(**fields)  # type: ignore[arg-type]


def test_estate_round_trips_with_buildings_units_and_coordinates(uow_factory) -> None:
    seed(uow_factory)
    with uow_factory() as uow:
        assert uow.estates.get("e1") == ESTATE


def test_person_round_trips_with_homes_skills_and_zones(uow_factory) -> None:
    owner, tech = seed(uow_factory)
    with uow_factory() as uow:
        assert uow.people.get(owner.id) == owner
        assert uow.people.by_chat_id(2001) == tech
        assert [p.name for p in uow.people.find(role=Role.TECHNICIAN)] == ["王师傅"]


def test_telegram_chat_ids_beyond_32_bits_are_stored(uow_factory) -> None:
    seed(uow_factory)
    with uow_factory() as uow:
        uow.people.add(Person("Big", Role.STAFF, "e1", chat_id=7_123_456_789, staff_role=StaffRole.MANAGER))
        uow.commit()
    with uow_factory() as uow:
        assert uow.people.by_chat_id(7_123_456_789).staff_role is StaffRole.MANAGER


def test_ticket_round_trips_with_attachments_completion_and_timeline(uow_factory) -> None:
    owner, tech = seed(uow_factory)
    with uow_factory() as uow:
        ticket = new_ticket(owner.id)
        ticket.attachments.append(Attachment("photo-1", AttachmentKind.PHOTO, Stage.REPORT, owner.id, NOW))
        ticket.record_opening(owner.id, Role.OWNER, NOW)
        ticket = uow.tickets.add(ticket)
        uow.commit()
    with uow_factory() as uow:
        loaded = uow.tickets.get(ticket.id)
        loaded.apply(Action.CLAIM, tech.id, Role.TECHNICIAN, NOW + timedelta(minutes=1))
        loaded.apply(Action.START, tech.id, Role.TECHNICIAN, NOW + timedelta(minutes=2))
        loaded.apply(Action.COMPLETE, tech.id, Role.TECHNICIAN, NOW + timedelta(minutes=3), "换了阀门")
        loaded.completion = Completion("换了阀门", ("阀门 DN15",), 45)
        uow.tickets.save(loaded)
        uow.commit()
    with uow_factory() as uow:
        final = uow.tickets.get(ticket.id)
        timeline = uow.tickets.timeline(ticket.id)
    assert final.status is Status.AWAITING_CONFIRMATION and final.technician_id == tech.id
    assert final.completion == Completion("换了阀门", ("阀门 DN15",), 45)
    assert final.location == Location("3", "2", "1801", "厨房")
    assert final.attachments[0].file_id == "photo-1" and final.created_at == NOW
    assert [e.action for e in timeline] == [Action.OPEN, Action.CLAIM, Action.START, Action.COMPLETE]
    assert timeline[-1].note == "换了阀门" and timeline[-1].at.tzinfo is not None


def test_saving_a_ticket_loaded_before_someone_elses_save_raises_stale(uow_factory) -> None:
    owner, tech = seed(uow_factory)
    with uow_factory() as uow:
        ticket = uow.tickets.add(new_ticket(owner.id))
        uow.commit()
    with uow_factory() as first:
        a = first.tickets.get(ticket.id)
    with uow_factory() as second:
        b = second.tickets.get(ticket.id)
        b.apply(Action.TRIAGE, None, None, NOW)
        second.tickets.save(b)
        second.commit()
    with uow_factory() as first:
        a.apply(Action.TRIAGE, None, None, NOW)
        with pytest.raises(StaleTicket):
            first.tickets.save(a)


def test_leaving_a_unit_of_work_without_commit_rolls_back(uow_factory) -> None:
    owner, _ = seed(uow_factory)
    with uow_factory() as uow:
        uow.tickets.add(new_ticket(owner.id))
    with uow_factory() as uow:
        assert uow.tickets.find(TicketFilter()) == []


def test_ticket_filters_select_by_status_building_category_and_dates(uow_factory) -> None:
    owner, tech = seed(uow_factory)
    with uow_factory() as uow:
        uow.tickets.add(new_ticket(owner.id))
        uow.tickets.add(new_ticket(owner.id, category=Category.ELECTRICAL, created_at=NOW + timedelta(days=2)))
        uow.tickets.add(new_ticket(owner.id, location=Location("B", None, "1208"), status=Status.CLOSED))
        uow.commit()
    with uow_factory() as uow:
        assert uow.tickets.count(TicketFilter(open_only=True)) == 2
        assert len(uow.tickets.find(TicketFilter(building="B"))) == 1
        assert len(uow.tickets.find(TicketFilter(category=Category.ELECTRICAL))) == 1
        assert len(uow.tickets.find(TicketFilter(since=NOW + timedelta(days=1)))) == 1
        assert len(uow.tickets.find(TicketFilter(statuses=frozenset({Status.CLOSED})))) == 1
        assert len(uow.tickets.find(TicketFilter(limit=1, offset=1))) == 1


def test_tickets_due_before_a_moment_are_those_with_any_deadline_before_it(uow_factory) -> None:  # type: ignore[no-untyped-def]
    owner, _ = seed(uow_factory)
    later = NOW + timedelta(minutes=45)
    with uow_factory() as uow:  # response due at +30 min, resolution at +4 h
        by_response = uow.tickets.add(new_ticket(owner.id)).id
        by_arrival = uow.tickets.add(new_ticket(owner.id, response_due_at=NOW + timedelta(hours=2),
                                                arrival_due_at=NOW + timedelta(minutes=40))).id
        uow.tickets.add(new_ticket(owner.id, response_due_at=NOW + timedelta(hours=1)))
        uow.commit()
    with uow_factory() as uow:
        assert {t.id for t in uow.tickets.find(TicketFilter(due_before=later))} == {by_response, by_arrival}
        assert uow.tickets.find(TicketFilter(due_before=NOW)) == []
        assert uow.tickets.count(TicketFilter(due_before=NOW + timedelta(hours=5))) == 3


def test_invite_round_trips_and_can_be_marked_used_only_once(uow_factory) -> None:
    owner, _ = seed(uow_factory)
    invite = new_invite(Role.OWNER, "e1", None, NOW, timedelta(hours=1), home=Location("3", "1", "101"))
    with uow_factory() as uow:
        uow.invites.add(invite)
        uow.commit()
    with uow_factory() as uow:
        stored = uow.invites.get(invite.code)
        assert stored == invite
        stored.used_by, stored.used_at = owner.id, NOW
        uow.invites.save(stored)
        uow.commit()
    with uow_factory() as uow:
        with pytest.raises(InviteError):
            uow.invites.save(stored)


def test_owner_register_is_replaced_whole_and_matched_by_phone(uow_factory) -> None:
    seed(uow_factory)
    entry = RegisterEntry(Location("3", "1", "101"), "张伟", "13800000004")
    with uow_factory() as uow:
        uow.register.replace_all("e1", [entry, RegisterEntry(Location("B", None, "0803"), "Sarah", "1")])
        uow.register.replace_all("e1", [entry])
        uow.commit()
    with uow_factory() as uow:
        assert uow.register.by_phone("e1", "13800000004") == [entry]
        assert uow.register.by_phone("e1", "1") == []


def test_a_second_ticket_with_the_same_report_key_is_refused_by_the_database(uow_factory) -> None:  # type: ignore[no-untyped-def]
    from domain.errors import DuplicateReport

    owner, _ = seed(uow_factory)
    with uow_factory() as uow:
        uow.tickets.add(new_ticket(owner.id, report_key="draft-1"))
        uow.commit()
    with uow_factory() as uow:
        with pytest.raises(DuplicateReport):
            uow.tickets.add(new_ticket(owner.id, report_key="draft-1"))
    with uow_factory() as uow:
        assert uow.tickets.by_report_key("draft-1") is not None and uow.tickets.by_report_key("other") is None


def test_a_revoked_invite_stays_revoked_and_cannot_be_redeemed(uow_factory) -> None:  # type: ignore[no-untyped-def]
    owner, _ = seed(uow_factory)
    invite = new_invite(Role.OWNER, "e1", owner.id, NOW, timedelta(hours=72), home=Location("3", "2", "1801"))
    with uow_factory() as uow:
        uow.invites.add(invite)
        uow.commit()
    with uow_factory() as uow:
        stored = uow.invites.get(invite.code)
        stored.revoked_at = NOW
        uow.invites.save(stored)
        uow.commit()
    with uow_factory() as uow:
        stored = uow.invites.get(invite.code)
        assert stored.revoked_at == NOW
        stored.used_by, stored.used_at = 42, NOW  # a redemption that read the invite before it was revoked
        with pytest.raises(InviteError, match="revoked"):
            uow.invites.save(stored)
