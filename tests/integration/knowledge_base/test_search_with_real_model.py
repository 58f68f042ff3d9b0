"""Search with the real packaged encoders: paraphrases find their article, off-topic questions find none."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("query", "expected"), [
    ("卫生间的马桶冲水之后一直在响，水停不下来", "toilet-running"),
    ("我们家厨房燃气好像泄漏了，很难闻", "gas-smell"),
    ("洗衣服的机器里面水排不出去", "washing-machine-drain"),
])
def test_a_chinese_paraphrase_finds_the_right_article(real_kb, query, expected):
    assert real_kb.search(query)[0].id == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("after I flush, the toilet tank keeps hissing and refilling", "toilet-running"),
    ("I think there's a leak of cooking gas in my flat", "gas-smell"),
    ("my front door key is stuck and won't rotate", "door-lock-jammed"),
])
def test_an_english_paraphrase_finds_the_right_article(real_kb, query, expected):
    assert real_kb.search(query)[0].id == expected


@pytest.mark.parametrize("query", ["how do I pay the management fee", "怎么缴纳物业管理费", "where can I buy a bus ticket"])
def test_an_off_topic_question_finds_no_article(real_kb, query):
    assert real_kb.search(query) == []


def test_the_search_command_answers_one_json_line_per_query():
    result = subprocess.run(
        [sys.executable, "-m", "app", "kb", "search", "--top", "2"], cwd=ROOT, capture_output=True,
        input="the bathroom ceiling is dripping from upstairs\nhow do I pay the management fee\n",
        text=True, timeout=300, check=True,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["results"][0]["id"] == "ceiling-leak-upstairs" and len(lines[0]["results"]) <= 2
    assert lines[1] == {"query": "how do I pay the management fee", "results": []}
