"""Free text, photos, videos and voice notes: continue the conversation in progress, or start one."""
from __future__ import annotations

import logging
from typing import Awaitable, Callable

from telegram import Update
from telegram.ext import ContextTypes

from bot import intake, report, technician, voice
from bot.chat import Chat
from bot.common import Who, reply, who
from bot.conversations import route_media, route_text
from bot.services import services
from domain.errors import StaleChatState
from domain.people import Role
from domain.reporting.draft import Photo
from domain.ticket import AttachmentKind
from domain.usecases.queries import owner_tickets
from domain.usecases.tickets import attach

logger = logging.getLogger(__name__)


async def with_chat(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                    handle: Callable[[Chat], Awaitable[None]]) -> None:
    """Run `handle` on the chat's state; if another update of this chat wrote first, re-read and run it once more."""
    svc = services(context)
    try:
        await handle(await Chat.open(svc, me.chat_id))
    except StaleChatState:
        logger.info("chat %s: state changed under this update; applying it again", me.chat_id)
        await handle(await Chat.open(svc, me.chat_id))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text that is not a command."""
    svc, me = services(context), await who(update, context)
    text = (update.effective_message.text or "").strip()  # type: ignore[union-attr]
    if len(text) > svc.settings.max_text_length:
        await reply(update, svc.t(me.language, "err.too_long", limit=svc.settings.max_text_length, length=len(text)))
        return
    if me.person is None:
        await reply(update, svc.t(me.language, "reg.how_to"))
        return

    async def handle(chat: Chat) -> None:
        await take_text(update, context, me, chat, text)

    await with_chat(update, context, me, handle)


async def take_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str,
                    notes: tuple[Photo, ...] = ()) -> None:
    """Typed (or spoken and confirmed) words: for the conversation in progress, else a fresh message.

    `notes` (a voice note the words came from) go with the report the words belong to.
    """
    svc = services(context)
    assert me.person is not None
    if notes and report.KIND in chat:
        await report.add_quietly(context, me, chat, notes)
    elif notes and technician.DONE in chat:
        await technician.keep_voice(context, me, chat, notes)
    if await route_text(update, context, me, chat, text):
        return
    if me.person.role is not Role.OWNER:
        await reply(update, svc.t(me.language, f"help.{me.person.role.value}"))
        return
    await intake.fresh_text(update, context, me, chat, text, notes)


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos and videos join the /done form, the draft, or the ticket they are about."""
    svc, me = services(context), await who(update, context)
    msg = update.effective_message
    assert msg is not None
    if me.person is None:
        await reply(update, svc.t(me.language, "reg.how_to"))
        return
    kind = AttachmentKind.VIDEO if msg.video else AttachmentKind.PHOTO
    photo = Photo(msg.video.file_id if msg.video else msg.photo[-1].file_id, kind)
    caption = (msg.caption or "").strip()

    async def handle(chat: Chat) -> None:
        if not await route_media(update, context, me, chat, photo, caption):
            await _attach_or_start(update, context, me, chat, photo, caption)

    await with_chat(update, context, me, handle)


async def _attach_or_start(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, photo: Photo,
                           caption: str) -> None:
    """A photo out of the blue: for the ticket its caption names, the owner's only open one, or a new report."""
    svc = services(context)
    assert me.person is not None
    reading = await report.read(svc, caption) if caption else None
    ticket_id = reading.ticket_ref if reading else None
    if ticket_id is None and me.person.role is Role.OWNER and not caption:
        open_ones = await svc.look(owner_tickets, me.person.id, True)
        ticket_id = open_ones[0].id if open_ones else None  # the newest open one
    if ticket_id is not None:
        await svc.run(attach, svc.clock, me.person.id, ticket_id, photo.file_id, photo.kind)
        await reply(update, svc.t(me.language, "media.attached", id=ticket_id))
        return
    if me.person.role is not Role.OWNER:
        await reply(update, svc.t(me.language, "media.which_ticket"))
        return
    await report.begin(update, context, me, chat, caption, reading, photos=(photo,))


async def on_voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A voice note: transcribed, confirmed by the owner, then taken like the text it says (bot/voice.py)."""
    await voice.received(update, context)
