"""One lift fault, three reporters, over HTTP through the sandbox: one incident, each reporter told it is known,
and the parent's news reaching each of them once."""
from __future__ import annotations

import asyncio

from sandbox.client import SandboxClient, SandboxMessage
from tests.e2e.bot.conftest import STAFF_GROUP, BotUnderTest
from tests.e2e.bot.helpers import say, tap, ticket_number

LIFT_TECH = 2002  # 刘师傅: lifts, every building; lift jobs are auto-dispatched (config.yml)
REPORTERS = ((1001, "3栋2单元电梯坏了，停在8楼不动"), (1002, "The lift in building 3 unit 2 is broken"),
             (1003, "3栋2单元的电梯坏了"))


ANSWERS = ("r:unit:2", "r:unsure", "r:submit")  # a card's submit ends in its draft's mark


async def _report(tg: SandboxClient, owner: int, text: str) -> SandboxMessage:
    """Send the report and answer the dialog's buttons (the unit, no flat) until the bot says a ticket number."""
    after = await tg.last_message_id(owner)
    await tg.send_text(owner, text)
    for _ in range(4):
        reply = await tg.wait_for_message(owner, lambda m: "#" in m.content or any(
            b["callback_data"].startswith(ANSWERS) for b in m.buttons), after_id=after)
        choice = next((b["callback_data"] for b in reply.buttons if b["callback_data"].startswith(ANSWERS)), None)
        if choice is None:
            return reply
        after = await tg.last_message_id(owner)
        await tg.click(owner, reply, choice)
    raise AssertionError(f"the report of {owner} never became a ticket")


async def test_three_reporters_of_a_lift_fault_share_one_incident_and_each_hears_its_progress_once(
        tg: SandboxClient, bot: BotUnderTest) -> None:
    answers = [await _report(tg, owner, text) for owner, text in REPORTERS]
    parent = ticket_number(answers[0].content)
    assert "已知悉" in answers[2].content and f"#{parent}" in answers[2].content
    assert "already knows" in answers[1].content and f"#{parent}" in answers[1].content
    assert {b["callback_data"].split(":")[1] for b in answers[2].buttons} == {"same", "diff"}
    await tg.wait_for_text(None, f"#{parent}", "同一故障", chat_id=STAFF_GROUP)

    confirmed = await tap(tg, 1003, answers[2], "g:same:", f"#{parent}")
    assert "g:" not in str(confirmed.buttons)
    for _ in range(50):  # dispatch rounds run at most every 2 s (bot/dispatching.py): wait up to 10 s for it
        with bot.application.bot_data["services"].uow() as uow:
            tickets = [uow.tickets.get(n) for n in (parent, parent + 1, parent + 2)]
        if tickets[0].technician_id is not None:
            break
        await asyncio.sleep(0.2)
    assert [t.parent_id for t in tickets] == [None, parent, parent]
    assert tickets[0].technician_id is not None and tickets[1].technician_id is None  # only the parent is dispatched

    marks = {owner: await tg.last_message_id(owner) for owner, _ in REPORTERS}
    await say(tg, LIFT_TECH, f"/accept {parent}", f"#{parent}")
    await say(tg, LIFT_TECH, f"/begin {parent}", f"#{parent}")
    for owner, _ in REPORTERS:
        await tg.wait_for_text(owner, "#", after_id=marks[owner])
    await asyncio.sleep(1.0)  # time for any repeat to arrive: there must be none
    for owner, _ in REPORTERS:
        news = [m for m in await tg.messages(owner, after_id=marks[owner]) if "维修" in m.content
                or "repair" in m.content.lower() or "arriv" in m.content.lower() or "到场" in m.content]
        assert len(news) == 1, (owner, [m.content for m in news])
