"""decide(): the mode per category and priority, and what happens when nobody can take the job."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain.dispatch import (AssignTo, Backlog, DispatchPolicy, Escalate, EscalationReason, LeaveToStaff, Mode,
                             OfferPool, decide, decliners, needs_of)
from domain.estate import Building, Estate
from domain.lifecycle import Action, Status
from domain.people import Role
from domain.ticket import Ticket, TicketEvent
from domain.values import Category, Location, Priority

from tests.unit.domain.dispatch.helpers import B2, NOW, job, policy, tech

A, P, M = Mode.AUTO, Mode.POOL, Mode.MANUAL
MIXED = policy(modes={Priority.URGENT: A, Priority.NORMAL: P, Priority.LOW: M},
               category_modes={Category.GAS: {Priority.NORMAL: A, Priority.LOW: A}, Category.OTHER: {Priority.URGENT: M}})


def test_nobody_on_duty_escalates_to_staff() -> None:
    outcome = decide(job(), [tech(1, on_duty=False), tech(2, on_duty=False)], policy(), NOW)
    assert outcome == Escalate(EscalationReason.NOBODY_ON_DUTY)


def test_nobody_on_duty_with_the_skill_escalates_to_staff() -> None:
    team = [tech(1, skills={Category.ELECTRICAL}), tech(2, skills={Category.PLUMBING}, on_duty=False)]
    assert decide(job(), team, policy(), NOW) == Escalate(EscalationReason.NOBODY_WITH_SKILL)


def test_when_every_skilled_technician_declined_it_escalates_rather_than_dropping_it() -> None:
    team = [tech(1), tech(2), tech(3, skills={Category.HVAC})]
    outcome = decide(job(declined_by=frozenset({1, 2})), team, policy(), NOW)
    assert outcome == Escalate(EscalationReason.EVERYONE_DECLINED)


def test_a_declined_job_goes_to_the_next_best_technician() -> None:
    team = [tech(1), tech(2)]
    first = decide(job(), team, policy(), NOW)
    again = decide(job(declined_by=frozenset({first.candidate.person_id})), team, policy(), NOW)
    assert (first.candidate.person_id, again.candidate.person_id) == (1, 2)


@pytest.mark.parametrize(("category", "priority", "mode"), [
    (Category.PLUMBING, Priority.URGENT, A), (Category.PLUMBING, Priority.NORMAL, P),
    (Category.PLUMBING, Priority.LOW, M), (Category.GAS, Priority.NORMAL, A), (Category.GAS, Priority.LOW, A),
    (Category.GAS, Priority.URGENT, A), (Category.OTHER, Priority.URGENT, M), (Category.OTHER, Priority.NORMAL, P),
], ids=lambda v: getattr(v, "value", v))
def test_the_mode_is_the_categorys_own_for_that_priority_or_else_the_prioritys(category: Category,
                                                                             priority: Priority, mode: Mode) -> None:
    assert MIXED.mode_for(category, priority) is mode


def test_auto_assigns_the_best_candidate_and_shows_the_whole_ranking() -> None:
    outcome = decide(job(priority=Priority.URGENT), [tech(2, open_jobs=1), tech(1)], MIXED, NOW)
    assert isinstance(outcome, AssignTo) and outcome.candidate.person_id == 1
    assert [c.person_id for c in outcome.ranking] == [1, 2]


def test_pool_offers_the_top_n_until_the_pool_time_then_assigns_the_best() -> None:
    team = [tech(1), tech(2), tech(3)]
    offer = decide(job(), team, MIXED, NOW)
    assert isinstance(offer, OfferPool) and [c.person_id for c in offer.candidates] == [1, 2]
    assert offer.until == NOW + timedelta(minutes=10)
    after = decide(job(), team, MIXED, offer.until, pool_expired=True)
    assert isinstance(after, AssignTo) and after.candidate.person_id == 1


def test_manual_leaves_the_job_to_staff_with_the_ranking_to_choose_from() -> None:
    outcome = decide(job(priority=Priority.LOW), [tech(1), tech(2)], MIXED, NOW)
    assert isinstance(outcome, LeaveToStaff) and [c.person_id for c in outcome.ranking] == [1, 2]


def test_a_technician_at_capacity_is_passed_over_for_one_with_room() -> None:
    team = [tech(1, open_jobs=2, zones={"1"}), tech(2, open_jobs=1, zones={"9"})]
    outcome = decide(job(), team, policy(zone=5.0, capacity=2), NOW)
    assert isinstance(outcome, AssignTo) and outcome.candidate.person_id == 2
    assert [c.has_room for c in outcome.ranking] == [False, True]


def test_when_everyone_is_at_capacity_the_ticket_waits_in_the_backlog() -> None:
    outcome = decide(job(), [tech(1, open_jobs=2), tech(2, open_jobs=3)], policy(capacity=2), NOW)
    assert isinstance(outcome, Backlog) and [c.person_id for c in outcome.ranking] == [1, 2]


def test_a_tickets_needs_carry_its_buildings_coordinates_and_its_decliners() -> None:
    estate = Estate("sunrise", "Sunrise", (Building("2", "2号楼", ("1",), B2),))
    ticket = Ticket("sunrise", 9, Location("2", "1", "301"), Category.PLUMBING, Priority.NORMAL, "leak", NOW, NOW,
                    NOW, id=42)
    timeline = [TicketEvent(42, Action.ASSIGN, Status.SUBMITTED, Status.ASSIGNED, 5, Role.STAFF, NOW),
                TicketEvent(42, Action.DECLINE, Status.ASSIGNED, Status.AWAITING_DISPATCH, 7, Role.TECHNICIAN, NOW,
                            "busy")]
    needs = needs_of(ticket, estate, decliners(timeline))
    assert (needs.building, needs.coordinates, needs.ticket_id, needs.declined_by) == ("2", B2, 42, frozenset({7}))


def test_a_tickets_needs_carry_its_earliest_open_deadline() -> None:
    estate = Estate("sunrise", "Sunrise", (Building("2", "2号楼", ("1",), B2),))
    ticket = Ticket("sunrise", 9, Location("2", "1", "301"), Category.PLUMBING, Priority.NORMAL, "leak", NOW, NOW,
                    NOW, id=42)
    ticket.response_due_at, ticket.resolution_due_at = NOW + timedelta(hours=4), NOW + timedelta(hours=20)
    assert needs_of(ticket, estate).due == NOW + timedelta(hours=4)


def test_the_default_policy_assigns_automatically() -> None:
    assert isinstance(decide(job(), [tech(1)], DispatchPolicy(), NOW), AssignTo)


@pytest.mark.parametrize("priority", [Priority.NORMAL, Priority.LOW])  # pool, manual
def test_a_pool_or_manual_job_near_its_response_deadline_is_assigned_at_once(priority: Priority) -> None:
    near = DispatchPolicy(**{**MIXED.__dict__, "assign_before_due": timedelta(minutes=60)})
    team = [tech(2, open_jobs=1), tech(1)]
    later = decide(job(priority=priority, due=NOW + timedelta(minutes=61)), team, near, NOW)
    assert isinstance(later, OfferPool if priority is Priority.NORMAL else LeaveToStaff)
    soon = decide(job(priority=priority, due=NOW + timedelta(minutes=60)), team, near, NOW)
    assert isinstance(soon, AssignTo) and soon.candidate.person_id == 1
    overdue = decide(job(priority=priority, due=NOW - timedelta(minutes=5)), team, near, NOW)
    assert isinstance(overdue, AssignTo)


def test_without_assign_before_due_a_near_deadline_changes_no_mode() -> None:
    outcome = decide(job(priority=Priority.NORMAL, due=NOW), [tech(1)], MIXED, NOW)
    assert isinstance(outcome, OfferPool)
