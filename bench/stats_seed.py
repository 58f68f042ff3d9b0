"""A year of history for the stats bench: 100,000 tickets with their timelines, bulk-inserted (not through the use
cases, which would take hours), shaped like a busy estate: most closed and rated, some cancelled, some still open."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, insert

from domain.values import Category, Priority
from storage.models import (EstateRow, KbOutcomeRow, LedgerRow, PartRow, PersonRow, StockMoveRow, TicketEventRow,
                            TicketRow)

ESTATE = "bench"
BUILDINGS = [str(n) for n in range(1, 13)] + ["B"]
BATCH = 5000


PARTS = [(f"P{n:02d}", 100 * n) for n in range(1, 21)]  # 20 parts, 1.00 to 20.00 元


def seed(engine: Engine, tickets: int, now: datetime, seed_value: int = 13) -> int:
    """Insert the people and `tickets` tickets created over the year before `now`; the staff member's id."""
    rng = random.Random(seed_value)
    with engine.begin() as c:
        c.execute(insert(EstateRow), [{"id": ESTATE, "name": "Bench Estate", "buildings": []}])
        people = [{"estate_id": ESTATE, "name": f"业主{n}", "role": "owner", "language": "zh", "chat_id": 10_000 + n,
                   "homes": [], "skills": [], "zones": [], "phone": f"139{n:08d}"} for n in range(1, 801)]
        people += [{"estate_id": ESTATE, "name": f"师傅{n:02d}", "role": "technician", "language": "zh",
                    "chat_id": 20_000 + n, "homes": [], "skills": [], "zones": []} for n in range(1, 31)]
        people.append({"estate_id": ESTATE, "name": "调度", "role": "staff", "staff_role": "dispatcher",
                       "language": "zh", "chat_id": 30_000, "homes": [], "skills": [], "zones": []})
        c.execute(insert(PersonRow), _uniform(people))
        c.execute(insert(PartRow), [{"code": code, "name_zh": code, "name_en": code, "unit_zh": "个", "unit_en": "pc",
                                     "price_fen": price, "stock": 10**9, "low_at": None, "categories": []}
                                    for code, price in PARTS])
    owners, techs, staff = list(range(1, 801)), list(range(801, 831)), 831
    start = now - timedelta(days=365)
    rows, events, money = [], [], ([], [])  # type: ignore[var-annotated]
    for n in range(1, tickets + 1):
        row, timeline = _ticket(rng, n, start + timedelta(seconds=rng.uniform(0, 365 * 86400)), owners, techs, staff, now)
        rows.append(row)
        events += timeline
        if row.get("completed_at"):
            _money(rng, row, money)
        if len(rows) == BATCH:
            _flush(engine, rows, events, money)
            rows, events, money = [], [], ([], [])
    _flush(engine, rows, events, money)
    outcomes = [{"article_id": f"a{rng.randint(1, 20)}", "category": rng.choice(list(Category)).value,
                 "building": rng.choice(BUILDINGS), "outcome": rng.choice(("shown", "shown", "deflected", "needed_repair")),
                 "at": start + timedelta(seconds=rng.uniform(0, 365 * 86400))} for _ in range(20_000)]
    with engine.begin() as c:
        c.execute(insert(KbOutcomeRow), outcomes)
    return staff


