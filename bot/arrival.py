"""到场签到: /begin starts the work at once and asks the technician to share their location, which verifies the
arrival within a radius of the building (domain/usecases/tickets.check_in). Declining, or being far off, never
blocks the work: it is marked unverified for staff. The owner was told at /begin that the technician arrived."""
from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import ContextTypes

from bot import misc, render
from bot.actions import perform
from bot.chat import Chat
from bot.common import Who, explain, reply, require_person, ticket_arg
from bot.services import services
from domain.errors import DomainError
from domain.people import Role
from domain.usecases.tickets import check_in
from domain.values import Language

KIND = "checkin"  # chat state: {"ticket": id} while the bot waits for the location
SKIP_KEY = "btn.skip_check_in"
DEFAULT_RADIUS_M = 200.0


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/begin <id>: work starts now; then the location is asked for."""
    me = await require_person(update, context)
    if me is None:
        return
    ticket_id = await ticket_arg(update, context, me, "begin")
    if ticket_id is None or await perform(update, context, me, "begin", ticket_id) is None:
        return
    svc = services(context)
    if update.effective_chat is None or update.effective_chat.type != "private":
        return  # a location is shared in the private chat only
    chat = await Chat.open(svc, me.chat_id)
    await chat.start(KIND, {"ticket": ticket_id})
    keyboard = ReplyKeyboardMarkup([[KeyboardButton(svc.t(me.language, "btn.share_location"), request_location=True)],
                                    [KeyboardButton(svc.t(me.language, SKIP_KEY))]],
                                   resize_keyboard=True, one_time_keyboard=True)
    await reply(update, svc.t(me.language, "arrival.ask", id=ticket_id), reply_markup=keyboard)


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location: the arrival at the job the bot asked about, or a polite word that none is waiting."""
    me = await require_person(update, context)
    if me is None:
        return
    if me.person.role is not Role.TECHNICIAN:  # type: ignore[union-attr]
        await misc.unsupported(update, context)  # what the bot says of any message it cannot use
        return
    svc = services(context)
    chat = await Chat.open(svc, me.chat_id)
    waiting = chat.get(KIND)
    where = update.effective_message.location  # type: ignore[union-attr]
    if waiting is None or where is None:
        await reply(update, svc.t(me.language, "arrival.nothing_waiting"))
        return
    await _record(update, context, me, chat, int(waiting["ticket"]), (where.latitude, where.longitude))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str) -> bool:
    """The skip button's text ends the question unverified; any other text is not for us (and the question
    stays until a location or the skip comes, or another /begin replaces it)."""
    svc = services(context)
    if text not in {svc.t(lang, SKIP_KEY) for lang in Language}:
        return False
    waiting = chat.get(KIND) or {}
    await _record(update, context, me, chat, int(waiting.get("ticket", 0)), None)
    return True


async def _record(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, ticket_id: int,
                  position: tuple[float, float] | None) -> None:
    svc = services(context)
    await chat.drop(KIND)
    radius = svc.dispatch.check_in_radius_m if svc.dispatch else DEFAULT_RADIUS_M
    try:
        change = await svc.run(check_in, svc.clock, svc.estate, radius,
                               me.person.id, ticket_id, position)  # type: ignore[union-attr]
    except DomainError as error:  # the job moved on meanwhile (cancelled, reassigned)
        await reply(update, explain(svc, me.language, error), reply_markup=ReplyKeyboardRemove())
        return
    said = render.check_in_text(svc, me.language, change.event.note)
    await reply(update, svc.t(me.language, "arrival.recorded", id=ticket_id, result=said),
                reply_markup=ReplyKeyboardRemove())
