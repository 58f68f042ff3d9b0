"""Incidents and notices in storage, on SQLite and PostgreSQL: a report's parent link, and notices that expire."""
from __future__ import annotations

from datetime import timedelta

from domain.incidents import Notice
from domain.ports import TicketFilter
from domain.values import Category
from tests.integration.storage.test_repositories import NOW, new_ticket, seed


def test_a_reports_parent_link_is_stored_and_its_incidents_reports_are_found_by_it(uow_factory) -> None:  # type: ignore[no-untyped-def]
    owner, _ = seed(uow_factory)
    with uow_factory() as uow:
        parent = uow.tickets.add(new_ticket(owner.id))
        child = uow.tickets.add(new_ticket(owner.id, parent_id=parent.id))
        uow.tickets.add(new_ticket(owner.id))
        uow.commit()
    with uow_factory() as uow:
        assert uow.tickets.get(child.id).parent_id == parent.id
        assert [t.id for t in uow.tickets.find(TicketFilter(parent_id=parent.id, limit=0))] == [child.id]
        loaded = uow.tickets.get(child.id)
        loaded.parent_id = None
        uow.tickets.save(loaded)
        uow.commit()
    with uow_factory() as uow:
        assert uow.tickets.get(child.id).parent_id is None
        assert uow.tickets.find(TicketFilter(parent_id=parent.id, limit=0)) == []


def test_notices_are_active_until_they_expire_or_are_ended_newest_first(uow_factory) -> None:  # type: ignore[no-untyped-def]
    seed(uow_factory)
    with uow_factory() as uow:
        water = uow.notices.add(Notice("e1", "3", "3栋停水", 1, NOW, NOW + timedelta(hours=2), Category.PLUMBING))
        lift = uow.notices.add(Notice("e1", "3", "3栋电梯保养", 1, NOW + timedelta(minutes=1),
                                      NOW + timedelta(hours=24), Category.ELEVATOR))
        uow.commit()
    with uow_factory() as uow:
        assert [n.id for n in uow.notices.active("e1", NOW + timedelta(minutes=5))] == [lift.id, water.id]
        assert [n.id for n in uow.notices.active("e1", NOW + timedelta(hours=2))] == [lift.id]  # expired at its edge
        assert uow.notices.get(water.id).category is Category.PLUMBING
        uow.notices.end(lift.id, NOW + timedelta(hours=1))
        uow.commit()
    with uow_factory() as uow:
        assert uow.notices.active("e1", NOW + timedelta(hours=1, minutes=1)) == [uow.notices.get(water.id)]
        assert uow.notices.get(lift.id).ended_at == NOW + timedelta(hours=1)
        assert uow.notices.active("other", NOW + timedelta(minutes=5)) == []
