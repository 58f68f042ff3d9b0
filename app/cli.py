"""`python -m app [run | worker | migrate | webhook | nlu parse | kb search | export]`: the service and its tools."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Sequence

from app.config import DEFAULT_CONFIG, ConfigError, load_config


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    parser.add_argument("--config", default=None, help="path to config.yml")
    tools = parser.add_subparsers(dest="tool")
    tools.add_parser("run", help="run the service (the default)")
    tools.add_parser("migrate", help="upgrade DATABASE_URL to the newest schema (once, before the workers start)")
    worker = tools.add_parser("worker", help="one webhook worker of several, on PostgreSQL (docs/scale-out.md)")
    worker.add_argument("--port", type=int, help="listen here (default: bot.webhook_port)")
    worker.add_argument("--web-port", type=int, help="the web chat listens here (default: --port + 1000)")
    tools.add_parser("webhook", help="set Telegram's webhook (bot.webhook_url, the secret) and print its state")
    nlu = tools.add_parser("nlu", help="the NLU").add_subparsers(dest="command", required=True)
    parse = nlu.add_parser("parse", help="one message per stdin line -> one JSON line (starts Rasa if none runs)")
    parse.add_argument("--no-server", action="store_true", help="do not start Rasa; use it only if already running")
    parse.add_argument("--port", type=int, help="Rasa's port (default: nlu.port in config.yml)")
    kb = tools.add_parser("kb", help="the knowledge base").add_subparsers(dest="command", required=True)
    search = kb.add_parser("search", help="one query per stdin line -> one JSON line per query")
    search.add_argument("--top", type=int, default=3, metavar="K", help="results per query (default 3)")
    from app.export_cli import add_parser
    from app.web_qr_cli import add_parser as add_web_qr

    add_parser(tools)
    add_web_qr(tools)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.tool in (None, "run"):
        from app.main import main as run

        return run(["--config", args.config] if args.config else [])
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(args.config or DEFAULT_CONFIG)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    if args.tool in ("worker", "webhook"):
        return _worker(config, args)
    if args.tool == "migrate":
        from app.config import load_secrets
        from storage.db import make_engine
        from storage.migrate import upgrade

        upgrade(make_engine(load_secrets().database_url))
        return 0
    if args.tool == "web-qr":
        from app.web_qr_cli import run_web_qr

        return run_web_qr(config, args)
    if args.tool == "export":
        from app.export_cli import run_export

        return run_export(config, args)
    if args.tool == "nlu":
        from nlu.cli import run_parse

        cfg_nlu = config.nlu.model_copy(update={"port": args.port}) if args.port else config.nlu
        return run_parse(sys.stdin, sys.stdout, cfg_nlu, config.default_language, start_server=not args.no_server)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from knowledge_base.cli import run_search
    from knowledge_base.service import KnowledgeBase

    run_search(KnowledgeBase.load(config.knowledge_base), max(args.top, 0), sys.stdin, sys.stdout)
    return 0


def _worker(config, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from app.config import load_secrets, with_payment_token
    from app.logs import install_redaction
    from app.worker import run_worker

    logging.getLogger().setLevel(logging.INFO)
    secrets = load_secrets()
    install_redaction([secrets.telegram_bot_token or "", secrets.telegram_webhook_secret or "",
                       secrets.telegram_webhook_secret_previous or ""])
    try:
        if args.tool == "webhook":
            from app.worker import set_webhook_now

            print(set_webhook_now(config, secrets))
        else:
            run_worker(with_payment_token(config, secrets), secrets, args.port, args.web_port)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    return 0
