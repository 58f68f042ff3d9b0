"""Telling how-to questions from repair reports, in both languages."""
from __future__ import annotations

import pytest

from knowledge_base.fake_encoder import fake_knowledge_base
from knowledge_base.questions import looks_like_question


@pytest.mark.parametrize("text", ["马桶一直流水怎么办", "如何复位漏电开关", "烟感一直响正常吗？",
                                  "How do I reset the breaker", "why does my tap drip?"])
def test_how_to_questions_are_recognised(text):
    assert looks_like_question(text)


@pytest.mark.parametrize("text", ["3号楼1801马桶漏水", "kitchen tap dripping in 2-1-302", "电梯坏了"])
def test_repair_reports_are_not_questions(text):
    assert not looks_like_question(text)


def test_the_fake_knowledge_base_serves_the_real_articles_without_a_model():
    kb = fake_knowledge_base()
    assert kb.answer_question("what to do if you smell gas").id == "gas-smell"
    assert kb.answer_question("how do I pay the management fee") is None
