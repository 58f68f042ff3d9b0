"""Speech's mishearings of a location are read back next to a building/unit/flat word, and nowhere else."""
from __future__ import annotations

import pytest

from nlu.heard import heard_digits, heard_words
from nlu.normalize import extract_address
from nlu.rules import RulesParser


def where(text: str) -> tuple:
    address = extract_address(text)
    return address.building, address.unit, address.room


@pytest.mark.parametrize("text, expected", [
    ("The bedroom socket has no power in building, 6 unit, 2 flat, 502.", ("6", "2", "502")),
    ("The toilet in flat, 602, building 3 unit 1, is blocked.", ("3", "1", "602")),
    ("Lifting, building, ten unit, water is broken.", ("10", None, None)),
    ("building 5 units, 1, flat 402", ("5", "1", "402")),
])
def test_a_comma_between_a_place_word_and_its_number_is_read_through(text: str, expected: tuple) -> None:
    assert where(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("the AC unit, 2 days ago it stopped", (None, None, None)),
    ("I rent the flat, 3 people live here", (None, None, None)),
    ("the light in the living room, 2 bulbs are out", (None, None, None)),
])
def test_a_comma_before_a_number_that_is_not_the_place_is_kept(text: str, expected: tuple) -> None:
    assert where(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("building 10 units, to flat 801", ("10", "2", "801")),
    ("Building, unit, to flat, 301", (None, "2", "301")),
    ("building for unit 1 flat 701", ("4", "1", "701")),
    ("building free unit 1 flat 602", ("3", "1", "602")),
])
def test_a_number_word_heard_as_to_for_or_free_next_to_place_words_is_a_number(text: str, expected: tuple) -> None:
    assert where(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Please send someone to flat 502", (None, None, "502")),
    ("Can you send a plumber to the unit to check the pipe", (None, None, None)),
    ("I am asking for unit 5", (None, None, "5")),
    ("We bought a flat for my mother", (None, None, None)),
])
def test_to_and_for_as_plain_words_stay_words(text: str, expected: tuple) -> None:
    assert where(text) == expected


@pytest.mark.parametrize("text, room", [
    ("flat 12, 0, 3", "1203"), ("flat 12, 03", "1203"), ("flat 6.02", "602"), ("flat 3-01", "301"),
])
def test_a_room_number_said_in_pieces_after_flat_is_joined(text: str, room: str) -> None:
    assert extract_address(text).room == room


@pytest.mark.parametrize("text", ["flat 12, 3 days ago", "flat 5, 6 people", "version 1.02 of the app"])
def test_numbers_that_are_not_a_split_room_stay_apart(text: str) -> None:
    assert heard_digits(text) == text


def test_block_heard_as_be_is_block_b() -> None:
    assert where("Block, be flat, 1208") == ("B", None, "1208")
    assert where("the block beef was tasty") == (None, None, None)


@pytest.mark.parametrize("text, expected", [
    ("7号农耳单远1801市厨房水管漏水了", ("7", "2", "1801")),
    ("3号楼1单原602卫生间马桶堵了", ("3", "1", "602")),
    ("10号能一单圆的电梯坏了", ("10", "1", None)),
    ("12号,诺尔丹园楼道的灯坏了", ("12", "2", None)),
    ("5号搂1203", ("5", None, "1203")),
    ("启动2单元1801漏水", ("7", "2", "1801")),
    ("啟動2单元1801漏水", ("7", "2", "1801")),
    ("起栋1单元502", ("7", "1", "502")),
    ("必作1208空调不制冷", ("B", None, "1208")),
    ("2号楼二单原三林一阳台的窗户关不上", ("2", "2", "301")),
])
def test_chinese_homophones_in_a_place_are_read_as_the_place(text: str, expected: tuple) -> None:
    assert where(text) == expected


@pytest.mark.parametrize("text", [
    "空调启动不了", "这一单原价多少", "明天3号能来吗", "我们必做100个", "他叫小尔", "简单原则", "3号搂着孩子睡觉",
    "我住在三林一带",
])
def test_chinese_words_outside_a_place_are_left_alone(text: str) -> None:
    assert heard_words(text) == text
    assert where(text) == (None, None, None)


def test_a_misheard_chinese_report_parses_to_the_same_ticket_fields_as_the_typed_one() -> None:
    parser = RulesParser()
    heard, typed = parser.parse("7号农耳单远1801市厨房水管漏水了"), parser.parse("7号楼2单元1801室厨房水管漏水了")
    assert heard.location == typed.location and heard.category == typed.category
