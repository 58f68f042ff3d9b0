"""The shared normalizers, table-driven, in both languages."""
from __future__ import annotations

import pytest

from nlu.normalize import chinese_number, clean, detect_language, english_number, extract_address


@pytest.mark.parametrize("run, digits", [
    ("四零二", "402"), ("一八零一", "1801"), ("幺八零幺", "1801"), ("一千八百零一", "1801"), ("十二", "12"),
    ("二十", "20"), ("三", "3"), ("九", "9"), ("两", "2"), ("二十三", "23"), ("一百零五", "105"),
])
def test_chinese_numerals_read_digit_by_digit_or_positionally(run: str, digits: str) -> None:
    assert chinese_number(run) == digits


@pytest.mark.parametrize("run, digits", [
    ("four oh two", "402"), ("eighteen oh one", "1801"), ("four hundred and two", "402"), ("twelve", "12"),
    ("twenty three oh five", "2305"), ("nine", "9"), ("one eight zero one", "1801"), ("double four", "44"),
    ("oh", None),
])
def test_spelled_out_english_numbers_become_digits(run: str, digits: str | None) -> None:
    assert english_number(run) == digits


@pytest.mark.parametrize("text, expected", [
    ("3号楼2单元1801室厨房漏水", ("3", "2", "1801")),
    ("3栋1801", ("3", None, "1801")),
    ("3幢602室", ("3", None, "602")),
    ("三号楼一千八百零一", ("3", None, "1801")),
    ("B座1208", ("B", None, "1208")),
    ("那个 嗯 九号楼二单元四零二", ("9", "2", "402")),
    ("3 号 楼 四 零 二", ("3", None, "402")),
    ("五栋二单元六零二", ("5", "2", "602")),
    ("十二栋十八楼电梯坏了", ("12", None, None)),
    ("3-2-1801 马桶堵了", ("3", "2", "1801")),
    ("18-601水管漏水", ("18", None, "601")),
    ("我家1801的灯不亮", (None, None, "1801")),
    ("3栋的lift坏了", ("3", None, None)),
    ("厨房漏水", (None, None, None)),
    ("花了200元还是坏的", (None, None, None)),
    ("电话13800138000", (None, None, None)),
])
def test_chinese_location_forms_normalize_to_building_unit_room(text: str, expected: tuple) -> None:
    address = extract_address(text)
    assert (address.building, address.unit, address.room) == expected


@pytest.mark.parametrize("text, expected", [
    ("Building 3 Flat 1801", ("3", None, "1801")),
    ("Block 3, flat 402", ("3", None, "402")),
    ("Tower 3", ("3", None, None)),
    ("Bldg 3 room 1801", ("3", None, "1801")),
    ("Block B apt 12A", ("B", None, "12A")),
    ("Tower B 1208", ("B", None, "1208")),
    ("block nine flat four oh two", ("9", None, "402")),
    ("building three flat eighteen oh one", ("3", None, "1801")),
    ("um block nine uh flat four hundred and two", ("9", None, "402")),
    ("unit 602 sink leak", (None, None, "602")),
    ("building 3 unit 2 room 1801", ("3", "2", "1801")),
    ("3-2-1801 toilet blocked", ("3", "2", "1801")),
    ("B-1208 door", ("B", None, "1208")),
    ("my drain is blocked", (None, None, None)),
    ("it happened on 2024-05-01", (None, None, None)),
    ("waited 120 minutes", (None, None, None)),
    ("the 3rd floor corridor", (None, None, None)),
])
def test_english_location_forms_normalize_to_building_unit_room(text: str, expected: tuple) -> None:
    address = extract_address(text)
    assert (address.building, address.unit, address.room) == expected


@pytest.mark.parametrize("text, ticket, hash_number", [
    ("工单12怎么还没人来", 12, None), ("ticket 12 status", 12, None), ("工单号：#35", 35, None),
    ("报修单108进展", 108, None), ("any update on #7?", None, "7"), ("#2304 toilet leaking", None, "2304"),
])
def test_ticket_references_are_read_and_hash_numbers_kept_for_the_intent_to_decide(text, ticket, hash_number) -> None:
    address = extract_address(text)
    assert (address.ticket_ref, address.hash_number) == (ticket, hash_number)


@pytest.mark.parametrize("text, language", [
    ("厨房漏水", "zh"), ("3栋的lift坏了", "zh"), ("the 热水器 in my flat is broken", "en"),
    ("my toilet is blocked", "en"), ("1801", "zh"), ("👍", "zh"),
])
def test_language_follows_the_script_most_of_the_message_is_in(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text, cleaned", [
    ("那个 嗯 九号楼 二单元", "九号楼二单元"), ("um block nine uh flat", "block nine flat"),
    ("３号楼１８０１", "3号楼1801"), ("3 - 2 - 1801", "3-2-1801"),
])
def test_cleaning_drops_fillers_full_width_and_stray_spaces(text: str, cleaned: str) -> None:
    assert clean(text) == cleaned
