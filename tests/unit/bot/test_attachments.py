"""A ticket's attachments through the real handlers, offline: the card names them, its button sends them back."""
from __future__ import annotations

from domain.ticket import AttachmentKind, Stage
from domain.usecases.tickets import attach
from tests.unit.bot.conftest import EN_OWNER, OTHER_OWNER, OWNER, PLUMBER, STAFF, OfflineBot
from tests.unit.bot.test_voice import hearing, mid, voice


async def file_ticket(offline: OfflineBot, photos: int = 1, voices: int = 1) -> int:
    """An urgent report (filed at once) with `photos` photos and `voices` voice notes from its owner."""
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了")
    ticket = offline.tickets()[-1].id
    for n in range(photos):
        await offline.photo(OWNER, f"photo-{n}")  # the owner's only open ticket takes it
    for n in range(voices):
        await offline.svc.run(attach, offline.svc.clock, owner_id(offline), ticket,
                              f"voice-{n}", AttachmentKind.VOICE)
    return ticket


def owner_id(offline: OfflineBot) -> int:
    return next(p.id for p in offline.store.people.values() if p.chat_id == OWNER)


def sent_files(sent: list) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    return [(s.method, str(s.params.get("photo") or s.params.get("voice") or s.params.get("video")),
             str(s.params.get("caption"))) for s in sent if s.method in ("sendPhoto", "sendVoice", "sendVideo")]


async def test_the_card_names_what_is_attached_and_offers_to_listen(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline, photos=2)
    card = offline.to(STAFF, await offline.say(STAFF, f"/ticket {ticket}"))[-1]
    assert "📎 附件：照片 2 张，语音 1 条" in card.text and "照片 2 张" in card.text
    assert f"f:{ticket}" in card.buttons
    button = next(b for row in card.params["reply_markup"]["inline_keyboard"] for b in row
                  if b["callback_data"] == f"f:{ticket}")
    assert button["text"].startswith("🎧")


async def test_an_english_card_says_attached_in_english(offline: OfflineBot) -> None:
    await offline.say(EN_OWNER, "B-1208 the kitchen pipe burst, water everywhere", language_code="en")
    ticket = offline.tickets()[-1].id
    await offline.photo(EN_OWNER, "photo-en")
    card = offline.to(EN_OWNER, await offline.say(EN_OWNER, f"/status {ticket}", language_code="en"))[-1]
    assert "📎 Attached: 1 photo" in card.text and f"f:{ticket}" in card.buttons


async def test_a_card_without_attachments_has_no_files_button(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline, photos=0, voices=0)
    card = offline.to(STAFF, await offline.say(STAFF, f"/ticket {ticket}"))[-1]
    assert "📎" not in card.text and not any(b.startswith("f:") for b in card.buttons)


