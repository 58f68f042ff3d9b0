"""Integration fixtures: a migrated database per test, on SQLite and on PostgreSQL."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import Engine, text

from storage.db import make_engine, make_session_factory
from storage.migrate import downgrade, upgrade
from storage.uow import SqlUnitOfWork

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


def _postgres_engine() -> Engine:
    engine = make_engine(PG_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # any driver error means: not reachable
        engine.dispose()
        message = f"PostgreSQL is not reachable at {PG_URL} ({exc.__class__.__name__}). Start it with: {PG_START}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Engine:  # type: ignore[no-untyped-def]
    """An empty database migrated to head; PostgreSQL is reset to base first and after."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/test.db")
    else:
        eng = _postgres_engine()
        downgrade(eng)
    upgrade(eng)
    yield eng
    if request.param == "postgres":
        downgrade(eng)
    eng.dispose()


@pytest.fixture
def uow_factory(engine: Engine):  # type: ignore[no-untyped-def]
    sessions = make_session_factory(engine)
    return lambda: SqlUnitOfWork(sessions)
