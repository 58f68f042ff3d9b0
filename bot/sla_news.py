"""Who hears of the scheduler's SLA events: reminders, both levels of escalation, auto-confirmation, poor ratings."""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from bot import keyboards, render
from bot.services import BotServices
from domain.lifecycle import Action
from domain.people import Person, Role, StaffRole
from domain.ports import UnitOfWork
from domain.sla import Deadline, due_at
from domain.sla_alerts import MANAGER, Alert
from domain.usecases.common import TicketChange
from domain.usecases.sla import AUTO

if TYPE_CHECKING:
    from bot.notify import _Out

DEADLINES = frozenset(d.value for d in Deadline)


def is_sla_news(change: TicketChange) -> bool:
    """The events this module speaks for (dispatch escalates too, with notes of its own)."""
    action, note = change.event.action, change.event.note
    return action in (Action.REMIND, Action.FOLLOW_UP) or (action is Action.CONFIRM and note == AUTO) \
        or (action is Action.ESCALATE and note.split(":")[0] in DEADLINES)


def sla_news(svc: BotServices, uow: UnitOfWork, change: TicketChange, out: "_Out") -> None:
    ticket, event = change.ticket, change.event
    tech = uow.people.get(ticket.technician_id) if ticket.technician_id else None
    owner = uow.people.get(ticket.owner_id)
    if event.action is Action.REMIND and tech is not None:
        due = render.when(svc, due_at(ticket, Deadline(event.note)))
        out.to(tech, f"push.tech_remind_{event.note}", dict(id=ticket.id, due=due))
    elif event.action is Action.CONFIRM and owner is not None:
        out.to(owner, "push.auto_confirmed", dict(id=ticket.id, hours=_hours(svc)), keyboards.stars(ticket.id),
               owner_news=True)
        if tech is not None:
            out.to(tech, "push.tech_confirmed", dict(id=ticket.id))
    elif event.action is Action.FOLLOW_UP:
        comment = escape(ticket.rating_comment or "") or "—"
        values = dict(id=ticket.id, stars="★" * (ticket.rating or 0), comment=comment, tech=render.person_name(tech))
        _to_staff(svc, uow, ticket.estate_id, out, "staff.low_rating", values, StaffRole.MANAGER)
    elif Alert(event.action, event.note).level == 2:
        kind = event.note.split(":")[0]
        for manager in _staff(uow, ticket.estate_id, StaffRole.MANAGER):
            out.to(manager, f"staff.escalated_{MANAGER}_{kind}",
                   dict(line=render.list_line(svc, manager.language, ticket)))
        lang = svc.default_language
        out.to_staff(f"staff.escalated_{MANAGER}_{kind}", dict(line=render.list_line(svc, lang, ticket)))
    else:
        lang = svc.default_language
        markup = keyboards.assign(svc, lang, ticket.id) if ticket.technician_id is None else None
        _to_staff(svc, uow, ticket.estate_id, out, f"staff.escalated_{event.note}",
                  dict(line=render.list_line(svc, lang, ticket)), StaffRole.DISPATCHER, markup)
        if tech is not None:
            out.to(tech, "push.tech_escalated", dict(id=ticket.id))


def _to_staff(svc: BotServices, uow: UnitOfWork, estate_id: str, out: "_Out", key: str, values: dict[str, object],
              fallback: StaffRole, markup: object = None) -> None:
    """The staff chat; without one, each active staff member of `fallback`'s role, privately."""
    if svc.staff_chat_id is not None:
        out.to_staff(key, values, markup)  # type: ignore[arg-type]
        return
    for person in _staff(uow, estate_id, fallback):
        out.to(person, key, values)


def _staff(uow: UnitOfWork, estate_id: str, role: StaffRole) -> list[Person]:
    return [p for p in uow.people.find(role=Role.STAFF, estate_id=estate_id) if p.active and p.staff_role is role]


def _hours(svc: BotServices) -> int:
    return int(svc.policies.alerts.auto_confirm_after.total_seconds() // 3600)
