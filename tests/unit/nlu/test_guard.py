"""Lexical evidence overrules an unsure intent classifier; a confident one only for a few kinds of message."""
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
    ("the lights in the stairwell", "out_of_scope", 0.9, "out_of_scope"),
    ("rats in the stairwell", "out_of_scope", 0.9, "report_problem"),  # pests are a problem in themselves
    ("lock the balcony door", "report_problem", 0.9, "out_of_scope"),
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
def test_the_guard_changes_an_answer_only_on_lexical_evidence(lexicon, text, intent, confidence, expected) -> None:
    assert guard_intent(intent, confidence, text, lexicon, extract(text, lexicon))[0] == expected


@pytest.mark.parametrize("text, intent, confidence, expected", [
    ("lock the balcony door", "report_problem", 0.95, "out_of_scope"),
    ("switch off the main breaker, there are sparks", "report_problem", 0.9, "report_problem"),
    ("when was the first escalator built", "report_problem", 0.94, "out_of_scope"),
    ("is it cheaper to heat with gas or electricity", "report_problem", 0.89, "out_of_scope"),
    ("冬天用燃气取暖还是用电便宜", "report_problem", 0.8, "out_of_scope"),
    ("set an alarm for 6:30", "report_problem", 0.7, "out_of_scope"),
    ("set an alarm for 6:30", "report_problem", 0.95, "report_problem"),
    ("the tap is broken", "report_problem", 0.55, "report_problem"),
])
def test_commands_general_questions_and_messages_naming_nothing_are_not_reports(lexicon, text, intent, confidence,
                                                                                expected) -> None:
    assert guard_intent(intent, confidence, text, lexicon, extract(text, lexicon))[0] == expected


@pytest.mark.parametrize("text, intent, expected", [
    ("define photosynthesis", "affirm", "out_of_scope"), ("good night", "affirm", "out_of_scope"),
    ("yes please", "affirm", "affirm"), ("不是", "deny", "deny"),
])
def test_an_unsure_yes_or_no_that_reads_as_neither_is_out_of_scope(lexicon, text, intent, expected) -> None:
    assert guard_intent(intent, 0.5, text, lexicon, extract(text, lexicon))[0] == expected


def test_an_overruled_answer_carries_the_classifiers_probability_for_the_new_intent(lexicon) -> None:
    ranking = {"out_of_scope": 0.55, "report_problem": 0.3, "greet": 0.15}
    text = "rats in the stairwell"
    assert guard_intent("out_of_scope", 0.55, text, lexicon, extract(text, lexicon), ranking) == ("report_problem", 0.3)
    assert guard_intent("out_of_scope", 0.55, "hello", lexicon, extract("hello", lexicon), ranking) == ("out_of_scope", 0.55)
