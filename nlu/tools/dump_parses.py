"""Parse JSON-encoded texts (one per stdin line) with a trained model in-process; print /model/parse dicts.

Runs inside .venv-rasa: .venv-rasa/bin/python -m nlu.tools.dump_parses MODEL.tar.gz < texts.jsonl
Used by bench/nlu_eval.py to compare several models without starting a server for each.
"""
from __future__ import annotations

import asyncio
import json
import logging
import sys


async def main(model_path: str) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(model_path)
    for line in sys.stdin:
        result = await agent.parse_message(json.loads(line))
        print(json.dumps(result, ensure_ascii=False, default=str), flush=True)


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    asyncio.run(main(sys.argv[1]))
