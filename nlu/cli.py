"""Parse stdin, one message per line, to JSON lines; `python -m app nlu parse` runs it with config.yml's settings."""
from __future__ import annotations

import logging
from contextlib import nullcontext
from typing import TextIO

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
