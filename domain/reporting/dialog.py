"""The report dialog as pure functions: apply an answer to the draft, then decide what to ask or do next.

Like PTB's conversationbot.py, the states are named (`Step`); unlike it, nothing here touches Telegram,
so the whole dialog is unit-tested as tables of messages and answers.
"""
from __future__ import annotations

from dataclasses import dataclass

from domain.estate import Estate
from domain.reporting import answers as a
from domain.reporting import outcomes as o
from domain.reporting import places
from domain.reporting.answers import Cue, Reading
from domain.reporting.corrections import corrected_place, is_new_detail
from domain.reporting.draft import Draft, Photo, Step, Suggestion
from domain.values import Category, Location, Priority

Ended = o.Cancelled | o.Deflected


@dataclass(frozen=True)
class Context:
    """What the dialog knows besides the draft: the estate and the owner's homes."""

    estate: Estate
    homes: tuple[Location, ...] = ()


def start(reading: Reading | None, ctx: Context, photos: tuple[Photo, ...] = ()) -> Draft:
    """A new draft from the first message; /report alone (or a photo alone) starts one waiting for words."""
    draft = Draft(photos=photos)
    if reading is None or not reading.text.strip():
        return draft
    return _take_fields(draft.but(text=reading.text.strip()), reading, ctx)


def wants_suggestion(draft: Draft) -> bool:
    """Ask the knowledge base once the problem is known (before the place, so safety steps come first)."""
    return draft.category is not None and bool(draft.text) and not draft.looked_up


def with_suggestion(draft: Draft, suggestion: Suggestion | None) -> Draft:
    return draft.but(looked_up=True, suggestion=suggestion)


def apply(draft: Draft, answer: a.Answer, ctx: Context) -> Draft | Ended:
    """The draft after one answer, or how the report ended (cancelled, or solved by self-help)."""
    match answer:
        case a.Said(reading):
            return _said(draft, reading, ctx)
        case a.Cancel():
            return o.Cancelled(text=draft.text)
        case a.Solved() if draft.suggestion and draft.step is Step.CONFIRM:
            return o.Deflected(article_id=draft.suggestion.article_id)
        case a.Submit() if draft.step in (Step.CONFIRM, Step.EDIT):
            return draft.but(step=Step.SUBMIT)
        case a.ChoseHome(index) if 0 <= index < len(ctx.homes):
            return _at_home(draft, ctx.homes[index])
        case a.ChoseBuilding(building, unit) if ctx.estate.building(building) is not None:
            place = Location(building, unit, draft.location.room, draft.location.area, draft.location.common_area)
            return draft.but(location=places.canonical(place, ctx.estate), misses=0)
        case a.ChoseUnit(unit) if unit in _units(draft, ctx):
            return _with_unit(draft, unit)
        case a.NotSure() if draft.step in _PLACE_PARTS:
            return draft.but(unsure=draft.unsure | {_PLACE_PARTS[draft.step]}, misses=0)
        case a.ChoseOther():
            return draft.but(step=Step.PLACE, home_declined=True, misses=0)
        case a.ChoseCategory(category):
            return _with_category(draft, category).but(misses=0)
        case a.ChosePriority(priority):
            return draft.but(priority=priority, step=Step.CONFIRM)
        case a.Edit(field):
            return _edit(draft, field)
        case a.AddPhoto(photo, caption):
            draft = draft.but(photos=(*draft.photos, photo))
            return draft.with_detail(caption.text) if caption else draft
    return draft  # a stale or out-of-place button changes nothing; the current question is asked again


