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


def test_the_replay_guards_ids_move_from_chat_states_to_their_own_table(engine: Engine) -> None:
    from datetime import datetime, timezone

    from sqlalchemy import text

    downgrade(engine, "0014")
    with engine.begin() as c:
        c.execute(text("INSERT INTO chat_states (chat_id, kind, data, updated_at, version) VALUES "
                       "(7, 'seen_updates', :ids, :at, 3), (7, 'report', '{}', :at, 1)"),
                  {"ids": '{"ids": [11, 12, 12]}', "at": datetime(2026, 12, 1, tzinfo=timezone.utc)})
    upgrade(engine)
    with engine.connect() as c:
        assert sorted(c.execute(text("SELECT chat_id, update_id FROM seen_updates")).all()) == [(7, 11), (7, 12)]
        assert c.execute(text("SELECT kind FROM chat_states")).scalars().all() == ["report"]
