"""The search command line: one JSON line per query, an empty list when nothing is relevant."""
from __future__ import annotations

import io
import json

from knowledge_base.cli import run_search


def test_search_writes_one_json_line_per_query_and_an_empty_list_when_nothing_is_relevant(kb):
    stdout = io.StringIO()
    run_search(kb, 2, io.StringIO("my toilet keeps running\n\nhow do I pay the management fee\n"), stdout)
    lines = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [line["query"] for line in lines] == ["my toilet keeps running", "how do I pay the management fee"]
    assert lines[0]["results"][0]["id"] == "toilet-running"
    assert set(lines[0]["results"][0]) == {"id", "score", "title"} and len(lines[0]["results"]) <= 2
    assert lines[1]["results"] == []
