"""Changing a draft's fields: what the words state, a category, a unit, the owner's home."""
from __future__ import annotations

from domain.reporting import places
from domain.reporting.answers import Reading
from domain.reporting.context import Context
from domain.reporting.corrections import corrected_place
from domain.reporting.draft import Draft
from domain.values import Category, Location


def missed(draft: Draft) -> Draft:
    return draft.but(misses=draft.misses + 1)


def units_of(draft: Draft, ctx: Context) -> tuple[str, ...]:
    building = ctx.estate.building(draft.location.building or "")
    return building.units if building else ()


def private_area(location: Location) -> str | None:
    return location.area if location.area and not location.common_area else None


def take_fields(draft: Draft, reading: Reading, ctx: Context, correcting: bool = False) -> Draft:
    """Every field the words state; a correction changes only the parts of the place it names."""
    if reading.names_place:
        place = corrected_place(draft.location, reading.location) if correcting else reading.location
        draft = draft.but(location=places.resolve(place, ctx.homes, ctx.estate), unsure=frozenset())
    if reading.category is not None and (reading.category_sure or correcting):
        draft = with_category(draft, reading.category)
    if reading.states_priority:
        draft = draft.but(priority=reading.priority)
    return draft


def with_category(draft: Draft, category: Category) -> Draft:
    if category == draft.category:
        return draft
    return draft.but(category=category, looked_up=False, suggestion=None, shown=False)


def with_unit(draft: Draft, unit: str | None) -> Draft:
    loc = draft.location
    if unit is None:
        return draft.but(unsure=draft.unsure | {"unit"}, misses=0)
    return draft.but(location=Location(loc.building, unit, loc.room, loc.area, loc.common_area), misses=0)


def at_home(draft: Draft, home: Location) -> Draft:
    """The owner's home, keeping the room of it they named ("the kitchen")."""
    area = private_area(draft.location)
    return draft.but(location=Location(home.building, home.unit, home.room, area), misses=0,
                     unsure=frozenset())
