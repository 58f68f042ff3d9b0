"""Free-text answers, by the question they answer: read as meant, never stored where they do not belong."""
from __future__ import annotations

from domain.reporting import outcomes as o
from domain.reporting import places
from domain.reporting.answers import Cue, Reading
from domain.reporting.context import Context
from domain.reporting.corrections import corrected_place, is_new_detail
from domain.reporting.draft import Draft, Step
from domain.reporting.fields import at_home, missed, take_fields, units_of, with_category, with_unit
from domain.values import Location

Ended = o.Cancelled | o.Deflected


def said(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    if Cue.CANCEL in reading.cues and draft.step is not Step.DESCRIBE:
        return o.Cancelled(text=draft.text)
    return _BY_STEP.get(draft.step, _at_summary)(draft, reading, ctx)


def _described(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    return take_fields(draft.but(text=reading.text.strip()), reading, ctx)


def _where(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    """An answer to "where is it?": a place, yes (the home offered), no (type it), or more detail."""
    if reading.names_place:
        draft = draft.but(location=places.resolve(reading.location, ctx.homes, ctx.estate), unsure=frozenset())
        return draft.with_detail(reading.text) if is_new_detail(reading) else draft
    if (reading.is_yes or Cue.HOME in reading.cues) and len(ctx.homes) == 1 and not draft.home_declined:
        return at_home(draft, ctx.homes[0])
    if reading.is_no:
        return draft.but(home_declined=True, misses=0)
    if reading.about_the_problem:
        return draft.with_detail(reading.text)  # more about the problem: kept; the question stands
    return missed(draft)  # words that are not a place are never stored as one


def _which_building(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    said, offers = reading.location, places.offers(None, ctx.homes, ctx.estate)
    if said.building:
        unit = said.unit or draft.location.unit
        return draft.but(location=places.canonical(Location(said.building, unit, draft.location.room,
                                                            draft.location.area, draft.location.common_area),
                                                   ctx.estate), misses=0)
    if (reading.is_yes or Cue.HOME in reading.cues) and len(offers) == 1:
        offer = offers[0]
        place = Location(offer.building, offer.unit, draft.location.room, draft.location.area, draft.location.common_area)
        return draft.but(location=places.canonical(place, ctx.estate), misses=0)
    if Cue.UNSURE in reading.cues:
        return draft.but(unsure=draft.unsure | {"building"})
    return missed(draft)


def _which_unit(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    unit = places.unit_answer(reading.text, units_of(draft, ctx)) or reading.location.unit
    if unit:
        return with_unit(draft, unit)
    own = [h.unit for h in ctx.homes if h.building == draft.location.building and h.unit]
    if (reading.is_yes or Cue.HOME in reading.cues) and len(set(own)) == 1:
        return with_unit(draft, own[0])
    if Cue.UNSURE in reading.cues or reading.is_no:
        return with_unit(draft, None)
    return missed(draft)


def _which_room(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    """"302", "1单元302", "2-302": a flat of the building already named; or the whole building / not known."""
    said = reading.location
    if said.room or said.common_area or (said.building and said.building != draft.location.building):
        place = corrected_place(draft.location, said)
        return draft.but(location=places.resolve(place, ctx.homes, ctx.estate), misses=0)
    if Cue.UNSURE in reading.cues or reading.is_no:
        return draft.but(unsure=draft.unsure | {"room"}, misses=0)
    return missed(draft)


def _which_category(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    if reading.category is not None:
        return with_category(draft, reading.category)
    return missed(draft)


def _how_urgent(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    if reading.states_priority:
        return draft.but(priority=reading.priority, step=Step.CONFIRM)
    return missed(draft)


def _reworded(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    return draft.but(text=reading.text.strip() or draft.text, step=Step.CONFIRM)


def _at_summary(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    """At the card: file it, self-help worked, a one-message correction, or new detail (and only that is kept)."""
    if Cue.SOLVED in reading.cues and draft.suggestion and not draft.suggestion.danger:
        return o.Deflected(article_id=draft.suggestion.article_id)
    if Cue.SUBMIT in reading.cues or (reading.is_yes and not reading.carries_a_field):
        return draft.but(step=Step.SUBMIT)
    if reading.is_no and not reading.carries_a_field:
        return draft.but(step=Step.EDIT)
    if reading.carries_a_field:
        draft = take_fields(draft, reading, ctx, correcting=True)
    if is_new_detail(reading):
        draft = draft.with_detail(reading.text)
    return draft.but(step=Step.CONFIRM)


_BY_STEP = {Step.DESCRIBE: _described, Step.PLACE: _where, Step.BUILDING: _which_building,
            Step.UNIT: _which_unit, Step.ROOM: _which_room, Step.CATEGORY: _which_category, Step.PRIORITY: _how_urgent,
            Step.REWORD: _reworded}
