"""Staff's adjustment of a bill: quantities, labour minutes, a correction; the result is the next version."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from domain.billing.bill import Bill, Line, LineKind
from domain.errors import InvalidInput, MissingReason


@dataclass(frozen=True)
class Adjustment:
    """Part code -> new quantity (0 removes it), new labour minutes, a new total (the difference is a line)."""

    reason: str
    quantities: dict[str, int] = field(default_factory=dict)
    minutes: int | None = None
    total_fen: int | None = None
    waive_callout: bool = False


def adjusted(bill: Bill, change: Adjustment, actor_id: int, at: datetime) -> Bill:
    """The next version: the same bill with `change` applied, and its reason."""
    if not change.reason.strip():
        raise MissingReason("an adjustment needs a reason", action="adjust")
    unknown = set(change.quantities) - {line.code for line in bill.lines if line.kind is LineKind.PART}
    if unknown:
        raise InvalidInput("no such part on the bill", field="part", value=", ".join(sorted(unknown)))
    lines: list[Line] = []
    for line in bill.lines:
        if line.kind is LineKind.ADJUSTMENT:
            continue  # a new total replaces the old correction
        if line.kind is LineKind.PART and line.code in change.quantities:
            qty = change.quantities[line.code]
            if qty < 0:
                raise InvalidInput("a quantity cannot be negative", field="quantity", value=qty)
            if qty:
                lines.append(replace(line, quantity=qty, amount_fen=qty * line.unit_price_fen))
        elif line.kind is LineKind.LABOUR and change.minutes is not None:
            if change.minutes:
                lines.append(replace(line, minutes=change.minutes,
                                     amount_fen=(line.unit_price_fen * change.minutes + 30) // 60))
        elif line.kind is LineKind.CALLOUT and change.waive_callout:
            continue
        else:
            lines.append(line)
    if change.total_fen is not None:
        difference = change.total_fen - sum(line.amount_fen for line in lines)
        if difference:
            lines.append(Line(LineKind.ADJUSTMENT, difference))
    return Bill(bill.ticket_id, bill.version + 1, tuple(lines), bill.who_pays, actor_id, at, change.reason.strip())
