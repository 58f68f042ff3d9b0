"""A Telegram invoice for one approved bill version: what it asks for, and the payload that names the bill."""
from __future__ import annotations

import re
from dataclasses import dataclass

CURRENCY = "CNY"  # amounts go to Telegram in fen, the currency's smallest unit
_PAYLOAD = re.compile(r"bill:(\d{1,9}):(\d{1,4})")


@dataclass(frozen=True)
class InvoiceRef:
    """Which bill an invoice is for: the ticket and the version the owner approved."""

    ticket_id: int
    version: int

    @property
    def payload(self) -> str:
        return f"bill:{self.ticket_id}:{self.version}"


def parse_payload(payload: str | None) -> InvoiceRef | None:
    """The bill a payload names, or None for anything else (a client can send any payload)."""
    found = _PAYLOAD.fullmatch(payload or "")
    return InvoiceRef(int(found.group(1)), int(found.group(2))) if found else None
