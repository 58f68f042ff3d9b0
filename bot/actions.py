"""Ticket actions shared by commands and buttons: run the use case, answer, then push the news."""
from __future__ import annotations

from typing import Any, Callable

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards, render
from bot.common import Who, explain, reply
from bot.services import BotServices, services
from domain.errors import DomainError
from domain.lifecycle import Action
from domain.usecases import billing, parts, tickets as uc
from domain.usecases.common import TicketChange

# name -> (use case, needs policies). Names are the commands people type.
ACTIONS: dict[str, tuple[Callable[..., TicketChange], bool]] = {
    "claim": (uc.claim, False), "accept": (uc.accept, False), "decline": (uc.decline, False),
    "begin": (uc.start, False), "hold": (uc.hold, False), "resume": (uc.resume, False),
    "confirm": (billing.confirm, False), "reject": (uc.reject_completion, False), "rate": (uc.rate, False),
    "cancel": (uc.cancel, False), "urge": (uc.urge, True), "assign": (uc.assign, False),
    "triage": (uc.triage, False), "refuse": (uc.reject, False), "close": (uc.close, False),
    "reopen": (uc.reopen, True), "done": (billing.complete, True), "dispute": (billing.dispute, False),
    "adjust": (billing.adjust, False), "paid": (billing.pay, False), "requisition": (parts.requisition, True),
}
NEEDS_REASON = {"decline", "hold", "reject", "cancel", "refuse", "dispute"}
# The lifecycle action behind each command that asks a person something first.
ACTION_OF = {"decline": Action.DECLINE, "hold": Action.HOLD, "reject": Action.REJECT_COMPLETION,
             "cancel": Action.CANCEL, "refuse": Action.REJECT, "dispute": Action.BILL_DISPUTE}


async def perform(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, name: str, ticket_id: int,
                  *args: Any) -> TicketChange | None:
    """Do `name` to the ticket as `me`; a refusal is explained politely and changes nothing."""
    svc = services(context)
    use_case, with_policies = ACTIONS[name]
    head: tuple[Any, ...] = (svc.clock, svc.policies) if with_policies else (svc.clock,)
    if name in ("done", "requisition"):  # fees and stock obey the billing policy
        head = (svc.clock, svc.policies.billing)
    assert me.person is not None
    try:
        change = await svc.run(use_case, *head, me.person.id, ticket_id, *args)
    except DomainError as error:
        await reply(update, explain(svc, me.language, error))
        return None
    markup = None
    if name == "confirm" and change.event.action is Action.BILL_APPROVE:  # an adjusted bill, the work long confirmed
        name = "bill_approve"
    elif name == "confirm":
        markup = keyboards.stars(ticket_id)
    elif name == "rate" and change.ticket.rating and change.ticket.rating <= svc.policies.alerts.low_rating:
        name = "rate_low"  # a poor rating is followed up by the office (domain.usecases.sla): say so
    elif name == "urge" and change.ticket.technician_id is None:
        name = "urge_office"  # nobody has the job yet: only the office was reminded
    values: dict[str, Any] = dict(id=ticket_id, stars=args[0] if name in ("rate", "rate_low") else "")
    if name == "assign":  # whom: the dispatcher sees the choice took
        values["tech"] = await svc.call(_name_of, svc, change.ticket.technician_id)
    await reply(update, svc.t(me.language, f"ok.{name}", **values), reply_markup=markup)
    return change


def _name_of(svc: BotServices, person_id: int | None) -> str:
    with svc.reading() as uow:
        return render.person_name(uow.people.get(person_id) if person_id else None)