async def test_the_button_sends_each_file_back_by_its_file_id_with_whose_it_is(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    sent = sent_files(offline.to(STAFF, await offline.tap(STAFF, f"f:{ticket}")))
    assert [(method, file_id) for method, file_id, _ in sent] == [("sendPhoto", "photo-0"), ("sendVoice", "voice-0")]
    assert all(f"工单 #{ticket} · 报修时业主发送 · " in caption for _, _, caption in sent)


async def test_files_n_is_the_buttons_command(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    sent = sent_files(offline.to(OWNER, await offline.say(OWNER, f"/files {ticket}")))
    assert [file_id for _, file_id, _ in sent] == ["photo-0", "voice-0"]


async def test_another_owner_is_refused_and_sent_nothing(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    for sent in (await offline.tap(OTHER_OWNER, f"f:{ticket}"), await offline.say(OTHER_OWNER, f"/files {ticket}")):
        mine = offline.to(OTHER_OWNER, sent)
        assert not sent_files(mine) and "权限" in mine[-1].text


async def test_a_forged_or_unknown_ticket_button_sends_nothing(offline: OfflineBot) -> None:
    await file_ticket(offline)
    for data in ("f:abc", "f:1:2:3", "f:99999"):
        mine = offline.to(OWNER, await offline.tap(OWNER, data))
        assert not sent_files(mine) and mine and ("失效" in mine[-1].text or "找不到" in mine[-1].text)


async def test_many_attachments_come_a_few_per_tap_with_a_more_button(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline, photos=7, voices=0)
    first = offline.to(STAFF, await offline.tap(STAFF, f"f:{ticket}"))
    assert len(sent_files(first)) == 5 and first[-1].buttons == [f"f:{ticket}:5"] and "还有 2 个" in first[-1].text
    rest = offline.to(STAFF, await offline.tap(STAFF, f"f:{ticket}:5"))
    assert [file_id for _, file_id, _ in sent_files(rest)] == ["photo-5", "photo-6"]
    assert not any(b.startswith("f:") for b in rest[-1].buttons)


async def test_the_assigned_technicians_job_offers_the_attachments(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    pushed = offline.to(PLUMBER, await offline.say(STAFF, f"/assign {ticket} {PLUMBER}"))
    assert any(f"f:{ticket}" in s.buttons and f"t:accept:{ticket}" in s.buttons for s in pushed)
    sent = sent_files(offline.to(PLUMBER, await offline.tap(PLUMBER, f"f:{ticket}")))
    assert [file_id for _, file_id, _ in sent] == ["photo-0", "voice-0"]


async def test_a_technician_dictates_the_done_notes_and_the_note_stays_with_the_work(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline, photos=0, voices=0)
    await offline.say(PLUMBER, f"/claim {ticket}")
    await offline.say(PLUMBER, f"/begin {ticket}")
    asked = offline.to(PLUMBER, await offline.say(PLUMBER, f"/done {ticket}"))[-1]
    assert "语音" in asked.text and offline.svc.states.get(PLUMBER, "done")["step"] == "notes"
    hearing(offline, "已更换厨房水管接头")
    note = voice(offline, PLUMBER, "tech-note")
    heard = offline.to(PLUMBER, await offline.send(note))[-1]
    assert "🎙 我听到的是：「已更换厨房水管接头」" in heard.text
    parts = offline.to(PLUMBER, await offline.tap(PLUMBER, f"v:ok:{mid(note)}"))[-1]
    assert "配件" in parts.text
    for step in ("parts", "minutes", "photos"):
        await offline.tap(PLUMBER, f"d:skip:{step}")
    done = offline.tickets()[-1]
    assert done.completion is not None and done.completion.notes == "已更换厨房水管接头"
    assert [(a.file_id, a.kind, a.stage) for a in done.attachments] == [("tech-note", AttachmentKind.VOICE, Stage.WORK)]
    sent = sent_files(offline.to(STAFF, await offline.tap(STAFF, f"f:{ticket}")))
    assert sent and "维修时师傅录的语音" in sent[0][2]


async def test_edit_lets_the_technician_type_the_done_notes_instead(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline, photos=0, voices=0)
    await offline.say(PLUMBER, f"/claim {ticket}")
    await offline.say(PLUMBER, f"/begin {ticket}")
    await offline.say(PLUMBER, f"/done {ticket}")
    hearing(offline, "以更换厨房水管")
    note = voice(offline, PLUMBER, "tech-note-2")
    await offline.send(note)
    await offline.tap(PLUMBER, f"v:edit:{mid(note)}")
    await offline.say(PLUMBER, "已更换厨房水管")
    for step in ("parts", "minutes", "photos"):
        await offline.tap(PLUMBER, f"d:skip:{step}")
    assert offline.tickets()[-1].completion.notes == "已更换厨房水管"


async def test_the_report_summary_names_a_voice_note_as_a_voice_note(offline: OfflineBot) -> None:
    hearing(offline, "厨房水龙头漏水了")
    note = voice(offline, OWNER, "note-summary")
    await offline.send(note)
    card = offline.to(OWNER, await offline.tap(OWNER, f"v:ok:{mid(note)}"))[-1]
    assert "📎 附件：语音 1 条" in card.text and "照片" not in card.text


async def test_the_timeline_says_what_kind_of_file_was_added(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline, photos=1, voices=1)
    card = offline.to(STAFF, await offline.say(STAFF, f"/ticket {ticket}"))[-1]
    assert "添加附件 · 照片 1 张" in card.text and "添加附件 · 语音 1 条" in card.text and "· photo" not in card.text
