"""A resident with only a browser: signs in by the link, is greeted by the bot, reports a leak, sees the card."""
from __future__ import annotations

from domain.ports import TicketFilter
from tests.integration.web.conftest import WebBot
from tests.web_helpers import Resident, chip_data, make_invite


async def test_a_resident_who_opens_the_link_is_registered_by_the_bot_and_greeted_in_chinese(webbot: WebBot) -> None:
    code = make_invite(webbot.svc, "3-2-1801")
    async with Resident(webbot.url) as browser:
        assert (await browser.http.get(f"{webbot.url}/web/i/{code}")).status == 200  # GET only shows the button
        response = await browser.sign_in(code, name="王阿姨")
        assert response.status == 303 and response.headers["Location"] == "/web/"
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=2592000" in cookie
        greeting = await browser.wait_for_text("王阿姨")
        session = await browser.get("/web/api/session")
        assert session["ok"] and session["name"] == "王阿姨" and session["language"] == "zh"
        assert [m["from"] for m in await browser.messages()] == ["bot"]  # "/start <code>" is sent, not shown
        assert greeting["buttons"] == []


async def test_a_web_resident_who_reports_a_leak_gets_the_same_card_as_on_telegram(webbot: WebBot) -> None:
    code = make_invite(webbot.svc, "3-2-1801")
    async with Resident(webbot.url) as browser:
        await browser.sign_in(code, name="王阿姨")
        await browser.wait_for_text("王阿姨")
        after = await browser.last_id()
        status, body = await browser.say("厨房水管漏水了")
        assert status == 200 and body == {"ok": True}
        card = await browser.wait_for(lambda m: bool(m["buttons"]), after=after)
        assert "3-2-1801 厨房" in card["html"] and "给排水" in card["html"]
        chips = {chip["data"] for row in card["buttons"] for chip in row}
        assert {c.split(":~")[0] for c in chips} == {"r:submit", "r:edit", "r:cancel"}  # the same buttons as in Telegram, as chips
        status, _ = await browser.post("/web/api/tap", {"message_id": card["id"], "data": chip_data(card, "r:submit")})
        assert status == 200
        filed = await browser.wait_for_text("#", after=card["id"])
        with webbot.svc.uow() as uow:
            person = uow.people.by_chat_id(webbot.channel.store.highest_web_chat(0))
            tickets = uow.tickets.find(TicketFilter(owner_id=person.id))
        assert len(tickets) == 1 and f"#{tickets[0].id}" in filed["html"]
