"""The ledger: every charge, approval, dispute, adjustment and payment, appended with who and when, never changed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class Entry(str, Enum):
    CHARGE = "charge"  # a bill version issued (the first, at /done)
    ADJUST = "adjust"  # staff issued a new version, with a reason
    DISPUTE = "dispute"  # the owner questioned a version, with a reason
    APPROVE = "approve"  # the owner (or staff for them) accepted a version, with the work
    PAY = "pay"  # paid: at the property office, or by Telegram


class BillState(str, Enum):
    NONE = "none"
    AWAITING_APPROVAL = "awaiting_approval"
    DISPUTED = "disputed"
    APPROVED = "approved"
    PAID = "paid"


@dataclass(frozen=True)
class LedgerEntry:
    ticket_id: int
    kind: Entry
    bill_version: int
    amount_fen: int
    actor_id: int | None
    at: datetime
    note: str = ""
    method: str = ""  # how a payment came: office, telegram
    charge_id: str = ""  # Telegram's charge id for a payment by Telegram: one entry per charge, ever
    id: int | None = None


_STATE = {Entry.CHARGE: BillState.AWAITING_APPROVAL, Entry.ADJUST: BillState.AWAITING_APPROVAL,
          Entry.DISPUTE: BillState.DISPUTED, Entry.APPROVE: BillState.APPROVED, Entry.PAY: BillState.PAID}


def state(entries: list[LedgerEntry]) -> BillState:
    """Where the bill stands: the ledger is the only record of it, read from the newest entry."""
    return _STATE[entries[-1].kind] if entries else BillState.NONE
