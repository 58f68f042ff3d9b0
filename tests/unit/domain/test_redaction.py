"""Redaction: public self-help text loses places, phone numbers and names, in Chinese and in English."""
from __future__ import annotations

import pytest

from domain.redaction import copied_run, name_in, phone_in, redact, room_in


@pytest.mark.parametrize(("notes", "expected"), [
    ("到3栋2单元1801室更换进水阀", "到更换进水阀"),
    ("3-2-1801 厨房水管接头漏水，已更换接头", "厨房水管接头漏水，已更换接头"),
    ("B座1208 马桶水箱浮球卡住，调整浮球", "马桶水箱浮球卡住，调整浮球"),
    ("18层楼道灯不亮，换了灯泡", "楼道灯不亮，换了灯泡"),
])
def test_building_unit_and_room_numbers_are_taken_out_of_chinese_notes(notes: str, expected: str) -> None:
    assert redact(notes) == expected


@pytest.mark.parametrize(("notes", "expected"), [
    ("Replaced the fill valve in Flat 12B, Block B.", "Replaced the fill valve in."),
    ("Building 3 unit 2 room 1801: cleaned the drain trap", "cleaned the drain trap"),
    ("Tap in B-1208 dripping; replaced the washer", "Tap in dripping; replaced the washer"),
    ("Reset the breaker on the 18th floor", "Reset the breaker on the"),
])
def test_building_flat_and_floor_numbers_are_taken_out_of_english_notes(notes: str, expected: str) -> None:
    assert redact(notes) == expected


@pytest.mark.parametrize("phone", ["13812345678", "138-1234-5678", "+86 138 1234 5678", "0755-12345678"])
def test_phone_numbers_are_taken_out_however_they_are_written(phone: str) -> None:
    assert redact(f"更换阀芯，有问题打{phone}") == "更换阀芯，有问题打"
    assert redact(f"Replaced the cartridge, call {phone} if it drips") == "Replaced the cartridge, call if it drips"
    assert redact(f"Replaced the cartridge (tel: {phone})") == "Replaced the cartridge"


def test_names_given_and_names_with_an_honorific_are_taken_out_in_chinese() -> None:
    assert redact("王女士说马桶一直流水，张师傅更换了进水阀") == "说马桶一直流水，更换了进水阀"
    assert redact("和王伟确认后关闭总阀", names=["王伟"]) == "和确认后关闭总阀"


def test_names_given_and_names_with_an_honorific_are_taken_out_in_english() -> None:
    assert redact("Mr Smith said it drips; replaced the washer") == "said it drips; replaced the washer"
    assert redact("Showed Emily how to reset the RCD", names=["Emily Carter"]) == "Showed how to reset the RCD"
    assert redact("Carter family away; reset the RCD", names=["Emily Carter"]) == "family away; reset the RCD"


@pytest.mark.parametrize("notes", [
    "1. 关闭总阀\n2. 更换2000W加热管，电压220V",
    "周末师傅会来复查，先别用热水器",
    "1. Turn off the outdoor unit\n2. Wait 30 minutes, then press RESET for 5 seconds",
    "Replaced the E4 sensor on the water heater",
    "Mop the floor a little and keep the room dry",
])
def test_what_the_technician_did_is_kept_word_for_word(notes: str) -> None:
    assert redact(notes) == notes


def test_the_owners_name_phone_and_room_are_found_as_written() -> None:
    assert name_in("Ask emily first", "Emily Carter") == "emily"
    assert name_in("请王伟先关闭总阀", "王伟") == "王伟"
    assert name_in("Close the valve", "Emily Carter") is None
    assert phone_in("call +86 138 0000 1001 now", "13800001001") == "+86 138 0000 1001"
    assert phone_in("press 1 then 3", "13800001001") is None
    assert room_in("3-2-1801 漏水", "1801") == "1801"
    assert room_in("型号 18010", "1801") is None


def test_eight_characters_copied_from_the_owner_are_found_and_seven_are_not() -> None:
    owner = "3栋2单元1801 阳台晾衣架升降绳断了"
    assert copied_run("阳台晾衣架升降绳断了怎么办", owner) == "阳台晾衣架升降绳断了"
    assert copied_run("晾衣架升降绳断了", owner) == "晾衣架升降绳断了"  # exactly eight
    assert copied_run("衣架升降绳断了", owner) is None  # seven
    assert copied_run("The Toilet, keeps running!", "my toilet keeps running all night") == "Toilet, keeps running"
    assert copied_run("Toilet runs", "my toilet keeps running") is None
