"""The transition table itself: every legal move, every illegal one, and the reasons some moves need."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from domain.errors import IllegalTransition, MissingReason
from domain.lifecycle import NON_TRANSITIONS, TRANSITIONS, Action, Status, next_status
from domain.people import Role
from domain.ticket import REASON_REQUIRED, Ticket
from domain.values import Category, Location, Priority

AT = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)
LEGAL = sorted(TRANSITIONS.items(), key=lambda item: (item[0][0].value, item[0][1].value))
NON_MOVES = sorted(((s, a) for a, states in NON_TRANSITIONS.items() for s in states), key=lambda p: (p[0], p[1]))
ILLEGAL = sorted(((s, a) for s in Status for a in Action
                  if (s, a) not in TRANSITIONS and not (a in NON_TRANSITIONS and s in NON_TRANSITIONS[a])),
                 key=lambda p: (p[0].value, p[1].value))


def ticket_in(status: Status, **fields: object) -> Ticket:
    return Ticket(estate_id="sunrise", owner_id=1, location=Location("3", "2", "1801"), category=Category.PLUMBING,
                  priority=Priority.NORMAL, description="水管漏水", created_at=AT, response_due_at=AT,
                  resolution_due_at=AT, id=7, status=status, **fields)  # type: ignore[arg-type]


def pair_id(pair: object) -> str:
    (state, action) = pair[0] if isinstance(pair[0], tuple) else pair  # type: ignore[index]
    return f"{state.value}-{action.value}"


def test_every_state_carries_its_zh_and_en_label() -> None:
    labels = {s: s.label_zh for s in Status}
    assert labels[Status.SUBMITTED] == "待受理" and labels[Status.AWAITING_DISPATCH] == "待派工"
    assert labels[Status.IN_PROGRESS] == "维修中" and labels[Status.AWAITING_CONFIRMATION] == "待验收"
    assert labels[Status.COMPLETED] == "已完成" and labels[Status.CLOSED] == "已关闭"
    assert labels[Status.ON_HOLD] == "挂起" and labels[Status.CANCELLED] == "已取消"
    assert all(s.label_en for s in Status)


def test_only_completed_closed_and_cancelled_tickets_are_not_open() -> None:
    assert {s for s in Status if not s.is_open} == {Status.COMPLETED, Status.CLOSED, Status.CANCELLED}


def test_the_table_and_the_illegal_pairs_cover_every_state_and_action_exactly_once() -> None:
    assert len(LEGAL) + len(NON_MOVES) + len(ILLEGAL) == len(Status) * len(Action)


@pytest.mark.parametrize(("pair", "target"), LEGAL, ids=[pair_id(p) for p in LEGAL])
def test_every_legal_transition_moves_the_ticket_to_the_table_target(pair: tuple[Status, Action],
                                                                   target: Status) -> None:
    state, action = pair
    ticket = ticket_in(state, technician_id=5 if state is Status.ASSIGNED else None)
    event = ticket.apply(action, 5, Role.STAFF, AT, "因为需要")
    assert ticket.status is target
    assert (event.from_status, event.to_status, event.action) == (state, target, action)
    assert ticket.new_events == [event]


@pytest.mark.parametrize(("state", "action"), NON_MOVES, ids=[pair_id(p) for p in NON_MOVES])
def test_comments_attachments_and_urges_record_an_event_without_moving_the_ticket(state: Status,
                                                                                  action: Action) -> None:
    ticket = ticket_in(state)
    event = ticket.apply(action, 1, Role.OWNER, AT, "note")
    assert ticket.status is state
    assert (event.from_status, event.to_status) == (state, state)


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[pair_id(p) for p in ILLEGAL])
def test_every_illegal_pair_raises_illegal_transition_naming_the_current_state(state: Status,
                                                                              action: Action) -> None:
    ticket = ticket_in(state)
    with pytest.raises(IllegalTransition) as caught:
        ticket.apply(action, 1, Role.STAFF, AT, "a reason")
    assert caught.value.current == state.value
    assert caught.value.action == action.value
    assert state.value in str(caught.value) and "#7" in str(caught.value)
    assert caught.value.facts["current"] == state.value
    assert ticket.status is state and ticket.new_events == []


@pytest.mark.parametrize("state", list(Status), ids=lambda s: s.value)
def test_next_status_refuses_opening_a_ticket_twice(state: Status) -> None:
    with pytest.raises(IllegalTransition):
        next_status(1, state, Action.OPEN)


def test_reasons_are_required_for_reject_decline_hold_reject_completion_and_cancel() -> None:
    assert REASON_REQUIRED == {Action.REJECT, Action.DECLINE, Action.HOLD, Action.REJECT_COMPLETION, Action.CANCEL}


REASONED = sorted(((s, a) for (s, a) in TRANSITIONS if a in REASON_REQUIRED), key=lambda p: (p[0], p[1]))


@pytest.mark.parametrize(("state", "action"), REASONED, ids=[pair_id(p) for p in REASONED])
@pytest.mark.parametrize("blank", ["", "   ", "\n"], ids=["empty", "spaces", "newline"])
def test_a_move_that_needs_a_reason_is_refused_without_one(state: Status, action: Action, blank: str) -> None:
    ticket = ticket_in(state, technician_id=5)
    with pytest.raises(MissingReason) as caught:
        ticket.apply(action, 5, Role.STAFF, AT, blank)
    assert caught.value.facts["action"] == action.value
    assert ticket.status is state and ticket.new_events == []


def test_an_illegal_move_is_refused_as_illegal_before_any_reason_is_asked_for() -> None:
    ticket = ticket_in(Status.IN_PROGRESS)
    with pytest.raises(IllegalTransition):
        ticket.apply(Action.CANCEL, 1, Role.OWNER, AT, "")


def test_the_reason_is_stored_trimmed_in_the_event_note() -> None:
    ticket = ticket_in(Status.IN_PROGRESS)
    event = ticket.apply(Action.HOLD, 5, Role.TECHNICIAN, AT, "  等配件  ")
    assert event.note == "等配件" and ticket.hold_reason == "等配件"


def test_cancel_is_possible_only_before_work_starts() -> None:
    cancellable = {s for (s, a) in TRANSITIONS if a is Action.CANCEL}
    assert cancellable == {Status.SUBMITTED, Status.AWAITING_DISPATCH, Status.ASSIGNED}


def test_accepting_a_job_that_was_already_accepted_is_an_illegal_transition() -> None:
    ticket = ticket_in(Status.ASSIGNED, technician_id=5, accepted_at=AT)
    with pytest.raises(IllegalTransition) as caught:
        ticket.apply(Action.ACCEPT, 5, Role.TECHNICIAN, AT)
    assert caught.value.current == "assigned" and ticket.new_events == []
