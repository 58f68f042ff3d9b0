"""The deterministic rules parser: the degraded mode and the bot's unit-test fake."""
from __future__ import annotations

import json

import pytest

from domain.values import Category, Language, Location, Priority
from nlu import Intent, Parse, RulesParser


@pytest.fixture(scope="module")
def rules() -> RulesParser:
    return RulesParser()


@pytest.mark.parametrize("text, intent", [
    ("3号楼2单元1801室厨房漏水", "report_problem"), ("the kitchen tap in flat 1801 is leaking", "report_problem"),
    ("工单12怎么还没人来", "urge"), ("why has nobody come yet", "urge"),
    ("我的报修进度怎么样了", "check_status"), ("any update on ticket 12?", "check_status"),
    ("取消报修", "cancel_request"), ("please cancel ticket 12", "cancel_request"),
    ("你好", "greet"), ("hello", "greet"), ("谢谢", "thank"), ("thanks a lot", "thank"),
    ("好的", "affirm"), ("yes", "affirm"), ("不是", "deny"), ("no", "deny"),
    ("book a flight to paris", "out_of_scope"), ("turn on the lights", "out_of_scope"), ("", "out_of_scope"),
])
def test_rules_parser_recognises_every_intent_in_both_languages(rules: RulesParser, text: str, intent: str) -> None:
    assert rules.parse(text).intent == Intent(intent)


def test_a_transcript_report_is_fully_typed(rules: RulesParser) -> None:
    parse = rules.parse("那个 嗯 九号楼二单元四零二 燃气灶打不着火")
    assert parse == Parse(
        text="那个 嗯 九号楼二单元四零二 燃气灶打不着火", intent=Intent.REPORT_PROBLEM, confidence=parse.confidence,
        language=Language.ZH, location=Location(building="9", unit="2", room="402"), category=Category.GAS,
        category_confidence=parse.category_confidence, urgency=Priority.NORMAL, ticket_ref=None, engine="rules",
    )


def test_a_hash_number_is_a_room_in_a_report_and_a_ticket_in_a_status_question(rules: RulesParser) -> None:
    report = rules.parse("#2304 toilet leaking")
    status = rules.parse("any update on #2304?")
    assert (report.location.room, report.ticket_ref) == ("2304", None)
    assert (status.location.room, status.ticket_ref) == (None, 2304)


def test_the_parser_never_invents_a_location(rules: RulesParser) -> None:
    assert rules.parse("the lift is broken").location == Location()


def test_json_has_the_cli_shape_with_nulls_where_absent(rules: RulesParser) -> None:
    data = json.loads(rules.parse("block nine flat four oh two the aircon is dead, no rush").to_json())
    assert {"text", "intent", "confidence", "language", "location", "category", "urgency", "engine"} <= set(data)
    assert data["location"] == {"building": "9", "unit": None, "room": "402", "area": None}
    assert (data["category"], data["urgency"], data["language"], data["engine"]) == ("hvac", "low", "en", "rules")


async def test_the_async_parse_gives_the_same_answer(rules: RulesParser) -> None:
    assert await rules.aparse("3栋的lift坏了") == rules.parse("3栋的lift坏了")


@pytest.mark.parametrize("text", [
    "my phone screen is cracked", "my car won't start", "when was the first escalator built", "turn on the lights",
    "我的车打不着火", "什么灯泡最省电", "set an alarm for 6:30", "transfer 500 to my savings",
])
def test_the_rules_parser_does_not_take_devices_commands_or_general_questions_as_reports(rules: RulesParser, text) -> None:
    assert rules.parse(text).intent != Intent.REPORT_PROBLEM


def test_rules_confidence_is_lower_when_a_report_rests_on_a_named_thing_alone(rules: RulesParser) -> None:
    sure, weak = rules.parse("the kitchen tap is leaking"), rules.parse("the smoke alarm in the hallway")
    assert (sure.intent, weak.intent) == (Intent.REPORT_PROBLEM, Intent.REPORT_PROBLEM)
    assert weak.confidence < 0.6 <= sure.confidence


@pytest.mark.parametrize("text, intent", [
    ("add light bulbs and a plunger to the shopping list", "out_of_scope"), ("车窗升不上去了", "out_of_scope"),
    ("how do I unblock a sink myself", "out_of_scope"), ("哪个牌子的水龙头好", "out_of_scope"),
    ("the treadmill in the gym is broken", "report_problem"), ("健身房的跑步机坏了", "report_problem"),
    ("e-bikes are blocking the fire exit, nobody can get through", "report_problem"),
])
def test_rules_parser_keeps_lists_advice_and_cars_out_and_lets_estate_things_in(rules: RulesParser, text: str,
                                                                                 intent: str) -> None:
    assert rules.parse(text).intent == Intent(intent)