def next_step(draft: Draft, ctx: Context) -> tuple[Draft, o.Outcome]:
    """What to ask for next, in order: words, place, building, unit, category; then file or show the card."""
    safety = None
    if draft.priority is Priority.URGENT and draft.suggestion and draft.suggestion.danger and not draft.shown:
        safety, draft = draft.suggestion, draft.but(shown=True)
    if draft.text and draft.step in _CHOSEN_STEPS:
        return draft, _CHOSEN_STEPS[draft.step](safety=safety)
    if not draft.text:
        return _asking(draft, Step.DESCRIBE), o.AskDescription(safety=safety)
    gap = places.missing(draft.location, ctx.estate, draft.unsure)
    if gap is places.Missing.UNKNOWN_BUILDING:
        unknown = draft.location.building
        draft = _asking(draft.but(location=Location(area=_private_area(draft.location))), Step.PLACE)
        return draft, o.AskPlace(safety=safety, homes=ctx.homes, unknown_building=unknown)
    if gap is places.Missing.PLACE:
        again = _again(draft, Step.PLACE)
        return _asking(draft, Step.PLACE), o.AskPlace(safety=safety, homes=ctx.homes, again=again,
                                                      typed_only=draft.home_declined or not ctx.homes)
    if gap is places.Missing.BUILDING:
        offers = places.offers(None, ctx.homes, ctx.estate)
        area = draft.location.area or draft.location.room or ""
        again = _again(draft, Step.BUILDING)
        return _asking(draft, Step.BUILDING), o.AskBuilding(safety=safety, area=area, offers=offers, again=again)
    if gap is places.Missing.ROOM:
        again = _again(draft, Step.ROOM)
        return _asking(draft, Step.ROOM), o.AskRoom(safety=safety, building=draft.location.building or "", again=again)
    if gap is places.Missing.UNIT:
        building = ctx.estate.building(draft.location.building or "")
        units = building.units if building else ()
        again = _again(draft, Step.UNIT)
        return _asking(draft, Step.UNIT), o.AskUnit(safety=safety, building=draft.location.building or "",
                                                    units=units, again=again)
    if draft.category is None:
        again = _again(draft, Step.CATEGORY)
        return _asking(draft, Step.CATEGORY), o.AskCategory(safety=safety, again=again)
    if draft.priority is Priority.URGENT:
        return draft.but(step=Step.SUBMIT), o.SubmitNow(safety=safety)  # nobody waits on a card in an emergency
    offer = draft.suggestion if draft.suggestion and not draft.suggestion.danger else None
    seen = bool(offer) and draft.shown
    draft = _asking(draft, Step.CONFIRM)
    return (draft.but(shown=True) if offer else draft), o.Confirm(safety=safety, suggestion=offer, seen=seen)


_PLACE_PARTS = {Step.BUILDING: "building", Step.UNIT: "unit", Step.ROOM: "room"}
_CHOSEN_STEPS = {Step.SUBMIT: o.SubmitNow, Step.EDIT: o.ShowEdit, Step.PRIORITY: o.AskPriority,
                 Step.REWORD: o.AskNewText}


def _asking(draft: Draft, step: Step) -> Draft:
    """Move to `step`; the count of answers that missed restarts with each new question."""
    return draft if draft.step is step else draft.but(step=step, misses=0)


def _again(draft: Draft, step: Step) -> bool:
    return draft.step is step and draft.misses > 0


def _missed(draft: Draft) -> Draft:
    return draft.but(misses=draft.misses + 1)


def _units(draft: Draft, ctx: Context) -> tuple[str, ...]:
    building = ctx.estate.building(draft.location.building or "")
    return building.units if building else ()


def _private_area(location: Location) -> str | None:
    return location.area if location.area and not location.common_area else None


# --- free-text answers, by the question they answer -------------------------------------------------------

