"""Nobody waits on somebody else: chats run side by side, one chat's updates run in order, no write is lost."""
from __future__ import annotations

import asyncio

from telegram import Update

from bot.concurrency import PerChatUpdateProcessor
from tests.unit.bot.conftest import OWNER, OfflineBot
from tests.unit.bot.offline import UpdateFactory


def update_for(chat: int) -> Update:
    return Update.de_json(UpdateFactory().text(chat, "hi"), None)


async def test_a_slow_update_holds_up_only_its_own_chat_and_each_chat_keeps_its_order() -> None:
    processor = PerChatUpdateProcessor(workers=8)
    finished: list[str] = []

    async def work(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        finished.append(name)

    jobs = [("a1", 1, 0.3), ("a2", 1, 0.0), ("b1", 2, 0.0), ("a3", 1, 0.0), ("b2", 2, 0.05)]
    tasks = []
    for name, chat, seconds in jobs:  # PTB starts one task per update, in arrival order
        tasks.append(asyncio.create_task(processor.process_update(update_for(chat), work(name, seconds))))
        await asyncio.sleep(0)
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)
    assert finished.index("b1") < finished.index("a1") and finished.index("b2") < finished.index("a1")
    assert [n for n in finished if n.startswith("a")] == ["a1", "a2", "a3"]
    assert processor._locks == {}  # nothing kept for chats that went quiet


async def test_two_photos_of_one_album_handled_at_the_same_time_both_reach_the_draft(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801卫生间墙面发霉了")
    # process_update directly, without the per-chat processor: the version check alone must keep both.
    await asyncio.wait_for(asyncio.gather(offline.photo(OWNER, "p1"), offline.photo(OWNER, "p2")), timeout=10)
    photos = offline.svc.states.get(OWNER, "report")["photos"]
    assert sorted(p[0] for p in photos) == ["p1", "p2"]
