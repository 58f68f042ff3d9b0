"""The ticket lifecycle: states with their labels, actions, and the one transition table."""
from __future__ import annotations

from enum import Enum

from domain.errors import IllegalTransition


class Status(str, Enum):
    SUBMITTED = "submitted"
    AWAITING_DISPATCH = "awaiting_dispatch"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    COMPLETED = "completed"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label_zh(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]

    @property
    def is_open(self) -> bool:
        """Still needs someone's work: not completed, closed or cancelled."""
        return self not in (Status.COMPLETED, Status.CLOSED, Status.CANCELLED)


_LABELS = {
    Status.SUBMITTED: ("待受理", "Submitted"),
    Status.AWAITING_DISPATCH: ("待派工", "Awaiting dispatch"),
    Status.ASSIGNED: ("已派工", "Assigned"),
    Status.IN_PROGRESS: ("维修中", "In progress"),
    Status.ON_HOLD: ("挂起", "On hold"),
    Status.AWAITING_CONFIRMATION: ("待验收", "Awaiting confirmation"),
    Status.COMPLETED: ("已完成", "Completed"),
    Status.CLOSED: ("已关闭", "Closed"),
    Status.CANCELLED: ("已取消", "Cancelled"),
}


class Action(str, Enum):
    OPEN = "open"
    TRIAGE = "triage"
    REJECT = "reject"
    ASSIGN = "assign"
    CLAIM = "claim"
    ACCEPT = "accept"
    DECLINE = "decline"
    START = "start"
    HOLD = "hold"
    RESUME = "resume"
    COMPLETE = "complete"
    CONFIRM = "confirm"
    REJECT_COMPLETION = "reject_completion"
    RATE = "rate"
    CANCEL = "cancel"
    REOPEN = "reopen"
    CLOSE = "close"
    # Events that record something without changing state.
    COMMENT = "comment"
    ATTACH = "attach"
    URGE = "urge"
    ESCALATE = "escalate"  # the scheduler flags an SLA breach, or dispatch finds nobody
    OFFER = "offer"  # dispatch offers a pool job (抢单) to the best few for a while
    CHECK_IN = "check_in"  # the technician's arrival (到场签到), with where they were
    REMIND = "remind"  # the scheduler reminds the technician that a deadline is near
    FOLLOW_UP = "follow_up"  # the scheduler asks staff to follow up a poor rating
    BILL_DISPUTE = "bill_dispute"  # the owner questions the bill, with a reason for staff
    BILL_ADJUST = "bill_adjust"  # staff issue a new version of the bill, with a reason
    BILL_APPROVE = "bill_approve"  # the owner approves an adjusted bill after confirming the work
    PAY = "pay"  # the bill is paid (at the property office, or by Telegram)
    REQUISITION = "requisition"  # the technician draws parts from stock for the job (物料申领)
    LINK = "link"  # joined to an incident's parent ticket (one fault, many reporters): "parent:<id>[:auto]"
    UNLINK = "unlink"  # on its own again: the owner says it is another problem, staff say so, or the parent ended
    FOLLOW = "follow"  # the parent's work is reported done: the linked report awaits its own owner's confirmation


S = Status
# (current state, action) -> next state. Anything not listed is illegal.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.SUBMITTED, Action.TRIAGE): S.AWAITING_DISPATCH,
    (S.SUBMITTED, Action.REJECT): S.CANCELLED,
    (S.SUBMITTED, Action.ASSIGN): S.ASSIGNED,
    (S.AWAITING_DISPATCH, Action.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, Action.ASSIGN): S.ASSIGNED,  # re-assign before the technician starts
    (S.SUBMITTED, Action.CLAIM): S.ASSIGNED,  # 抢单 straight from the new-job push
    (S.AWAITING_DISPATCH, Action.CLAIM): S.ASSIGNED,
    (S.ASSIGNED, Action.ACCEPT): S.ASSIGNED,  # acknowledges the job; see Ticket.accepted_at
    (S.ASSIGNED, Action.DECLINE): S.AWAITING_DISPATCH,
    (S.ASSIGNED, Action.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, Action.HOLD): S.ON_HOLD,
    (S.ON_HOLD, Action.RESUME): S.IN_PROGRESS,
    (S.IN_PROGRESS, Action.COMPLETE): S.AWAITING_CONFIRMATION,
    (S.AWAITING_CONFIRMATION, Action.CONFIRM): S.COMPLETED,
    (S.AWAITING_CONFIRMATION, Action.REJECT_COMPLETION): S.IN_PROGRESS,
    (S.COMPLETED, Action.RATE): S.CLOSED,
    (S.COMPLETED, Action.CLOSE): S.CLOSED,
    (S.SUBMITTED, Action.CANCEL): S.CANCELLED,
    (S.AWAITING_DISPATCH, Action.CANCEL): S.CANCELLED,
    (S.ASSIGNED, Action.CANCEL): S.CANCELLED,
    (S.CLOSED, Action.REOPEN): S.AWAITING_DISPATCH,
    (S.SUBMITTED, Action.FOLLOW): S.AWAITING_CONFIRMATION,
    (S.AWAITING_DISPATCH, Action.FOLLOW): S.AWAITING_CONFIRMATION,
}

# Actions that record an event but never move the ticket; allowed in these states.
NON_TRANSITIONS: dict[Action, frozenset[Status]] = {
    Action.COMMENT: frozenset(Status),
    Action.ATTACH: frozenset(s for s in Status if s not in (S.CLOSED, S.CANCELLED)),
    Action.URGE: frozenset(s for s in Status if s.is_open),
    Action.ESCALATE: frozenset(s for s in Status if s.is_open),
    Action.OFFER: frozenset({S.SUBMITTED, S.AWAITING_DISPATCH}),
    Action.CHECK_IN: frozenset({S.IN_PROGRESS, S.ON_HOLD}),
    Action.REMIND: frozenset(s for s in Status if s.is_open),
    Action.FOLLOW_UP: frozenset(Status),
    Action.BILL_DISPUTE: frozenset({S.AWAITING_CONFIRMATION}),
    Action.BILL_ADJUST: frozenset({S.AWAITING_CONFIRMATION, S.COMPLETED, S.CLOSED}),
    Action.BILL_APPROVE: frozenset({S.COMPLETED, S.CLOSED}),
    Action.PAY: frozenset({S.COMPLETED, S.CLOSED}),
    Action.REQUISITION: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD}),
    Action.LINK: frozenset({S.SUBMITTED, S.AWAITING_DISPATCH}),  # still waiting: nobody works on it alone yet
    Action.UNLINK: frozenset({S.SUBMITTED, S.AWAITING_DISPATCH}),  # later it follows the parent's outcome
}


def next_status(ticket_id: int | None, current: Status, action: Action) -> Status:
    """Where `action` takes a ticket in `current`, or IllegalTransition naming the current state."""
    if action in NON_TRANSITIONS:
        if current in NON_TRANSITIONS[action]:
            return current
        raise IllegalTransition(ticket_id, current.value, action.value)
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(ticket_id, current.value, action.value) from None
