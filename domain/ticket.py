"""The repair ticket and its audit trail. All state changes go through Ticket.apply."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from domain.errors import IllegalTransition, InvalidInput, MissingReason
from domain.lifecycle import Action, Status, next_status
from domain.people import Role
from domain.values import Category, Location, Priority

REASON_REQUIRED = frozenset({Action.REJECT, Action.DECLINE, Action.HOLD, Action.REJECT_COMPLETION, Action.CANCEL})


class AttachmentKind(str, Enum):
    PHOTO = "photo"
    VIDEO = "video"
    DOCUMENT = "document"
    VOICE = "voice"  # the owner's voice note the report was transcribed from, for staff and technicians to hear


class Stage(str, Enum):
    REPORT = "report"  # sent by the owner with or after the report
    WORK = "work"  # sent by the technician: before/after photos


@dataclass(frozen=True)
class Attachment:
    """A chat file reference (Telegram file_id); the files themselves stay with the chat platform."""

    file_id: str
    kind: AttachmentKind
    stage: Stage
    added_by: int
    added_at: datetime


@dataclass(frozen=True)
class Completion:
    notes: str
    parts: tuple[str, ...] = ()
    labour_minutes: int | None = None


@dataclass(frozen=True)
class TicketEvent:
    """One line of the timeline: who moved the ticket from where to where, when, and why."""

    ticket_id: int | None
    action: Action
    from_status: Status | None
    to_status: Status
    actor_id: int | None
    actor_role: Role | None
    at: datetime
    note: str = ""


@dataclass
class Ticket:
    estate_id: str
    owner_id: int
    location: Location
    category: Category
    priority: Priority
    description: str
    created_at: datetime
    response_due_at: datetime
    resolution_due_at: datetime
    id: int | None = None
    arrival_due_at: datetime | None = None  # work begun on site; None on tickets older than this deadline
    status: Status = Status.SUBMITTED
    technician_id: int | None = None
    accepted_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    closed_at: datetime | None = None
    hold_reason: str | None = None
    cancel_reason: str | None = None
    completion: Completion | None = None
    rework_count: int = 0
    rating: int | None = None
    rating_comment: str | None = None
    last_urged_at: datetime | None = None
    attachments: list[Attachment] = field(default_factory=list)
    version: int = 0
    report_key: str | None = None  # the draft it came from: submitting that draft again finds this ticket
    parent_id: int | None = None  # the incident this report is one of: not dispatched itself, it follows the parent
    # Events raised since the ticket was loaded; the repository appends them to the audit trail.
    new_events: list[TicketEvent] = field(default_factory=list)

    @property
    def number(self) -> str:
        return f"#{self.id}"

    def record_opening(self, actor_id: int | None, actor_role: Role | None, at: datetime) -> TicketEvent:
        """The first line of the timeline: the report itself."""
        event = TicketEvent(self.id, Action.OPEN, None, self.status, actor_id, actor_role, at, self.description)
        self.new_events.append(event)
        return event

    def apply(self, action: Action, actor_id: int | None, actor_role: Role | None,
              at: datetime, note: str = "") -> TicketEvent:
        """Move the ticket by `action` (or raise IllegalTransition) and record the event."""
        note = (note or "").strip()
        before = self.status
        after = next_status(self.id, before, action)  # an illegal move is refused before asking why
        if action in REASON_REQUIRED and not note:
            raise MissingReason(f"{action.value} needs a reason", action=action.value)
        self.status = after
        _SIDE_EFFECTS.get(action, _nothing)(self, actor_id, at, note)
        event = TicketEvent(self.id, action, before, self.status, actor_id, actor_role, at, note)
        self.new_events.append(event)
        return event


def _nothing(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    return None


def _claimed(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.technician_id, ticket.accepted_at = actor_id, at


def _accepted(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    if ticket.accepted_at is not None:  # claimed, or accepted before: accepting twice is not a move
        raise IllegalTransition(ticket.id, ticket.status.value, Action.ACCEPT.value)
    ticket.accepted_at = at


def _unassigned(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.technician_id, ticket.accepted_at = None, None


def _started(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.started_at = ticket.started_at or at
    ticket.accepted_at = ticket.accepted_at or at  # starting a job accepts it


def _held(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.hold_reason = note


def _resumed(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.hold_reason = None


def _completed(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.completed_at = at


def _reworked(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.rework_count += 1
    ticket.completed_at = None


def _closed(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.closed_at = at


def _cancelled(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.cancel_reason = note


def _reopened(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    _unassigned(ticket, actor_id, at, note)
    ticket.closed_at = ticket.completed_at = ticket.started_at = None
    ticket.rework_count += 1


def _followed(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.completed_at = at  # the parent's work is reported done: the child's owner judges it as their own


def _urged(ticket: Ticket, actor_id: int | None, at: datetime, note: str) -> None:
    ticket.last_urged_at = at


_SIDE_EFFECTS = {
    Action.CLAIM: _claimed,
    Action.ACCEPT: _accepted,
    Action.DECLINE: _unassigned,
    Action.START: _started,
    Action.HOLD: _held,
    Action.RESUME: _resumed,
    Action.COMPLETE: _completed,
    Action.REJECT_COMPLETION: _reworked,
    Action.RATE: _closed,
    Action.CLOSE: _closed,
    Action.REJECT: _cancelled,
    Action.CANCEL: _cancelled,
    Action.REOPEN: _reopened,
    Action.URGE: _urged,
    Action.FOLLOW: _followed,
}


def check_rating(stars: int) -> int:
    if not 1 <= stars <= 5:
        raise InvalidInput("rating must be 1 to 5", field="rating", value=stars)
    return stars