def _said(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    if Cue.CANCEL in reading.cues and draft.step is not Step.DESCRIBE:
        return o.Cancelled(text=draft.text)
    return _BY_STEP.get(draft.step, _at_summary)(draft, reading, ctx)


def _described(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    return _take_fields(draft.but(text=reading.text.strip()), reading, ctx)


def _where(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    """An answer to "where is it?": a place, yes (the home offered), no (type it), or more detail."""
    if reading.names_place:
        draft = draft.but(location=places.resolve(reading.location, ctx.homes, ctx.estate), unsure=frozenset())
        return draft.with_detail(reading.text) if is_new_detail(reading) else draft
    if (reading.is_yes or Cue.HOME in reading.cues) and len(ctx.homes) == 1 and not draft.home_declined:
        return _at_home(draft, ctx.homes[0])
    if reading.is_no:
        return draft.but(home_declined=True, misses=0)
    if reading.about_the_problem:
        return draft.with_detail(reading.text)  # more about the problem: kept; the question stands
    return _missed(draft)  # words that are not a place are never stored as one


def _which_building(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    said, offers = reading.location, places.offers(None, ctx.homes, ctx.estate)
    if said.building:
        unit = said.unit or draft.location.unit
        return draft.but(location=places.canonical(Location(said.building, unit, draft.location.room,
                                                            draft.location.area, draft.location.common_area),
                                                   ctx.estate), misses=0)
    if (reading.is_yes or Cue.HOME in reading.cues) and len(offers) == 1:
        return apply(draft, a.ChoseBuilding(offers[0].building or "", offers[0].unit), ctx)
    if Cue.UNSURE in reading.cues:
        return draft.but(unsure=draft.unsure | {"building"})
    return _missed(draft)


def _which_unit(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    unit = places.unit_answer(reading.text, _units(draft, ctx)) or reading.location.unit
    if unit:
        return _with_unit(draft, unit)
    own = [h.unit for h in ctx.homes if h.building == draft.location.building and h.unit]
    if (reading.is_yes or Cue.HOME in reading.cues) and len(set(own)) == 1:
        return _with_unit(draft, own[0])
    if Cue.UNSURE in reading.cues or reading.is_no:
        return _with_unit(draft, None)
    return _missed(draft)


def _which_room(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    """"302", "1单元302", "2-302": a flat of the building already named; or the whole building / not known."""
    said = reading.location
    if said.room or said.common_area or (said.building and said.building != draft.location.building):
        place = corrected_place(draft.location, said)
        return draft.but(location=places.resolve(place, ctx.homes, ctx.estate), misses=0)
    if Cue.UNSURE in reading.cues or reading.is_no:
        return draft.but(unsure=draft.unsure | {"room"}, misses=0)
    return _missed(draft)


def _which_category(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    if reading.category is not None:
        return _with_category(draft, reading.category)
    return _missed(draft)


def _how_urgent(draft: Draft, reading: Reading, ctx: Context) -> Draft | Ended:
    if reading.states_priority:
        return draft.but(priority=reading.priority, step=Step.CONFIRM)
    return _missed(draft)


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
        draft = _take_fields(draft, reading, ctx, correcting=True)
    if is_new_detail(reading):
        draft = draft.with_detail(reading.text)
    return draft.but(step=Step.CONFIRM)


_BY_STEP = {Step.DESCRIBE: _described, Step.PLACE: _where, Step.BUILDING: _which_building,
            Step.UNIT: _which_unit, Step.ROOM: _which_room, Step.CATEGORY: _which_category, Step.PRIORITY: _how_urgent,
            Step.REWORD: _reworded}


# --- changing fields ---------------------------------------------------------------------------------------

def _take_fields(draft: Draft, reading: Reading, ctx: Context, correcting: bool = False) -> Draft:
    """Every field the words state; a correction changes only the parts of the place it names."""
    if reading.names_place:
        place = corrected_place(draft.location, reading.location) if correcting else reading.location
        draft = draft.but(location=places.resolve(place, ctx.homes, ctx.estate), unsure=frozenset())
    if reading.category is not None and (reading.category_sure or correcting):
        draft = _with_category(draft, reading.category)
    if reading.states_priority:
        draft = draft.but(priority=reading.priority)
    return draft


def _with_category(draft: Draft, category: Category) -> Draft:
    if category == draft.category:
        return draft
    return draft.but(category=category, looked_up=False, suggestion=None, shown=False)


def _with_unit(draft: Draft, unit: str | None) -> Draft:
    loc = draft.location
    if unit is None:
        return draft.but(unsure=draft.unsure | {"unit"}, misses=0)
    return draft.but(location=Location(loc.building, unit, loc.room, loc.area, loc.common_area), misses=0)


def _at_home(draft: Draft, home: Location) -> Draft:
    """The owner's home, keeping the room of it they named ("the kitchen")."""
    area = _private_area(draft.location)
    return draft.but(location=Location(home.building, home.unit, home.room, area), misses=0,
                     unsure=frozenset())


def _edit(draft: Draft, field: a.Field | None) -> Draft:
    if field is a.Field.PLACE:
        return draft.but(location=Location(), unsure=frozenset(), home_declined=False, step=Step.PLACE, misses=0)
    if field is a.Field.CATEGORY:
        return draft.but(category=None, looked_up=False, suggestion=None, shown=False, step=Step.CATEGORY, misses=0)
    if field is a.Field.PRIORITY:
        return draft.but(step=Step.PRIORITY, misses=0)
    if field is a.Field.TEXT:
        return draft.but(step=Step.REWORD, misses=0)
    return draft.but(step=Step.EDIT)
