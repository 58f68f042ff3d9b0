"""Telegram-only features, met from the web: a Telegram invoice becomes a polite 'pay at the service centre'."""
from __future__ import annotations

from typing import Callable

import pytest

from app.config import Config
from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button
from tests.e2e.bot.test_fees import PROVIDER_TOKEN, _done_with_parts
from tests.integration.web.conftest import WebBot
from tests.web_helpers import Resident, chip_data, make_invite, plain

TECH = 2001


@pytest.fixture
def configure() -> Callable[[Config], Config]:
    def with_token(config: Config) -> Config:
        billing = config.billing.model_copy(update={"payment_provider_token": PROVIDER_TOKEN})
        return config.model_copy(update={"billing": billing})
    return with_token


async def test_an_approved_bill_on_the_web_says_to_pay_at_the_service_centre_instead_of_an_invoice(
        webbot: WebBot, tg: SandboxClient) -> None:
    async with Resident(webbot.url) as owner:
        await owner.sign_in(make_invite(webbot.svc, "3-2-1801"), name="王阿姨")
        await owner.wait_for_text("王阿姨")
        after = await owner.last_id()
        await owner.say("厨房水管漏水了")
        card = await owner.wait_for(lambda m: bool(m["buttons"]), after=after)
        await owner.post("/web/api/tap", {"message_id": card["id"], "data": chip_data(card, "r:submit")})
        ticket = ticket_number(plain((await owner.wait_for_text("#", after=card["id"]))["html"]))
        job = await with_button(tg, TECH, f"t:claim:{ticket}")
        await tap(tg, TECH, job, f"t:claim:{ticket}", f"#{ticket}")
        await say(tg, TECH, f"/begin #{ticket}", f"#{ticket}", "共享位置")
        await _done_with_parts(tg, TECH, ticket, "更换了角阀", [("VALVE15", 1)], None)

        bill = await owner.wait_for(lambda m: "55.00" in m["html"] and any(
            c.get("data") == f"t:confirm:{ticket}" for r in m["buttons"] for c in r))
        await owner.post("/web/api/tap", {"message_id": bill["id"], "data": f"t:confirm:{ticket}"})
        note = await owner.wait_for_text(plain(webbot.svc.t(webbot.svc.default_language, "web.pay_at_office")),
                                         after=bill["id"])
        assert f"#{ticket}" in plain(note["html"]) and "55.00" in plain(note["html"])
