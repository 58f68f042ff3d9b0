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


@pytest.mark.parametrize("text, category", [
    ("water coming through my ceiling from the flat above", "plumbing"), ("the people upstairs have a leak, my ceiling drips", "plumbing"),
    ("楼上漏水，卫生间吊顶在滴水", "plumbing"), ("ceiling cracked after the flat above renovated", "civil"),
    ("the ceiling is leaking when it rains", "civil"),
])
def test_water_from_the_flat_above_is_plumbing_whatever_it_drips_through(lexicon: Lexicon, text: str, category: str) -> None:
    assert lexicon.category(text)[0] == category


@pytest.mark.parametrize("text", [
    "the sprinkler is leaking water everywhere", "water dripping from a fire sprinkler", "the exit light over the stairs is out",
    "emergency lighting on level 2 is off", "消防喷淋头一直滴水", "疏散指示灯不亮",
])
def test_fire_safety_equipment_outweighs_the_pipe_or_light_it_is_made_of(lexicon: Lexicon, text: str) -> None:
    assert lexicon.category(text)[0] == "fire_safety"


@pytest.mark.parametrize("text, category", [
    ("the keypad by the main entrance is dead", "access_security"), ("my fob won't open the lobby door", "access_security"),
    ("the gate code panel doesn't respond", "access_security"), ("door intercom has no sound", "access_security"),
    ("小区大门的密码锁按了没反应", "access_security"), ("单元门刷卡开不了门", "access_security"),
    ("my smart lock keypad is dead", "doors_windows"), ("家里指纹锁没电了", "doors_windows"),
])
def test_entrance_access_control_is_security_while_a_flats_own_lock_is_a_door(lexicon: Lexicon, text: str, category: str) -> None:
    assert lexicon.category(text)[0] == category


def test_named_devices_outrank_a_pile_of_symptom_cues(lexicon: Lexicon) -> None:
    assert lexicon.category("the sprinkler is leaking, water dripping and dripping")[0] == "fire_safety"
    assert lexicon.category("厨房下水道爬出好多蟑螂")[0] == "other"


@pytest.mark.parametrize("text", [
    "the gas meter is hissing", "gas pipe hissing behind the cooker", "smells like gas in the stairwell",
    "燃气管嘶嘶响", "楼道里有燃气的味道", "the plug is hot and smells of burning", "socket melted a bit",
    "the switch is warm and crackles", "插座发烫", "插头烫手还有焦糊味", "water dripping onto the fuse box",
    "water coming through the light fitting", "水渗到插座里了", "配电箱进水了", "the lift stopped with people inside",
    "the window pane could fall out",
])
def test_every_danger_sign_is_urgent(lexicon: Lexicon, text: str) -> None:
    assert lexicon.urgency(text) == "urgent"


@pytest.mark.parametrize("text", [
    "the emergency light in the corridor is out", "the fire sprinkler head is dripping a little", "紧急出口的指示灯坏了",
    "hob flame is very weak", "the water heater switch is broken", "gas water heater is leaking water",
    "燃气热水器漏水", "the switch for the hot water doesn't work",
])
def test_safety_words_that_name_equipment_are_not_danger_signs(lexicon: Lexicon, text: str) -> None:
    assert lexicon.urgency(text) == "normal"


def test_a_stain_that_is_still_dripping_is_not_cosmetic(lexicon: Lexicon) -> None:
    assert lexicon.urgency("the ceiling is stained and dripping") == "normal"
    assert lexicon.urgency("small stain on the ceiling") == "low"
