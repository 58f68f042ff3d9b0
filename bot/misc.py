"""/help, /lang, unknown commands, unsupported messages, and the one error handler."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.common import reply, require_person, who
from bot.menus import set_menu
from bot.services import services
from domain.usecases.registration import set_language
from domain.values import Language

logger = logging.getLogger(__name__)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help [question]: the commands for the sender's role, or an answer from the knowledge base."""
    svc, me = services(context), await who(update, context)
    if me.person is None:
        await reply(update, svc.t(me.language, "reg.how_to"))
        return
    question = " ".join(context.args or []).strip()
    if question:
        from bot.questions import answer

        if not await answer(update, context, me, question):
            await reply(update, svc.t(me.language, "kb.no_answer"))
        return
    await reply(update, svc.t(me.language, f"help.{me.person.role.value}"))


async def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang zh|en."""
    me = await require_person(update, context)
    if me is None:
        return
    svc = services(context)
    choice = (context.args[0].lower() if context.args else "")
    if choice not in ("zh", "en"):
        await reply(update, svc.t(me.language, "usage.lang"))
        return
    person = await svc.run(set_language, me.person.id, Language(choice))  # type: ignore[union-attr]
    await set_menu(context, person)
    await reply(update, svc.t(person.language, "lang.set"))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any command we do not have."""
    svc, me = services(context), await who(update, context)
    role = me.person.role.value if me.person else None
    await reply(update, svc.t(me.language, "err.unknown_command") + "\n\n" +
                (svc.t(me.language, f"help.{role}") if role else svc.t(me.language, "reg.how_to")))


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, locations, audio files and the like."""
    svc, me = services(context), await who(update, context)
    await reply(update, svc.t(me.language, "err.unsupported"))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log which update failed (its id, kind, chat and user: never its text, phone or codes) and tell the user,
    politely: a database that is busy, full or out of reach gets its own answer (send it again), anything
    else the generic one."""
    if isinstance(update, Update):
        kind = next((k for k in ("message", "edited_message", "callback_query", "my_chat_member")
                     if getattr(update, k, None) is not None), "other")
        chat = update.effective_chat.id if update.effective_chat else None
        user = update.effective_user.id if update.effective_user else None
        logger.error("handler failed for update %s (%s, chat %s, user %s)", update.update_id, kind, chat, user,
                     exc_info=context.error)
    else:
        logger.error("handler failed outside an update (%s)", type(update).__name__, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        svc = services(context)
        fault = svc.storage_fault(context.error)
        await _stop_spinning(update)
        language = await _language(update, context)
        await reply(update, svc.t(language, f"err.storage_{fault}" if fault else "err.internal"))
    except Exception:  # the error path itself must never raise
        logger.exception("could not tell the user about the error")


async def _language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Language:
    """The person's language; with the database out of reach, their Telegram client's."""
    try:
        return (await who(update, context)).language
    except Exception:
        user = update.effective_user
        return Language.from_code(user.language_code if user else None)


async def _stop_spinning(update: Update) -> None:
    """Answer a tapped button that failed before its handler answered it; already answered is fine."""
    if update.callback_query is None:
        return
    try:
        await update.callback_query.answer()
    except Exception:  # answered already, or Telegram out of reach: the message still goes
        logger.debug("callback %s not answered by the error handler", update.callback_query.id)
