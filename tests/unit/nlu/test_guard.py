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
    ("black mould all over the bathroom wall", "out_of_scope", 0.9, "report_problem"),
    ("the kitchen socket is broken", "out_of_scope", 0.8, "report_problem"),
    ("my phone screen is cracked", "out_of_scope", 0.9, "out_of_scope"),
    ("how's ticket 33 going", "out_of_scope", 0.55, "check_status"),
    ("nobody came", "deny", 0.45, "urge"),
    ("nobody came", "deny", 0.8, "deny"),
    ("the tap is still broken", "report_problem", 0.5, "report_problem"),
    ("get me cinema tickets for tonight", "check_status", 0.5, "out_of_scope"),
    ("any update on ticket 12", "check_status", 0.5, "check_status"),
    ("帮我查一下火车票", "check_status", 0.5, "out_of_scope"),
    ("my laptop won't turn on", "out_of_scope", 0.9, "out_of_scope"),
    ("can dogs use the lift", "out_of_scope", 0.9, "out_of_scope"),
    ("turn off the hallway lights, the switch is broken", "out_of_scope", 0.9, "out_of_scope"),
])
def test_the_guard_only_changes_unsure_answers_with_lexical_evidence(lexicon, text, intent, confidence, expected) -> None:
    assert guard_intent(intent, confidence, text, lexicon, extract(text, lexicon))[0] == expected
