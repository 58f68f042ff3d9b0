"""Security of the web chat: every attempt is refused clearly (status + a message in the resident's language)
and reaches no use case; the bot's own authorization answers a web resident exactly as a Telegram one."""
from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from domain.values import Language
from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import say, tap, ticket_number
from tests.integration.web.conftest import WebBot, web_settings
from tests.web_helpers import Resident, make_invite, plain
from web.settings import WebSettings

PHOTO_LIMIT = 300_000


@pytest.fixture
def settings() -> WebSettings:
    return web_settings(max_photo_bytes=PHOTO_LIMIT, max_voice_bytes=200_000, rate_per_minute=12)


async def _signed_in(webbot: WebBot, browser: Resident, home: str = "3-2-1801") -> None:
    await browser.sign_in(make_invite(webbot.svc, home), name="王阿姨")
    await browser.wait_for_text("王阿姨")


async def test_an_expired_link_shows_a_clear_page_in_both_languages_and_signs_nobody_in(webbot: WebBot) -> None:
    code = make_invite(webbot.svc)
    webbot.clock.advance(webbot.svc.policies.invite_ttl + timedelta(minutes=1))
    async with Resident(webbot.url) as browser:
        page = await browser.http.get(f"{webbot.url}/web/i/{code}")
        text = await page.text()
        assert page.status == 410
        assert webbot.svc.t(Language.ZH, "err.invite.expired") in text and webbot.svc.t(Language.EN, "err.invite.expired") in text
        posted = await browser.sign_in(code)
        assert posted.status == 410 and "Set-Cookie" not in posted.headers
        assert (await browser.http.get(f"{webbot.url}/web/api/session")).status == 401


async def test_a_link_used_once_cannot_sign_in_a_second_browser(webbot: WebBot) -> None:
    code = make_invite(webbot.svc)
    async with Resident(webbot.url) as first, Resident(webbot.url) as second:
        assert (await first.sign_in(code)).status == 303
        await first.wait_for_text("欢迎")
        again = await second.sign_in(code)
        assert again.status == 410 and webbot.svc.t(Language.ZH, "err.invite.used") in await again.text()
        assert "Set-Cookie" not in again.headers
        assert (await second.http.get(f"{webbot.url}/web/i/{code}")).status == 410
        # The browser it signed in, scanning the same code again, is simply taken back to its chat.
        back = await first.http.get(f"{webbot.url}/web/i/{code}", allow_redirects=False)
        assert back.status == 302 and back.headers["Location"] == "/web/"


