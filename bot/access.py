"""Taking access back: staff deactivate and reactivate people, and revoke invites nobody has used."""
from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot.common import explain, reply
from bot.sender import push
from bot.services import BotServices, services
from bot.staff import staff_only
from bot.web_links import web_links
from domain.errors import DomainError, InviteError
from domain.people import Person
from domain.ports import TicketFilter
from domain.values import Language
from domain.usecases.registration import revoke_invite, set_active


def _find(svc: BotServices, estate_id: str, words: list[str]) -> list[Person]:
    """People by chat id, or by name (exactly, any case): staff type what they see on cards."""
    wanted = " ".join(words).strip()
    with svc.uow() as uow:
        people = uow.people.find(estate_id=estate_id)
    if wanted.isascii() and wanted.isdecimal():
        return [p for p in people if p.chat_id == int(wanted)]
    return [p for p in people if p.name.casefold() == wanted.casefold()]


def _open_jobs(svc: BotServices, person: Person) -> list[int]:
    with svc.uow() as uow:
        return [t.id or 0 for t in uow.tickets.find(TicketFilter(technician_id=person.id, open_only=True))]


async def deactivate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/deactivate <chat id | name>: the person can do nothing more; their open jobs are listed for reassigning."""
    await _set_active(update, context, False)


async def activate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/activate <chat id | name>: undo /deactivate."""
    await _set_active(update, context, True)


async def _set_active(update: Update, context: ContextTypes.DEFAULT_TYPE, active: bool) -> None:
    me = await staff_only(update, context)
    if me is None:
        return
    svc, key = services(context), "activate" if active else "deactivate"
    found = await svc.call(_find, svc, svc.estate.id, list(context.args or []))
    if len(found) != 1:
        await reply(update, svc.t(me.language, f"usage.{key}") if not found else
                    svc.t(me.language, "access.ambiguous", names=", ".join(f"{p.name} ({p.chat_id})" for p in found)))
        return
    person = await svc.run(set_active, me.person.id, found[0].id, active)  # type: ignore[union-attr]
    jobs = await svc.call(_open_jobs, svc, person) if not active else []
    text = svc.t(me.language, f"access.{key}d", name=person.name)
    if jobs:
        text += "\n" + svc.t(me.language, "access.open_jobs", ids=" ".join(f"#{j}" for j in jobs))
    await reply(update, text)
    await push(svc, context.application.bot_data.get("sender"), person.chat_id,
               svc.t(person.language, f"access.you_are_{key}d"))


async def revoke(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/revoke <invite code>: nobody can use it any more."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc = services(context)
    if not context.args:
        await reply(update, svc.t(me.language, "usage.revoke"))
        return
    try:
        invite = await svc.run(revoke_invite, svc.clock, me.person.id, context.args[0])  # type: ignore[union-attr]
    except DomainError as error:
        if await _sign_out_web(update, context, svc, me.language, context.args[0], error):
            return
        await reply(update, explain(svc, me.language, error))
        return
    await reply(update, svc.t(me.language, "access.revoked", code=invite.code))


async def _sign_out_web(update: Update, context: ContextTypes.DEFAULT_TYPE, svc: BotServices, language: Language,
                        code: str, error: DomainError) -> bool:
    """A used code that signed a browser in (the web chat): revoking it signs that browser out."""
    links = web_links(context)
    if links is None or not (isinstance(error, InviteError) and error.reason == "used"):
        return False
    ended = await links.end_invite_sessions(code.strip())
    if ended:
        await reply(update, svc.t(language, "web.revoked_sessions", code=code.strip(), count=ended))
    return ended > 0


async def tell_owners_their_homes_went(context: ContextTypes.DEFAULT_TYPE, removed: list) -> None:  # type: ignore[type-arg]
    """After a register import: each owner who lost a home hears it from us, politely, in their language."""
    svc = services(context)
    for person, homes in removed:
        await push(svc, context.application.bot_data.get("sender"), person.chat_id,
                   svc.t(person.language, "access.home_removed", homes=escape(", ".join(h.short() for h in homes))))
