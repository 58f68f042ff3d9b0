"""Voice notes through the real handlers, offline: heard in the owner's language, confirmed, then taken as text."""
from __future__ import annotations

import asyncio
import threading
from typing import Any

from domain.ticket import AttachmentKind
from domain.values import Category, Location
from speech.queue import VoiceQueue
from tests.unit.bot.conftest import EN_OWNER, OTHER_OWNER, OWNER, PLUMBER, OfflineBot
from tests.unit.bot.offline import as_update


class Heard:
    """A transcriber that hears `text` (None: it fails), and notes the language it was asked for."""

    def __init__(self, text: str | None, gate: threading.Event | None = None) -> None:
        self.text, self.gate, self.languages = text, gate, []  # type: ignore[var-annotated]

    def transcribe(self, audio: bytes, language: str | None = None, deadline: float | None = None) -> str:
        self.languages.append(language)
        if self.gate is not None:
            self.gate.wait(10)
        if self.text is None:
            raise RuntimeError("undecodable audio")
        return self.text


def voice(offline: OfflineBot, user: int, file_id: str = "voice-1", duration: int = 4,
          language_code: str = "zh") -> dict[str, Any]:
    update = offline.updates.voice(user, duration, 4000)
    update["message"]["voice"].update(file_id=file_id, file_unique_id=file_id)
    update["message"]["from"]["language_code"] = language_code
    offline.request.files[file_id] = b"OggS"
    return update


def hearing(offline: OfflineBot, text: str | None, **queue: Any) -> Heard:
    heard = Heard(text)
    offline.svc.speech = VoiceQueue(heard, **queue)
    return heard


def mid(update: dict[str, Any]) -> int:
    return update["message"]["message_id"]


async def test_a_chinese_note_is_echoed_for_confirmation_and_opens_nothing_before_it(offline: OfflineBot) -> None:
    heard = hearing(offline, "3栋2单元1801厨房水管漏水了")
    note = voice(offline, OWNER)
    sent = offline.to(OWNER, await offline.send(note))
    assert sent[0].text == "正在识别语音…" and any(s.method == "sendChatAction" for s in offline.request.sent)
    assert "🎙 我听到的是：「3栋2单元1801厨房水管漏水了」" in sent[-1].text
    assert sent[-1].buttons == [f"v:ok:{mid(note)}", f"v:edit:{mid(note)}"]
    assert heard.languages == ["zh"] and offline.tickets() == []


async def test_correct_takes_the_words_through_the_report_dialog_and_the_ticket_keeps_the_note(
        offline: OfflineBot) -> None:
    hearing(offline, "3栋2单元1801厨房水管漏水了")
    note = voice(offline, OWNER, "note-a")
    await offline.send(note)
    card = offline.to(OWNER, await offline.tap(OWNER, f"v:ok:{mid(note)}"))[-1]
    assert "r:submit" in card.buttons and "3-2-1801" in card.text
    await offline.tap(OWNER, "r:submit")
    (ticket,) = offline.tickets()
    assert (ticket.location, ticket.category) == (Location("3", "2", "1801", "厨房"), Category.PLUMBING)
    assert [(a.file_id, a.kind) for a in ticket.attachments] == [("note-a", AttachmentKind.VOICE)]


async def test_an_english_owner_is_heard_in_english(offline: OfflineBot) -> None:
    heard = hearing(offline, "The kitchen tap is leaking")
    note = voice(offline, EN_OWNER, language_code="en")
    sent = offline.to(EN_OWNER, await offline.send(note))
    assert sent[0].text == "Transcribing…" and sent[-1].text.startswith('🎙 I heard: "The kitchen tap is leaking"')
    assert heard.languages == ["en"]


async def test_edit_then_typed_words_replace_what_was_heard_and_the_note_still_goes_with_them(
        offline: OfflineBot) -> None:
    hearing(offline, "启动二单元一八零一厨房漏水")
    note = voice(offline, OWNER, "note-b")
    await offline.send(note)
    asked = offline.to(OWNER, await offline.tap(OWNER, f"v:edit:{mid(note)}"))[-1]
    assert "打字" in asked.text
    card = offline.to(OWNER, await offline.say(OWNER, "7栋2单元1801厨房水管漏水"))[-1]
    assert "7-2-1801" in card.text
    await offline.tap(OWNER, "r:submit")
    (ticket,) = offline.tickets()
    assert ticket.description == "7栋2单元1801厨房水管漏水" and ticket.attachments[0].file_id == "note-b"


async def test_a_note_answering_the_dialogs_question_joins_the_draft(offline: OfflineBot) -> None:
    await offline.say(OWNER, "马桶堵了，冲不下去")  # asks where
    hearing(offline, "就是我家")
    note = voice(offline, OWNER, "note-c")
    await offline.send(note)
    card = offline.to(OWNER, await offline.tap(OWNER, f"v:ok:{mid(note)}"))[-1]
    assert "r:submit" in card.buttons
    await offline.tap(OWNER, "r:submit")
    (ticket,) = offline.tickets()
    assert ticket.location == Location("3", "2", "1801") and ticket.attachments[0].kind is AttachmentKind.VOICE


async def test_a_note_that_cannot_be_heard_is_kept_for_the_report_typed_after_it(offline: OfflineBot) -> None:
    hearing(offline, None)
    await offline.send(voice(offline, OWNER, "note-d"))
    sorry = offline.to(OWNER, offline.request.sent)[-1]
    assert "无法识别" in sorry.text and "已保存" in sorry.text
    await offline.say(OWNER, "3栋2单元1801厨房水管漏水了")
    await offline.tap(OWNER, "r:submit")
    assert offline.tickets()[0].attachments[0].file_id == "note-d"


async def test_a_full_queue_asks_the_owner_to_try_again_and_keeps_the_note(offline: OfflineBot) -> None:
    hearing(offline, "厨房漏水", workers=1, waiting=0)
    offline.svc.speech._taken = 1  # type: ignore[union-attr]  # one note is being decoded already
    sent = offline.to(EN_OWNER, await offline.send(voice(offline, EN_OWNER, language_code="en")))
    assert "try again in a minute" in sent[-1].text and "kept" in sent[-1].text


async def test_the_button_of_an_earlier_note_is_stale(offline: OfflineBot) -> None:
    hearing(offline, "厨房漏水")
    first = voice(offline, OWNER, "note-e")
    await offline.send(first)
    await offline.send(voice(offline, OWNER, "note-f"))
    sent = offline.to(OWNER, await offline.tap(OWNER, f"v:ok:{mid(first)}"))
    assert offline.tickets() == [] and "r:submit" not in sent[-1].buttons


async def test_a_technician_dictates_the_notes_of_done(offline: OfflineBot) -> None:
    hearing(offline, "已更换水龙头阀芯")
    note = voice(offline, PLUMBER)
    sent = offline.to(PLUMBER, await offline.send(note))
    assert "已更换水龙头阀芯" in sent[-1].text  # heard and offered like an owner's: confirmed, it is typed text


async def test_other_chats_are_answered_while_a_note_is_transcribed(offline: OfflineBot) -> None:
    gate = threading.Event()
    offline.svc.speech = VoiceQueue(Heard("厨房漏水", gate))
    note = asyncio.create_task(offline.application.process_update(as_update(voice(offline, OWNER),
                                                                            offline.application.bot)))
    try:
        await asyncio.sleep(0.1)
        sent = offline.to(OTHER_OWNER, await offline.say(OTHER_OWNER, "7栋1单元903卫生间马桶堵了"))
        assert sent and not note.done()  # answered while the note is still in the model
    finally:
        gate.set()
        await note
