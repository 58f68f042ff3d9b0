"""Staff commands: /tickets with filters and pages, /assign, /overdue, /invite."""
from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import ContextTypes

from bot import dispatch_views, keyboards, render
from bot.actions import perform
from bot.common import Who, explain, reply, require_person, ticket_arg
from bot.filters import parse_filters
from bot.services import BotServices, services
from bot.web_links import answer_web_invite, take_web_flag
from domain.errors import DomainError, InvalidInput, PermissionDenied
from domain.people import ALL_ZONES, Person, Role, StaffRole
from domain.usecases.queries import overdue_tickets, staff_tickets
from domain.usecases.registration import create_invite
from domain.values import Category, Language, Location

PAGE = 10
QUERY = "tickets_query"


def _technicians(svc: BotServices) -> list[Person]:
    with svc.uow() as uow:
        return uow.people.find(role=Role.TECHNICIAN, estate_id=svc.estate.id)


async def offer_technicians(update: Update, svc: BotServices, language: Language, ticket_id: int,
                            techs: list[Person]) -> None:
    """Whom to assign: dispatch's ranking and why, best first on the buttons, then everyone else."""
    ranked, passed = await dispatch_views.choices(svc, ticket_id)
    text = "\n".join([svc.t(language, "staff.pick_tech", id=ticket_id), *dispatch_views.why_lines(svc, language, ranked)])
    await reply(update, text, parse_mode="HTML",
                reply_markup=dispatch_views.picker(svc, language, ticket_id, ranked, techs, passed))


async def staff_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Who | None:
    me = await require_person(update, context)
    if me is not None and not me.person.is_staff:  # type: ignore[union-attr]
        await reply(update, services(context).t(me.language, "err.staff_only"))
        return None
    return me


async def tickets(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tickets [open] [key=value ...]: a filtered, paged list."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc = services(context)
    words = list(context.args or [])
    try:
        parse_filters(words, await svc.call(_technicians, svc), svc.tz)
    except InvalidInput as error:
        await reply(update, svc.t(me.language, "staff.bad_filter", **error.facts))
        return
    await svc.call(svc.states.put, me.chat_id, QUERY, {"words": words}, force=True)
    await show_page(update, context, me, words, 0)


async def show_page(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, words: list[str],
                    offset: int) -> None:
    svc = services(context)
    criteria = replace(parse_filters(words, await svc.call(_technicians, svc), svc.tz), limit=PAGE, offset=offset)
    found, total = await svc.look(staff_tickets, me.person.id, criteria)  # type: ignore[union-attr]
    if not found:
        await reply(update, svc.t(me.language, "staff.no_tickets"))
        return
    text = svc.t(me.language, "staff.tickets", first=offset + 1, last=offset + len(found), total=total,
                 lines=render.ticket_list(svc, me.language, found, PAGE))
    await reply(update, text, parse_mode="HTML", reply_markup=keyboards.pages(svc, me.language, offset, PAGE, total))


async def overdue(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/overdue: open tickets past their SLA."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc = services(context)
    late = await svc.look(overdue_tickets, svc.clock, me.person.id)  # type: ignore[union-attr]
    text = svc.t(me.language, "staff.overdue", count=len(late), lines=render.ticket_list(svc, me.language, late, 30)) \
        if late else svc.t(me.language, "staff.none_overdue")
    await reply(update, text, parse_mode="HTML")


async def assign(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/assign <id> <technician>: by name, person id or chat id; without one, offer buttons."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc = services(context)
    ticket_id = await ticket_arg(update, context, me, "assign")
    if ticket_id is None:
        return
    techs = await svc.call(_technicians, svc)
    wanted = " ".join((context.args or [])[1:]).strip().lower()
    if not wanted:
        await offer_technicians(update, svc, me.language, ticket_id, techs)
        return
    match = [p for p in techs if wanted in (str(p.id), str(p.chat_id)) or wanted in p.name.lower()]
    if len(match) != 1:
        await reply(update, svc.t(me.language, "staff.tech_unknown", name=wanted),
                    reply_markup=keyboards.technicians(ticket_id, match or techs))
        return
    await perform(update, context, me, "assign", ticket_id, match[0].id)


async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/invite owner 3-2-1801 [name] [web] | technician plumbing,hvac 1,2|* [name] | staff dispatcher|manager [name]."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc, (args, web) = services(context), take_web_flag(list(context.args or []))
    if update.effective_chat is not None and update.effective_chat.type != "private":
        await reply(update, svc.t(me.language, "staff.invite_private_only"))  # a code in a group is anyone's
        return
    try:
        role, details = _invite_details(args)
        code = await svc.run(create_invite, svc.clock, svc.policies, me.person.id, role,  # type: ignore[union-attr]
                             **details)
    except (DomainError, ValueError, IndexError) as error:
        if isinstance(error, PermissionDenied) or (isinstance(error, InvalidInput) and "limit" in error.facts):
            await reply(update, explain(svc, me.language, error))
        else:
            await reply(update, svc.t(me.language, "usage.invite"))
        return
    if web and await answer_web_invite(update, context, svc, me.language, code.code, args[1]):
        return
    link = f"https://t.me/{svc.bot_username}?start={code.code}"
    await reply(update, svc.t(me.language, "staff.invite", role=svc.t(me.language, f"role.{role.value}"), link=link,
                              code=code.code, hours=int(svc.policies.invite_ttl.total_seconds() // 3600)))


def _invite_details(args: list[str]) -> tuple[Role, dict[str, object]]:
    role = Role(args[0].lower())
    if role is Role.OWNER:
        parts = args[1].split("-")
        home = Location(parts[0], parts[1], parts[2]) if len(parts) == 3 else Location(parts[0], None, parts[1])
        return role, {"home": home, "name": " ".join(args[2:]) or None}
    if role is Role.TECHNICIAN:
        skills = frozenset(Category(s) for s in args[1].split(","))
        zones = frozenset(z.upper() if z.isalpha() else z for z in args[2].split(",")) if len(args) > 2 else \
            frozenset({ALL_ZONES})
        return role, {"skills": skills, "zones": zones, "name": " ".join(args[3:]) or None}
    if role is Role.STAFF:
        return role, {"staff_role": StaffRole(args[1].lower()) if len(args) > 1 else StaffRole.DISPATCHER,
                      "name": " ".join(args[2:]) or None}
    raise ValueError(role)

