"""Who is told what about an incident (one fault, many reporters): part of the one notifier, bot/notify.py.

A linked report's owner hears each move of the parent once, in their own words; the parent's work done asks them
to confirm their own ticket; staff hear of reports grouped at filing and of the ones an owner says are different.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from bot import keyboards, render
from bot.services import BotServices
from domain.lifecycle import Action, Status
from domain.people import Person
from domain.ports import UnitOfWork
from domain.usecases.common import TicketChange
from domain.usecases.incidents import AUTO, ENDED, children, parent_id_of

if TYPE_CHECKING:
    from bot.notify import _Out

# The parent's moves its reports' owners hear of. Work done, cancelled or turned away reaches them as moves of
# their own tickets (FOLLOW, UNLINK), made in the same transaction by domain.usecases.incidents.follow_parent.
FAN_OUT = frozenset({Action.TRIAGE, Action.ASSIGN, Action.CLAIM, Action.START, Action.HOLD, Action.RESUME,
                     Action.REJECT_COMPLETION})
OWN = frozenset({Action.LINK, Action.UNLINK, Action.FOLLOW})
_FOLLOWING = frozenset({Status.SUBMITTED, Status.AWAITING_DISPATCH})


def handles(change: TicketChange) -> bool:
    """Changes this module tells of instead of the notifier's usual rows."""
    return change.event.action in OWN or (change.event.action is Action.OPEN and change.ticket.parent_id is not None)


def news(svc: BotServices, uow: UnitOfWork, change: TicketChange, out: "_Out") -> None:
    ticket, event = change.ticket, change.event
    owner = uow.people.get(ticket.owner_id) if ticket.owner_id else None
    parent = parent_id_of(event.note) if event.action is not Action.OPEN else ticket.parent_id
    values = dict(id=ticket.id, parent=parent)
    lang = svc.default_language
    if event.action is Action.OPEN:  # grouped at filing: the owner was answered in their chat already
        out.to_staff("staff.new_grouped", dict(values, line=render.list_line(svc, lang, ticket)))
    elif event.action is Action.LINK and not event.note.endswith(AUTO) and owner:
        out.to(owner, "push.linked", values, owner_news=True)
    elif event.action is Action.UNLINK and event.note.endswith(ENDED) and owner:
        out.to(owner, "push.unlinked_ended", values, owner_news=True)
    elif event.action is Action.UNLINK and owner and event.actor_id == owner.id:
        out.to_staff("staff.unlinked_by_owner", dict(values, line=render.list_line(svc, lang, ticket)),
                     keyboards.assign(svc, lang, ticket.id) if svc.dispatch is None else None)
    elif event.action is Action.UNLINK and owner:
        out.to(owner, "push.unlinked", values, owner_news=True)
    elif event.action is Action.FOLLOW and owner:
        notes = escape(ticket.completion.notes) if ticket.completion else "—"
        out.to(owner, "push.incident_done", dict(values, notes=notes),
               keyboards.confirm_reject(svc, owner.language, ticket.id), owner_news=True)


def fan_out(svc: BotServices, uow: UnitOfWork, change: TicketChange, key: str | None, values: dict[str, Any],
            out: "_Out") -> None:
    """The parent moved: every linked report's owner hears it once, as their parent's news (`key`, `values`)."""
    ticket, event = change.ticket, change.event
    if key is None or event.action not in FAN_OUT or ticket.id is None or ticket.parent_id is not None:
        return
    told = {ticket.owner_id, event.actor_id}  # the parent's owner has the parent's own message
    for child in children(uow, ticket.id):
        if child.status not in _FOLLOWING or child.owner_id in told:
            continue
        told.add(child.owner_id)
        person: Person | None = uow.people.get(child.owner_id)
        if person is None:
            continue
        line = svc.t(person.language, key, **values)
        out.to(person, "push.incident", dict(id=child.id, parent=ticket.id, news=line), owner_news=True)
