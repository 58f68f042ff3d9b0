"""The live bot keeps Telegram's limits in its outbox against Telegram, and leaves the sandbox's tests fast."""
from __future__ import annotations

import pytest

from app.bootstrap import bootstrap, build_core
from app.config import for_sandbox, load_config
from bot.app import build_application
from bot.services import BotServices
from nlu.rules import RulesParser
from tests.fakes import T0, FakeChatStates, FakeClock, FakeKbOutcomes, FakeStore, FakeUnitOfWork


@pytest.fixture
def svc() -> BotServices:
    store = FakeStore()
    core = build_core(for_sandbox(load_config()), None, clock=FakeClock(T0), uow=lambda: FakeUnitOfWork(store))
    return bootstrap(core, RulesParser(), -1001, states=FakeChatStates(), kb_outcomes=FakeKbOutcomes())


def test_the_outbox_is_paced_against_telegram(svc: BotServices) -> None:
    assert build_application(svc, "123456:LIVE").bot_data["sender"].pace is not None


def test_the_outbox_is_not_paced_against_the_sandbox_unless_its_limits_are_on(svc: BotServices) -> None:
    url = "http://127.0.0.1:1/bot"
    assert build_application(svc, "123456:SBX", url, sandbox=True).bot_data["sender"].pace is None
    assert build_application(svc, "123456:SBX", url, sandbox=True, pace=True).bot_data["sender"].pace is not None
