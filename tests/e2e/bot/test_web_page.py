"""The sandbox page with the real bot: an owner files a ticket and a technician claims it, in Chromium."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from sandbox import SandboxServer
from tests.e2e.bot.conftest import BotUnderTest

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


async def test_an_owner_files_a_ticket_on_the_page_and_a_technician_claims_it(sandbox: SandboxServer,
                                                                               bot: BotUnderTest) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; `make setup` installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=30_000)
        page = await browser.new_page()
        page.set_default_timeout(15_000)
        await page.goto(sandbox.url + "/")
        columns = {}
        for user in (1001, 2001):
            await page.get_by_test_id("persona-select").select_option(str(user))
            await page.get_by_test_id("open-persona").click()
            columns[user] = page.get_by_test_id(f"column-{user}")
        owner, tech = columns[1001], columns[2001]
        await owner.locator(".composer-text").fill("3栋2单元1801 卫生间水管漏水")
        await owner.locator(".composer-text").press("Enter")
        await owner.get_by_role("button", name="✅ 提交").click()
        await expect(owner.get_by_test_id("bot-message").filter(has_text="已提交")).to_be_visible()
        job = tech.get_by_test_id("bot-message").filter(has_text="新任务")
        await job.get_by_role("button", name="🙋 抢单").click()
        await expect(tech.get_by_test_id("bot-message").filter(has_text="抢单成功")).to_be_visible()
        await expect(owner.get_by_test_id("bot-message").filter(has_text="张师傅")).to_be_visible()
        await browser.close()
