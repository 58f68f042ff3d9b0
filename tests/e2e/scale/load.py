"""The scale test's load through the sandbox: owners filing reports, technicians racing to claim the offers
(two extra all-zone technicians make every job contested), staff and guests chatting. Each step waits for its
answer with a time limit; `Tally` counts every update sent, so the test can prove none was lost."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sandbox import Persona, demo_personas
from sandbox.client import SandboxClient, SandboxError
from tests.e2e.bot.helpers import ticket_number, with_button

OWNER_REPORTS = {
    1001: ["厨房水管漏水了", "卫生间的灯不亮了", "客厅的插座没电了"],
    1002: ["The kitchen tap is dripping", "The bathroom light is broken", "The bedroom socket has no power"],
    1003: ["厨房水管漏水了", "卫生间的灯不亮了", "阳台的水龙头坏了"],
}
RIVALS = [(2004, "钱"), (2005, "周")]  # technicians for every zone and the owners' categories: each offer is raced
GUESTS = list(range(5001, 5007))
STAFF = (3001, 3002)


def personas() -> list[Persona]:
    return [*demo_personas(), *(Persona(uid, "师傅", family, "zh", "technician") for uid, family in RIVALS),
            *(Persona(uid, f"访客{uid}", None, "zh", "guest") for uid in GUESTS)]


@dataclass
class Tally:
    updates: int = 0  # every message and tap sent: each is one update
    tickets: list[int] = field(default_factory=list)
    claims_won: dict[int, list[int]] = field(default_factory=dict)  # ticket -> technicians told they got it

    async def text(self, tg: SandboxClient, user: int, text: str) -> int:
        after = await _last(tg, user)
        await tg.send_text(user, text)
        self.updates += 1
        return after


async def _last(tg: SandboxClient, user: int) -> int:
    try:
        return await tg.last_message_id(user)
    except SandboxError:
        return 0


async def owner_files(tg: SandboxClient, tally: Tally, owner: int, timeout: float = 30.0) -> None:
    for report in OWNER_REPORTS[owner]:
        after = await tally.text(tg, owner, report)
        card = await tg.wait_for_message(owner, lambda m: any(b["callback_data"].startswith("r:submit")
                                                              for b in m.buttons), after_id=after, timeout=timeout)
        before = await _last(tg, owner)
        button = next(b for b in card.buttons if b["callback_data"].startswith("r:submit"))
        await tg.click(owner, card, button["callback_data"], wait_answer=timeout)
        tally.updates += 1
        filed = await tg.wait_for_text(owner, "#", after_id=before, timeout=timeout)
        tally.tickets.append(ticket_number(filed.text))


async def technician_claims(tg: SandboxClient, tally: Tally, tech: int, until: asyncio.Event) -> None:
    """Tap 抢单 on every offer that comes, as fast as it comes, until told to stop."""
    seen = 0
    while not until.is_set():
        try:
            offer = await tg.wait_for_message(tech, lambda m: any(b["callback_data"].startswith("t:claim:")
                                                                  for b in m.buttons), after_id=seen, timeout=1.0)
        except (SandboxError, TimeoutError, AssertionError):
            continue
        seen = offer.message_id
        data = next(b["callback_data"] for b in offer.buttons if b["callback_data"].startswith("t:claim:"))
        ticket = int(data.rsplit(":", 1)[1])
        before = await _last(tg, tech)
        await tg.click(tech, offer, data, wait_answer=30.0)
        tally.updates += 1
        answer = await tg.wait_for_text(tech, f"#{ticket}", after_id=before, timeout=30.0)
        if "抢单成功" in answer.text:
            tally.claims_won.setdefault(ticket, []).append(tech)


CHATTER_GAP_SECONDS = 0.5  # 2 a second: under the flood guard's 30 per 10 s, however fast the machine answers


async def chatter(tg: SandboxClient, tally: Tally, user: int, text: str, until: asyncio.Event) -> None:
    """A user who keeps asking and waits for each answer (so a chat's updates follow one another)."""
    while not until.is_set():
        after = await tally.text(tg, user, text)
        await asyncio.gather(tg.wait_for_message(user, after_id=after, timeout=30.0),
                             asyncio.sleep(CHATTER_GAP_SECONDS))
