"""What every handler needs: who is talking, in which language, and polite answers to errors."""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from functools import wraps
from typing import Any, Awaitable, Callable

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

from bot.render import fit
from bot.services import BotServices, services
from domain import errors
from domain.lifecycle import Status
from domain.people import Person
from domain.values import Language

TICKET_ID = re.compile(r"^#?(\d{1,9})$")
REPLY_ATTEMPTS = 3
REPLY_MAX_WAIT_SECONDS = 30  # a longer 429 wait is not worth holding the chat for


@dataclass
class Who:
    """The sender: the registered person (if any) and the language to answer in."""

    person: Person | None
    language: Language
    chat_id: int

    @property
    def registered(self) -> bool:
        return self.person is not None


LENT = "baoxiu_who"  # the guard's lookup of this update, kept in its context for the handler's first who()


async def who(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Who:
    lent = context.__dict__.pop(LENT, None)
    if lent is not None:  # looked up a moment ago for this very update, in its chat's turn: nothing changed
        return lent  # since; taken once, so a handler that changes the person reads them afresh
    svc = services(context)
    user = update.effective_user
    chat_id = user.id if user else 0
    person = await svc.call(_person_by_chat, svc, chat_id) if user else None
    language = person.language if person else Language.from_code(user.language_code if user else None)
    return Who(person, language, chat_id)


def lend(context: ContextTypes.DEFAULT_TYPE, me: Who) -> None:
    """Hand a lookup to the next who() of the same update (one database read fewer on every update)."""
    context.__dict__[LENT] = me


def _person_by_chat(svc: BotServices, chat_id: int) -> Person | None:
    with svc.reading() as uow:
        return uow.people.by_chat_id(chat_id)


def parse_ticket_id(text: str | None) -> int | None:
    """'42' or '#42' -> 42."""
    match = TICKET_ID.match((text or "").strip())
    return int(match.group(1)) if match else None


def explain(svc: BotServices, language: Language, error: errors.DomainError) -> str:
    """A domain error as one polite sentence in the user's language."""
    facts = dict(error.facts)
    if isinstance(error, errors.IllegalTransition):
        status = Status(error.current)
        facts["state"] = status.label_zh if language is Language.ZH else status.label_en
        return svc.t(language, "err.illegal_transition", **facts)
    if isinstance(error, errors.InviteError):
        return svc.t(language, f"err.invite.{error.reason}")
    if isinstance(error, errors.InvalidInput) and "limit" in facts:
        return svc.t(language, "err.too_long_field", limit=facts["limit"])
    return svc.t(language, f"err.{error.code}", **facts)


async def reply(update: Update, text: str, **kwargs: object) -> None:
    """Answer in the chat the update came from, cut to what Telegram takes. A 429, 5xx or timeout is tried
    again a few times (the person is waiting for this answer; news to others goes through the outbox)."""
    text = fit(text)
    for attempt in range(REPLY_ATTEMPTS):
        try:
            if update.effective_message is not None:
                await update.effective_message.reply_text(text, **kwargs)  # type: ignore[arg-type]
            elif update.effective_chat is not None:
                await update.get_bot().send_message(update.effective_chat.id, text, **kwargs)  # type: ignore[arg-type]
            return
        except RetryAfter as exc:
            wait = exc.retry_after if isinstance(exc.retry_after, (int, float)) else exc.retry_after.total_seconds()
            if attempt == REPLY_ATTEMPTS - 1 or wait > REPLY_MAX_WAIT_SECONDS:
                raise
            await asyncio.sleep(wait)
        except BadRequest:
            raise  # malformed: the same again cannot help
        except (TimedOut, NetworkError):
            # Telegram may have taken it before the connection failed: a repeat is better than a lost answer.
            if attempt == REPLY_ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.5 * 2 ** attempt)


async def require_person(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Who | None:
    """The sender if registered; otherwise they get the how-to-register answer and None."""
    me = await who(update, context)
    if me.person is None:
        await reply(update, services(context).t(me.language, "reg.how_to"))
        return None
    return me


async def ticket_arg(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, command: str) -> int | None:
    """The ticket id from the first argument, or a usage hint for `command` and None."""
    ticket_id = parse_ticket_id(context.args[0]) if context.args else None
    if ticket_id is None:
        await reply(update, services(context).t(me.language, f"usage.{command}"))
    return ticket_id


def rest(context: ContextTypes.DEFAULT_TYPE, skip: int = 1) -> str:
    """The command's free text after its first `skip` arguments."""
    return " ".join((context.args or [])[skip:]).strip()


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[Any]]


def explaining(handler: Handler) -> Handler:
    """A refusal from the domain becomes one polite sentence in the user's language; nothing else changes."""
    @wraps(handler)
    async def wrapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Any:
        try:
            return await handler(update, context)
        except errors.DomainError as error:
            me = await who(update, context)
            await reply(update, explain(services(context), me.language, error))
            return None

    return wrapped
