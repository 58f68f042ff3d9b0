"""The bot as its own process against a sandbox started elsewhere, for the crash tests: `python -m
tests.e2e.outbox.bot_process DB_URL BOT_API_URL FILE_API_URL TOKEN LEASE_SECONDS`.

It is app.main's composition (build_core, bootstrap, build_application, run_polling) on the real clock, with the
rules NLU and no quiet hours; the one test hook is a short outbox lease, so a killed sender's claim comes back in
seconds, not a minute.
"""
from __future__ import annotations

import logging
import signal
import sys
from datetime import timedelta

from app.bootstrap import bootstrap, build_core
from app.config import load_config
from bot import sender
from bot.app import build_application
from nlu.rules import RulesParser
from tests.fakes import without_quiet_hours

STAFF_GROUP = -1001


def main(db_url: str, bot_api_url: str, file_api_url: str, token: str, lease_seconds: str) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sender.LEASE = timedelta(seconds=float(lease_seconds))  # the test hook
    core = build_core(without_quiet_hours(load_config()), db_url)
    svc = bootstrap(core, RulesParser(), STAFF_GROUP)
    application = build_application(svc, token, bot_api_url, file_api_url, sandbox=True)
    print("bot process ready", flush=True)
    application.run_polling(poll_interval=0.0, timeout=1, stop_signals=(signal.SIGINT, signal.SIGTERM),
                            close_loop=False)
    svc.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
