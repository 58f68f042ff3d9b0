"""The report dialog as pure functions: apply an answer to the draft, then decide what to ask or do next.

Like PTB's conversationbot.py, the states are named (`Step`); unlike it, nothing here touches Telegram,
so the whole dialog is unit-tested as tables of messages and answers.
"""
from __future__ import annotations

from domain.reporting import answers as a
from domain.reporting import outcomes as o
from domain.reporting import places
from domain.reporting.answers import Reading
from domain.reporting.context import Context
from domain.reporting.draft import Draft, Photo, Step, Suggestion
from domain.reporting.fields import at_home, private_area, take_fields, units_of, with_category, with_unit
from domain.reporting.replies import Ended, said
from domain.values import Location, Priority


def start(reading: Reading | None, ctx: Context, photos: tuple[Photo, ...] = ()) -> Draft:
    """A new draft from the first message; /report alone (or a photo alone) starts one waiting for words."""
    draft = Draft(photos=photos)
    if reading is None or not reading.text.strip():
        return draft
    return take_fields(draft.but(text=reading.text.strip()), reading, ctx)


def wants_suggestion(draft: Draft) -> bool:
    """Ask the knowledge base once the problem is known (before the place, so safety steps come first)."""
    return draft.category is not None and bool(draft.text) and not draft.looked_up


def with_suggestion(draft: Draft, suggestion: Suggestion | None) -> Draft:
    return draft.but(looked_up=True, suggestion=suggestion)


def apply(draft: Draft, answer: a.Answer, ctx: Context) -> Draft | Ended:
    """The draft after one answer, or how the report ended (cancelled, or solved by self-help)."""
    match answer:
        case a.Said(reading):
            return said(draft, reading, ctx)
        case a.Cancel():
            return o.Cancelled(text=draft.text)
        case a.Solved() if draft.suggestion and draft.step is Step.CONFIRM:
            return o.Deflected(article_id=draft.suggestion.article_id)
        case a.Submit() if draft.step in (Step.CONFIRM, Step.EDIT):
            return draft.but(step=Step.SUBMIT)
        case a.ChoseHome(index) if 0 <= index < len(ctx.homes):
            return at_home(draft, ctx.homes[index])
        case a.ChoseBuilding(building, unit) if ctx.estate.building(building) is not None:
            place = Location(building, unit, draft.location.room, draft.location.area, draft.location.common_area)
            return draft.but(location=places.canonical(place, ctx.estate), misses=0)
        case a.ChoseUnit(unit) if unit in units_of(draft, ctx):
            return with_unit(draft, unit)
        case a.NotSure() if draft.step in _PLACE_PARTS:
            return draft.but(unsure=draft.unsure | {_PLACE_PARTS[draft.step]}, misses=0)
        case a.ChoseOther():
            return draft.but(step=Step.PLACE, home_declined=True, misses=0)
        case a.ChoseCategory(category):
            return with_category(draft, category).but(misses=0)
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
    # An urgent report is filed without a card, so the article that matched is said here or not at all: a danger
    # article's safety steps, or any other's first steps ("turn off the water, move things away") while we come.
    if draft.priority is Priority.URGENT and draft.suggestion and not draft.shown:
        safety, draft = draft.suggestion, draft.but(shown=True)
    if draft.text and draft.step in _CHOSEN_STEPS:
        return draft, _CHOSEN_STEPS[draft.step](safety=safety)
    if not draft.text:
        return _asking(draft, Step.DESCRIBE), o.AskDescription(safety=safety)
    gap = places.missing(draft.location, ctx.estate, draft.unsure)
    if gap is places.Missing.UNKNOWN_BUILDING:
        unknown = draft.location.building
        draft = _asking(draft.but(location=Location(area=private_area(draft.location))), Step.PLACE)
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
    offer = _tip(draft)
    draft = _asking(draft, Step.CONFIRM)
    return (draft.but(shown=True) if offer else draft), o.Confirm(safety=safety, suggestion=offer,
                                                                  seen=bool(offer) and draft.shown)


def card(draft: Draft) -> o.Confirm:
    """The card of a draft waiting at it, as next_step showed it (asked again after a tap on an older card)."""
    offer = _tip(draft)
    return o.Confirm(suggestion=offer, seen=bool(offer) and draft.shown)


def _tip(draft: Draft) -> Suggestion | None:
    """The article to try first, folded into the card; a danger article is safety steps, never a fix to try."""
    return draft.suggestion if draft.suggestion and not draft.suggestion.danger else None


_PLACE_PARTS = {Step.BUILDING: "building", Step.UNIT: "unit", Step.ROOM: "room"}
_CHOSEN_STEPS = {Step.SUBMIT: o.SubmitNow, Step.EDIT: o.ShowEdit, Step.PRIORITY: o.AskPriority,
                 Step.REWORD: o.AskNewText}


def _asking(draft: Draft, step: Step) -> Draft:
    """Move to `step`; the count of answers that missed restarts with each new question."""
    return draft if draft.step is step else draft.but(step=step, misses=0)


def _again(draft: Draft, step: Step) -> bool:
    return draft.step is step and draft.misses > 0


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
