"""What a web resident does besides reporting: the staff's web invite, a voice note, the language switch,
a live stream that resumes where it stopped, and the pages a browser gets."""
from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import aiohttp

from domain.values import Language
from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import say
from tests.integration.web.conftest import WebBot
from tests.web_helpers import EventStream, Resident, make_invite, plain

STAFF = 3001


async def test_staff_invite_for_the_web_answers_with_the_link_and_its_qr_code_and_the_link_signs_in(
        webbot: WebBot, tg: SandboxClient) -> None:
    answer = await say(tg, STAFF, "/invite owner 3-2-1801 web", "/web/i/")
    link = next(word for word in answer.content.split() if "/web/i/" in word)
    assert link.startswith(webbot.settings.public_url) and "t.me" not in answer.content
    qr = await tg.wait_for_message(STAFF, lambda m: bool(m.photo), after_id=answer.message_id)
    assert "3-2-1801" in (qr.raw.get("plain_caption") or qr.caption or "")
    assert (await tg.download(qr.photo[-1]["file_id"]))[:8] == b"\x89PNG\r\n\x1a\n"
    async with Resident(webbot.url) as browser:
        assert (await browser.sign_in(link.rsplit("/", 1)[1])).status == 303
        await browser.wait_for_text("欢迎")


async def test_a_recording_from_the_page_goes_to_the_bot_as_a_voice_note(webbot: WebBot, tmp_path: Path) -> None:
    webm = tmp_path / "note.webm"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                    "-c:a", "libopus", str(webm)], check=True, timeout=60)
    async with Resident(webbot.url) as browser:
        await browser.sign_in(make_invite(webbot.svc), name="王阿姨")
        await browser.wait_for_text("王阿姨")
        after = await browser.last_id()
        form = aiohttp.FormData()
        form.add_field("file", webm.read_bytes(), filename="note.webm", content_type="audio/webm;codecs=opus")
        status, _ = await browser.post("/web/api/voice", data=form)
        assert status == 200
        mine = [m for m in await browser.messages(after) if m["from"] == "me"]
        assert len(mine) == 1 and "voice_url" in mine[0]
        async with browser.http.get(browser.base + mine[0]["voice_url"]) as audio:
            assert (await audio.read())[:4] == b"OggS"  # converted to what Telegram clients record
        # Speech is off in this bot: the answer is the Telegram one for a voice note without speech.
        await browser.wait_for_text(plain(webbot.svc.t(Language.ZH, "voice.unavailable"))[:12], after=after)


async def test_the_language_switch_goes_through_the_bot_which_answers_in_english_from_then_on(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await browser.sign_in(make_invite(webbot.svc), name="Mrs Wang")
        await browser.wait_for_text("Mrs Wang")
        after = await browser.last_id()
        assert (await browser.post("/web/api/lang", {"language": "en"}))[0] == 200
        await browser.wait_for(lambda m: not any("\u4e00" <= ch <= "\u9fff" for ch in plain(m["html"])), after=after)
        assert (await browser.get("/web/api/session"))["language"] == "en"
        assert all(m["from"] == "bot" for m in await browser.messages(after))  # "/lang en" is not shown
        assert (await browser.post("/web/api/lang", {"language": "fr"}))[0] == 400


async def test_a_live_stream_that_reconnects_with_its_last_event_id_gets_what_it_missed(webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await browser.sign_in(make_invite(webbot.svc), name="王阿姨")
        await browser.wait_for_text("王阿姨")
        async with EventStream(browser) as live:
            await browser.say("/mytickets")
            await live.wait_for(lambda e, m: m["from"] == "bot")
            last_id = live.events[-1][1]
        after = await browser.last_id()
        await browser.say("/help")  # while no page is open
        missed = await browser.wait_for(lambda m: True, after=after)
        async with EventStream(browser, last_event_id=last_id) as resumed:
            again = await resumed.wait_for(lambda e, m: m["id"] == missed["id"])
            assert again["html"] == missed["html"]
            assert all(int(event_id) > int(last_id) for _, event_id, _ in resumed.events)


async def test_the_page_is_served_to_a_session_and_everyone_else_is_shown_how_to_sign_in(webbot: WebBot) -> None:
    async with aiohttp.ClientSession() as anonymous:
        async with anonymous.get(f"{webbot.url}/web/") as page:
            text = await page.text()
            assert page.status == 200 and str(page.url).endswith("/web/help")
            assert webbot.svc.t(Language.ZH, "web.help.title") in text and webbot.svc.t(Language.EN, "web.help.title") in text
    async with Resident(webbot.url) as browser:
        await browser.sign_in(make_invite(webbot.svc))
        async with browser.http.get(f"{webbot.url}/web/") as page:
            assert page.status == 200 and page.headers["X-Frame-Options"] == "DENY"
            assert "/web/static/" in await page.text()
        async with browser.http.get(f"{webbot.url}/web/i/{make_invite(webbot.svc)}") as start:
            body = await start.text()
            assert 'method="post"' in body and "开始" in body and "Start" in body


async def test_two_residents_signing_in_at_once_get_two_chats(webbot: WebBot) -> None:
    async with Resident(webbot.url) as a, Resident(webbot.url) as b:
        await asyncio.gather(a.sign_in(make_invite(webbot.svc, "3-2-1801"), name="甲"),
                             b.sign_in(make_invite(webbot.svc, "7-1-903"), name="乙"))
        await a.wait_for_text("甲")
        await b.wait_for_text("乙")
        assert "乙" not in " ".join(m["html"] for m in await a.messages())


async def test_stopping_the_bot_ends_the_open_pages_event_streams_at_once_instead_of_waiting_a_minute(
        webbot: WebBot) -> None:
    async with Resident(webbot.url) as browser:
        await browser.sign_in(make_invite(webbot.svc), name="王阿姨")
        async with EventStream(browser):
            started = asyncio.get_running_loop().time()
            await asyncio.wait_for(webbot.stop(), 20)
            assert asyncio.get_running_loop().time() - started < 10
