"""assign_batch(): a backlog assigned jointly, capacity-aware, against one-by-one greedy."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain.dispatch import Backlog, Escalate, EscalationReason, assign_batch, rank
from domain.values import Category, Priority

from tests.unit.domain.dispatch.helpers import B1, B2, B3, NOW, brute_force, job, policy, tech


def pairs(result) -> dict[int | None, int | None]:
    return {a.needs.ticket_id: a.candidate.person_id for a in result.assigned}


def one_by_one(tickets, team, pol) -> tuple[dict[int, int], float]:
    """What dispatching each ticket as it comes does: the best for it, then that technician is taken."""
    chosen, total, free = {}, 0.0, list(team)
    for needs in tickets:
        best = rank(needs, free, pol)[0]
        chosen[needs.ticket_id], total = best.person_id, total + best.score
        free = [t for t in free if t.id != best.person_id]
    return chosen, total


def test_the_batch_finds_the_better_pairing_that_one_by_one_misses() -> None:
    # Ticket 1 (building 1) slightly prefers technician 1, who stands there; ticket 2 (building 3) is in
    # technician 1's zone only. Taking ticket 1 first sends technician 2 out of zone for ticket 2.
    team = [tech(1, zones={"1", "3"}, position=B1), tech(2, zones={"1"}, position=B2)]
    tickets = [job(building="1", at=B1, ticket_id=1), job(building="3", at=B3, ticket_id=2)]
    pol = policy(zone=1.0, load=1.0, distance=1.0, capacity=1)
    greedy, greedy_total = one_by_one(tickets, team, pol)
    result = assign_batch(tickets, team, brute_force, pol)
    batch_total = sum(a.candidate.score for a in result.assigned)
    assert greedy == {1: 1, 2: 2} and pairs(result) == {1: 2, 2: 1}
    assert batch_total == pytest.approx(greedy_total + 0.829, abs=0.01)
    every_pairing = [rank(tickets[0], [team[a]], pol)[0].score + rank(tickets[1], [team[1 - a]], pol)[0].score
                     for a in (0, 1)]
    assert batch_total == pytest.approx(max(every_pairing))


@pytest.mark.parametrize(("load", "second_goes_to"), [(1.0, 1), (5.0, 2)])
def test_a_technician_takes_several_jobs_each_extra_one_scored_with_the_higher_load(load: float,
                                                                                 second_goes_to: int) -> None:
    team = [tech(1, zones={"1"}), tech(2, zones={"9"})]
    tickets = [job(ticket_id=1), job(ticket_id=2)]
    result = assign_batch(tickets, team, brute_force, policy(zone=3.0, load=load, capacity=3))
    assert sorted(pairs(result).values()) == sorted([1, second_goes_to])
    loads = sorted(a.candidate.feature("load").value for a in result.assigned if a.candidate.person_id == 1)
    assert loads == ([0.0, 1.0] if second_goes_to == 1 else [0.0])


def test_nobody_is_given_more_jobs_than_the_capacity_and_the_rest_wait_in_the_backlog() -> None:
    tickets = [job(ticket_id=i) for i in range(1, 5)]
    result = assign_batch(tickets, [tech(1, open_jobs=1)], brute_force, policy(capacity=3))
    assert len(result.assigned) == 2 and [a.candidate.feature("load").value for a in result.assigned] == [1.0, 2.0]
    assert len(result.waiting) == 2 and all(isinstance(why, Backlog) for _, why in result.waiting)


def test_urgent_tickets_get_technicians_before_normal_ones() -> None:
    tickets = [job(priority=Priority.NORMAL, building="1", ticket_id=1),
               job(priority=Priority.URGENT, building="5", ticket_id=2)]
    result = assign_batch(tickets, [tech(1, zones={"1"})], brute_force, policy(zone=5.0, capacity=1))
    assert pairs(result) == {2: 1}
    assert [n.ticket_id for n, _ in result.waiting] == [1]


def test_the_batch_places_as_many_tickets_as_it_can_before_maximising_the_score() -> None:
    # Ticket 1 scores far better with technician 1, but ticket 2 has nobody else: both get someone.
    team = [tech(1, skills={Category.PLUMBING, Category.GAS}, zones={"1"}), tech(2, zones={"9"})]
    tickets = [job(ticket_id=1), job(Category.GAS, ticket_id=2)]
    result = assign_batch(tickets, team, brute_force, policy(zone=10.0, capacity=1))
    assert pairs(result) == {1: 2, 2: 1}


def test_tickets_nobody_can_take_come_back_with_the_reason_and_decliners_are_skipped() -> None:
    team = [tech(1), tech(2, on_duty=False)]
    tickets = [job(Category.ELEVATOR, ticket_id=1), job(declined_by=frozenset({1}), ticket_id=2),
               job(ticket_id=3)]
    result = assign_batch(tickets, team, brute_force, policy())
    assert pairs(result) == {3: 1}
    assert dict((n.ticket_id, why) for n, why in result.waiting) == {
        1: Escalate(EscalationReason.NOBODY_WITH_SKILL), 2: Escalate(EscalationReason.EVERYONE_DECLINED)}


def test_an_empty_backlog_or_an_empty_roster_assigns_nothing() -> None:
    assert assign_batch([], [tech(1)], brute_force, policy()).assigned == ()
    result = assign_batch([job()], [], brute_force, policy())
    assert result.assigned == () and result.waiting[0][1] == Escalate(EscalationReason.NOBODY_ON_DUTY)


def test_short_of_hands_the_batch_serves_the_nearest_deadline_first_when_the_deadline_weight_says_so() -> None:
    # One technician, two jobs: the one standing where they are scores better on distance, but the other's
    # deadline is two hours nearer; with a deadline weight above the distance points it goes first.
    tickets = [job(building="1", at=B1, ticket_id=1, due=NOW + timedelta(hours=3)),
               job(building="3", at=B3, ticket_id=2, due=NOW + timedelta(hours=1))]
    team = [tech(1, position=B1)]
    assert pairs(assign_batch(tickets, team, brute_force, policy(capacity=1))) == {1: 1}
    assert pairs(assign_batch(tickets, team, brute_force, policy(capacity=1), NOW)) == {1: 1}  # weight 0
    urgent_first = policy(capacity=1, deadline=1.0)
    assert pairs(assign_batch(tickets, team, brute_force, urgent_first, NOW)) == {2: 1}
    assert pairs(assign_batch(tickets, team, brute_force, urgent_first)) == {1: 1}  # no `now`: score alone


def test_the_deadline_weight_never_changes_who_is_chosen_for_one_job() -> None:
    needs = [job(building="3", at=B3, ticket_id=1, due=NOW)]
    team = [tech(1, position=B1), tech(2, position=B3)]
    plain = pairs(assign_batch(needs, team, brute_force, policy(capacity=1)))
    assert pairs(assign_batch(needs, team, brute_force, policy(capacity=1, deadline=5.0), NOW)) == plain == {1: 2}


def test_a_priority_may_have_its_own_capacity_so_urgent_jobs_are_promised_past_the_usual_limit() -> None:
    busy = [tech(1, open_jobs=2)]
    roomy = policy(capacity=2, capacities={Priority.URGENT: 4})
    tickets = [job(priority=Priority.URGENT, ticket_id=1), job(priority=Priority.NORMAL, ticket_id=2)]
    result = assign_batch(tickets, busy, brute_force, roomy)
    assert pairs(result) == {1: 1} and isinstance(dict((n.ticket_id, w) for n, w in result.waiting)[2], Backlog)
    assert [c.has_room for c in rank(tickets[0], busy, roomy)] == [True]
    assert [c.has_room for c in rank(tickets[1], busy, roomy)] == [False]
