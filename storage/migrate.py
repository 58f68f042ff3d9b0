"""Run Alembic migrations from code: the app upgrades at start, the tests go up and down."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

INI = Path(__file__).resolve().parent / "alembic.ini"


def alembic_config(engine: Engine) -> Config:
    config = Config(str(INI))
    config.set_main_option("script_location", str(INI.parent / "migrations"))
    config.attributes["url"] = engine.url.render_as_string(hide_password=False)
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def pending(engine: Engine) -> bool:
    """True when the database is behind the code's newest migration (the workers refuse to start then)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) != heads
