"""The issue's story over HTTP: an owner with only a browser reports a leak with a photo; a technician claims it
in the Telegram sandbox; the page shows every status change live; the owner confirms and rates it there."""
from __future__ import annotations

import io

import aiohttp
from PIL import Image

from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button
from tests.integration.web.conftest import WebBot
from tests.web_helpers import EventStream, Resident, chip_data, has_chip, make_invite, plain

TECH, STAFF = 2001, 3001
AT_BUILDING_3 = (31.2300, 121.4718)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 90, 160)).save(out, "PNG")  # a PNG: the server makes it a JPEG
    return out.getvalue()


async def test_a_web_owner_reports_a_leak_with_a_photo_and_follows_it_live_to_a_five_star_rating(
        webbot: WebBot, tg: SandboxClient) -> None:
    async with Resident(webbot.url) as owner:
        await owner.sign_in(make_invite(webbot.svc, "3-2-1801"), name="王阿姨")
        await owner.wait_for_text("王阿姨")
        async with EventStream(owner) as live:
            form = aiohttp.FormData()
            form.add_field("file", _photo(), filename="IMG_0001.png", content_type="image/png")
            form.add_field("caption", "厨房水管漏水了")
            status, _ = await owner.post("/web/api/photo", data=form)
            assert status == 200
            mine = await live.wait_for(lambda e, m: m["from"] == "me" and "photo_url" in m)
            async with owner.http.get(owner.base + mine["photo_url"]) as picture:
                assert picture.status == 200 and picture.content_type == "image/jpeg"
                assert Image.open(io.BytesIO(await picture.read())).size == (1200, 900)
            card = await live.wait_for(lambda e, m: has_chip(m, "r:submit"))
            assert "照片" in card["html"] or "附件" in card["html"]
            await owner.post("/web/api/tap", {"message_id": card["id"], "data": chip_data(card, "r:submit")})
            filed = await live.wait_for(lambda e, m: e == "message" and "#" in m["html"] and m["id"] > card["id"])
            ticket = ticket_number(plain(filed["html"]))

            job = await with_button(tg, TECH, f"t:claim:{ticket}")
            await tap(tg, TECH, job, f"t:claim:{ticket}", f"#{ticket}")
            await live.wait_for(lambda e, m: f"#{ticket}" in m["html"] and "张师傅" in m["html"])

            files = await say(tg, TECH, f"/files {ticket}", "")  # the owner's web photo reaches Telegram
            photos = await tg.wait_for_message(TECH, lambda m: bool(m.photo), after_id=files.message_id - 1)
            assert photos.photo

            await say(tg, TECH, f"/begin #{ticket}", f"#{ticket}", "共享位置")
            after = await tg.last_message_id(TECH)
            await tg.send_location(TECH, *AT_BUILDING_3)
            await tg.wait_for_text(TECH, f"#{ticket}", "已核实", after_id=after)
            prompt = await say(tg, TECH, f"/done {ticket} 更换了角阀", "")
            for step in ("parts", "minutes", "photos"):
                prompt = await tap(tg, TECH, prompt, f"d:skip:{step}", "")

            confirm = await live.wait_for(lambda e, m: any(c.get("data") == f"t:confirm:{ticket}"
                                                           for r in m["buttons"] for c in r))
            assert "更换了角阀" in confirm["html"]
            await owner.post("/web/api/tap", {"message_id": confirm["id"], "data": f"t:confirm:{ticket}"})
            stars = await live.wait_for(lambda e, m: any(c.get("data") == f"t:rate:{ticket}:5"
                                                         for r in m["buttons"] for c in r))
            await owner.post("/web/api/tap", {"message_id": stars["id"], "data": f"t:rate:{ticket}:5"})
            await live.wait_for(lambda e, m: m["id"] >= stars["id"] and f"#{ticket}" in m["html"] and
                                not any(c.get("data", "").startswith("t:rate") for r in m["buttons"] for c in r)
                                and (e == "edit" or m["id"] > stars["id"]))
    staff_card = await say(tg, STAFF, f"/ticket {ticket}", f"#{ticket}")
    assert "已关闭" in staff_card.text and "★★★★★" in staff_card.text
