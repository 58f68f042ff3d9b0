"""The composition root: read config once, build every adapter, run the bot (on Telegram or the sandbox)."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from app.bootstrap import bootstrap, build_core
from app.logs import install_redaction
from app.web_wiring import build_web
from app.config import (Config, ConfigError, Secrets, for_sandbox, for_telegram, load_config, load_secrets,
                        sandbox_database_url, webhook_options, with_payment_token)
from bot.app import build_application
from bot.services import BotServices

logger = logging.getLogger("baoxiu")


def load_knowledge_base(config: Config) -> object | None:
    """Self-help search; a missing model only turns suggestions off, it never stops reports."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from knowledge_base.service import KnowledgeBase

        return KnowledgeBase.load(config.knowledge_base)
    except Exception:
        logger.exception("knowledge base unavailable; self-help suggestions are off")
        return None


def warm_up(svc: BotServices) -> None:
    """One throwaway parse and search, so the first resident does not wait for lazy initialisation."""
    for text in ("你好，3栋2单元1801水管漏水", "hello, the tap is dripping"):
        svc.nlu.parse(text)
        if svc.kb is not None:
            svc.kb.search(text)


def load_speech(config: Config) -> object | None:
    """Voice notes through a bounded queue; a model that will not load only turns voice off."""
    cfg = config.speech
    if not cfg.enabled:
        return None
    from speech import WhisperTranscriber
    from speech.hints import prompts
    from speech.queue import VoiceQueue

    sentence = [language for language, style in cfg.hint_style.items() if style == "sentence"]
    hints = {language: text for language, text in prompts([b.name for b in config.estate.buildings], config.estate.name,
                                                          sentence=sentence).items() if language in cfg.hints}
    transcriber = WhisperTranscriber(cfg.model, cfg.language, models=dict(cfg.models), cache_dir=cfg.cache_dir,
                                     cpu_threads=cfg.cpu_threads, prompts=hints, beam_size=cfg.beam_size)
    queue = VoiceQueue(transcriber, workers=cfg.workers, waiting=cfg.waiting, timeout=cfg.timeout_seconds)
    try:
        for language in config.languages:
            queue.warm_up(language)
    except Exception:
        logger.exception("speech model unavailable; voice notes are answered with an invitation to type")
        return None
    return queue


def run_sandbox(config: Config) -> None:
    """No token: a local Telegram (the sandbox), the NLU server and the bot, on the sandbox's own demo database."""
    config, database_url = for_sandbox(config), sandbox_database_url(config)
    from nlu import build_parser
    from nlu.server import RasaServer
    from sandbox import SandboxServer, demo_personas

    started = time.monotonic()
    sandbox = SandboxServer(demo_personas(), staff_group_id=config.sandbox.staff_chat_id,
                            host=config.sandbox.host, port=config.sandbox.port)
    rasa = RasaServer(config.nlu)
    with ThreadPoolExecutor(1) as loader:
        kb = loader.submit(load_knowledge_base, config)  # loads while Rasa starts: the slowest steps overlap
        with rasa if not rasa.is_running() else _nothing(), sandbox.running_in_thread():
            core = build_core(config, database_url)
            nlu = build_parser(config.nlu, config.default_language)
            svc = bootstrap(core, nlu, config.sandbox.staff_chat_id, kb=kb.result(), speech=load_speech(config))
            warm_up(svc)
            # Paced when the sandbox enforces Telegram's limits as it starts (switching them later through its
            # control API does not reach the bot).
            web = build_web(config, svc, core)
            application = build_application(svc, sandbox.token, sandbox.bot_api_url, sandbox.file_api_url,
                                            sandbox=True, pace=sandbox.traffic.limiter is not None,
                                            channels=web.router if web else None)
            _attach_web(application, web)
            print(f"\nBaoxiu is running in the sandbox (ready in {time.monotonic() - started:.0f} s).", flush=True)
            print(f"Open {sandbox.url} and chat as one of these people:", flush=True)
            for p in sandbox.personas:
                print(f"  {p.user_id}  {p.label}", flush=True)
            if web is not None:
                print(f"Residents without Telegram: {web.config.public_url}/web/ (staff: /invite owner 3-2-1801 web)",
                      flush=True)
            print("Press Ctrl-C to stop.\n", flush=True)
            application.run_polling(stop_signals=(signal.SIGINT, signal.SIGTERM), close_loop=False)
            svc.close()


def _attach_web(application: object, web: object | None) -> None:
    """The web chat's server starts and stops with the bot, on its loop (web/app.py)."""
    if web is not None:
        from web.app import attach

        attach(application, web)  # type: ignore[arg-type]


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def run_telegram(config: Config, secrets: Secrets) -> None:
    """A real token: long polling by default, a webhook (which must have a secret) when config says so."""
    assert secrets.telegram_bot_token
    webhook = webhook_options(config, secrets) if config.bot.mode == "webhook" else None  # before anything starts
    if config.demo:
        logger.warning("demo: true is ignored with a real TELEGRAM_BOT_TOKEN: no demo people or homes are seeded")
    if not config.admin_ids:
        logger.warning("admin_ids is empty in config.yml: nobody can invite staff until an administrator is set")
    config = for_telegram(config)
    database_url, token = secrets.database_url, secrets.telegram_bot_token
    from nlu import build_parser
    from nlu.server import RasaServer

    rasa = RasaServer(config.nlu)
    with ThreadPoolExecutor(1) as loader:
        kb = loader.submit(load_knowledge_base, config)
        with rasa if not rasa.is_running() else _nothing():
            core = build_core(config, database_url)
            nlu = build_parser(config.nlu, config.default_language)
            svc = bootstrap(core, nlu, config.bot.staff_chat_id, kb=kb.result(), speech=load_speech(config))
            warm_up(svc)
            web = build_web(config, svc, core)
            application = build_application(svc, token, channels=web.router if web else None)
            _attach_web(application, web)
            if webhook is not None:
                application.run_webhook(**webhook, close_loop=False)  # type: ignore[arg-type]
            else:
                application.run_polling(close_loop=False)
            svc.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="baoxiu", description="Run the Baoxiu repair bot.")
    parser.add_argument("--config", default=None, help="path to config.yml")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "apscheduler", "telegram.ext.Application"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        config = load_config(args.config) if args.config else load_config()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    secrets = load_secrets()
    config = with_payment_token(config, secrets)
    install_redaction([secrets.telegram_bot_token or "", secrets.telegram_webhook_secret or "",
                       secrets.telegram_webhook_secret_previous or "",
                       config.billing.payment_provider_token,
                       secrets.database_url if "@" in secrets.database_url else ""])
    if secrets.telegram_bot_token:
        try:
            run_telegram(config, secrets)
        except ConfigError as error:
            print(error, file=sys.stderr)
            return 2
    else:
        run_sandbox(config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
