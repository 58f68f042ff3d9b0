"""`python -m app worker`: one of N webhook workers behind nginx, sharing PostgreSQL (deploy/, docs/scale-out.md).

Each worker stores the updates it is sent and handles whichever stored updates it claims (bot/inbound.py); the
one that holds the advisory lock (storage/leader.py) also sends the outbox, dispatches and sweeps. Rasa is not
started here: in this mode it runs as its own servers behind the same front (nlu.host/port point at nginx).
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from urllib.parse import urlparse

from aiohttp import web
from telegram import Bot
from telegram.ext import Application

from app.config import Config, ConfigError, Secrets, for_telegram, webhook_options
from bot.inbound import InboundPump, InboundQueue, receiver
from bot.leadership import Election
from storage.db import make_engine, make_session_factory
from storage.inbound import SqlInboundQueue
from storage.leader import AlwaysLeader, PgAdvisoryElection
from storage.migrate import pending

logger = logging.getLogger("baoxiu.worker")
MAX_CONNECTIONS = 40  # Telegram's default; nginx spreads them over the workers


def election_for(database_url: str, name: str) -> Election:
    """PostgreSQL: an advisory lock decides; SQLite: one process, always the leader."""
    if database_url.startswith(("postgres://", "postgresql")):
        return PgAdvisoryElection(database_url, name=name)
    return AlwaysLeader()


def worker_name(port: int) -> str:
    return f"{socket.gethostname()}:{port}:{os.getpid()}"


async def serve(application: Application, queue: InboundQueue, *, listen: str, port: int, path: str,
                secrets: list[str], stop: asyncio.Event, webhook_url: str | None = None,
                name: str | None = None) -> None:
    """The application's life by hand (PTB's custom-webhook pattern): receiver and pump in, then out in order."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    pump = InboundPump(application, queue, name or worker_name(port))
    runner = web.AppRunner(receiver(application, queue, secrets, path, pump.kick), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, listen, port, reuse_address=True).start()
    pumping = asyncio.create_task(pump.run(), name="inbound-pump")
    if webhook_url:
        await ensure_webhook(application.bot, webhook_url, secrets[0])
    print(f"worker ready on {listen}:{port}", flush=True)
    await stop.wait()
    await runner.cleanup()  # first stop taking updates (the front sends them to the others), then finish ours
    pump.stop()
    await pumping
    await application.stop()
    if application.post_stop is not None:
        await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


async def ensure_webhook(bot: Bot, url: str, secret: str, force: bool = False) -> str:
    """Set on the first start only: every worker would otherwise set it again, and a secret being rotated
    must not reach Telegram before every worker accepts it (`python -m app webhook` then; OPERATIONS.md)."""
    info = await bot.get_webhook_info()
    if force or info.url != url:
        await bot.set_webhook(url, secret_token=secret, max_connections=MAX_CONNECTIONS)
        logger.info("webhook set to %s", url)
        info = await bot.get_webhook_info()
    return f"webhook {info.url}: {info.pending_update_count} pending, last error: {info.last_error_message or 'none'}"


def set_webhook_now(config: Config, secrets: Secrets) -> str:
    """`python -m app webhook`: after every worker accepts the new secret, Telegram is told to send it."""
    options = webhook_options(config, secrets)

    async def run() -> str:
        async with Bot(str(secrets.telegram_bot_token)) as bot:
            return await ensure_webhook(bot, str(options["webhook_url"]), str(options["secret_token"]), force=True)
    return asyncio.run(run())


WEB_PORT_OFFSET = 1000  # a worker's web chat listens on its webhook port + this unless --web-port says otherwise


def run_worker(config: Config, secrets: Secrets, port: int | None = None, web_port: int | None = None) -> None:
    """A real token, bot.mode webhook: build like run_telegram, then serve as one worker of many. Each worker also
    serves the web chat on its own port (nginx keeps a browser on one worker by its session cookie)."""
    from app.bootstrap import bootstrap, build_core
    from app.main import _attach_web, load_knowledge_base, load_speech, warm_up
    from app.web_wiring import build_web
    from bot.app import build_application
    from nlu import build_parser

    options = webhook_options(config, secrets)  # checks the URL and the secret before anything starts
    config, token = for_telegram(config), secrets.telegram_bot_token
    assert token, "a worker needs TELEGRAM_BOT_TOKEN"
    port = port or config.bot.webhook_port
    check = make_engine(secrets.database_url)
    behind = pending(check)
    check.dispose()
    if behind:  # N workers must not race one migration: it runs once, before them (deploy/OPERATIONS.md)
        raise ConfigError("the database is behind this version: run `python -m app migrate` once, then the workers")
    core = build_core(config, secrets.database_url, migrate=False)
    assert core.engine is not None
    svc = bootstrap(core, build_parser(config.nlu, config.default_language), config.bot.staff_chat_id,
                    kb=load_knowledge_base(config), speech=load_speech(config))
    warm_up(svc)
    name = worker_name(port)
    config = config.model_copy(update={"web": config.web.model_copy(
        update={"port": web_port if web_port is not None else port + WEB_PORT_OFFSET})})
    web = build_web(config, svc, core)
    application = build_application(svc, token, election=election_for(secrets.database_url, name),
                                    channels=web.router if web else None)
    _attach_web(application, web)
    queue = SqlInboundQueue(make_session_factory(core.engine))
    accepted = [str(options["secret_token"]), secrets.telegram_webhook_secret_previous or ""]
    path = urlparse(str(options["webhook_url"])).path or "/"

    async def main() -> None:
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await serve(application, queue, listen=config.bot.webhook_listen, port=port, path=path, secrets=accepted,
                    stop=stop, webhook_url=str(options["webhook_url"]), name=name)

    asyncio.run(main())
    svc.close()
