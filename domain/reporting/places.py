"""Where a problem is: reading a place answer against the owner's homes and the estate, and what is still missing."""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from enum import Enum

from domain.estate import Estate
from domain.values import Location


class Missing(str, Enum):
    NOTHING = "nothing"
    PLACE = "place"                          # nothing says where
    UNKNOWN_BUILDING = "unknown_building"    # a building the estate does not have
    BUILDING = "building"                    # a common area, or a room, without its building
    UNIT = "unit"                            # a building with units, and no unit yet
    ROOM = "room"                            # a building alone: which flat (or the whole building)?


def missing(location: Location, estate: Estate, unsure: frozenset[str] = frozenset()) -> Missing:
    """The first part of the place still to ask for; parts the owner said they do not know are not asked again."""
    loc = location
    if not (loc.building or loc.room or loc.area):
        return Missing.PLACE
    if loc.building and estate.building(loc.building) is None:
        return Missing.UNKNOWN_BUILDING
    if loc.common_area and estate.is_shared_area(loc.area):
        return Missing.NOTHING
    if not loc.building:
        if not loc.common_area and not loc.room:
            return Missing.PLACE  # "the kitchen": whose kitchen is a question of which home
        return Missing.NOTHING if "building" in unsure else Missing.BUILDING
    building = estate.building(loc.building)
    if not (loc.room or loc.common_area) and "room" not in unsure:
        return Missing.ROOM  # "5栋" alone: a flat of it, or the whole building ("整栋楼", "不清楚")
    # A flat or a stairwell is in one unit; a lobby or a rooftop belongs to the building.
    in_a_unit = bool(loc.room) or (loc.common_area and estate.is_unit_area(loc.area))
    if building is not None and building.units and not loc.unit and in_a_unit and "unit" not in unsure:
        return Missing.UNIT
    return Missing.NOTHING


def canonical(location: Location, estate: Estate) -> Location:
    """The estate's own spelling of the building ('b' is 'B'), without a unit the building does not have."""
    building = estate.building(location.building) if location.building else None
    if building is None:
        return location
    unit = location.unit if location.unit in building.units else None
    return replace(location, building=building.id, unit=unit)


def resolve(said: Location, homes: tuple[Location, ...], estate: Estate) -> Location:
    """A place as typed, completed from the owner's homes where it can only mean one of them."""
    said = canonical(said, estate)
    if said.common_area:
        return said
    matching = [h for h in homes if _could_be(said, h)]
    if said.building is None and said.room is None:
        # "the kitchen" or "the balcony": at home, when there is only one home it can be
        return replace(matching[0], area=said.area) if len(homes) == 1 else said
    if len(matching) == 1 and (said.room or said.unit):
        return replace(matching[0], area=said.area)
    return said


def _could_be(said: Location, home: Location) -> bool:
    pairs = ((said.building, home.building), (said.unit, home.unit), (said.room, home.room))
    return all(s is None or (h is not None and s.upper() == h.upper()) for s, h in pairs)


def offers(area_building: str | None, homes: tuple[Location, ...], estate: Estate) -> tuple[Location, ...]:
    """Buildings to offer as buttons: the one named, else the owner's own (with their unit), each once."""
    seen: list[Location] = []
    for home in homes:
        if area_building and home.building != area_building:
            continue
        choice = Location(building=home.building, unit=home.unit)
        if choice not in seen:
            seen.append(choice)
    return tuple(seen)


def unit_answer(text: str, units: tuple[str, ...]) -> str | None:
    """'2', '2单元', 'unit 2', '二单元' as one of the building's units; None when it is none of them."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    for word in ("单元", "号", "unit", "entrance", "第"):
        cleaned = cleaned.replace(word, " ")
    cleaned = cleaned.strip(" .。!！")
    chinese = {"一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6"}
    cleaned = chinese.get(cleaned, cleaned)
    return next((u for u in units if u.lower() == cleaned), None)
