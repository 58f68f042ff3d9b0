"""A small history with figures worked out by hand (EXPECTED), for the stats reader in memory, SQLite and PostgreSQL.

Monday 2025-03-03 09:00 Shanghai is T0. SLA: respond in 1 h, arrive in 2 h, resolve in 10 h, for every priority.
  #1 T0      3-2-1801 plumbing  claimed +0.5 h, started +1.5 h, held 0.5 h, done +4.5 h, confirmed, rated 5
  #2 T0+1h   3-2-1801 electrical claimed +2 h (late), started +2 h (on the dot), done +12 h, rejected (rework),
                                  done again +13 h, confirmed, rated 3
  #3 T0+2h   7-1-903  plumbing  assigned by staff +1 h, accepted +1.5 h (late); never started
  #4 T0+3h   B-1208   hvac      cancelled by the owner after 15 min
  #5 Wed T0+2d+4h 3-2-1801 plumbing  never touched
  and one ticket the Friday before (outside the period). "now" is the next Saturday.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from domain.estate import Building, Estate
from domain.people import ALL_ZONES, Person, Role, StaffRole
from domain.periods import Period, parse_period
from domain.ports import UnitOfWork
from domain.sla import SlaPolicy
from domain.usecases import tickets as uc
from domain.usecases.common import Policies
from domain.values import Category, Location, Priority
from tests.fakes import FakeClock

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 3, 3, 1, 0, tzinfo=timezone.utc)
NOW = T0 + timedelta(days=5, hours=3)
POLICIES = Policies(SlaPolicy({p: 60 for p in Priority}, {p: 600 for p in Priority}, {p: 120 for p in Priority}))
ESTATE = Estate("e1", "Test Estate", (Building("3", "3号楼", ("2",)), Building("7", "7号楼", ("1",)),
                                      Building("B", "B座")))
WORDS = ["since=2025-03-03", "until=2025-03-09"]


@dataclass
class People:
    owner: int
    owner7: int
    neighbour: int
    tech_a: int
    tech_b: int
    staff: int


def period() -> Period:
    return parse_period(WORDS, NOW, TZ)


def seed_people(uow: UnitOfWork) -> People:
    with uow:
        uow.estates.put(ESTATE)
        add = lambda p: uow.people.add(p).id or 0  # noqa: E731
        people = People(
            owner=add(Person("王芳", Role.OWNER, "e1", chat_id=1, homes=[Location("3", "2", "1801")], phone="1380001")),
            owner7=add(Person("=HYPERLINK(\"x\")", Role.OWNER, "e1", chat_id=2, homes=[Location("7", "1", "903")])),
            neighbour=add(Person("Alice", Role.OWNER, "e1", chat_id=3, homes=[Location("B", None, "1208")])),
            tech_a=add(Person("张师傅", Role.TECHNICIAN, "e1", chat_id=4, zones=frozenset({ALL_ZONES}),
                              skills=frozenset({Category.PLUMBING, Category.ELECTRICAL}))),
            tech_b=add(Person("陈师傅", Role.TECHNICIAN, "e1", chat_id=5, zones=frozenset({ALL_ZONES}),
                              skills=frozenset({Category.PLUMBING, Category.HVAC}))),
            staff=add(Person("调度小赵", Role.STAFF, "e1", chat_id=6, staff_role=StaffRole.DISPATCHER)))
        uow.commit()
    return people


def seed(uows: Callable[[], UnitOfWork]) -> People:
    """The history above, driven through the use cases; returns who is who."""
    p = seed_people(uows())
    clock = FakeClock(T0 - timedelta(days=3))

    def opened(owner: int, home: Location, category: Category, description: str) -> int:
        new = uc.NewTicket(home, category, Priority.NORMAL, description)
        return uc.open_ticket(uows(), clock, POLICIES, owner, new).ticket.id or 0

    def at(hours: float) -> None:
        clock.set(T0 + timedelta(hours=hours))

    home, home7, home_b = Location("3", "2", "1801"), Location("7", "1", "903"), Location("B", None, "1208")
    opened(p.owner, home, Category.PLUMBING, "上周的")
    at(0), (one := opened(p.owner, home, Category.PLUMBING, "厨房漏水"))
    at(0.5), uc.claim(uows(), clock, p.tech_a, one)
    at(1), (two := opened(p.owner, home, Category.ELECTRICAL, "-插座没电"))
    at(1.5), uc.start(uows(), clock, p.tech_a, one)
    at(2), uc.hold(uows(), clock, p.tech_a, one, "等配件"), (three := opened(p.owner7, home7, Category.PLUMBING, "@漏水"))
    at(2.5), uc.resume(uows(), clock, p.tech_a, one)
    at(3), uc.claim(uows(), clock, p.tech_a, two), uc.start(uows(), clock, p.tech_a, two)
    at(3), uc.assign(uows(), clock, p.staff, three, p.tech_b), (four := opened(p.neighbour, home_b, Category.HVAC, "空调"))
    at(3.25), uc.cancel(uows(), clock, p.neighbour, four, "好了")
    at(3.5), uc.accept(uows(), clock, p.tech_b, three)
    at(4.5), uc.complete(uows(), clock, p.tech_a, one, "换了角阀", ("角阀",), 40)
    uc.confirm(uows(), clock, p.owner, one), uc.rate(uows(), clock, p.owner, one, 5)
    at(13), uc.complete(uows(), clock, p.tech_a, two, "换插座", (), 30)
    uc.reject_completion(uows(), clock, p.owner, two, "还是没电")
    at(14), uc.complete(uows(), clock, p.tech_a, two, "换线", (), 20)
    uc.confirm(uows(), clock, p.owner, two), uc.rate(uows(), clock, p.owner, two, 3, "=1+1")
    at(52), opened(p.owner, home, Category.PLUMBING, "又漏了")
    return p


# Worked out by hand from the history above (hours).
EXPECTED = {
    "total": 5, "by_status": {"closed": 2, "assigned": 1, "cancelled": 1, "submitted": 1},
    "by_category": {"plumbing": 3, "electrical": 1, "hvac": 1}, "by_building": {"3": 3, "7": 1, "B": 1},
    "funnel": {"reported": 5, "assigned": 3, "started": 2, "done": 2, "confirmed": 2, "rated": 2},
    "sla": {"response": (1, 3), "arrival": (2, 2), "resolution": (1, 3)},
    "assign": (3, 1.0, 2.0),  # #1 0.5, #3 1.0, #2 2.0
    "resolve": (2, 8.75, 13.0),  # #1 4.5, #2 13
    "average_rating": 4.0, "rated": 2, "reworked": 1, "overdue_now": 2, "cancelled": 1,
    "trend_reported": [4, 0, 1, 0, 0, 0],  # Monday to Saturday: the period stops at now
    "technicians": [("张师傅", 2, 2, 8.75, 4.0, 0.5), ("陈师傅", 1, 0, None, None, 0.0)],
}
