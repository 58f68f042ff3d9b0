"""People the service knows: owners with homes, technicians with skills and zones, staff, admins."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from domain.values import Category, Language, Location

ALL_ZONES = "*"  # a technician who covers every building


class Role(str, Enum):
    OWNER = "owner"
    TECHNICIAN = "technician"
    STAFF = "staff"
    ADMIN = "admin"


class StaffRole(str, Enum):
    DISPATCHER = "dispatcher"
    MANAGER = "manager"


@dataclass
class Person:
    name: str
    role: Role
    estate_id: str
    id: int | None = None
    phone: str | None = None
    chat_id: int | None = None
    language: Language = Language.ZH
    homes: list[Location] = field(default_factory=list)
    skills: frozenset[Category] = frozenset()
    zones: frozenset[str] = frozenset()
    on_duty: bool = True
    staff_role: StaffRole | None = None
    active: bool = True

    @property
    def is_staff(self) -> bool:
        """Staff and admins act on every ticket of their estate."""
        return self.role in (Role.STAFF, Role.ADMIN)

    def covers(self, category: Category, building: str | None) -> bool:
        """A technician who has the skill and works in the building's zone."""
        if self.role is not Role.TECHNICIAN or category not in self.skills:
            return False
        return ALL_ZONES in self.zones or building is None or building in self.zones

    def has_skill(self, category: Category) -> bool:
        return self.role is Role.TECHNICIAN and category in self.skills
