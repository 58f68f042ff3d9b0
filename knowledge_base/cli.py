"""Command line: `python -m knowledge_base search [--top K]` reads queries on stdin, writes JSON lines."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import TextIO


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m knowledge_base", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    search = commands.add_parser("search", help="one query per stdin line -> one JSON line per query")
    search.add_argument("--top", type=int, default=3, metavar="K", help="results per query (default 3)")
    search.add_argument("--config", default=None, help="config.yml path (default: the repository's)")
    return parser


def run_search(kb, top_k: int, stdin: TextIO, stdout: TextIO) -> None:
    """Answer each non-empty line as {"query": ..., "results": [{"id", "score", "title"}]}."""
    for line in stdin:
        query = line.rstrip("\n")
        if not query.strip():
            continue
        results = [hit.as_json() for hit in kb.search(query, top_k=top_k)]
        stdout.write(json.dumps({"query": query, "results": results}, ensure_ascii=False) + "\n")
        stdout.flush()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    from app.config import DEFAULT_CONFIG, load_config  # entry point: reads config like main() does
    from knowledge_base.service import KnowledgeBase

    config = load_config(args.config or DEFAULT_CONFIG)
    kb = KnowledgeBase.load(config.knowledge_base)
    run_search(kb, max(args.top, 0), sys.stdin, sys.stdout)
    return 0
