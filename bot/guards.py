"""What every update passes before any handler: the right chat, not an edit, not a flood, not a replay."""
from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Chat as TgChat, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.common import lend, reply, who
from bot.services import BotServices, services

logger = logging.getLogger(__name__)
SEEN_FOR = timedelta(days=2)  # Telegram re-sends an unanswered update for a day at most


async def before_everything(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Registered in group -1: raising ApplicationHandlerStop ends the update here, having done no work."""
    if not isinstance(update, Update):
        return
    svc = services(context)
    chat = update.effective_chat
    if chat is not None and chat.type != TgChat.PRIVATE:
        await _group(update, context, svc, chat)
    if update.edited_message is not None or update.edited_channel_post is not None:
        await _edited(update, context)
    user = update.effective_user
    if user is not None and (update.message or update.callback_query):
        await _flood(update, context, svc, user.id)
        await _deactivated(update, context)
    if chat is not None and await _replayed(svc, chat.id, update.update_id):
        logger.info("update %s for chat %s was seen before: ignored", update.update_id, chat.id)
        raise ApplicationHandlerStop


async def _group(update: Update, context: ContextTypes.DEFAULT_TYPE, svc: BotServices, chat: TgChat) -> None:
    """The bot works in the staff group only, and there only for staff; any other group is told and left."""
    if chat.id != svc.staff_chat_id:
        await _leave(update, context, svc, chat)
        raise ApplicationHandlerStop
    me = await who(update, context)
    if me.person is not None and me.person.is_staff:
        return
    if update.callback_query is not None:
        await update.callback_query.answer(svc.t(me.language, "err.staff_group_only"), show_alert=True)
    raise ApplicationHandlerStop  # members who are not staff: the bot does nothing for them in the group


async def _leave(update: Update, context: ContextTypes.DEFAULT_TYPE, svc: BotServices, chat: TgChat) -> None:
    try:
        if update.message is not None or update.my_chat_member is not None:
            await context.bot.send_message(chat.id, svc.t(svc.default_language, "group.not_here"))
        await context.bot.leave_chat(chat.id)
    except TelegramError as exc:
        logger.warning("could not leave chat %s: %s", chat.id, exc)


async def _edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edit never re-runs a command or starts a report; in private, the sender is told how to add to it."""
    chat = update.effective_chat
    if chat is not None and chat.type == TgChat.PRIVATE:
        me = await who(update, context)
        await reply(update, services(context).t(me.language, "err.edited"))
    raise ApplicationHandlerStop


async def _flood(update: Update, context: ContextTypes.DEFAULT_TYPE, svc: BotServices, user_id: int) -> None:
    now = svc.clock.now()
    if svc.throttle.allow(user_id, now):
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    if svc.throttle.should_warn(user_id, now):
        me = await who(update, context)
        await reply(update, svc.t(me.language, "err.slow_down"))
    raise ApplicationHandlerStop


async def _deactivated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A deactivated person is told so, politely, and nothing else happens."""
    me = await who(update, context)
    if me.person is not None and not me.person.active:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await reply(update, services(context).t(me.language, "access.you_are_deactivated"))
        raise ApplicationHandlerStop
    lend(context, me)


async def _replayed(svc: BotServices, chat_id: int, update_id: int) -> bool:
    """True when this chat has processed `update_id` already (Telegram re-sends after a missed webhook answer)."""
    return not await svc.call(svc.states.first_sight, chat_id, update_id, svc.clock.now())
