"""Free-text answers to the bot's yes/no questions read as YES or NO; problems that start with a negation do not."""
from __future__ import annotations

import pytest

from domain.values import Polarity
from nlu import RulesParser
from nlu.client import parse_from_rasa
from nlu.extract import extract, to_entities
from nlu.lexicon import Lexicon


@pytest.fixture(scope="module")
def rules() -> RulesParser:
    return RulesParser()


@pytest.mark.parametrize("text", [
    "是", "是的", "对", "好", "确认", "嗯", "没错", "可以", "行", "就是", "嗯，就是我家", "对的对的", "好的谢谢", "是的 是的",
    "ＯＫ", "yes", "yep", "yeah", "ok", "okay", "sure", "correct", "right", "that's right", "confirm", "Yes!", "👍",
])
def test_a_whole_message_that_is_a_yes_reads_as_yes(rules: RulesParser, text: str) -> None:
    assert rules.parse(text).polarity is Polarity.YES


@pytest.mark.parametrize("text", [
    "不是", "不对", "不", "没有", "错了", "不是的", "no", "nope", "nah", "wrong", "not really", "No.", "❌",
])
def test_a_whole_message_that_is_a_no_reads_as_no(rules: RulesParser, text: str) -> None:
    assert rules.parse(text).polarity is Polarity.NO


@pytest.mark.parametrize("text, polarity", [
    ("是的，就是我家", Polarity.YES), ("对，3-2-1801", Polarity.YES), ("yes please", Polarity.YES),
    ("yes, that's my flat", Polarity.YES), ("ok thanks", Polarity.YES),
    ("不是，是5栋", Polarity.NO), ("不对，是2单元", Polarity.NO), ("no, it's block 5", Polarity.NO),
    ("no it's flat 1203", Polarity.NO), ("nope, wrong building", Polarity.NO), ("not my flat", Polarity.NO),
])
def test_a_message_that_starts_with_an_answer_has_its_polarity(rules: RulesParser, text: str, polarity) -> None:
    assert rules.parse(text).polarity is polarity


@pytest.mark.parametrize("text", [
    "不热", "不出水", "没有热水", "不亮了", "不是很热", "no hot water", "no power in the kitchen", "not working",
    "no water since this morning", "no one came", "nobody came yesterday", "not cooling at all",
])
def test_a_problem_that_starts_with_a_negation_is_never_an_answer(rules: RulesParser, text: str) -> None:
    assert rules.parse(text).polarity is None


@pytest.mark.parametrize("text", [
    "好像漏水了", "对了，我还想问一下", "可以帮我修一下吗", "确认一下我的工单", "对不起", "是吗", "是5栋吗",
    "嗯 那个 五号楼 三零四 没有热水", "yesterday the tap broke", "right side of the door is broken", "fine dust everywhere",
    "the kitchen tap is leaking", "厨房水龙头漏水", "",
])
def test_a_message_that_is_not_an_answer_has_no_polarity(rules: RulesParser, text: str) -> None:
    assert rules.parse(text).polarity is None


def test_the_rasa_path_reads_the_polarity_the_extractor_sent() -> None:
    lexicon = Lexicon.from_yaml()
    body = {"intent": {"name": "deny", "confidence": 0.9}, "entities": to_entities(extract("不是，是5栋", lexicon))}
    assert parse_from_rasa("不是，是5栋", body).polarity is Polarity.NO


def test_the_rasa_path_falls_back_on_the_affirm_and_deny_intents_when_no_problem_is_named() -> None:
    affirm = {"intent": {"name": "affirm", "confidence": 0.8}, "entities": []}
    deny = {"intent": {"name": "deny", "confidence": 0.8}, "entities": [
        {"entity": "category", "value": "plumbing", "confidence_entity": 0.95}]}
    assert parse_from_rasa("uh-huh, go on", affirm).polarity is Polarity.YES
    assert parse_from_rasa("no hot water", deny).polarity is None


@pytest.mark.parametrize("text", ["not working", "不亮了", "sparks everywhere"])
def test_a_deny_intent_never_turns_a_problem_into_an_answer(text: str) -> None:
    lexicon = Lexicon.from_yaml()
    body = {"intent": {"name": "deny", "confidence": 0.7}, "entities": to_entities(extract(text, lexicon))}
    assert parse_from_rasa(text, body).polarity is None


def test_polarity_is_in_the_dict_and_json(rules: RulesParser) -> None:
    assert rules.parse("是的").to_dict()["polarity"] == "yes"
    assert rules.parse("the lift is broken").to_dict()["polarity"] is None
    assert '"polarity": "no"' in rules.parse("nope").to_json()
