"""The simulated estate: who the load generator's users are, and seeding them into the bot's database.

Owners beyond the three demo ones are put in the owner register (as an office's CSV import would) and register
themselves in chat by sharing their phone number, so registration is part of the load. Technicians and staff
beyond the demo ones are added as people, as an accepted invite would make them (an invite per person would
only add a round of commands nobody measures).
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from domain.people import ALL_ZONES, Person, Role, StaffRole
from domain.registration import RegisterEntry
from domain.values import Category, Language, Location

FIRST_OWNER, FIRST_TECHNICIAN, FIRST_STAFF = 100_001, 200_001, 300_001
BUILDINGS = [(str(b), ("1", "2")) for b in range(1, 13)] + [("B", ())]


@dataclass(frozen=True)
class User:
    """One simulated Telegram user: a chat id, a role, a language; owners have a phone and a home."""

    user_id: int
    role: str                      # "owner", "technician", "staff"
    language: str                  # "zh" or "en"
    phone: str | None = None
    home: Location | None = None
    registered: bool = True        # False: registers by sharing `phone` first


def population(users: int, seed: int = 14) -> list[User]:
    """`users` people: about 88 % owners, 9 % technicians, 3 % staff, including the demo personas."""
    rng = random.Random(seed)
    staff = max(2, round(users * 0.03))
    technicians = max(3, round(users * 0.09))
    owners = max(3, users - staff - technicians)
    people = [User(1001, "owner", "zh"), User(1002, "owner", "en"), User(1003, "owner", "zh")]
    homes = _homes(owners - 3, rng)
    for i, home in enumerate(homes):
        people.append(User(FIRST_OWNER + i, "owner", "en" if i % 4 == 3 else "zh", phone=f"139{i:08d}", home=home,
                           registered=False))
    people += [User(2001 + i, "technician", "zh") for i in range(3)]
    people += [User(FIRST_TECHNICIAN + i, "technician", "zh") for i in range(technicians - 3)]
    people += [User(3001 + i, "staff", "zh") for i in range(2)]
    people += [User(FIRST_STAFF + i, "staff", "zh") for i in range(staff - 2)]
    return people


def _homes(count: int, rng: random.Random) -> list[Location]:
    """Distinct flats across the estate (floor 2-30, flats 01-04), none of them a demo home."""
    taken = {("3", "2", "1801"), ("B", None, "1208"), ("7", "1", "903")}
    homes: list[Location] = []
    while len(homes) < count:
        building, units = rng.choice(BUILDINGS)
        unit = rng.choice(units) if units else None
        room = f"{rng.randint(2, 30)}{rng.randint(1, 4):02d}"
        if (building, unit, room) not in taken:
            taken.add((building, unit, room))
            homes.append(Location(building, unit, room))
    return homes


def seed(database_url: str, people: list[User]) -> None:
    """Migrate the database, seed the demo, then the register entries and the extra technicians and staff."""
    from app.bootstrap import build_core
    from app.config import load_config

    core = build_core(load_config(), database_url)
    try:
        with core.uow() as uow:
            known = {p.chat_id for p in uow.people.find(estate_id=core.estate.id)}
            entries = list(uow.register.all(core.estate.id))
            entries += [RegisterEntry(core.estate.check_home(u.home), f"业主{u.user_id}", u.phone)
                        for u in people if u.role == "owner" and u.phone and u.home]
            uow.register.replace_all(core.estate.id, entries)
            for u in people:
                if u.user_id in known or u.role == "owner":
                    continue
                if u.role == "technician":
                    uow.people.add(Person(f"师傅{u.user_id}", Role.TECHNICIAN, core.estate.id, chat_id=u.user_id,
                                          language=Language(u.language), skills=frozenset(Category),
                                          zones=frozenset({ALL_ZONES})))
                else:
                    uow.people.add(Person(f"客服{u.user_id}", Role.STAFF, core.estate.id, chat_id=u.user_id,
                                          language=Language(u.language), staff_role=StaffRole.DISPATCHER))
            uow.commit()
    finally:
        core.close()
