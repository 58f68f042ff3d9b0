"""The authorization matrix, tried through the use cases for every action, legal state and kind of person."""
from __future__ import annotations

import pytest

from domain.authorization import MATRIX, SYSTEM_ONLY, VIEW, Relation, may, relations
from domain.errors import PermissionDenied
from domain.lifecycle import Action, Status
from domain.usecases import queries as q
from domain.usecases import tickets as uc
from tests.fakes import World
from tests.unit.domain.use_case_calls import CALLS, CASES, ticket_for

R = Relation
POOL = (Status.SUBMITTED, Status.AWAITING_DISPATCH)
PERSONAS = ["owner_of_ticket", "another_owner", "assignee", "technician_with_skill", "technician_without_skill",
            "dispatcher", "manager", "admin", "staff_of_another_estate", "technician_of_another_estate"]


def persona_id(world: World, persona: str) -> int:
    return {
        "owner_of_ticket": world.owner, "another_owner": world.neighbour, "assignee": world.plumber,
        "technician_with_skill": world.builder, "technician_without_skill": world.lift_tech,
        "dispatcher": world.dispatcher, "manager": world.manager, "admin": world.admin,
        "staff_of_another_estate": world.outsider, "technician_of_another_estate": world.outsider_tech,
    }[persona]


def expected_relations(persona: str, state: Status) -> set[Relation]:
    """Written out by hand so the test does not trust relations() to judge itself."""
    in_pool = state in POOL  # ticket_in() leaves pool tickets without a technician, later ones with the plumber
    if persona == "owner_of_ticket":
        return {R.OWNER}
    if persona in ("dispatcher", "manager", "admin"):
        return {R.STAFF}
    if persona == "assignee":
        return {R.CLAIMANT} if in_pool else ({R.ASSIGNEE} if state is not Status.CANCELLED else set())
    if persona == "technician_with_skill":
        return {R.CLAIMANT} if in_pool else set()
    return set()


def test_every_action_a_person_can_take_has_a_row_in_the_matrix_and_a_use_case_here() -> None:
    assert set(MATRIX) == {a for a in Action if a is not Action.OPEN and a not in SYSTEM_ONLY} | {VIEW}
    assert set(CALLS) == set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("action", "state"), CASES,
                         ids=[f"{a.value if isinstance(a, Action) else a}-in-{s.value}" for a, s in CASES])
def test_the_use_cases_allow_exactly_what_the_matrix_allows(world: World, action: Action | str, state: Status,
                                                           persona: str) -> None:
    tid = ticket_for(world, action, state)
    actor = persona_id(world, persona)
    allowed = bool(expected_relations(persona, state) & MATRIX[action])
    before = (world.ticket(tid), world.timeline(tid))
    if allowed:
        CALLS[action](world, actor, tid)
    else:
        with pytest.raises(PermissionDenied) as caught:
            CALLS[action](world, actor, tid)
        assert caught.value.facts["ticket_id"] == tid
        assert (world.ticket(tid), world.timeline(tid)) == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", list(Status), ids=lambda s: s.value)
def test_relations_say_how_each_person_stands_to_the_ticket(world: World, persona: str, state: Status) -> None:
    tid = world.ticket_in(state)
    assert relations(world.person(persona_id(world, persona)), world.ticket(tid)) == expected_relations(persona, state)


def test_an_owner_cannot_confirm_another_owners_ticket(world: World) -> None:
    tid = world.ticket_in(Status.AWAITING_CONFIRMATION)
    with pytest.raises(PermissionDenied):
        uc.confirm(world.uow, world.clock, world.neighbour, tid)


def test_a_technician_cannot_complete_a_job_assigned_to_someone_else(world: World) -> None:
    tid = world.ticket_in(Status.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        uc.complete(world.uow, world.clock, world.builder, tid, "修好了")


def test_staff_may_never_claim_accept_or_rate_on_someone_elses_behalf() -> None:
    for action in (Action.CLAIM, Action.ACCEPT, Action.RATE, Action.START, Action.COMPLETE, Action.URGE):
        assert R.STAFF not in MATRIX[action]


def test_a_technician_claiming_sees_the_job_but_not_the_owners_contact(world: World) -> None:
    tid = world.report()
    view = q.view_ticket(world.uow, world.builder, tid)
    assert view.owner is None and view.ticket.id == tid


def test_the_assignee_who_accepted_and_staff_see_the_owners_contact(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    uc.accept(world.uow, world.clock, world.plumber, tid)
    for who in (world.plumber, world.dispatcher, world.owner):
        view = q.view_ticket(world.uow, who, tid)
        assert view.owner is not None and view.owner.phone == "13800000001"
        assert view.technician is not None and view.technician.id == world.plumber


def test_an_inactive_technician_has_no_relation_to_any_ticket(world: World) -> None:
    tid = world.report()
    plumber = world.person(world.plumber)
    plumber.active = False
    assert relations(plumber, world.ticket(tid)) == set()
    assert not may(plumber, Action.CLAIM, world.ticket(tid))
