"""One webhook worker as its own process, for the scale test and bench: `python -m tests.e2e.scale.worker_process
DB_URL BOT_API_URL FILE_API_URL TOKEN PORT SECRET LEASE_SECONDS`.

It is app.worker's composition (build_core, bootstrap, build_application with the PostgreSQL election, serve) on
the real clock, with the rules NLU (no Rasa: the test is about workers, not parsing) and no quiet hours; the test
hooks are the short leases, so a killed worker's claims come back in seconds, not a minute.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import sys
from datetime import timedelta

from app.bootstrap import bootstrap, build_core
from app.config import load_config
from app.worker import election_for, serve
from bot import inbound, sender
from bot.app import build_application
from nlu.rules import RulesParser
from storage.db import make_session_factory
from storage.inbound import SqlInboundQueue
from tests.fakes import without_quiet_hours

STAFF_GROUP = -1001
PATH = "/telegram/hook"
OUTBOX_LEASE_SECONDS = 8.0


def main(db_url: str, bot_api_url: str, file_api_url: str, token: str, port: str, secret: str, lease: str) -> None:
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {port} %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # The test hooks. The inbound lease is renewed while an update runs, so it can be short; an outbox claim is
    # renewed only around long pacing waits, so it must outlast one send on a loaded machine, or a live sender's
    # message would be claimed again and sent twice (production: 60 s).
    inbound.LEASE = timedelta(seconds=float(lease))
    sender.LEASE = timedelta(seconds=OUTBOX_LEASE_SECONDS)
    core = build_core(without_quiet_hours(load_config()), db_url, migrate=False)  # the test migrated once
    assert core.engine is not None
    svc = bootstrap(core, RulesParser(), STAFF_GROUP)
    name = f"worker-{port}"
    application = build_application(svc, token, bot_api_url, file_api_url, sandbox=True,
                                    election=election_for(db_url, name))
    queue = SqlInboundQueue(make_session_factory(core.engine))

    async def run() -> None:
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await serve(application, queue, listen="127.0.0.1", port=int(port), path=PATH, secrets=[secret], stop=stop,
                    name=name)

    asyncio.run(run())
    svc.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
