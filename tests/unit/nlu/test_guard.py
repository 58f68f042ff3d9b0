"""Lexical evidence overrules an unsure intent classifier, never a confident one."""
from __future__ import annotations

import pytest

from nlu.extract import extract
from nlu.guard import guard_intent
from nlu.lexicon import Lexicon


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_yaml()


@pytest.mark.parametrize("text, intent, confidence, expected", [
    ("楼道有老鼠", "out_of_scope", 0.36, "report_problem"),
    ("rats in the stairwell", "out_of_scope", 0.55, "report_problem"),
    ("lock the balcony door", "report_problem", 0.57, "out_of_scope"),
    ("turn off the hallway lights, the switch is broken", "report_problem", 0.5, "report_problem"),
    ("rats in the stairwell", "out_of_scope", 0.9, "out_of_scope"),
    ("lock the balcony door", "report_problem", 0.9, "report_problem"),
    ("what's the weather", "out_of_scope", 0.3, "out_of_scope"),
    ("谢谢", "thank", 0.4, "thank"),
])
def test_the_guard_only_changes_unsure_answers_with_lexical_evidence(lexicon, text, intent, confidence, expected) -> None:
    assert guard_intent(intent, confidence, text, lexicon, extract(text, lexicon))[0] == expected
