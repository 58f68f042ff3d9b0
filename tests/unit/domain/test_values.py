"""Value objects: locations, languages and ticket numbers."""
from __future__ import annotations

import pytest

from domain.values import Category, Language, Location, Priority, display_number


@pytest.mark.parametrize(("location", "short"), [
    (Location("3", "2", "1801"), "3-2-1801"), (Location("B", None, "1208"), "B-1208"),
    (Location("3", "2", "1801", "厨房"), "3-2-1801 厨房"), (Location(area="B2 car park", common_area=True), "B2 car park"),
])
def test_a_location_has_the_shorthand_people_use(location: Location, short: str) -> None:
    assert location.short() == short


def test_a_location_with_only_the_common_area_flag_is_empty() -> None:
    assert Location(common_area=True).is_empty and not Location(area="大堂").is_empty


@pytest.mark.parametrize(("code", "language"), [
    ("zh", Language.ZH), ("zh-hans", Language.ZH), ("ZH-TW", Language.ZH), ("en-GB", Language.EN),
    ("ru", Language.EN), (None, Language.EN), ("", Language.EN),
])
def test_a_chat_language_code_maps_to_a_language_we_serve(code: str | None, language: Language) -> None:
    assert Language.from_code(code) is language


def test_tickets_show_as_hash_and_id() -> None:
    assert display_number(42) == "#42"


def test_the_categories_and_priorities_are_the_ones_the_issue_names() -> None:
    assert {c.value for c in Category} == {"plumbing", "electrical", "hvac", "elevator", "doors_windows", "civil",
                                           "fire_safety", "gas", "access_security", "other"}
    assert [p.value for p in Priority] == ["urgent", "normal", "low"]
