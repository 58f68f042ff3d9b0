"""The browser story (issue #15): an owner with only a phone's browser reports a leak with a photo, a technician
claims and finishes it in the Telegram sandbox, and the owner's page follows live, then confirms and rates."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.async_api import Browser, Page, expect

from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button
from tests.e2e.web import page_steps as web
from tests.e2e.web.conftest import PHONE, WebBotUnderTest

pytestmark = pytest.mark.browser
# `make web-screenshots` keeps them in docs/; an ordinary run takes them into tmp_path (the tree stays clean).
SHOTS_DIR = os.environ.get("WEB_SHOTS_DIR")
STAFF, TECH = 3001, 2001
ON_SITE = (31.2300, 121.4718)  # 3号楼 in config.yml: the technician's check-in is verified there
LINK = re.compile(r"https?://\S+/web/i/[\w-]+")
STORIES = [
    pytest.param("zh", "zh-CN", "王阿姨", "3栋2单元1801厨房水管漏水了", re.compile("开始"), ("张师傅",), "感谢",
                 id="zh"),
    pytest.param("en", "en-US", "Mrs Wang", "The kitchen pipe in 3-2-1801 is leaking", re.compile("Start"),
                 ("张师傅",), "Thank", id="en"),
]


@pytest.mark.parametrize("lang, locale, name, report, start, assigned, thanks", STORIES)
async def test_an_owner_reports_a_leak_with_a_photo_on_the_page_sees_the_claim_live_then_confirms_and_rates(
        browser: Browser, bot: WebBotUnderTest, tg: SandboxClient, tmp_path: Path, lang: str, locale: str,
        name: str, report: str, start: re.Pattern[str], assigned: tuple[str, ...], thanks: str) -> None:
    shots = Path(SHOTS_DIR).resolve() if SHOTS_DIR else tmp_path
    invite = await say(tg, STAFF, "/invite owner 3-2-1801 web", "/web/i/")
    link = LINK.search(invite.content or invite.text or "")
    assert link, invite.content
    context = await browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                        locale=locale)
    try:
        page = await context.new_page()
        page.set_default_timeout(20_000)
        expect.set_options(timeout=20_000)
        await web.open_invite(page, link.group(0), start, name)
        await expect(page.get_by_test_id("hello")).to_contain_text(name)
        await page.evaluate("window.__sameDocument = true")  # gone if the page ever reloads

        photo = _photo(tmp_path / "leak.jpg")
        ticket = await _report_with_photo(page, report, photo, shots / f"web-{lang}-report.png")
        job = await with_button(tg, TECH, f"t:claim:{ticket}")
        before = await web.bot_count(page)
        await tap(tg, TECH, job, f"t:claim:{ticket}", f"#{ticket}")
        await web.wait_for_bot(page, before, f"#{ticket}", *assigned)  # over SSE: nobody reloaded the page
        await web.shot(page, shots / f"web-{lang}-status.png")

        await _technician_finishes(tg, ticket)
        await expect(web.chip(page, f"t:confirm:{ticket}")).to_be_visible()
        await web.tap(page, f"t:confirm:{ticket}", f"#{ticket}")
        await expect(web.chip(page, f"t:rate:{ticket}:5")).to_be_visible()
        await web.shot(page, shots / f"web-{lang}-rate.png")
        await web.tap(page, f"t:rate:{ticket}:5", thanks)
        assert await page.evaluate("window.__sameDocument === true")
    finally:
        await context.close()

    card = await say(tg, STAFF, f"/ticket {ticket}", f"#{ticket}")
    assert "已关闭" in card.text and "★★★★★" in card.text


async def _report_with_photo(page: Page, report: str, photo: Path, screenshot: Path) -> int:
    """Type the report, add the photo, answer whatever chips the bot asks with, submit; the ticket's number."""
    summary = await web.say(page, report, "1801")
    await web.send_photo(page, photo, "1")
    await expect(page.locator("[data-testid=my-message] img.photo").last).to_be_visible()
    for _ in range(4):  # the bot may ask for the kind or the place first; the first offered answer will do
        if await web.chip(page, "r:submit").count():
            break
        await web.tap(page, "r:", "")
    await summary.evaluate("(el) => el.scrollIntoView({block: 'start'})")  # what the bot understood, then the photo
    await web.shot(page, screenshot)
    filed = await web.tap(page, "r:submit", "#")
    return ticket_number(await filed.inner_text())


async def _technician_finishes(tg: SandboxClient, ticket: int) -> None:
    """张师傅 in Telegram: /begin, checks in on site, /done with notes, skips parts, minutes and photos."""
    await say(tg, TECH, f"/begin #{ticket}", f"#{ticket}")
    after = await tg.last_message_id(TECH)
    await tg.send_location(TECH, *ON_SITE)
    await tg.wait_for_text(TECH, f"#{ticket}", "已核实", after_id=after)
    after = await tg.last_message_id(TECH)
    await tg.send_text(TECH, f"/done {ticket} 更换了角阀")
    for step in ("parts", "minutes", "photos"):
        prompt = await with_button(tg, TECH, f"d:skip:{step}", after)
        after = await tg.last_message_id(TECH)
        data = next(b["callback_data"] for b in prompt.buttons if b["callback_data"].startswith(f"d:skip:{step}"))
        await tg.click(TECH, prompt, data)


def _photo(path: Path) -> Path:
    """A phone photo of a leaking pipe, near enough: a wall, a pipe, a drop (JPEG, as a camera gives)."""
    image = Image.new("RGB", (1200, 900), (188, 196, 204))
    draw = ImageDraw.Draw(image)
    draw.rectangle([560, 0, 640, 900], fill=(150, 150, 160))
    draw.ellipse([565, 520, 635, 600], fill=(40, 110, 220))
    image.save(path, "JPEG", quality=85)
    return path
