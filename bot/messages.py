"""Free text, photos and videos: continue whatever the sender is in the middle of, or start a report."""
from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.actions import perform, take_reason
from bot.common import Who, reply, who
from bot.report import KIND, NO, YES, advance, apply_parse, save, start_report, submit, summary
from bot.services import services
from bot.technician import DONE, done_step
from knowledge_base.questions import looks_like_question
from domain.people import Role
from domain.usecases.queries import owner_tickets
from domain.usecases.tickets import attach
from domain.ticket import AttachmentKind

logger = logging.getLogger(__name__)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text that is not a command."""
    svc, me = services(context), await who(update, context)
    text = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
    if len(text) > svc.core.config.bot.max_text_length:
        await reply(update, svc.t(me.language, "err.too_long", limit=svc.core.config.bot.max_text_length,
                                  length=len(text)))
        return
    if me.person is None:
        await reply(update, svc.t(me.language, "reg.how_to"))
        return
    for kind, handler in (("reason", _reason), (DONE, _done)):
        state = await svc.call(svc.states.get, me.chat_id, kind)
        if state is not None:
            await handler(update, context, me, state, text)
            return
    if me.person.role is not Role.OWNER:
        await reply(update, svc.t(me.language, f"help.{me.person.role.value}"))
        return
    draft = await svc.call(svc.states.get, me.chat_id, KIND)
    if draft is not None:
        await continue_draft(update, context, me, draft, text)
    else:
        await new_text(update, context, me, text)


async def _reason(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, state: dict[str, Any], text: str) -> None:
    await take_reason(update, context, me, state, text)


async def _done(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, state: dict[str, Any], text: str) -> None:
    await done_step(update, context, me, state, text)


async def continue_draft(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, draft: dict[str, Any],
                         text: str) -> None:
    """The owner answered the question the draft is waiting on."""
    from nlu.parse import CATEGORY_SURE

    svc, step = services(context), draft["step"]
    if step == "confirm" and text.lower().strip("!！。. ") in YES:
        await submit(update, context, me, draft)
        return
    if step == "confirm" and text.lower().strip("!！。. ") in NO:
        await svc.call(svc.states.drop, me.chat_id, KIND)
        await reply(update, svc.t(me.language, "report.cancelled", text=draft["text"][:200]))
        return
    parse = await svc.nlu.aparse(text)
    if step in ("text", "edit_text"):
        draft["text"] = text
        if step == "text":  # a first description may name the place and category; an edit only rewords
            apply_parse(draft, parse, CATEGORY_SURE)
    elif step == "place":
        loc = parse.location
        if loc.building or loc.room:
            draft.update(building=loc.building, unit=loc.unit, room=loc.room, area=loc.area or draft["area"],
                         common_area=loc.common_area)
        else:
            draft.update(area=text, common_area=True)
    elif step == "category" and parse.category is not None:
        draft["category"] = parse.category.value
    elif step in ("confirm", "kb"):
        draft["text"] = f"{draft['text']}\n{text}"  # more detail: keep every word
    await advance(update, context, me, draft)


async def new_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, text: str) -> None:
    """Understand a fresh message: a status question, 催单, a cancel, small talk, or a new report."""
    svc = services(context)
    if svc.kb is not None and looks_like_question(text):
        from bot.questions import answer

        if await answer(update, context, me, text, offer_report=True):
            return
        await svc.call(svc.states.put, me.chat_id, "pending", {"text": text})
        await reply(update, svc.t(me.language, "chat.report_instead"), reply_markup=keyboards.report_anyway(svc, me.language))
        return
    parse = await svc.nlu.aparse(text)
    intent = parse.intent.value
    if intent in ("check_status", "urge", "cancel_request") and parse.category is None:
        ticket_id = parse.ticket_ref or await _only_open_ticket(svc, me)
        if ticket_id is None:
            from bot.owner import my_tickets

            await my_tickets(update, context)
        elif intent == "check_status":
            context.args = [str(ticket_id)]
            from bot.owner import status

            await status(update, context)
        elif intent == "urge":
            await perform(update, context, me, "urge", ticket_id)
        else:
            await perform(update, context, me, "cancel", ticket_id, text)
        return
    if intent in ("greet", "thank", "affirm", "deny") and parse.category is None:
        await reply(update, svc.t(me.language, f"chat.{intent}"))
        return
    if intent == "out_of_scope" and parse.category is None:
        await svc.call(svc.states.put, me.chat_id, "pending", {"text": text})
        await reply(update, svc.t(me.language, "chat.out_of_scope"), reply_markup=keyboards.report_anyway(svc, me.language))
        return
    await start_report(update, context, me, text, parse)


async def _only_open_ticket(svc: Any, me: Who) -> int | None:
    tickets = await svc.run(owner_tickets, me.person.id, True)
    return tickets[0].id if len(tickets) == 1 else None


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos and videos join the draft, the /done form, or the ticket they are about."""
    svc, me = services(context), await who(update, context)
    msg = update.effective_message
    assert msg is not None
    if me.person is None:
        await reply(update, svc.t(me.language, "reg.how_to"))
        return
    kind = AttachmentKind.VIDEO if msg.video else AttachmentKind.PHOTO
    file_id = msg.video.file_id if msg.video else msg.photo[-1].file_id
    caption = (msg.caption or "").strip()
    done = await svc.call(svc.states.get, me.chat_id, DONE)
    if done is not None and done["step"] == "photos" and kind is AttachmentKind.PHOTO:
        await done_step(update, context, me, done, None, photo=file_id)
        return
    draft = await svc.call(svc.states.get, me.chat_id, KIND)
    if draft is not None:
        draft["photos"].append([file_id, kind.value])
        if caption:
            draft["text"] = f"{draft['text']}\n{caption}".strip()
        await save(svc, me, draft)
        await reply(update, svc.t(me.language, "report.photo_added", n=len(draft["photos"])))
        if draft["step"] == "confirm":
            await reply(update, summary(svc, me, draft), parse_mode="HTML",
                        reply_markup=keyboards.summary(svc, me.language))
        return
    await _attach_or_start(update, context, me, file_id, kind, caption)


