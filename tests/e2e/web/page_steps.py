"""What a resident does on the web page, as small steps: open the QR link, type, tap a chip, send a photo.

Every step waits (time-boxed by the page's default timeout) for what the page shows, never for the server."""
from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

from playwright.async_api import Locator, Page, expect

BOT = "[data-testid=bot-message]:not([hidden])"
WAIT_S = 20.0  # the bot answers in well under a second here; a slow CI machine gets room


def bot_messages(page: Page) -> Locator:
    return page.locator(BOT)


async def bot_count(page: Page) -> int:
    return await bot_messages(page).count()


async def open_invite(page: Page, link: str, start_label: re.Pattern[str], name: str) -> None:
    """Open the QR code's link, say what to call them, tap the one big Start button: the chat opens signed in."""
    await page.goto(link)
    await page.get_by_role("textbox").fill(name)
    await page.get_by_role("button", name=start_label).click()
    await expect(page).to_have_url(re.compile(r"/web/$"))
    await expect(bot_messages(page).first).to_be_visible()


async def say(page: Page, text: str, *needles: str) -> Locator:
    """Type into the box, tap Send; the bot's next answer that shows the needles."""
    before = await bot_count(page)
    await page.get_by_test_id("text").fill(text)
    await page.get_by_test_id("send").click()
    await expect(page.get_by_test_id("text")).to_have_value("")  # cleared only once the server took it
    return await wait_for_bot(page, before, *needles)


async def wait_for_bot(page: Page, before: int, *needles: str, timeout: float = WAIT_S) -> Locator:
    """The first bot bubble after the `before` first ones that shows every needle (they arrive over SSE)."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        seen = await bot_messages(page).all_inner_texts()
        for index, text in enumerate(seen[before:], start=before):
            if all(n in text for n in needles):
                return bot_messages(page).nth(index)
        if time.monotonic() > deadline:
            raise AssertionError(f"no new bot message with {needles!r} in {timeout:.0f} s; new ones: {seen[before:]!r}")
        await asyncio.sleep(0.1)


def chip(page: Page, data_prefix: str) -> Locator:
    """The newest chip whose callback data starts with `data_prefix`."""
    return page.locator(f"{BOT} [data-testid=chip][data-data^='{data_prefix}']").last


async def tap(page: Page, data_prefix: str, *needles: str) -> Locator:
    """Tap the newest chip with that data; the bot's next answer that shows the needles."""
    before = await bot_count(page)
    target = chip(page, data_prefix)
    await expect(target).to_be_enabled()
    await target.click()
    return await wait_for_bot(page, before, *needles)


async def send_photo(page: Page, photo: Path, *needles: str) -> Locator:
    """Take a photo with the camera button (the file chooser a phone's camera fills)."""
    before = await bot_count(page)
    await page.get_by_test_id("photo-input").set_input_files(str(photo))
    return await wait_for_bot(page, before, *needles)


async def shot(page: Page, path: Path) -> None:
    """A phone-sized screenshot of what the resident sees right now (fonts and images loaded)."""
    await page.evaluate("document.fonts.ready")
    await page.wait_for_function("[...document.images].every((i) => i.complete)")
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(path))
