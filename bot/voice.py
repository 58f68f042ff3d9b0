"""Voice notes: heard off the event loop, echoed for the owner to confirm or correct, then taken as typed text."""
from __future__ import annotations

import inspect
import logging
from typing import Any

from telegram import InlineKeyboardButton as B, InlineKeyboardMarkup as Markup, Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot.chat import Chat
from bot.common import Who, reply, who
from bot.services import BotServices, services
from domain.reporting.draft import Photo
from domain.ticket import AttachmentKind

logger = logging.getLogger(__name__)
# The note heard (or not) and its file, until the owner confirms it, types what they meant, or sends anew.
KIND = "voice"


async def received(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Check the note's size before downloading it, transcribe it in the queue, and ask whether it was heard right."""
    svc, me = services(context), await who(update, context)
    msg = update.effective_message
    assert msg is not None and msg.voice is not None
    if me.person is None:
        await reply(update, svc.t(me.language, "reg.how_to"))
        return
    note, limits = msg.voice, svc.settings
    if not note.duration and not note.file_size:
        await reply(update, svc.t(me.language, "voice.empty"))
        return
    if svc.speech is None or (note.file_size or 0) > limits.max_voice_bytes or note.duration > limits.max_voice_seconds:
        # Checked before downloading: one long note must not hold the bot (or its memory). The note is kept
        # all the same and goes with the report the owner types next.
        key = "voice.unavailable" if svc.speech is None else "voice.too_long"
        await _keep(update, context, me, {"file_id": note.file_id, "mid": msg.message_id, "heard": ""})
        await reply(update, svc.t(me.language, key, seconds=limits.max_voice_seconds))
        return
    await reply(update, svc.t(me.language, "voice.transcribing"))
    await msg.get_bot().send_chat_action(msg.chat_id, ChatAction.TYPING)
    heard, trouble = await _hear(svc, note, me.language.value)
    await _keep(update, context, me, {"file_id": note.file_id, "mid": msg.message_id, "heard": heard})
    if heard:
        await reply(update, svc.t(me.language, "voice.heard", text=heard),
                    reply_markup=confirm(svc, me, msg.message_id))
    else:
        await reply(update, svc.t(me.language, trouble or "voice.empty"))


async def _hear(svc: BotServices, note: Any, language: str) -> tuple[str, str | None]:
    """The words, or "" and the catalog key saying why not (None: nothing was said)."""
    from speech.queue import Busy, TooSlow

    try:
        audio = bytes(await (await note.get_file()).download_as_bytearray())
        transcribe = svc.speech.transcribe  # type: ignore[union-attr]
        if inspect.iscoroutinefunction(transcribe):
            return (await transcribe(audio, language)).strip(), None
        return (await svc.call(transcribe, audio)).strip(), None  # a plain blocking transcriber: off the loop too
    except Busy:
        return "", "voice.busy"
    except TooSlow:
        return "", "voice.too_slow"
    except Exception:  # undecodable audio, a lost download or a model failure: the note is kept, they type
        logger.exception("voice note could not be transcribed")
        return "", "voice.failed"


async def _keep(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, pending: dict[str, Any]) -> None:
    from bot.messages import with_chat

    async def handle(chat: Chat) -> None:
        await chat.start(KIND, pending)

    await with_chat(update, context, me, handle)


def confirm(svc: BotServices, me: Who, message_id: int) -> Markup:
    return Markup([[B(svc.t(me.language, "btn.voice_ok"), callback_data=f"v:ok:{message_id}"),
                    B(svc.t(me.language, "btn.voice_edit"), callback_data=f"v:edit:{message_id}")]])


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, parts: list[str]) -> bool:
    """v:ok:<note> takes the words heard; v:edit:<note> asks for them typed. False for another note's button."""
    pending = chat.get(KIND)
    if pending is None or len(parts) != 2 or parts[1] != str(pending.get("mid")) or parts[0] not in ("ok", "edit"):
        return False
    if parts[0] == "edit" or not pending.get("heard"):
        await reply(update, services(context).t(me.language, "voice.type_it"))
        return True
    await chat.drop(KIND)
    await _as_text(update, context, me, chat, pending["heard"], _note(pending))
    return True


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str) -> bool:
    """Text typed while a note waits is what the owner meant (an edit, or the note we could not hear)."""
    pending = chat.get(KIND)
    if pending is None:
        return False
    await chat.drop(KIND)
    await _as_text(update, context, me, chat, text, _note(pending))
    return True


def _note(pending: dict[str, Any]) -> Photo:
    return Photo(str(pending["file_id"]), AttachmentKind.VOICE)


async def _as_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str,
                   note: Photo) -> None:
    from bot.messages import take_text

    await take_text(update, context, me, chat, text, (note,))
