"""One person on both channels: a Telegram owner's /web link opens the same chat in a browser; what the bot sends
reaches both, a chip tapped in the browser acts on the Telegram message, and the link works once."""
from __future__ import annotations

from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import say
from tests.integration.web.conftest import WebBot
from tests.web_helpers import EventStream, Resident, chip_data, has_chip, plain

OWNER = 1001  # 3-2-1801, zh, registered on Telegram (demo data)


async def test_a_telegram_owner_opens_the_same_chat_on_the_web_and_a_report_goes_on_in_either(
        webbot: WebBot, tg: SandboxClient) -> None:
    answer = await say(tg, OWNER, "/web", "/web/l/")
    link = next(word for word in answer.content.split() if "/web/l/" in word)
    token = link.rsplit("/", 1)[1]
    async with Resident(webbot.url) as browser, Resident(webbot.url) as stranger:
        response = await browser.http.post(f"{webbot.url}/web/l/{token}", allow_redirects=False)
        assert response.status == 303
        browser.csrf = (await browser.get("/web/api/session"))["csrf"]
        with webbot.svc.uow() as uow:
            assert (await browser.get("/web/api/session"))["name"] == uow.people.by_chat_id(OWNER).name
        again = await stranger.http.post(f"{webbot.url}/web/l/{token}", allow_redirects=False)
        assert again.status == 410 and "Set-Cookie" not in again.headers  # a link works once

        async with EventStream(browser) as live:
            after = await tg.last_message_id(OWNER)
            await tg.send_text(OWNER, "3栋2单元1801厨房水管漏水了")  # typed on the phone
            on_phone = await tg.wait_for_message(OWNER, lambda m: any(b["callback_data"].startswith("r:submit")
                                                                      for b in m.buttons), after_id=after)
            copy = await live.wait_for(lambda e, m: has_chip(m, "r:submit"))
            assert plain(copy["html"]).split()[:3] == on_phone.content.split()[:3]
            assert (await browser.post("/web/api/tap", {"message_id": copy["id"], "data": chip_data(copy, "r:submit")}))[0] == 200
            filed = await tg.wait_for_text(OWNER, "#", after_id=on_phone.message_id)  # the bot answers the phone
            await live.wait_for(lambda e, m: "#" in m["html"] and m["id"] > copy["id"])  # and the page
            assert filed.content


async def test_a_web_link_from_telegram_expires_and_a_made_up_one_is_unknown(webbot: WebBot, tg: SandboxClient) -> None:
    from datetime import timedelta

    answer = await say(tg, OWNER, "/web", "/web/l/")
    token = next(w for w in answer.content.split() if "/web/l/" in w).rsplit("/", 1)[1]
    webbot.clock.advance(timedelta(minutes=webbot.settings.link_minutes + 1))
    async with Resident(webbot.url) as browser:
        assert (await browser.http.post(f"{webbot.url}/web/l/{token}", allow_redirects=False)).status == 410
        assert (await browser.http.get(f"{webbot.url}/web/l/not-a-token")).status == 404
