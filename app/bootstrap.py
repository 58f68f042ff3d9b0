"""Build the core services from config: engine, unit of work, clock, policies, estate, admins, demo."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from sqlalchemy import Engine

from app.config import Config
from domain.estate import Building, Estate
from domain.ports import Clock, SystemClock, UnitOfWork
from domain.sla import SlaPolicy
from domain.usecases.common import Policies
from domain.usecases.registration import bootstrap_admins
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

logger = logging.getLogger(__name__)


@dataclass
class Core:
    """What every entry point needs; the bot adds its own adapters on top."""

    config: Config
    engine: Engine
    uow: Callable[[], UnitOfWork]
    clock: Clock
    policies: Policies
    estate: Estate

    def close(self) -> None:
        self.engine.dispose()


def estate_from_config(config: Config) -> Estate:
    e = config.estate
    return Estate(id=e.id, name=e.name, buildings=tuple(
        Building(id=b.id, name=b.name, units=tuple(b.units), coordinates=b.coordinates) for b in e.buildings))


def policies_from_config(config: Config) -> Policies:
    return Policies(
        sla=SlaPolicy(dict(config.sla.response_minutes), dict(config.sla.resolution_minutes)),
        reopen_window=timedelta(days=config.tickets.reopen_window_days),
        urge_cooldown=timedelta(minutes=config.bot.urge_cooldown_minutes),
        invite_ttl=timedelta(hours=config.tickets.invite_ttl_hours),
    )


def build_core(config: Config, database_url: str, clock: Clock | None = None, migrate: bool = True) -> Core:
    """Open the database (migrating it to head), sync the estate, bootstrap admins, seed demo data."""
    engine = make_engine(database_url)
    if migrate:
        upgrade(engine)
    sessions = make_session_factory(engine)
    core = Core(config=config, engine=engine, uow=lambda: SqlUnitOfWork(sessions), clock=clock or SystemClock(),
                policies=policies_from_config(config), estate=estate_from_config(config))
    with core.uow() as uow:
        uow.estates.put(core.estate)
        uow.commit()
    bootstrap_admins(core.uow(), core.estate.id, config.admin_ids)
    if config.demo:
        from app.demo import seed_demo  # only demo deployments need it

        if seed_demo(core.uow(), core.estate):
            logger.info("demo data seeded into an empty database")
    return core
