"""Category, urgency and area from the bilingual lexicon (nlu/data/train/lexicon.yml)."""
from __future__ import annotations

import pytest

from nlu.lexicon import Lexicon
from nlu.parse import CATEGORY_SURE


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_yaml()


@pytest.mark.parametrize("text, category", [
    ("热水器不出热水", "plumbing"), ("the water heater is broken", "plumbing"), ("燃气热水器打不着", "plumbing"),
    ("空调漏水", "hvac"), ("the range hood stopped", "hvac"), ("暖气不热", "hvac"), ("exhaust fan is noisy", "hvac"),
    ("厨房有煤气味", "gas"), ("gas stove won't light", "gas"), ("燃气热水器有煤气味", "gas"),
    ("智能锁没反应", "doors_windows"), ("door closer broken", "doors_windows"), ("窗户关不上", "doors_windows"),
    ("门禁卡刷不开", "access_security"), ("the intercom is dead", "access_security"), ("北门的道闸坏了", "access_security"),
    ("CCTV camera broken", "access_security"), ("人脸识别不认我", "access_security"),
    ("灭火器过期了", "fire_safety"), ("smoke alarm keeps beeping", "fire_safety"), ("sprinkler dripping", "fire_safety"),
    ("墙上有裂缝", "civil"), ("mould on the ceiling", "civil"), ("瓷砖空鼓", "civil"), ("facade tiles loose", "civil"),
    ("电梯坏了", "elevator"), ("the lift is stuck", "elevator"), ("3栋的lift坏了", "elevator"),
    ("插座没电", "electrical"), ("lights flickering", "electrical"), ("总是跳闸", "electrical"),
    ("马桶堵了", "plumbing"), ("toilet is blocked", "plumbing"), ("有蟑螂", "other"), ("mice in the flat", "other"),
    ("the elevater is broken", "elevator"), ("my toliet is clogged", "plumbing"),
])
def test_bilingual_synonyms_map_to_the_right_category(lexicon: Lexicon, text: str, category: str) -> None:
    assert lexicon.category(text)[0] == category


@pytest.mark.parametrize("text", ["what is the weather today", "book a flight", "I lost my wallet", "你好"])
def test_text_without_repair_words_has_no_category(lexicon: Lexicon, text: str) -> None:
    assert lexicon.category(text) == (None, 0.0)


def test_a_named_device_is_surer_than_a_lone_symptom(lexicon: Lexicon) -> None:
    assert lexicon.category("水龙头坏了")[1] >= CATEGORY_SURE
    assert lexicon.category("空调漏水")[1] >= CATEGORY_SURE
    assert lexicon.category("门坏了")[1] < lexicon.category("门锁坏了")[1]


@pytest.mark.parametrize("text, urgency", [
    ("厨房有煤气味", "urgent"), ("I can smell gas", "urgent"), ("插座冒烟了", "urgent"), ("sparks from the socket", "urgent"),
    ("水管爆了", "urgent"), ("the kitchen is flooded", "urgent"), ("有人被困在电梯里", "urgent"),
    ("someone is trapped in the lift", "urgent"), ("家里停电了", "urgent"), ("power cut in the whole flat", "urgent"),
    ("进不了门", "urgent"), ("I'm locked out", "urgent"), ("外墙瓷砖掉下来了", "urgent"), ("tiles falling from the facade", "urgent"),
    ("水龙头坏了，很急", "urgent"), ("tap broken, ASAP", "urgent"), ("马上来", "urgent"), ("emergency! lift broken", "urgent"),
    ("水龙头滴水，不急", "low"), ("tap dripping, no rush", "low"), ("有空来看看", "low"), ("fix it whenever", "low"),
    ("墙上有点掉漆", "low"), ("small scratch on the door", "low"),
    ("家里停电了，不急", "urgent"), ("gas smell but not urgent", "urgent"),
    ("水龙头坏了", "normal"), ("the tap is broken", "normal"), ("smoke alarm beeping", "normal"),
    ("燃气灶打不着火", "normal"), ("应急灯不亮", "normal"), ("插座没电", "normal"),
])
def test_urgency_puts_life_safety_first_then_what_the_owner_says(lexicon: Lexicon, text: str, urgency: str) -> None:
    assert lexicon.urgency(text) == urgency


@pytest.mark.parametrize("text, area, common", [
    ("厨房漏水", "厨房", False), ("大堂的灯坏了", "大堂", True), ("B2 car park light broken", "B2 car park", True),
    ("北门道闸坏了", "北门", True), ("bathroom fan noisy", "bathroom", False), ("the tap is broken", None, False),
])
def test_area_is_the_place_named_as_written(lexicon: Lexicon, text: str, area, common: bool) -> None:
    assert lexicon.area(text) == (area, common)
