"""What a fee or stock request can be refused for; adapters explain each by its code."""
from __future__ import annotations

from domain.errors import DomainError


class BillStateError(DomainError):
    """The bill is not in a state that allows this (settled, disputed, or changed since it was shown)."""

    code = "bill_state"


class NothingToPay(BillStateError):
    """The owner owes nothing on this ticket: a common area, work under warranty, or a bill of zero."""

    code = "nothing_to_pay"


class NotApprovedYet(BillStateError):
    """The owner has not approved the bill (or is questioning it): nothing can be paid before that."""

    code = "bill_not_approved"


class UnknownPart(DomainError):
    """No part in the catalog has this code."""

    code = "unknown_part"


class PaymentRefused(BillStateError):
    """A Telegram payment that does not match the bill it names: unknown, changed, settled or another amount."""

    code = "payment_refused"
