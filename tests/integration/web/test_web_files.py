"""Files cross channels: a technician's photo sent in Telegram opens on the owner's web page (/files N)."""
from __future__ import annotations

import io

from PIL import Image

from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button
from tests.integration.web.conftest import WebBot
from tests.web_helpers import Resident, chip_data, make_invite, plain

TECH = 2001


async def test_a_technicians_telegram_photo_opens_on_the_owners_web_page(webbot: WebBot, tg: SandboxClient) -> None:
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

        out = io.BytesIO()
        Image.new("RGB", (64, 48), (250, 200, 0)).save(out, "JPEG")
        sent = await tg.send_photo(TECH, out.getvalue(), caption=f"#{ticket}")
        await tg.wait_for_message(TECH, lambda m: f"#{ticket}" in m.content, after_id=sent.message_id)

        before = await owner.last_id()
        await owner.say(f"/files {ticket}")
        photo = await owner.wait_for(lambda m: "photo_url" in m, after=before)
        async with owner.http.get(owner.base + photo["photo_url"]) as response:
            assert response.status == 200
            assert Image.open(io.BytesIO(await response.read())).size == (64, 48)
        async with Resident(webbot.url) as neighbour:  # another web resident asks for the same file
            await neighbour.sign_in(make_invite(webbot.svc, "7-1-903"), name="邻居")
            await neighbour.wait_for_text("邻居")
            async with neighbour.http.get(neighbour.base + photo["photo_url"]) as foreign:
                assert foreign.status == 404
