"""Domain errors. Each carries a machine-readable code and the facts an adapter needs to explain it."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user can trigger; adapters turn `code` into a message in the user's language."""

    code = "domain_error"

    def __init__(self, message: str = "", **facts: object) -> None:
        super().__init__(message or self.code)
        self.facts = facts


class IllegalTransition(DomainError):
    """The ticket's current state does not allow the action."""

    code = "illegal_transition"

    def __init__(self, ticket_id: int | None, current: str, action: str) -> None:
        super().__init__(
            f"ticket #{ticket_id} is {current}; cannot {action}",
            ticket_id=ticket_id, current=current, action=action,
        )
        self.current = current
        self.action = action


class PermissionDenied(DomainError):
    code = "permission_denied"


class NotFound(DomainError):
    code = "not_found"


class AlreadyTaken(DomainError):
    """Someone else claimed the job first."""

    code = "already_taken"


class MissingReason(DomainError):
    code = "missing_reason"


class InvalidInput(DomainError):
    code = "invalid_input"


class InviteError(DomainError):
    """An invite code that is unknown, expired or used; `reason` says which."""

    code = "invite_invalid"

    def __init__(self, reason: str) -> None:
        super().__init__(f"invite code is {reason}", reason=reason)
        self.reason = reason


class AlreadyRegistered(DomainError):
    code = "already_registered"


class NotRegistered(DomainError):
    code = "not_registered"


class TooSoon(DomainError):
    """A rate-limited action (such as 催单) was repeated inside its cool-down."""

    code = "too_soon"


class ReopenWindowPassed(DomainError):
    code = "reopen_window_passed"


class StaleTicket(DomainError):
    """The ticket changed under us between read and write (optimistic concurrency)."""

    code = "stale_ticket"


class DuplicateReport(DomainError):
    """A ticket was already opened from this draft (its report key); the first one stands."""

    code = "duplicate_report"


class StaleChatState(DomainError):
    """Another update of the same chat wrote its conversation state first; re-read and apply again."""

    code = "stale_chat_state"


class FollowsIncident(DomainError):
    """The ticket is one report of an incident: it is assigned and worked through its parent."""

    code = "follows_incident"
