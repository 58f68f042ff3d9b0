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


@pytest.mark.parametrize("text, category", [
    ("the light on the cooker hood is out", "hvac"), ("油烟机的照明灯不亮", "hvac"),
    ("the handrail on the escalator is torn", "elevator"), ("信箱的锁坏了", "other"),
    ("the bleed valve on my radiator is stuck", "hvac"), ("燃气报警器上的灯一直闪", "gas"),
])
def test_a_part_counts_for_the_thing_it_belongs_to(lexicon: Lexicon, text: str, category: str) -> None:
    assert lexicon.category(text)[0] == category


@pytest.mark.parametrize("text, category", [
    ("the bulb in the bin room has gone", "electrical"), ("lights in the lift lobby keep flickering", "electrical"),
    ("电梯厅的灯不亮", "electrical"), ("the mailboxes by the unit door are coming loose", "other"),
])
def test_a_place_only_says_where_the_thing_is(lexicon: Lexicon, text: str, category: str) -> None:
    assert lexicon.category(text)[0] == category


@pytest.mark.parametrize("text, category", [
    ("卫生间灯没问题，就是排风扇不转", "hvac"), ("the window is fine, but the wall under it is damp", "civil"),
    ("mainly the door won't lock, also a small crack in the wall while you're here", "doors_windows"),
    ("主要是窗户关不上，顺便看看墙上的小裂缝", "doors_windows"),
    ("the hinge on the wardrobe door, no sorry, the hinge on the bedroom door is loose", "doors_windows"),
])
def test_the_problem_the_owner_means_decides_the_category(lexicon: Lexicon, text: str, category: str) -> None:
    assert lexicon.category(text)[0] == category


@pytest.mark.parametrize("text, category", [
    ("the people upstairs had a party and this morning water is running down my kitchen wall", "plumbing"),
    ("楼上那户每次洗澡，我家卫生间墙角就湿一大片", "plumbing"), ("every time it rains the wall under my window gets damp", "civil"),
    ("一下雨阳台墙角就渗水", "civil"), ("the neighbour's pipe is leaking into our shared wall", "plumbing"),
    ("the boiler is leaking and the water runs next to the plug socket", "plumbing"), ("水漏到配电箱上了", "electrical"),
])
def test_where_the_water_comes_from_decides_however_far_from_the_ceiling(lexicon: Lexicon, text: str, category: str) -> None:
    assert lexicon.category(text)[0] == category


@pytest.mark.parametrize("text, category", [
    ("the treadmill in the gym won't stop", "other"), ("儿童乐园的秋千链子断了", "other"), ("hedges need trimming", "other"),
    ("pigeons nesting on the roof", "other"), ("pool water has turned green", "other"), ("厨房有小强", "other"),
    ("the EV charger in bay 4 won't charge", "electrical"), ("车库的充电桩刷卡没反应", "electrical"),
    ("the extension lead crackles", "electrical"), ("the maglock on the unit door has failed", "access_security"),
    ("a rat chewed through the gas hose", "gas"), ("热水器那边有天然气的味道", "gas"), ("the tennis court net is torn", "other"),
])
def test_estate_things_beyond_the_flat_have_a_category(lexicon: Lexicon, text: str, category: str) -> None:
    assert lexicon.category(text)[0] == category


@pytest.mark.parametrize("text", [
    "slight whiff near the gas meter, tomorrow is fine", "厨房有一点点煤气味", "there's a hissing noise from the gas pipe",
    "the switch sparked when I turned it on", "got a shock off the outlet by the washer", "刚才摸开关被电了一下",
    "there's a scorching smell from the plug", "插线板噼里啪啦响，有烧塑料的味道", "the socket is hot to the touch",
    "water is running next to the plug socket", "我家吊灯那里在滴水", "smoke in the stairwell on floor 8", "8楼楼梯间有烟",
    "the lift is stuck at floor 5 and my husband is in there", "电梯停在5楼不动了，我老公在里面",
    "电梯卡在7楼和8楼中间了，里面有人", "the lift stopped between floors", "the fire alarm is going off in block 9",
    "cable hanging down with the copper showing", "电线外皮破了，铜线露在外面", "the fire exit is padlocked shut",
    "the manhole cover by the gate is missing", "toddler locked himself in the bedroom", "the ceiling has collapsed",
    "hose under the sink came off and it's gushing", "马桶水箱一直往外溢，水淌到客厅了", "my son has just been stung by wasps",
    "an ambulance can't get through the barrier",
])
def test_danger_signs_in_new_words_are_urgent(lexicon: Lexicon, text: str) -> None:
    assert lexicon.urgency(text) == "urgent"


@pytest.mark.parametrize("text, urgency", [
    ("烟雾报警器一直响，没有着火", "normal"), ("the lift call button is dead, what if someone gets stuck", "normal"),
    ("电梯里的紧急呼叫按钮没反应，万一被困就麻烦了", "normal"),
    ("the emergency light didn't come on in the last power cut", "normal"), ("one burner has a weak yellow flame", "normal"),
    ("灶的火特别小", "normal"), ("the spare room door is stuck, nobody inside", "normal"),
    ("the overload alarm beeps with only one person inside the lift", "normal"), ("the parcel is stuck inside the locker", "normal"),
    ("someone scribbled on the corridor wall, repaint when you can", "low"), ("墙面有点掉色，哪天方便来补一下", "low"),
    ("厨房水龙头出来的水是黄的，还有空气声", "normal"), ("the water stain on the ceiling keeps getting bigger", "normal"),
    ("主要是窗户关不上，顺便看看墙上的小裂缝", "normal"), ("the breaker trips whenever I use the kettle", "normal"),
])
def test_what_did_not_happen_or_is_only_feared_raises_no_urgency_and_low_is_read_as_said(lexicon: Lexicon, text: str, urgency: str) -> None:
    assert lexicon.urgency(text) == urgency
