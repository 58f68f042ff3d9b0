"""A real PTB Application polls the sandbox: commands, buttons, files and menus work as on Telegram."""
from __future__ import annotations

import pytest
from telegram.ext import Application

from sandbox.client import SandboxClient, SandboxError
from tests.integration.sandbox.media import ogg_voice, tiny_png

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_command_with_arguments_reaches_the_bot_and_its_html_reply_is_recorded(tg: SandboxClient, echo_bot: Application) -> None:
    sent = await tg.send_text(1001, "/start INVITE42")
    reply = await tg.wait_for_text(1001, "Hello", after_id=sent.message_id)
    assert reply.text == "<b>Hello</b> 伟, args=INVITE42"
    assert reply.plain_text == "Hello 伟, args=INVITE42"
    assert reply.parse_mode == "HTML"
    assert reply.message_id == sent.message_id + 1
    assert [b["text"] for b in reply.buttons] == ["确认 Yes", "Docs"]


async def test_plain_text_is_echoed_in_the_same_chat(tg: SandboxClient, echo_bot: Application) -> None:
    sent = await tg.send_text(1002, "The tap in the kitchen drips")
    reply = await tg.wait_for_message(1002, after_id=sent.message_id)
    assert reply.text == "echo: The tap in the kitchen drips"
    assert reply.chat_id == 1002 and reply.from_bot


async def test_a_command_addressed_to_the_bot_by_name_works_in_the_staff_group(tg: SandboxClient, echo_bot: Application) -> None:
    sent = await tg.send_text(3001, "/ping@baoxiu_sandbox_bot", chat_id=-1001)
    reply = await tg.wait_for_message(chat_id=-1001, after_id=sent.message_id)
    assert reply.text == "pong in group"


async def test_only_members_of_the_staff_group_can_post_in_it(tg: SandboxClient) -> None:
    with pytest.raises(SandboxError, match="not a member"):
        await tg.send_text(1001, "hello staff", chat_id=-1001)


async def test_tapping_an_inline_button_is_answered_and_edits_the_message(tg: SandboxClient, echo_bot: Application) -> None:
    sent = await tg.send_text(1003, "/start")
    card = await tg.wait_for_text(1003, "Hello", after_id=sent.message_id)
    click = await tg.click(1003, card, text="确认")
    assert click.answered and click.answer_text == "OK" and click.data == "echo:yes"
    edited = await tg.wait_for_edit(1003, card.message_id)
    assert edited.text == "Confirmed ✅" and edited.buttons == []


async def test_a_forged_callback_reaches_the_bot_and_its_refusal_is_recorded(tg: SandboxClient, echo_bot: Application) -> None:
    sent = await tg.send_text(1001, "/start")
    card = await tg.wait_for_text(1001, "Hello", after_id=sent.message_id)
    click = await tg.click(1001, card, data="tkt:claim:999")
    assert click.answer_text == "This button is not valid." and click.show_alert
    answers = await tg.callback_answers(1001)
    assert answers[-1]["data"] == "tkt:claim:999" and answers[-1]["answered"]
    assert not (await tg.messages(1001, after_id=card.message_id))


async def test_clicking_a_message_that_does_not_exist_is_rejected_unless_forced(tg: SandboxClient, echo_bot: Application) -> None:
    with pytest.raises(SandboxError, match="no bot message 77"):
        await tg.click(1001, 77, data="echo:yes")
    forced = await tg.click(1001, 77, data="echo:stale", force=True)
    assert forced.answer_text == "This button is not valid."


async def test_a_users_photo_is_downloaded_by_the_bot_and_sent_back_by_file_id(tg: SandboxClient, echo_bot: Application) -> None:
    png = tiny_png(40, 30)
    sent = await tg.send_photo(1001, png, caption="漏水 leak")
    reply = await tg.wait_for_message(1001, lambda m: m.photo is not None, after_id=sent.message_id)
    assert reply.caption == f"{len(png)} bytes 40x30"
    assert reply.photo == sent.photo
    assert await tg.download(reply.photo[-1]["file_id"]) == png


async def test_a_voice_note_arrives_with_its_duration_and_ogg_mime_type(tg: SandboxClient, echo_bot: Application) -> None:
    sent = await tg.send_voice(1002, ogg_voice(seconds=3))
    reply = await tg.wait_for_message(1002, after_id=sent.message_id)
    assert reply.text == "voice 3s audio/ogg"


async def test_a_document_round_trips_through_get_file_and_a_multipart_upload(tg: SandboxClient, echo_bot: Application) -> None:
    sent = await tg.send_document(1002, b"invoice,42\n", "invoice.csv")
    reply = await tg.wait_for_message(1002, lambda m: m.document is not None, after_id=sent.message_id)
    assert reply.document["file_name"] == "copy-invoice.csv"
    assert reply.caption == "text/csv"
    assert await tg.download(reply.document["file_id"]) == b"invoice,42\n"


async def test_a_new_user_sharing_a_contact_is_a_user_the_bot_has_never_seen(tg: SandboxClient, echo_bot: Application) -> None:
    sent = await tg.send_contact(5555, "+8613800001111")
    assert sent.raw["contact"] == {"phone_number": "+8613800001111", "first_name": "User 5555", "user_id": 5555}
    reply = await tg.wait_for_message(5555, after_id=sent.message_id)
    assert reply.text == "phone +8613800001111 yours"
    other = await tg.send_contact(5555, "+8613800002222", contact_user_id=1001)
    assert (await tg.wait_for_message(5555, after_id=other.message_id)).text.endswith("not yours")


async def test_command_menus_are_stored_per_scope_and_language(tg: SandboxClient, echo_bot: Application) -> None:
    sent = await tg.send_text(2001, "/menu")
    await tg.wait_for_text(2001, "menu set", after_id=sent.message_id)
    assert await tg.commands(2001) == [{"command": "jobs", "description": "我的工单"}]
    assert await tg.commands(1002) == [{"command": "help", "description": "Help"}]
    commands = await echo_bot.bot.get_my_commands(language_code="zh")
    assert commands == ()

