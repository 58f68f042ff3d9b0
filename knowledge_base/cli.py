"""Search stdin, one query per line, to JSON lines; `python -m app kb search [--top K]` runs it with config.yml."""
from __future__ import annotations

import json
from typing import TextIO


def run_search(kb, top_k: int, stdin: TextIO, stdout: TextIO) -> None:
    """Answer each non-empty line as {"query": ..., "results": [{"id", "score", "title"}]}."""
    for line in stdin:
        query = line.rstrip("\n")
        if not query.strip():
            continue
        results = [hit.as_json() for hit in kb.search(query, top_k=top_k)]
        stdout.write(json.dumps({"query": query, "results": results}, ensure_ascii=False) + "\n")
        stdout.flush()
