"""The real handlers through process_update, on a real database (SQLite and PostgreSQL) instead of fakes."""
from __future__ import annotations

from typing import Any, AsyncIterator

import pytest
from sqlalchemy import Engine

from app.bootstrap import bootstrap, build_core
from app.config import for_sandbox, load_config
from bot.app import build_application
from domain.ports import TicketFilter
from nlu.rules import RulesParser
from storage.chat_state import ChatStateStore, KbOutcomeStore
from storage.db import make_session_factory
from storage.uow import SqlUnitOfWork
from tests.fakes import FakeClock
from tests.unit.bot.conftest import STAFF_GROUP, OfflineBot
from tests.unit.bot.offline import OfflineRequest


class SqlOfflineBot(OfflineBot):
    def tickets(self) -> list[Any]:
        with self.svc.uow() as uow:
            return uow.tickets.find(TicketFilter())


@pytest.fixture
async def offline_sql(engine: Engine) -> AsyncIterator[SqlOfflineBot]:
    sessions = make_session_factory(engine)
    core = build_core(for_sandbox(load_config()), None, clock=FakeClock(), uow=lambda: SqlUnitOfWork(sessions))
    svc = bootstrap(core, RulesParser(), STAFF_GROUP, states=ChatStateStore(sessions),
                    kb_outcomes=KbOutcomeStore(sessions))
    request = OfflineRequest()
    application = build_application(svc, "123456:OFFLINE", request=request)
    await application.initialize()
    yield SqlOfflineBot(application, request, None)  # type: ignore[arg-type]
    await application.shutdown()
