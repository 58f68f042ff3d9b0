"""A ticket's attachments, seen and heard: the card's line and button, /files N, and the files sent back by file_id."""
from __future__ import annotations

import logging
from collections import Counter
from typing import Iterable

from telegram import InlineKeyboardButton as B, InlineKeyboardMarkup as Markup, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.common import Who, reply, require_person, ticket_arg
from bot.render import when
from bot.services import BotServices, services
from domain.ticket import Attachment, AttachmentKind, Stage, Ticket
from domain.usecases.queries import view_ticket
from domain.values import Language

logger = logging.getLogger(__name__)
PREFIX = "f"
PER_TAP = 5  # files sent per tap; more come with a "more" button, so one tap never floods the chat
ORDER = (AttachmentKind.PHOTO, AttachmentKind.VIDEO, AttachmentKind.VOICE, AttachmentKind.DOCUMENT)
SEND = {AttachmentKind.PHOTO: "send_photo", AttachmentKind.VIDEO: "send_video",
        AttachmentKind.VOICE: "send_voice", AttachmentKind.DOCUMENT: "send_document"}


def summary(svc: BotServices, language: Language, attachments: Iterable[Attachment]) -> str | None:
    """"📎 附件：照片 2 张，语音 1 条", or None when nothing is attached."""
    kinds = kinds_text(svc, language, (a.kind for a in attachments))
    return svc.t(language, "card.files", kinds=kinds) if kinds else None


def kinds_text(svc: BotServices, language: Language, kinds: Iterable[AttachmentKind]) -> str:
    """"照片 2 张，语音 1 条" / "2 photos, 1 voice note"; "" for nothing."""
    counts = Counter(kinds)
    return svc.t(language, "files.separator").join(
        svc.t(language, f"files.{kind.value}_{'one' if counts[kind] == 1 else 'many'}", n=counts[kind])
        for kind in ORDER if counts[kind])


def button(svc: BotServices, language: Language, ticket_id: int, kinds: Iterable[AttachmentKind],
           start: int = 0) -> B | None:
    """The card's 📎 / 🎧 button (f:<ticket>), or the next batch's (f:<ticket>:<start>)."""
    kinds = set(kinds)
    if not kinds:
        return None
    if start:
        return B(svc.t(language, "btn.files_more"), callback_data=f"{PREFIX}:{ticket_id}:{start}")
    key = "btn.files_voice" if AttachmentKind.VOICE in kinds else "btn.files"
    return B(svc.t(language, key), callback_data=f"{PREFIX}:{ticket_id}")


def rows(svc: BotServices, language: Language, ticket: Ticket) -> list[list[B]]:
    """The button as a keyboard row, for a ticket with something attached; no rows otherwise."""
    found = button(svc, language, ticket.id or 0, (a.kind for a in ticket.attachments)) if ticket.id else None
    return [[found]] if found else []


async def files(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/files <ticket>: the ticket's photos, videos and voice notes, as the card's button sends them."""
    me = await require_person(update, context)
    if me is None:
        return
    ticket_id = await ticket_arg(update, context, me, "files")
    if ticket_id is not None:
        await send(update, context, me, ticket_id)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, parts: list[str]) -> bool:
    """f:<ticket>[:<start>]; the ticket is checked as the card checks it. False for malformed data."""
    if not (1 <= len(parts) <= 2 and all(p.isdecimal() and len(p) < 10 for p in parts)):
        return False
    await send(update, context, me, int(parts[0]), int(parts[1]) if len(parts) == 2 else 0)
    return True


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, ticket_id: int, start: int = 0) -> None:
    """Send up to PER_TAP attachments from `start`, each by file_id with whose and when, then a "more" button."""
    svc = services(context)
    view = await svc.look(view_ticket, me.person.id, ticket_id)  # type: ignore[union-attr]  # refuses as the card does
    ticket, chat = view.ticket, update.effective_chat
    assert chat is not None
    attached = ticket.attachments
    if not attached[start:]:
        await reply(update, svc.t(me.language, "files.none", id=ticket_id))
        return
    lost = 0
    for item in attached[start:start + PER_TAP]:
        try:
            await getattr(context.bot, SEND[item.kind])(chat.id, item.file_id, caption=caption(svc, me.language,
                                                                                               ticket, item))
        except TelegramError as error:  # an expired or foreign file_id: say so, and send the rest
            logger.warning("ticket %s: attachment %s not sent: %s", ticket_id, item.kind.value, error)
            lost += 1
    left = len(attached) - start - PER_TAP
    if lost:
        await reply(update, svc.t(me.language, "files.lost", id=ticket_id, n=lost))
    if left > 0:
        more = button(svc, me.language, ticket_id, (a.kind for a in attached), start + PER_TAP)
        await reply(update, svc.t(me.language, "files.more", id=ticket_id, n=left), reply_markup=Markup([[more]]))


def caption(svc: BotServices, language: Language, ticket: Ticket, item: Attachment) -> str:
    """"工单 #12 · 报修时业主发送 · 12-02 18:40": whose the file is, and when it came."""
    if item.stage is Stage.WORK:
        whose = "files.by_technician_voice" if item.kind is AttachmentKind.VOICE else "files.by_technician"
    else:
        whose = "files.by_owner" if item.added_by == ticket.owner_id else "files.by_staff"
    return svc.t(language, "files.caption", id=ticket.id, whose=svc.t(language, whose), at=when(svc, item.added_at))
