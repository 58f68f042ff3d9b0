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


@pytest.mark.parametrize("text", [
    "add light bulbs and a plunger to my shopping list", "购物清单加上灯泡和马桶刷", "how do you say the toilet is blocked in French",
    "水龙头漏水用英语怎么说", "the air con in my car only blows warm air", "车里的空调不制冷了", "my car window won't go up",
    "which brand of kitchen tap is the most reliable", "电热水器和燃气热水器哪个更省钱", "is underfloor heating better than radiators",
    "the flat next door has been drilling since 7am, is that allowed", "楼道里有人抽烟，烟味飘到我家", "how do I fix a dripping tap myself",
    "马桶一直漏水，我想自己修，要买什么配件", "explain how a combi boiler works", "why do they add a smell to natural gas",
    "can you switch off the bathroom heater please", "I'm going out, turn everything off", "my son got locked out of his game account",
])
def test_messages_that_are_never_reports_stay_out_of_scope_however_sure_the_classifier(lexicon, text) -> None:
    for intent in ("report_problem", "out_of_scope"):
        assert guard_intent(intent, 0.97, text, lexicon, extract(text, lexicon))[0] == "out_of_scope"


@pytest.mark.parametrize("text", [
    "how do I turn off the water? the pipe under the sink has burst", "the tap is leaking, how do I stop it until the plumber comes",
    "I tried to fix the tap myself but it still drips", "车库道闸落下来砸到我的车了，还在上上下下，快来人",
])
def test_advice_or_a_car_beside_a_danger_or_a_request_for_a_repair_is_still_a_report(lexicon, text) -> None:
    assert guard_intent("report_problem", 0.9, text, lexicon, extract(text, lexicon))[0] == "report_problem"


@pytest.mark.parametrize("text, intent", [
    ("heating is completely off and we have a newborn, please come immediately", "urge"),
    ("the face scanner never recognises me", "check_status"), ("新风系统的滤网该换了，啥时候方便啥时候来", "urge"),
])
def test_a_ticket_intent_with_no_word_of_a_ticket_but_a_fixture_and_its_problem_is_a_report(lexicon, text, intent) -> None:
    assert guard_intent(intent, 0.95, text, lexicon, extract(text, lexicon))[0] == "report_problem"


@pytest.mark.parametrize("text, intent", [
    ("cancel my hotel booking for Friday", "cancel_request"), ("取消明早的闹钟", "cancel_request"),
    ("my takeaway is 40 minutes late", "urge"), ("translate thank you very much into Spanish", "thank"),
])
def test_bookings_alarms_and_translations_are_not_ticket_or_chat_intents(lexicon, text, intent) -> None:
    assert guard_intent(intent, 0.9, text, lexicon, extract(text, lexicon))[0] == "out_of_scope"


def test_a_real_status_question_keeps_its_intent(lexicon) -> None:
    for text in ("how many of my requests are still open", "any update on ticket 12", "the lift is still broken, why has nobody come"):
        assert guard_intent("check_status" if "update" in text or "many" in text else "urge", 0.9, text, lexicon,
                            extract(text, lexicon))[0] != "report_problem"