async def _attach_or_start(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, file_id: str,
                           kind: AttachmentKind, caption: str) -> None:
    svc = services(context)
    parse = await svc.nlu.aparse(caption) if caption else None
    ticket_id = parse.ticket_ref if parse else None
    if ticket_id is None and me.person.role is Role.OWNER:
        open_ones = await svc.run(owner_tickets, me.person.id, True)
        ticket_id = open_ones[0].id if open_ones and not caption else None
    if ticket_id is not None:
        await svc.run(attach, svc.core.clock, me.person.id, ticket_id, file_id, kind)
        await reply(update, svc.t(me.language, "media.attached", id=ticket_id))
        return
    if me.person.role is not Role.OWNER:
        await reply(update, svc.t(me.language, "media.which_ticket"))
        return
    await start_report(update, context, me, caption, photos=[[file_id, kind.value]])


async def on_voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A voice note is transcribed and then handled exactly like the text it says."""
    svc, me = services(context), await who(update, context)
    if me.person is None:
        await reply(update, svc.t(me.language, "reg.how_to"))
        return
    if svc.speech is None:
        await reply(update, svc.t(me.language, "voice.unavailable"))
        return
    voice = update.effective_message.voice  # type: ignore[union-attr]
    audio = bytes(await (await voice.get_file()).download_as_bytearray())  # type: ignore[union-attr]
    try:
        text = (await svc.call(svc.speech.transcribe, audio)).strip()
    except Exception:  # undecodable audio or a model failure: ask them to type, lose nothing else
        logger.exception("voice note could not be transcribed")
        text = ""
    if not text:
        await reply(update, svc.t(me.language, "voice.empty"))
        return
    await reply(update, svc.t(me.language, "voice.heard", text=text))
    update.effective_message._unfreeze()  # type: ignore[union-attr]
    update.effective_message.text = text  # type: ignore[union-attr]
    await on_text(update, context)
