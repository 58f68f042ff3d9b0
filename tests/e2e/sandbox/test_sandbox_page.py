"""The sandbox page in headless Chromium: pick personas, chat with a real bot, tap its buttons, send photos."""
from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from telegram.ext import Application

from tests.integration.sandbox.media import tiny_png

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def open_persona(page: Page, user_id: int):
    await page.get_by_test_id("persona-select").select_option(str(user_id))
    await page.get_by_test_id("open-persona").click()
    column = page.get_by_test_id(f"column-{user_id}")
    await expect(column).to_be_visible()
    return column


async def test_a_persona_chats_with_the_bot_and_taps_an_inline_button(page: Page, echo_bot: Application) -> None:
    column = await open_persona(page, 1001)
    await column.locator(".composer-text").fill("/start hello")
    await column.locator(".composer-text").press("Enter")
    reply = column.get_by_test_id("bot-message").filter(has_text="Hello")
    await expect(reply).to_contain_text("Hello 伟, args=hello")
    await expect(reply.locator("b")).to_have_text("Hello")
    await expect(reply.locator("a.inline-btn")).to_have_attribute("href", "https://example.org/docs")
    card = column.locator(f'[data-message-id="{await reply.get_attribute("data-message-id")}"]')
    await reply.get_by_role("button", name="确认 Yes").click()
    await expect(column.get_by_test_id("toast")).to_have_text("OK")
    reply = card
    await expect(reply).to_contain_text("Confirmed ✅")
    await expect(reply).to_contain_text("edited")
    await expect(reply.get_by_test_id("inline-button")).to_have_count(0)


async def test_owner_technician_and_staff_group_chat_side_by_side(page: Page, echo_bot: Application) -> None:
    owner = await open_persona(page, 1002)
    technician = await open_persona(page, 2001)
    await page.get_by_test_id("open-group").click()
    group = page.get_by_test_id("column-group")
    await expect(page.locator("section.column")).to_have_count(3)
    await owner.locator(".composer-text").fill("Leaking pipe")
    await owner.locator(".send").click()
    await technician.locator(".composer-text").fill("收到")
    await technician.locator(".send").click()
    await group.locator(".as-member").select_option("3002")
    await group.locator(".composer-text").fill("/ping")
    await group.locator(".send").click()
    await expect(owner.get_by_test_id("bot-message").first).to_contain_text("echo: Leaking pipe")
    await expect(technician.get_by_test_id("bot-message").first).to_contain_text("echo: 收到")
    await expect(group.get_by_test_id("bot-message").first).to_contain_text("pong in group")
    await expect(group.get_by_test_id("user-message").first).to_contain_text("孙强")


async def test_a_photo_upload_reaches_the_bot_and_its_photo_reply_is_shown(page: Page, echo_bot: Application) -> None:
    column = await open_persona(page, 1003)
    await column.locator(".file-input").set_input_files(
        files=[{"name": "leak.png", "mimeType": "image/png", "buffer": tiny_png(20, 10)}])
    reply = column.get_by_test_id("bot-message").filter(has_text="bytes 20x10")
    await expect(reply.locator("img.photo")).to_be_visible()
    assert await reply.locator("img.photo").evaluate("img => img.naturalWidth") == 20


async def test_markup_a_user_types_is_shown_as_text_not_run(page: Page, echo_bot: Application) -> None:
    column = await open_persona(page, 1001)
    await column.locator(".composer-text").fill('<img src=x onerror="document.title=1"><b>bold?</b>')
    await column.locator(".send").click()
    reply = column.get_by_test_id("bot-message").filter(has_text="echo:")
    await expect(reply).to_contain_text('echo: <img src=x onerror="document.title=1"><b>bold?</b>')
    assert await column.locator(".messages img").count() == 0
    assert await page.title() != "1"


async def test_a_new_user_shares_a_contact_from_the_page(page: Page, echo_bot: Application) -> None:
    await page.locator("#new-id").fill("5123")
    await page.locator("#new-lang").select_option("en")
    await page.get_by_test_id("open-new-user").click()
    column = page.get_by_test_id("column-5123:en:")
    page.on("dialog", lambda dialog: dialog.accept("+8613900001234" if dialog.type == "prompt" else None))
    await column.locator(".contact-btn").click()  # then "is this your own contact card?": yes
    await expect(column.get_by_test_id("bot-message").first).to_contain_text("phone +8613900001234 yours")