def _flush(engine: Engine, rows: list[dict[str, Any]], events: list[dict[str, Any]],
           money: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    if rows:
        with engine.begin() as c:
            c.execute(insert(TicketRow), _uniform(rows))
            c.execute(insert(TicketEventRow), events)
            for table, found in ((LedgerRow, money[0]), (StockMoveRow, money[1])):
                if found:
                    c.execute(insert(table), _uniform(found))


def _money(rng: random.Random, row: dict[str, Any], money: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    """A done job's bill in the ledger (charged; most approved and paid, some questioned) and the parts it used."""
    ledger, moves = money
    ticket, done, actor = row["id"], row["completed_at"], row["technician_id"]
    due = rng.randrange(3000, 30000, 50)
    entry = lambda kind, fen, hours: {"ticket_id": ticket, "kind": kind, "bill_version": 1, "amount_fen": fen,  # noqa: E731
                                      "actor_id": actor, "at": done + timedelta(hours=hours), "note": "", "method": ""}
    ledger.append(entry("charge", due, 0))
    if rng.random() < 0.05:
        ledger.append(entry("dispute", due, 2))
    elif rng.random() < 0.7:
        ledger += [entry("approve", due, 12), entry("pay", due, 30)]
    for code, _ in rng.sample(PARTS, rng.choice((0, 1, 1, 2))):
        taken = rng.randint(1, 3)
        moves.append({"part_code": code, "kind": "used", "requested": taken, "before": 10**9, "after": 10**9 - taken,
                      "at": done, "actor_id": actor, "ticket_id": ticket, "low_at": None})


def _uniform(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An executemany needs the same keys in every row: a missing one is NULL."""
    keys = {k for row in rows for k in row}
    return [{k: row.get(k) for k in keys} for row in rows]


def _ticket(rng: random.Random, n: int, created: datetime, owners: list[int], techs: list[int], staff: int,
            now: datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    hours = lambda mean: timedelta(hours=rng.expovariate(1 / mean))  # noqa: E731
    fate = rng.random()
    tech = rng.choice(techs)
    row: dict[str, Any] = {
        "id": n, "estate_id": ESTATE, "owner_id": rng.choice(owners), "building": rng.choice(BUILDINGS),
        "unit": "1", "room": f"{rng.randint(1, 30)}0{rng.randint(1, 4)}", "common_area": False,
        "category": rng.choice(list(Category)).value, "priority": rng.choice(list(Priority)).value,
        "description": f"报修 {n}", "status": "submitted", "created_at": created,
        "response_due_at": created + timedelta(hours=4), "arrival_due_at": created + timedelta(hours=8),
        "resolution_due_at": created + timedelta(hours=48), "rework_count": 0, "version": 1}
    timeline = [_event(n, "open", None, "submitted", None, created)]
    if fate < 0.05:
        row.update(status="cancelled", cancel_reason="不需要了")
        timeline.append(_event(n, "cancel", "submitted", "cancelled", row["owner_id"], created + hours(1)))
        return row, timeline
    assigned = created + hours(2)
    accepted = assigned + hours(0.5)
    started = accepted + hours(3)
    done = started + hours(6)
    steps = [("assign", "submitted", "assigned", staff, assigned), ("accept", "assigned", "assigned", tech, accepted),
             ("start", "assigned", "in_progress", tech, started), ("complete", "in_progress", "awaiting_confirmation",
                                                                   tech, done)]
    confirmed, rated = done + hours(12), done + hours(20)
    steps += [("confirm", "awaiting_confirmation", "completed", row["owner_id"], confirmed),
              ("rate", "completed", "closed", row["owner_id"], rated)]
    row["technician_id"] = tech
    for action, before, after, actor, at in steps:
        if at > now or (action == "rate" and fate > 0.8):
            break
        timeline.append(_event(n, action, before, after, actor, at))
        row["status"] = after
        row.update({"assign": {}, "accept": {"accepted_at": at}, "start": {"started_at": at},
                    "complete": {"completed_at": at, "completion_notes": "修好了", "labour_minutes": 40},
                    "confirm": {}, "rate": {"closed_at": at, "rating": rng.choice((3, 4, 5, 5, 5, 2))}}[action])
    if row.get("completed_at") and rng.random() < 0.06:
        row["rework_count"] = 1
    return row, timeline


def _event(ticket: int, action: str, before: str | None, after: str, actor: int | None, at: datetime) -> dict[str, Any]:
    return {"ticket_id": ticket, "action": action, "from_status": before, "to_status": after, "actor_id": actor,
            "actor_role": None, "at": at, "note": ""}


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
