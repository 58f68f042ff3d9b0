"""Registration: single-use expiring invite codes, and the owner register imported from CSV."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.errors import InvalidInput, InviteError
from domain.estate import Estate
from domain.people import Person, Role, StaffRole
from domain.values import Category, Location

# 16 random bytes: 128 bits, far beyond guessing, and inside Telegram's 64-char /start payload.
CODE_BYTES = 16


@dataclass
class Invite:
    code: str
    role: Role
    estate_id: str
    created_by: int | None
    created_at: datetime
    expires_at: datetime
    name: str | None = None
    home: Location | None = None
    skills: frozenset[Category] = frozenset()
    zones: frozenset[str] = frozenset()
    staff_role: StaffRole | None = None
    used_by: int | None = None
    used_at: datetime | None = None
    revoked_at: datetime | None = None  # staff took it back before anyone used it


    def check_redeemable(self, now: datetime) -> None:
        if self.revoked_at is not None:
            raise InviteError("revoked")
        if self.used_at is not None:
            raise InviteError("used")
        if now >= self.expires_at:
            raise InviteError("expired")


def new_invite(role: Role, estate_id: str, created_by: int | None, now: datetime, ttl: timedelta,
               **details: object) -> Invite:
    """A fresh, unguessable, single-use code for `role`, carrying its home or skills."""
    return Invite(code=secrets.token_urlsafe(CODE_BYTES), role=role, estate_id=estate_id,
                  created_by=created_by, created_at=now, expires_at=now + ttl, **details)  # type: ignore[arg-type]


def normalize_phone(raw: str) -> str | None:
    """Digits only, without the +86 country prefix; None when it cannot be a phone number."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if 7 <= len(digits) <= 15 else None


@dataclass(frozen=True)
class RegisterEntry:
    """One line of the owner register: a home and the person who lives there."""

    home: Location
    name: str
    phone: str


# What can be wrong with a register row: a code for adapters to translate, and the English text.
ROW_PROBLEMS = {
    "empty": "no rows to import",
    "missing": "missing {value}",
    "bad_phone": "phone {value!r} is not a phone number",
    "bad_home": "a home needs a building and a room",
    "bad_building": "unknown building {value}",
    "bad_unit": "no unit {value} in that building",
    "duplicate": "duplicate of row {value}",
}


@dataclass(frozen=True)
class RowProblem:
    code: str
    value: object = ""
    text: str = ""  # the domain's own wording, when it says more than the template

    def __str__(self) -> str:
        return self.text or ROW_PROBLEMS[self.code].format(value=self.value)


@dataclass
class ImportReport:
    entries: list[RegisterEntry] = field(default_factory=list)
    problems: list[tuple[int, list[RowProblem]]] = field(default_factory=list)  # (row number, what is wrong)
    # Owners whose homes the new register no longer lists: (person, the homes they lost).
    removed: list[tuple[Person, list[Location]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[tuple[int, str]]:
        """The problems as English text, one line per row."""
        return [(number, "; ".join(str(p) for p in found)) for number, found in self.problems]


REGISTER_COLUMNS = ("building", "unit", "room", "name", "phone")


def validate_register(rows: list[dict[str, str]], estate: Estate, first_row: int = 2) -> ImportReport:
    """Check every row; the caller imports only when the report has no problems (all or nothing)."""
    report = ImportReport()
    if not rows:  # an empty or header-only file must not silently wipe the register
        report.problems.append((first_row - 1, [RowProblem("empty")]))
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, start=first_row):
        problems = _row_problems(row, estate)
        if problems:
            report.problems.append((number, problems))
            continue
        home = estate.check_home(Location(building=row["building"].strip(), unit=(row.get("unit") or "").strip() or None,
                                          room=row["room"].strip()))
        phone = normalize_phone(row["phone"]) or ""
        key = (home.short(), phone)
        if key in seen:
            report.problems.append((number, [RowProblem("duplicate", seen[key])]))
            continue
        seen[key] = number
        report.entries.append(RegisterEntry(home=home, name=row["name"].strip(), phone=phone))
    return report


def _row_problems(row: dict[str, str], estate: Estate) -> list[RowProblem]:
    missing = [c for c in REGISTER_COLUMNS if c != "unit" and not (row.get(c) or "").strip()]
    problems = [RowProblem("missing", c) for c in missing]
    if row.get("phone") and normalize_phone(row["phone"]) is None:
        problems.append(RowProblem("bad_phone", row["phone"]))
    if not missing:
        try:
            estate.check_home(Location(building=row["building"].strip(),
                                       unit=(row.get("unit") or "").strip() or None, room=row["room"].strip()))
        except InvalidInput as exc:  # reported per row, not raised
            field_name = str(exc.facts.get("field", "home"))
            problems.append(RowProblem(f"bad_{field_name}", exc.facts.get("value") or "", str(exc)))
    return problems


@dataclass(frozen=True)
class Attempts:
    """Failed phone registrations of one user: enough of them and the register stops answering for a while,
    so nobody can try the phone book against it."""

    times: tuple[datetime, ...] = ()

    def recent(self, now: datetime, window: timedelta) -> "Attempts":
        return Attempts(tuple(t for t in self.times if now - t < window))

    def allowed(self, now: datetime, window: timedelta, limit: int) -> bool:
        return len(self.recent(now, window).times) < limit

    def failed(self, now: datetime, window: timedelta) -> "Attempts":
        return Attempts((*self.recent(now, window).times, now))
