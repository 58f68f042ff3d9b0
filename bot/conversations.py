"""Every conversation a chat can be in the middle of, in one registry, and the routing of text and media to it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable

from telegram import Update
from telegram.ext import ContextTypes

from bot import arrival, intake, prompts, report, technician, voice
from bot.chat import Chat
from bot.common import Who
from bot.staff import QUERY
from domain.reporting.draft import Photo

TextHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE, Who, Chat, str], Awaitable[bool | None]]
MediaHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE, Who, Chat, Photo, str], Awaitable[bool | None]]


@dataclass(frozen=True)
class Conversation:
    """A kind of half-finished exchange; on_text/on_media return False when the message is not theirs."""

    kind: str
    on_text: TextHandler | None = None
    on_media: MediaHandler | None = None




async def _report_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str) -> bool:
    await report.on_text(update, context, me, chat, text)
    return True


async def _report_media(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, photo: Photo,
                        caption: str) -> bool:
    await report.on_media(update, context, me, chat, photo, caption)
    return True


# First match wins: a reason the bot just asked for comes before a draft waiting in the background.
REGISTRY: tuple[Conversation, ...] = (
    Conversation(voice.KIND, on_text=voice.on_text),  # words typed over a note heard: what it meant, then on
    Conversation(prompts.REASON, on_text=prompts.take_reason),
    Conversation(prompts.CONFIRM, on_text=prompts.take_confirmation),
    Conversation(technician.DONE, on_text=technician.on_text, on_media=technician.on_media),
    Conversation(arrival.KIND, on_text=arrival.on_text),  # only its skip button's text; the rest passes on
    Conversation(report.KIND, on_text=_report_text, on_media=_report_media),
    Conversation(intake.KIND, on_text=intake.on_text),
    Conversation(QUERY),  # /tickets paging: buttons only, free text is not for it
)


async def route_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str) -> bool:
    """True when a conversation in progress took the text."""
    for conversation in REGISTRY:
        if conversation.kind in chat and conversation.on_text is not None:
            if await conversation.on_text(update, context, me, chat, text) is not False:
                return True
    return False


async def route_media(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, photo: Photo,
                      caption: str) -> bool:
    for conversation in REGISTRY:
        if conversation.kind in chat and conversation.on_media is not None:
            if await conversation.on_media(update, context, me, chat, photo, caption) is not False:
                return True
    return False
