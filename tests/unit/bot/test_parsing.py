"""Pure parsing in the bot: /tickets filters, ticket numbers, and the register CSV."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.common import parse_ticket_id
from bot.filters import parse_filters
from bot.register_import import read_rows
from domain.errors import InvalidInput
from domain.lifecycle import Status
from domain.people import Person, Role
from domain.values import Category, Priority

TZ = ZoneInfo("Asia/Shanghai")
TECHS = [Person("张师傅", Role.TECHNICIAN, "e", id=7, chat_id=2001)]


@pytest.mark.parametrize("text, expected", [("42", 42), ("#42", 42), (" #7 ", 7), ("#", None), ("abc", None),
                                            ("4 2", None), ("", None), (None, None)])
def test_ticket_numbers_are_read_with_or_without_the_hash(text: str | None, expected: int | None) -> None:
    assert parse_ticket_id(text) == expected


def test_filters_combine_open_status_category_building_priority_tech_and_dates() -> None:
    c = parse_filters(["open", "building=b", "category=plumbing", "priority=urgent", "tech=张", "since=2026-11-01",
                       "until=2026-11-02", "status=submitted,assigned"], TECHS, TZ)
    assert c.open_only and c.building == "B" and c.category is Category.PLUMBING and c.priority is Priority.URGENT
    assert c.technician_id == 7 and c.statuses == frozenset({Status.SUBMITTED, Status.ASSIGNED})
    assert c.since.isoformat() == "2026-11-01T00:00:00+08:00" and c.until.isoformat() == "2026-11-03T00:00:00+08:00"


@pytest.mark.parametrize("word", ["colour=red", "category=plumbin", "since=yesterday", "tech=nobody", "building=",
                                  "status=done"])
def test_a_bad_filter_is_refused_and_named(word: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_filters([word], TECHS, TZ)
    assert refused.value.facts["filter"] == word


def test_register_csv_accepts_chinese_headers_excel_bom_and_gbk() -> None:
    utf8 = "\ufeff楼栋,单元,房号,姓名,电话\n3,1,101,张伟,13800000004\n".encode("utf-8")
    gbk = "楼栋,单元,房号,姓名,电话\n3,1,101,张伟,13800000004\n".encode("gb18030")
    expected = [{"building": "3", "unit": "1", "room": "101", "name": "张伟", "phone": "13800000004"}]
    assert read_rows(utf8) == expected and read_rows(gbk) == expected


def test_register_csv_without_the_needed_columns_is_refused() -> None:
    assert read_rows(b"building,room\n3,101\n") is None


def test_a_register_with_an_oversized_field_is_not_readable_rather_than_a_crash() -> None:
    from bot.register_import import read_rows

    huge = "楼栋,单元,房号,姓名,电话\n3,2,1801,\"" + "王" * 200_000 + "\",13800000000\n"
    assert read_rows(huge.encode("utf-8")) is None
