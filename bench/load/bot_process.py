"""The bot in its own process, as `make run` composes it, against a sandbox started by the load bench:
`python -m bench.load.bot_process --db URL --bot-api-url U --file-api-url F --token T [--rasa-port P]`.

It is app.main.run_sandbox without the sandbox and the Rasa start: the real knowledge base, the production
NLU (Rasa on --rasa-port, the rules parser when it fails) or, without --rasa-port, the rules parser alone; no
speech (nobody sends voice in the load). Prints "READY" once the bot polls, stops on SIGTERM.
"""
from __future__ import annotations

import argparse
import logging
import signal
from typing import Any


def build(db_url: str, rasa_port: int | None) -> Any:
    from app.bootstrap import bootstrap, build_core
    from app.config import for_sandbox, load_config
    from app.main import load_knowledge_base, warm_up
    from nlu import build_parser
    from nlu.rules import RulesParser

    config = for_sandbox(load_config())
    config = config.model_copy(update={"speech": config.speech.model_copy(update={"enabled": False})})
    core = build_core(config, db_url)
    nlu: Any = RulesParser()
    if rasa_port is not None:
        nlu = build_parser(config.nlu.model_copy(update={"port": rasa_port}), config.default_language)
    svc = bootstrap(core, nlu, config.sandbox.staff_chat_id, kb=load_knowledge_base(config))
    warm_up(svc)
    return svc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a seeded database")
    parser.add_argument("--bot-api-url", required=True)
    parser.add_argument("--file-api-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--rasa-port", type=int, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from bot.app import build_application

    svc = build(args.db, args.rasa_port)
    application = build_application(svc, args.token, args.bot_api_url, args.file_api_url, sandbox=True)

    async def ready(app: Any) -> None:
        print("READY", flush=True)

    previous = application.post_init

    async def post_init(app: Any) -> None:
        if previous:
            await previous(app)
        await ready(app)

    application.post_init = post_init
    application.run_polling(poll_interval=0.0, timeout=2, stop_signals=(signal.SIGINT, signal.SIGTERM),
                            close_loop=False)
    svc.close()


if __name__ == "__main__":
    main()
