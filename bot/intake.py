"""A message that starts nothing yet: routed by domain.reporting.intake, never opening a report unasked."""
from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards, report
from bot.actions import perform
from bot.chat import Chat
from bot.common import Who, reply
from bot.services import BotServices, services
from domain.reporting.answers import Reading
from domain.reporting.draft import Photo
from domain.reporting.intake import Route, route
from domain.ticket import AttachmentKind
from domain.usecases.queries import owner_tickets
from domain.values import Intent
from knowledge_base.questions import looks_like_question

# The words of a message the bot asked about ("Is this a repair request?"), kept until the owner answers.
KIND = "intake"


async def fresh_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str,
                     notes: tuple[Photo, ...] = ()) -> None:
    """Understand a new message: a report, a question, a ticket matter, small talk, or something else.

    `notes` (the voice note the text was heard from) go with the report, and are kept while the bot asks.
    """
    svc = services(context)
    reading = await report.read(svc, text)
    question = svc.kb is not None and looks_like_question(text)
    where = route(reading, question, svc.settings.report_sure)
    kept = {"text": text, "notes": [[n.file_id, n.kind.value] for n in notes]}
    match where:
        case Route.REPORT:
            await report.begin(update, context, me, chat, text, reading, photos=notes)
        case Route.QUESTION:
            await _question(update, context, me, chat, reading, kept)
        case Route.ASK_IF_REPORT:
            await chat.start(KIND, kept)
            await reply(update, svc.t(me.language, "chat.is_it_a_report"),
                        reply_markup=keyboards.is_it_a_report(svc, me.language))
        case Route.NOT_A_REPORT:
            await chat.start(KIND, kept)
            await reply(update, svc.t(me.language, "chat.out_of_scope"),
                        reply_markup=keyboards.report_anyway(svc, me.language))
        case Route.SMALL_TALK:
            await reply(update, svc.t(me.language, f"chat.{reading.intent.value}"))
        case _:
            await _ticket_matter(update, context, me, reading, where)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str) -> bool:
    """The answer to "is this a repair request?": yes files the kept words, no leaves them, anything else is new."""
    svc = services(context)
    kept, notes = (chat.get(KIND) or {}).get("text", ""), _kept_notes(chat)
    reading = await report.read(svc, text)
    await chat.drop(KIND)
    if reading.is_yes and not reading.carries_a_field and kept:
        await report.begin(update, context, me, chat, kept, photos=notes)
    elif reading.is_no and not reading.carries_a_field:
        await reply(update, svc.t(me.language, "chat.not_a_report"))
    else:
        await fresh_text(update, context, me, chat, text)
    return True


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, parts: list[str]) -> bool:
    """i:report files the kept words as a report; i:no leaves them. False when nothing is kept (stale)."""
    kept, notes = (chat.get(KIND) or {}).get("text"), _kept_notes(chat)
    if not kept or parts not in (["report"], ["no"]):
        return False
    await chat.drop(KIND)
    if parts == ["report"]:
        await report.begin(update, context, me, chat, kept, photos=notes)
    else:
        await reply(update, services(context).t(me.language, "chat.not_a_report"))
    return True


def _kept_notes(chat: Chat) -> tuple[Photo, ...]:
    return tuple(Photo(f, AttachmentKind(k)) for f, k in (chat.get(KIND) or {}).get("notes") or [])


async def _question(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                    reading: Reading, kept: dict[str, object]) -> None:
    """An answer from the knowledge base; the words are kept in case it is really a report."""
    from bot.questions import answer

    svc = services(context)
    await chat.start(KIND, {**kept, "text": reading.text})
    if await answer(update, context, me, reading.text, offer_report=True):
        return
    if reading.intent is Intent.REPORT_PROBLEM:  # "why does my tap drip?" with no article: probably a repair
        await reply(update, svc.t(me.language, "chat.report_instead"), reply_markup=keyboards.report_anyway(svc, me.language))
    else:  # "what's the weather tomorrow?": not ours to answer
        await reply(update, svc.t(me.language, "chat.out_of_scope"), reply_markup=keyboards.report_anyway(svc, me.language))


async def _ticket_matter(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, reading: Reading,
                         r: Route) -> None:
    """进度, 催单 or 取消 about a ticket: the one named, or the owner's only open one, or the list to pick from."""
    svc = services(context)
    ticket_id = await _ticket_meant(svc, me, reading)
    if ticket_id is None:
        from bot.owner import my_tickets

        await my_tickets(update, context)
    elif r is Route.CHECK_STATUS:
        from bot.owner import show_ticket

        await show_ticket(update, context, me, ticket_id)
    elif r is Route.URGE:
        await perform(update, context, me, "urge", ticket_id)
    else:  # a cancel read from words asks first: a misread message must not cancel anything
        from bot.prompts import ask_to_cancel

        await ask_to_cancel(update, context, me, ticket_id, reading.text)


async def _ticket_meant(svc: BotServices, me: Who, reading: Reading) -> int | None:
    if reading.ticket_ref is not None:
        return reading.ticket_ref
    assert me.person is not None
    tickets = await svc.look(owner_tickets, me.person.id, True)
    return tickets[0].id if len(tickets) == 1 else None
