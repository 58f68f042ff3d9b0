"""The whole repair loop, in Chinese and in English, through the real bot and the sandbox."""
from __future__ import annotations

import pytest

from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button

STAFF = 3001
BUILDINGS = {2001: (31.2300, 121.4718), 2003: (31.2330, 121.4745)}  # 3号楼 and B座 in config.yml
CHECK_IN_QUESTION = {2001: "共享位置", 2003: "共享位置"}  # both technicians read Chinese
CHECK_IN_VERIFIED = {2001: "已核实", 2003: "已核实"}
STORIES = [
    pytest.param(1001, 2001, "3栋2单元1801厨房水管漏水了", "更换了角阀", ("已派给", "张师傅"), "已关闭", id="zh"),
    pytest.param(1002, 2003, "The kitchen tap in B-1208 is dripping", "Replaced the cartridge", ("assigned", "陈师傅"),
                 "Closed", id="en"),
]


@pytest.mark.parametrize("owner, tech, report, notes, assigned_words, closed_word", STORIES)
async def test_owner_reports_tech_claims_and_finishes_owner_confirms_rates_five_and_staff_see_it_closed(
        tg: SandboxClient, owner: int, tech: int, report: str, notes: str, assigned_words: tuple[str, ...],
        closed_word: str) -> None:
    summary = await with_button(tg, owner, "r:submit", await _sent(tg, owner, report))
    submitted = await tap(tg, owner, summary, "r:submit", "#")
    ticket = ticket_number(submitted.text)

    job = await with_button(tg, tech, f"t:claim:{ticket}")
    await tap(tg, tech, job, f"t:claim:{ticket}", f"#{ticket}")
    await tg.wait_for_text(owner, f"#{ticket}", *assigned_words)

    await say(tg, tech, f"/begin #{ticket}", f"#{ticket}", CHECK_IN_QUESTION[tech])  # work starts, 到场签到 asked
    await tg.wait_for_text(owner, f"#{ticket}", "张师傅" if tech == 2001 else "陈师傅")
    after = await tg.last_message_id(tech)
    await tg.send_location(tech, *BUILDINGS[tech])  # standing at the building: verified
    await tg.wait_for_text(tech, f"#{ticket}", CHECK_IN_VERIFIED[tech], after_id=after)
    prompt = await say(tg, tech, f"/done {ticket} {notes}", "")
    for step in ("parts", "minutes", "photos"):
        prompt = await tap(tg, tech, prompt, f"d:skip:{step}", "")
    assert f"#{ticket}" in prompt.text

    to_confirm = await with_button(tg, owner, f"t:confirm:{ticket}", 0, notes)
    await tap(tg, owner, to_confirm, f"t:confirm:{ticket}", f"#{ticket}")
    stars = await with_button(tg, owner, f"t:rate:{ticket}:5")
    await tap(tg, owner, stars, f"t:rate:{ticket}:5", f"#{ticket}")

    card = await say(tg, STAFF, f"/ticket {ticket}", f"#{ticket}")
    assert "已关闭" in card.text and "★★★★★" in card.text


async def _sent(tg: SandboxClient, user: int, text: str) -> int:
    after = await tg.last_message_id(user)
    await tg.send_text(user, text)
    return after
