"""`python -m nlu parse`: one message per stdin line in, one JSON object per line out; starts Rasa if none runs."""
from __future__ import annotations

import argparse
import logging
import sys
from contextlib import nullcontext
from typing import Optional, Sequence, TextIO

from app.config import load_config
from nlu.client import build_parser
from nlu.server import RasaServer, RasaServerError


def run_parse(lines: TextIO, out: TextIO, cfg_nlu, default_language: str, start_server: bool = True) -> int:
    server = RasaServer(cfg_nlu)
    context = server if start_server and not server.is_running() else nullcontext(server)
    try:
        with context:
            parser = build_parser(cfg_nlu, default_language)
            try:
                for line in lines:
                    text = line.rstrip("\n")
                    if text.strip():
                        out.write(parser.parse(text).to_json() + "\n")
                        out.flush()
            finally:
                parser.close()
    except RasaServerError as exc:
        # The rules parser still answers: a message is never dropped because Rasa is missing.
        logging.getLogger(__name__).error("Rasa could not start; answering with the rules parser: %s", exc)
        return run_parse(lines, out, cfg_nlu, default_language, start_server=False)
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="parse stdin, one message per line, to JSON lines")
    parse.add_argument("--no-server", action="store_true", help="do not start Rasa; use it only if already running")
    parse.add_argument("--port", type=int, help="Rasa's port (default: nlu.port in config.yml)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    cfg = load_config()
    cfg_nlu = cfg.nlu.model_copy(update={"port": args.port}) if args.port else cfg.nlu
    return run_parse(sys.stdin, sys.stdout, cfg_nlu, cfg.default_language, start_server=not args.no_server)
