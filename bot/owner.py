"""Owner commands: /report, /mytickets, /status, /urge, /cancel, /confirm, /reject, /rate."""
from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from telegram import InlineKeyboardMarkup

from bot import attachments, dispatch_views, keyboards, planning, render
from bot import report as report_chat
from bot.actions import perform
from bot.chat import Chat
from bot.common import Who, reply, require_person, rest, ticket_arg
from bot.services import services
from domain.lifecycle import Status
from domain.people import Role
from domain.ticket import Ticket
from domain.usecases.queries import owner_tickets, view_ticket

DISPATCHABLE = frozenset({Status.SUBMITTED, Status.AWAITING_DISPATCH, Status.ASSIGNED})  # staff see why


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/report [text]: start a guided report."""
    me = await require_person(update, context)
    if me is None:
        return
    if me.person.role is not Role.OWNER:  # type: ignore[union-attr]
        await reply(update, services(context).t(me.language, "err.owners_only"))
        return
    chat = await Chat.open(services(context), me.chat_id)
    await report_chat.begin(update, context, me, chat, rest(context, 0))


async def my_tickets(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/mytickets: the owner's tickets, newest first."""
    me = await require_person(update, context)
    if me is None:
        return
    tickets = await services(context).look(owner_tickets, me.person.id)  # type: ignore[union-attr]
    await _list_tickets(update, context, me, tickets)


async def _list_tickets(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, tickets: list[Ticket]) -> None:
    svc = services(context)
    text = svc.t(me.language, "owner.tickets", lines=render.ticket_list(svc, me.language, tickets, 20)) if tickets \
        else svc.t(me.language, "owner.no_tickets")
    await reply(update, text, parse_mode="HTML")


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/status <id>, /job <id>, /ticket <id>: the card and timeline, as far as the reader may see it. An owner who
    sends /status alone means their repair: the one open ticket's card, else their list (not a usage hint)."""
    me = await require_person(update, context)
    if me is None:
        return
    if not context.args and me.person.role is Role.OWNER:  # type: ignore[union-attr]
        tickets = await services(context).look(owner_tickets, me.person.id)  # type: ignore[union-attr]
        still_open = [t for t in tickets if t.status.is_open]
        if len(still_open) == 1 and still_open[0].id is not None:
            await show_ticket(update, context, me, still_open[0].id)
        else:
            await _list_tickets(update, context, me, tickets)
        return
    ticket_id = await ticket_arg(update, context, me, "status")
    if ticket_id is not None:
        await show_ticket(update, context, me, ticket_id)


async def show_ticket(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, ticket_id: int) -> None:
    """The card, as far as `me` may see it, with the owner's buttons while it is open."""
    svc = services(context)
    view = await svc.look(view_ticket, me.person.id, ticket_id,  # type: ignore[union-attr]
                         svc.policies.recurrence)
    markup = None
    if me.person.role is Role.OWNER and view.ticket.status.is_open:  # type: ignore[union-attr]
        markup = keyboards.owner_actions(svc, me.language, ticket_id)
    private = update.effective_chat is None or update.effective_chat.type == "private"
    if markup is None and render.timeline_pages(view) > 1:
        markup = keyboards.timeline(svc, me.language, ticket_id, 0, render.timeline_pages(view))
    if view.recurrence is not None:  # a recurring problem: preventive maintenance is one tap away
        rows = list(markup.inline_keyboard) if markup is not None else []
        markup = InlineKeyboardMarkup([planning.plan_button(svc, me.language, ticket_id), *rows])
    files = attachments.rows(svc, me.language, view.ticket)  # 📎 / 🎧: the photos and the voice note
    if files:
        markup = InlineKeyboardMarkup([*(markup.inline_keyboard if markup is not None else ()), *files])
    text = render.card(svc, me.language, view, private=private)
    if me.person.is_staff and view.ticket.status in DISPATCHABLE:  # type: ignore[union-attr]
        ranked = await dispatch_views.ranking(svc, ticket_id)  # whom dispatch would choose, and why
        text = render.fit(text + "\n\n" + "\n".join(dispatch_views.why_lines(svc, me.language, ranked)))
    await reply(update, text, parse_mode="HTML", reply_markup=markup)


async def show_timeline(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, ticket_id: int,
                        page: int) -> None:
    """One page of a long timeline (tl:<id>:<page>), as far as `me` may see the ticket."""
    svc = services(context)
    view = await svc.look(view_ticket, me.person.id, ticket_id)  # type: ignore[union-attr]
    pages = render.timeline_pages(view)
    page = min(max(page, 0), pages - 1)
    text = f"<b>{view.ticket.number}</b>\n" + "\n".join(render.timeline_page(svc, me.language, view, page))
    await reply(update, text, parse_mode="HTML", reply_markup=keyboards.timeline(svc, me.language, ticket_id, page, pages))


def _simple(name: str, needs_text: bool = False, default_text: str | None = None):  # type: ignore[no-untyped-def]
    """A command handler for `/name <id> [text]` that performs the action of the same name."""
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        me = await require_person(update, context)
        if me is None:
            return
        ticket_id = await ticket_arg(update, context, me, name)
        if ticket_id is None:
            return
        text = rest(context) or (services(context).t(me.language, default_text) if default_text else "")
        if needs_text and not text:
            from bot.prompts import ask_reason

            await ask_reason(update, context, me, name, ticket_id)
            return
        await perform(update, context, me, name, ticket_id, *([text] if needs_text else []))

    handler.__doc__ = f"/{name} <id>{' <reason>' if needs_text else ''}"
    return handler


urge = _simple("urge")
cancel = _simple("cancel", needs_text=True, default_text="cancel.no_reason")
confirm = _simple("confirm")
reject = _simple("reject", needs_text=True)


async def rate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/rate <id> <1-5> [comment]."""
    me = await require_person(update, context)
    if me is None:
        return
    ticket_id = await ticket_arg(update, context, me, "rate")
    stars = context.args[1] if context.args and len(context.args) > 1 else ""
    if ticket_id is None:
        return
    if not (stars in ("1", "2", "3", "4", "5")):  # "²" passes isdigit() and int() refuses it
        await reply(update, services(context).t(me.language, "usage.rate"))
        return
    await perform(update, context, me, "rate", ticket_id, int(stars), rest(context, 2))
