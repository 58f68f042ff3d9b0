"""Migrations go up and down cleanly and match the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from storage.migrate import downgrade, upgrade
from storage.models import Base

TABLES = {"estates", "people", "tickets", "ticket_events", "ticket_attachments", "invites", "owner_register",
          "kb_drafts", "notices"}


def test_upgrade_creates_every_table(engine: Engine) -> None:
    assert TABLES <= set(inspect(engine).get_table_names())


def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(engine: Engine) -> None:
    downgrade(engine)
    assert not (TABLES & set(inspect(engine).get_table_names()))
    upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())


def test_migrations_match_the_models_exactly(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