async def test_an_unknown_link_is_not_found(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        page = await browser.http.get(f"{webbot.url}/web/i/not-a-code")
        assert page.status == 404 and webbot.svc.t(Language.EN, "err.invite.unknown") in await page.text()


@pytest.mark.parametrize("cookie", ["made-up", "abc.0123456789abcdef", "x" * 32 + "." + "0" * 64])
async def test_a_forged_cookie_is_refused_with_a_message_in_the_browsers_language(webbot: WebBot, cookie: str) -> None:
    for accept, language in (("zh-CN", Language.ZH), ("en-GB,en", Language.EN)):
        async with aiohttp.ClientSession(headers={"Accept-Language": accept, "Cookie": f"bx_session={cookie}"}) as http:
            async with http.get(f"{webbot.url}/web/api/session") as response:
                body = await response.json()
                assert response.status == 401 and body["ok"] is False and body["code"] == "no_session"
                assert body["message"] == webbot.svc.t(language, "web.err.no_session")
            async with http.get(f"{webbot.url}/web/", allow_redirects=False) as page:
                assert page.status == 302 and page.headers["Location"] == "/web/help"


async def test_a_cookie_from_another_signed_in_session_still_needs_its_own_server_signature(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await _signed_in(webbot, browser)
        real = next(c for c in browser.http.cookie_jar if c.key == "bx_session").value
        sid, mac = real.rsplit(".", 1)
        tampered = f"{sid[:-1]}{'A' if sid[-1] != 'A' else 'B'}.{mac}"
        async with aiohttp.ClientSession(headers={"Cookie": f"bx_session={tampered}"}) as http:
            async with http.get(f"{webbot.url}/web/api/session") as response:
                assert response.status == 401 and (await response.json())["code"] == "no_session"


async def test_an_expired_session_is_told_to_ask_for_a_new_link(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await _signed_in(webbot, browser)
        webbot.clock.advance(timedelta(days=webbot.settings.session_days, minutes=1))
        status, body = await browser.say("你好")
        assert status == 401 and body["code"] == "session_expired"
        assert body["message"] == webbot.svc.t(Language.ZH, "web.err.session_expired")


async def test_a_post_without_the_csrf_token_is_refused_and_reaches_no_handler(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await _signed_in(webbot, browser)
        before = await browser.messages()
        for token in ("", "0" * 64):
            status, body = await browser.post("/web/api/send", {"text": "/mytickets"}, headers={"X-CSRF-Token": token})
            assert status == 403 and body["code"] == "csrf" and body["message"] == webbot.svc.t(Language.ZH, "web.err.csrf")
        cross_site = await browser.http.post(f"{webbot.url}/web/api/send", json={"text": "hi"},
                                             headers={"Origin": "https://evil.example"})
        assert cross_site.status == 403
        assert await browser.messages() == before


async def test_an_oversized_photo_is_refused_with_the_limit_in_the_residents_language(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await _signed_in(webbot, browser)
        form = aiohttp.FormData()
        form.add_field("file", b"\xff\xd8" + b"\0" * (PHOTO_LIMIT + 10), filename="big.jpg", content_type="image/jpeg")
        status, body = await browser.post("/web/api/photo", data=form)
        assert status == 413 and body["code"] == "too_large"
        assert body["message"] == webbot.svc.t(Language.ZH, "web.err.too_large", mb="0.3")  # 300,000 bytes
        voice = aiohttp.FormData()
        voice.add_field("file", b"\0" * 300_000, filename="v.webm", content_type="audio/webm")
        status, body = await browser.post("/web/api/voice", data=voice)
        assert status == 413 and body["code"] == "too_large"
        assert [m for m in await browser.messages() if m["from"] == "me"] == []


async def test_something_that_is_not_a_picture_is_refused_politely(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await _signed_in(webbot, browser)
        form = aiohttp.FormData()
        form.add_field("file", b"<svg onload=alert(1)>", filename="x.svg", content_type="image/svg+xml")
        status, body = await browser.post("/web/api/photo", data=form)
        assert status == 400 and body["message"] == webbot.svc.t(Language.ZH, "web.err.bad_photo")


async def test_a_session_posting_faster_than_its_rate_is_asked_to_wait(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await _signed_in(webbot, browser)
        statuses = [(await browser.post("/web/api/send", {"text": ""}))[0] for _ in range(13)]
        assert statuses == [400] * 12 + [429]
        status, body = await browser.say("你好")
        assert status == 429 and body["message"] == webbot.svc.t(Language.ZH, "web.err.rate")
        webbot.clock.advance(timedelta(minutes=1))
        assert (await browser.say("你好"))[0] == 200


async def test_a_tap_on_a_button_the_message_does_not_show_is_refused(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await _signed_in(webbot, browser)
        greeting = (await browser.messages())[-1]
        status, body = await browser.post("/web/api/tap", {"message_id": greeting["id"], "data": "t:claim:1"})
        assert status == 400 and body["code"] == "bad_input"
        status, _ = await browser.post("/web/api/tap", {"message_id": 10 ** 6, "data": "r:submit"})
        assert status == 400


async def test_another_residents_ticket_id_gets_the_bots_own_refusal_as_on_telegram(webbot: WebBot,
                                                                                     tg: SandboxClient) -> None:
    card = await say(tg, 1002, "The kitchen tap in my flat is leaking", "Submit")
    filed = await tap(tg, 1002, card, "r:submit", "#")
    theirs = ticket_number(filed.text)
    on_telegram = await say(tg, 1003, f"/status {theirs}")  # another owner, on Telegram (zh)
    async with Resident(webbot.url) as browser:
        await _signed_in(webbot, browser)
        after = await browser.last_id()
        assert (await browser.say(f"/status {theirs}"))[0] == 200
        on_web = await browser.wait_for(lambda m: True, after=after)
    assert plain(on_web["html"]) == on_telegram.text and "#" not in on_telegram.text.replace(f"#{theirs}", "")
    assert "B-1208" not in on_web["html"] and "kitchen" not in on_web["html"].lower()


async def test_a_resident_staff_deactivate_is_signed_out_of_the_web_chat(webbot: WebBot, tg: SandboxClient) -> None:
    async with Resident(webbot.url) as browser:
        await _signed_in(webbot, browser)
        chat_id = webbot.channel.store.highest_web_chat(0)  # type: ignore[union-attr]
        await say(tg, 3001, f"/deactivate {chat_id}", "王阿姨")
        status, body = await browser.say("你好")
        assert status == 401 and body["code"] == "deactivated"
        assert body["message"] == webbot.svc.t(Language.ZH, "web.err.deactivated")
        await say(tg, 3001, f"/activate {chat_id}", "王阿姨")
        status, body = await browser.say("你好")  # the session ended with the deactivation; a new link is needed
        assert status == 401 and body["code"] == "session_expired"


async def test_after_logout_the_cookie_opens_nothing(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await _signed_in(webbot, browser)
        real = next(c for c in browser.http.cookie_jar if c.key == "bx_session").value
        status, body = await browser.post("/web/api/logout")
        assert status == 200 and body["message"] == webbot.svc.t(Language.ZH, "web.logged_out")
        async with aiohttp.ClientSession(headers={"Cookie": f"bx_session={real}"}) as http:
            async with http.get(f"{webbot.url}/web/api/messages") as response:
                assert response.status == 401 and (await response.json())["code"] == "session_expired"


async def test_a_sign_in_posted_from_another_site_is_refused(webbot: WebBot) -> None:
    code = make_invite(webbot.svc)
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{webbot.url}/web/i/{code}", data={"name": "x"}, allow_redirects=False,
                             headers={"Origin": "https://evil.example"}) as response:
            assert response.status == 403 and "Set-Cookie" not in response.headers
    async with Resident(webbot.url) as browser:  # the code is still usable by its resident
        assert (await browser.sign_in(code)).status == 303



async def test_markup_in_a_name_or_a_message_is_shown_as_text_never_as_html(webbot: WebBot) -> None:
    evil = '<img src=x onerror=alert(1)><script>alert(2)</script>'
    async with Resident(webbot.url) as browser:
        await browser.sign_in(make_invite(webbot.svc), name=evil)
        await browser.wait_for_text("alert(1)")  # the bot greets them by that "name", as text
        assert (await browser.say(evil + " 厨房水管漏水了"))[0] == 200
        await browser.wait_for(lambda m: bool(m["buttons"]))
        for message in await browser.messages():
            assert "<img" not in message["html"] and "<script" not in message["html"]
        mine = [m for m in await browser.messages() if m["from"] == "me"]
        assert mine[0]["html"].startswith("&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;")


async def test_staff_revoking_the_used_web_invite_signs_that_browser_out(webbot: WebBot, tg: SandboxClient) -> None:
    code = make_invite(webbot.svc)
    async with Resident(webbot.url) as browser:
        await browser.sign_in(code, name="王阿姨")
        await browser.wait_for_text("王阿姨")
        answer = await say(tg, 3001, f"/revoke {code}", code)
        assert answer.content == webbot.svc.t(Language.ZH, "web.revoked_sessions", code=code, count=1)
        status, body = await browser.say("你好")
        assert status == 401 and body["code"] == "session_expired"
    unused = make_invite(webbot.svc)
    revoked = await say(tg, 3001, f"/revoke {unused}", unused)  # an unused one: the usual answer, as before
    assert revoked.content == webbot.svc.t(Language.ZH, "access.revoked", code=unused)
