"""A webhook worker refuses, before touching Telegram, to start on a database that is behind the code
(N workers must not race one migration), and `python -m app migrate` brings it up to date."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import ConfigError, Secrets, load_config
from app.worker import run_worker
from storage.db import make_engine
from storage.migrate import pending

ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_on_an_unmigrated_database_refuses_to_start_and_says_to_migrate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/behind.db"
    config = load_config()
    config = config.model_copy(update={"bot": config.bot.model_copy(
        update={"mode": "webhook", "webhook_url": "https://bot.example.com/telegram/hook"})})
    secrets = Secrets(database_url=url, telegram_bot_token="1:x", telegram_webhook_secret="s" * 20)
    with pytest.raises(ConfigError, match="python -m app migrate"):
        run_worker(config, secrets, 8099)


def test_app_migrate_brings_the_database_to_the_newest_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    done = subprocess.run([sys.executable, "-m", "app", "migrate"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "DATABASE_URL": url})
    assert done.returncode == 0, done.stderr[-2000:]
    engine = make_engine(url)
    assert pending(engine) is False
    engine.dispose()
