"""The estate a deployment serves. One per config today; ids keep several estates apart later."""
from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidInput
from domain.values import Location


@dataclass(frozen=True)
class Building:
    id: str
    name: str
    units: tuple[str, ...] = ()
    coordinates: tuple[float, float] | None = None


@dataclass(frozen=True)
class Estate:
    id: str
    name: str
    buildings: tuple[Building, ...]
    # Common areas of the whole estate (the main gate, the car park): no building to ask for.
    # Any other common area (a stairwell, a lobby) belongs to a building, and its unit where there are units.
    shared_areas: frozenset[str] = frozenset()
    # Common areas each unit has its own of (its stairwell, its lift): for these the unit is asked too.
    unit_areas: frozenset[str] = frozenset()

    def is_shared_area(self, area: str | None) -> bool:
        return bool(area) and area.strip().lower() in self.shared_areas

    def is_unit_area(self, area: str | None) -> bool:
        return bool(area) and area.strip().lower() in self.unit_areas

    def building(self, building_id: str) -> Building | None:
        wanted = building_id.strip().upper()
        return next((b for b in self.buildings if b.id.upper() == wanted), None)

    def check_home(self, home: Location) -> Location:
        """A home names a known building, a unit of that building if it has units, and a room."""
        if not home.building or not home.room:
            raise InvalidInput("a home needs a building and a room", field="home")
        building = self.building(home.building)
        if building is None:
            raise InvalidInput(f"unknown building {home.building}", field="building", value=home.building)
        if building.units and home.unit not in building.units:
            raise InvalidInput(f"building {building.id} has no unit {home.unit}", field="unit", value=home.unit)
        if not building.units and home.unit:
            raise InvalidInput(f"building {building.id} has no units", field="unit", value=home.unit)
        return Location(building=building.id, unit=home.unit or None, room=home.room.strip().upper())
