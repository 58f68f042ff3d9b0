"""Who may do what to which ticket. The use cases call authorize() before every change."""
from __future__ import annotations

from dataclasses import replace
from enum import Enum

from domain.errors import PermissionDenied
from domain.lifecycle import Action, Status
from domain.people import Person, Role
from domain.ticket import Ticket, TicketEvent


class Relation(str, Enum):
    OWNER = "owner"  # the owner who reported the ticket
    ASSIGNEE = "assignee"  # the technician it is assigned to
    CLAIMANT = "claimant"  # a technician with the skill, while the ticket is in the pool
    STAFF = "staff"  # staff and admins of the estate


VIEW = "view"
_R = Relation
# One row per action: the relations that allow it. Staff may step in for the owner or the
# technician on the administrative actions, but never claim, accept or rate on their behalf.
MATRIX: dict[Action | str, frozenset[Relation]] = {
    VIEW: frozenset({_R.OWNER, _R.ASSIGNEE, _R.CLAIMANT, _R.STAFF}),
    Action.TRIAGE: frozenset({_R.STAFF}),
    Action.REJECT: frozenset({_R.STAFF}),
    Action.ASSIGN: frozenset({_R.STAFF}),
    Action.CLAIM: frozenset({_R.CLAIMANT}),
    Action.ACCEPT: frozenset({_R.ASSIGNEE}),
    Action.DECLINE: frozenset({_R.ASSIGNEE}),
    Action.START: frozenset({_R.ASSIGNEE}),
    Action.HOLD: frozenset({_R.ASSIGNEE, _R.STAFF}),
    Action.RESUME: frozenset({_R.ASSIGNEE, _R.STAFF}),
    Action.COMPLETE: frozenset({_R.ASSIGNEE}),
    Action.CONFIRM: frozenset({_R.OWNER, _R.STAFF}),
    Action.REJECT_COMPLETION: frozenset({_R.OWNER}),
    Action.RATE: frozenset({_R.OWNER}),
    Action.CANCEL: frozenset({_R.OWNER, _R.STAFF}),
    Action.REOPEN: frozenset({_R.STAFF}),
    Action.CLOSE: frozenset({_R.STAFF}),
    Action.COMMENT: frozenset({_R.OWNER, _R.ASSIGNEE, _R.STAFF}),
    Action.ATTACH: frozenset({_R.OWNER, _R.ASSIGNEE, _R.STAFF}),
    Action.URGE: frozenset({_R.OWNER}),
    Action.CHECK_IN: frozenset({_R.ASSIGNEE}),
    Action.BILL_DISPUTE: frozenset({_R.OWNER}),
    Action.BILL_ADJUST: frozenset({_R.STAFF}),
    Action.BILL_APPROVE: frozenset({_R.OWNER, _R.STAFF}),
    Action.PAY: frozenset({_R.STAFF}),
    Action.REQUISITION: frozenset({_R.ASSIGNEE, _R.STAFF}),
    Action.LINK: frozenset({_R.STAFF}),
    Action.UNLINK: frozenset({_R.OWNER, _R.STAFF}),  # the owner: "不是，是另一个问题"
}
# Actions only the scheduler takes, without a person; no one may take them from chat.
SYSTEM_ONLY = frozenset({Action.ESCALATE, Action.REMIND, Action.FOLLOW_UP, Action.OFFER, Action.FOLLOW})

_POOL = (Status.SUBMITTED, Status.AWAITING_DISPATCH)


def relations(actor: Person, ticket: Ticket) -> set[Relation]:
    """How the actor stands to the ticket."""
    found: set[Relation] = set()
    if not actor.active or actor.estate_id != ticket.estate_id:
        return found
    if actor.is_staff:
        found.add(Relation.STAFF)
    if actor.role is Role.OWNER and actor.id == ticket.owner_id:
        found.add(Relation.OWNER)
    if actor.role is Role.TECHNICIAN:
        if ticket.technician_id is not None and actor.id == ticket.technician_id:
            found.add(Relation.ASSIGNEE)
        elif ticket.technician_id is None and ticket.status in _POOL and actor.has_skill(ticket.category) \
                and ticket.parent_id is None:  # a linked report is worked as its parent, never claimed alone
            found.add(Relation.CLAIMANT)
    return found


def may(actor: Person, action: Action | str, ticket: Ticket) -> bool:
    return action not in SYSTEM_ONLY and bool(relations(actor, ticket) & MATRIX[action])


def authorize(actor: Person, action: Action | str, ticket: Ticket) -> None:
    """Raise PermissionDenied unless the actor may do `action` to this ticket."""
    if not may(actor, action, ticket):
        name = action.value if isinstance(action, Action) else action
        raise PermissionDenied(f"{actor.role.value} may not {name} ticket #{ticket.id}",
                               ticket_id=ticket.id, action=name)


def sees_owner_contact(actor: Person, ticket: Ticket) -> bool:
    """Staff and the owner always see the owner's name and phone; a technician only while the job is theirs:
    accepted (or claimed) and still open. Not when merely assigned, and not once it is done or cancelled."""
    related = relations(actor, ticket)
    if related & {Relation.OWNER, Relation.STAFF}:
        return True
    return Relation.ASSIGNEE in related and ticket.accepted_at is not None and ticket.status.is_open


# What the property office and the technicians need on a ticket's timeline, and its owner does not: who was
# offered it or turned it down and why, escalations, reminders, parts drawn from stock. The owner follows
# their repair by its changes (assigned, begun, done), not by the office's working.
_OFFICE_ONLY = frozenset({Action.OFFER, Action.DECLINE, Action.ESCALATE, Action.REMIND, Action.FOLLOW_UP,
                          Action.REQUISITION})
_NOTE_FOR_OFFICE = frozenset({Action.CHECK_IN, Action.TRIAGE})  # the event is news; its note (where the
# technician stood, the dispatcher's remark) is not


def timeline_for(actor: Person, events: list[TicketEvent]) -> list[TicketEvent]:
    """The events `actor` reads on the ticket's timeline: all of them for staff and technicians, the owner's
    own share for an owner."""
    if actor.role is not Role.OWNER:
        return events
    return [replace(e, note="") if e.action in _NOTE_FOR_OFFICE and e.actor_id != actor.id else e
            for e in events if e.action not in _OFFICE_ONLY]
