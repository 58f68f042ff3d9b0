"""The page itself, as a resident meets it on a phone: what they typed is never lost or run as markup, a photo
over the limit is refused before it uploads, the connection dropping and a session ending are said plainly,
and the language switch changes the page and the bot's answers."""
from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import say
from tests.e2e.web import page_steps as web
from tests.e2e.web.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, WebBotUnderTest

pytestmark = pytest.mark.browser
LINK = re.compile(r"https?://\S+/web/i/[\w-]+")


@pytest.fixture
async def context(browser: Browser, bot: WebBotUnderTest) -> AsyncIterator[BrowserContext]:
    """Closed before the bot stops: an open page's live stream would hold the web server's shutdown."""
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    yield context
    await context.close()


@pytest.fixture
async def page(context: BrowserContext, bot: WebBotUnderTest, tg: SandboxClient) -> Page:
    """王阿姨 signed in from a fresh QR link, the bot's welcome on screen."""
    invite = await say(tg, 3001, "/invite owner 3-2-1801 web", "/web/i/")
    link = LINK.search(invite.content)
    assert link, invite.content
    page = await context.new_page()
    page.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    await web.open_invite(page, link.group(0), re.compile("开始"), "王阿姨")
    return page


async def test_what_a_resident_types_is_shown_as_their_words_and_never_run_as_markup(page: Page) -> None:
    typed = '<img src=x onerror="window.__ran=1"><b>厨房</b> & 水管'
    await web.say(page, typed, "")
    mine = page.get_by_test_id("my-message").last
    await expect(mine).to_contain_text(typed)
    assert await mine.locator("img, b").count() == 0
    assert await page.evaluate("window.__ran === undefined")


async def test_a_photo_over_ten_megabytes_is_refused_on_the_phone_before_it_uploads(page: Page) -> None:
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if r.url.endswith("/web/api/photo") else None)
    await page.get_by_test_id("text").fill("厨房漏水的照片")
    big = {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8" + b"\0" * (10 * 1024 * 1024 + 1)}
    await page.get_by_test_id("photo-input").set_input_files(big)
    await expect(page.get_by_test_id("notice")).to_contain_text("太大")
    await expect(page.get_by_test_id("notice")).to_contain_text("10 MB")
    await expect(page.get_by_test_id("text")).to_have_value("厨房漏水的照片")
    assert uploads == []


async def test_offline_the_text_stays_in_the_box_and_once_back_it_sends_and_the_answer_arrives_live(
        context: BrowserContext, page: Page) -> None:
    await context.set_offline(True)
    await page.get_by_test_id("text").fill("客厅的灯不亮了")
    await page.get_by_test_id("send").click()
    await expect(page.get_by_test_id("notice")).to_contain_text("网络")
    await expect(page.get_by_test_id("text")).to_have_value("客厅的灯不亮了")
    await context.set_offline(False)
    await expect(page.get_by_test_id("notice")).to_be_hidden(timeout=40_000)  # the stream reconnected by itself
    before = await web.bot_count(page)
    await page.get_by_test_id("send").click()
    await expect(page.get_by_test_id("text")).to_have_value("")
    await web.wait_for_bot(page, before, "1801")


async def test_a_session_that_ended_says_how_to_sign_in_again_and_keeps_the_text(
        context: BrowserContext, page: Page) -> None:
    await context.clear_cookies()  # as when the cookie has expired or the browser forgot it
    await page.get_by_test_id("text").fill("卫生间水龙头一直滴水")
    # The live stream may reconnect meanwhile and find out first (its buttons are then dimmed and inert);
    # either way the page must say so and keep the text.
    try:
        await page.get_by_test_id("send").click(timeout=5_000)
    except PlaywrightTimeout:  # not clickable: only because the page already knew
        assert await page.evaluate("document.body.classList.contains('ended')")
    await expect(page.get_by_test_id("notice")).to_contain_text("二维码")
    await expect(page.get_by_test_id("text")).to_have_value("卫生间水龙头一直滴水")


async def test_the_language_switch_turns_the_page_and_the_bot_to_english_and_back(page: Page) -> None:
    before = await web.bot_count(page)
    await page.get_by_test_id("lang-toggle").click()
    await expect(page.get_by_test_id("send")).to_have_text("Send")
    await expect(page.get_by_test_id("lang-toggle")).to_have_text("中文")
    await expect(page.get_by_test_id("text")).to_have_attribute("placeholder", "Type here")
    assert await page.evaluate("document.documentElement.lang") == "en"
    await web.wait_for_bot(page, before, "English")
    answer = await web.say(page, "The kitchen tap is dripping", "1801")
    await expect(answer).to_contain_text("Place")
    before = await web.bot_count(page)
    await page.get_by_test_id("lang-toggle").click()
    await expect(page.get_by_test_id("send")).to_have_text("发送")
    await web.wait_for_bot(page, before, "中文")


async def test_holding_the_voice_button_records_and_sends_a_voice_message_the_bot_answers(
        bot: WebBotUnderTest, tg: SandboxClient) -> None:
    """Chromium's fake microphone (a beep) stands in for the resident's voice; MediaRecorder, the upload, the
    server's conversion to OGG/Opus and the bot's answer are all real (this bot runs without speech, so it says so)."""
    invite = await say(tg, 3001, "/invite owner 3-2-1801 web", "/web/i/")
    link = LINK.search(invite.content)
    assert link, invite.content
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), timeout=30_000, args=[
            *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
        try:
            context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN",
                                                permissions=["microphone"])
            page = await context.new_page()
            page.set_default_timeout(20_000)
            await web.open_invite(page, link.group(0), re.compile("开始"), "王阿姨")
            before = await web.bot_count(page)
            voice = page.get_by_test_id("voice")
            await voice.hover()
            await page.mouse.down()
            await expect(page.get_by_test_id("recording")).to_be_visible()
            await page.wait_for_timeout(1500)
            await page.mouse.up()
            await expect(page.locator("[data-testid=my-message] audio")).to_have_count(1)
            await web.wait_for_bot(page, before, "语音")  # the note reached the bot's voice handler as a voice
            await expect(page.get_by_test_id("recording")).to_be_hidden()
            await context.close()
        finally:
            await browser.close()
