"""The one place that builds things: the core (database, clock, policies, estate) and the bot's services.

Tests call the same functions with fakes for any port (unit of work, states, parser, search, transcriber),
so the handlers under test are wired exactly as in production.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from app.catalog_seed import CATALOG, seed_catalog
from app.config import Config
from app.dispatch import dispatch_settings
from bot.i18n import Catalogs
from bot.notify import BotNotifier
from bot.ports import AnswerReader, BotSettings, ChatStates, KbOutcomes, Parser, Search, Transcriber
from bot.services import BotServices
from domain.estate import Building, Estate
from domain.ports import Clock, Notifier, StatsReader, SystemClock, UnitOfWork
from domain.outbox import QuietHours
from domain.billing.ports import BillingPolicy
from domain.business_hours import BusinessHours
from domain.sla import SlaPolicy
from domain.sla_alerts import AlertPolicy
from domain.throttle import Throttle
from domain.incidents import GroupingPolicy
from domain.recurrence import RecurrencePolicy
from domain.usecases.common import Policies
from domain.usecases.registration import bootstrap_admins
from domain.values import Language
from storage.chat_state import ChatStateStore, KbOutcomeStore
from storage.db import make_engine, make_read_session_factory, make_session_factory
from storage.faults import storage_fault
from storage.kb_drafts import SqlDraftStore
from storage.stats import SqlStatsReader
from storage.migrate import upgrade
from storage.uow import Commits, SqlUnitOfWork

logger = logging.getLogger(__name__)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class Core:
    """What every entry point needs; the bot adds its own adapters on top (and its notifier)."""

    config: Config
    engine: Engine | None
    make_uow: Callable[[], UnitOfWork]
    clock: Clock
    policies: Policies
    estate: Estate
    notifier: Notifier | None = None  # set by bootstrap(): every commit then writes its news to the outbox
    make_read_uow: Callable[[], UnitOfWork] | None = None  # lookups that never write (None: make_uow)
    commits: Commits = field(default_factory=Commits)  # what commits wrote: the bot wakes its sender by it

    def read_uow(self) -> UnitOfWork:
        """A unit of work for a lookup: on SQLite it takes no write lock, so it never queues behind writers."""
        return self.make_read_uow() if self.make_read_uow is not None else self.uow()

    def uow(self) -> UnitOfWork:
        work = self.make_uow()
        work.notifier = self.notifier  # type: ignore[attr-defined]
        work.commit_counts = self.commits  # type: ignore[attr-defined]
        return work

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


def estate_from_config(config: Config) -> Estate:
    e = config.estate
    return Estate(id=e.id, name=e.name, buildings=tuple(
        Building(id=b.id, name=b.name, units=tuple(b.units), coordinates=b.coordinates) for b in e.buildings),
        shared_areas=frozenset(a.strip().lower() for a in e.shared_areas),
        unit_areas=frozenset(a.strip().lower() for a in e.unit_areas))


def sla_from_config(config: Config) -> tuple[SlaPolicy, AlertPolicy]:
    sla = config.sla
    hours = BusinessHours(ZoneInfo(config.timezone), frozenset(DAYS.index(d) for d in sla.business_hours.days),
                          sla.business_hours.start, sla.business_hours.end, frozenset(sla.holidays))
    policy = SlaPolicy(dict(sla.response_minutes), dict(sla.resolution_minutes), dict(sla.arrival_minutes),
                       hours, frozenset(sla.business_hours_priorities))
    alerts = AlertPolicy(timedelta(minutes=sla.remind_before_minutes), dict(sla.manager_after_minutes),
                         timedelta(hours=sla.auto_confirm_hours), sla.low_rating)
    return policy, alerts


def policies_from_config(config: Config) -> Policies:
    sla, alerts = sla_from_config(config)
    return Policies(
        sla=sla, alerts=alerts,
        reopen_window=timedelta(days=config.tickets.reopen_window_days),
        urge_cooldown=timedelta(minutes=config.bot.urge_cooldown_minutes),
        invite_ttl=timedelta(hours=config.tickets.invite_ttl_hours),
        billing=BillingPolicy(timedelta(days=config.billing.warranty_days), config.billing.low_stock),
        grouping=GroupingPolicy(timedelta(minutes=config.incidents.group_window_minutes), config.incidents.grouping),
        notice_hours=config.incidents.notice_hours,
        recurrence=RecurrencePolicy(config.recurrence.threshold, timedelta(days=config.recurrence.window_days),
                                    config.recurrence.enabled),
    )


def settings_from_config(config: Config, staff_chat_id: int | None) -> BotSettings:
    return BotSettings(timezone=config.timezone, default_language=Language(config.default_language),
                       max_text_length=config.bot.max_text_length, sla_check_minutes=config.bot.sla_check_minutes,
                       plan_check_minutes=config.recurrence.plan_check_minutes,
                       auto_close_days=config.tickets.auto_close_days, staff_chat_id=staff_chat_id,
                       report_sure=config.nlu.report_sure, registration_attempts=config.bot.registration_attempts,
                       prompt_minutes=config.bot.prompt_minutes, max_voice_seconds=config.bot.max_voice_seconds,
                       max_voice_bytes=config.bot.max_voice_bytes, digest_time=config.sla.digest_time,
                       payment_provider_token=config.billing.payment_provider_token.strip())


def _lookup_sessions(engine: Engine):  # type: ignore[no-untyped-def]
    """Sessions for single lookups (who is this chat, what is it in the middle of). On SQLite every other
    transaction begins IMMEDIATE, taking the one write lock: at 40 updates/s the lookups every update makes
    queued behind writers. PostgreSQL readers never wait, so there they are ordinary sessions."""
    return make_read_session_factory(engine) if engine.dialect.name == "sqlite" else make_session_factory(engine)


def build_core(config: Config, database_url: str | None, clock: Clock | None = None, migrate: bool = True,
               uow: Callable[[], UnitOfWork] | None = None) -> Core:
    """Open the database (migrating it to head) or take the given unit of work; sync the estate, admins, demo."""
    engine = None
    if uow is None:
        assert database_url, "a database URL, or a unit of work, is needed"
        engine = make_engine(database_url)
        if migrate:
            upgrade(engine)
        sessions = make_session_factory(engine)
        uow = lambda: SqlUnitOfWork(sessions)  # noqa: E731
        reads = _lookup_sessions(engine)
        read_uow = lambda: SqlUnitOfWork(reads)  # noqa: E731
    core = Core(config=config, engine=engine, make_uow=uow, clock=clock or SystemClock(),
                policies=policies_from_config(config), estate=estate_from_config(config),
                make_read_uow=read_uow if engine is not None else None)
    with core.uow() as work:
        work.estates.put(core.estate)
        work.commit()
    bootstrap_admins(core.uow(), core.estate.id, config.admin_ids)
    seed_catalog(core.uow(), Path(config.billing.catalog) if config.billing.catalog else CATALOG)
    if config.demo:
        from app.demo import seed_demo  # only demo deployments need it

        if seed_demo(core.uow(), core.estate):
            logger.info("demo data seeded into an empty database")
    return core


def bootstrap(core: Core, nlu: Parser, staff_chat_id: int | None, *, kb: Search | None = None,
              speech: Transcriber | None = None, states: ChatStates | None = None,
              kb_outcomes: KbOutcomes | None = None, answers: AnswerReader | None = None,
              stats: StatsReader | None = None) -> BotServices:
    """The bot's services over `core`; any port left out is the real one (SQL stores, the NLU's answer reader)."""
    if states is None or kb_outcomes is None:
        assert core.engine is not None, "without a database, pass fake chat states and kb outcomes"
        sessions = make_session_factory(core.engine)
        states = states or ChatStateStore(sessions, reads=_lookup_sessions(core.engine))
        kb_outcomes = kb_outcomes or KbOutcomeStore(sessions)
    if core.engine is not None and getattr(kb, "drafts", False) is None:  # a KnowledgeBase with no draft store yet
        kb.use_drafts(SqlDraftStore(make_session_factory(core.engine)))  # type: ignore[union-attr]
    if answers is None:
        from nlu.answers import AnswerReader as NluAnswerReader

        answers = NluAnswerReader()
    bot = core.config.bot
    quiet = bot.quiet_hours
    svc = BotServices(uow=core.uow, clock=core.clock, policies=core.policies, estate=core.estate,
                      throttle=Throttle(bot.flood_messages, timedelta(seconds=bot.flood_seconds)),
                      settings=settings_from_config(core.config, staff_chat_id), nlu=nlu, answers=answers,
                      catalogs=Catalogs(), states=states, kb_outcomes=kb_outcomes, kb=kb, speech=speech,
                      quiet_hours=QuietHours(quiet.start_hour, quiet.end_hour, quiet.enabled),
                      dispatch=dispatch_settings(core.config),
                      stats=stats or (SqlStatsReader(core.engine) if core.engine is not None else None),
                      storage_fault=storage_fault,
                      closers=[core.close, *([speech.close] if hasattr(speech, "close") else [])],
                      read_uow=core.read_uow if core.make_read_uow is not None else None,
                      commits=core.commits if core.engine is not None else None, threads=bot.worker_threads)
    core.notifier = BotNotifier(svc)  # from now on every commit writes its news into the outbox
    return svc
