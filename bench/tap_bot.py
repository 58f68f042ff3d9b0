"""Run one version of the bot (whichever tree is on PYTHONPATH) against a sandbox until SIGTERM; for the tap bench.

Feature-detects the composition API: `app.bootstrap.bootstrap` (after the report-dialog rewrite) or
`app.main.build_services` (before it). Both get the rules NLU (or, with --rasa-port, the production parser), the real knowledge base, no speech, and a
fresh SQLite database (demo data seeds itself). Prints "READY <api>" once the bot polls.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import Any


def build_services(db_path: str, staff_chat_id: int, kb_cache: str, rasa_port: int | None = None) -> tuple[Any, str]:
    import app.bootstrap as boot
    import app.main as main
    from app.config import load_config
    from nlu.rules import RulesParser

    config = load_config()
    config = config.model_copy(update={  # voice notes are not measured; the embedding cache is shared by content hash
        "speech": config.speech.model_copy(update={"enabled": False}),
        "knowledge_base": config.knowledge_base.model_copy(update={"cache_dir": kb_cache})})
    if "flood_messages" in type(config.bot).model_fields:  # the simulated owner answers in milliseconds, 60 times
        # over: flood control (tested in tests/unit/bot/test_guards.py) would cut off what no person sends that fast
        config = config.model_copy(update={"bot": config.bot.model_copy(update={"flood_messages": 100_000})})
    kb = main.load_knowledge_base(config)
    core = boot.build_core(config, f"sqlite:///{db_path}")
    nlu: Any = RulesParser()
    if rasa_port is not None:  # the production parser: Rasa on that port, the rules parser when it fails
        from nlu import build_parser

        nlu = build_parser(config.nlu.model_copy(update={"port": rasa_port}), config.default_language)
    if hasattr(boot, "bootstrap"):
        svc, api = boot.bootstrap(core, nlu, staff_chat_id, kb=kb), "bootstrap"
    else:
        svc, api = main.build_services(core, nlu, staff_chat_id, kb), "build_services"
    if hasattr(main, "warm_up"):
        main.warm_up(svc)
    return svc, api


def close(svc: Any) -> None:
    if hasattr(svc, "close"):
        svc.close()
    elif getattr(svc, "core", None) is not None:
        svc.core.close()


async def serve(args: argparse.Namespace) -> None:
    """Start the application as run_polling does (like tests/e2e/bot/conftest.py), stop on SIGTERM/SIGINT."""
    from bot.app import build_application

    svc, api = build_services(args.db, args.staff_chat_id, args.kb_cache, args.rasa_port)
    application = build_application(svc, args.token, args.bot_api_url, args.file_api_url, sandbox=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=2)
    print(f"READY {api}", flush=True)
    try:
        await stop.wait()
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
        close(svc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bot-api-url", required=True)
    parser.add_argument("--file-api-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--db", required=True, help="path of a fresh SQLite file")
    parser.add_argument("--kb-cache", required=True, help="absolute embedding cache directory")
    parser.add_argument("--staff-chat-id", type=int, default=-1001)
    parser.add_argument("--rasa-port", type=int, default=None, help="use the Rasa NLU running on this port")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
