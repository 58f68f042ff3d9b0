"""Value objects: locations, languages and ticket numbers."""
from __future__ import annotations

import pytest

from domain.values import Category, Language, Location, Priority, detect_language, display_number


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

@pytest.mark.parametrize("text, language", [
    ("3栋2单元1801厨房漏水", Language.ZH), ("The kitchen tap is dripping", Language.EN),
    ("3栋的lift坏了", Language.ZH), ("My 马桶 is broken again", Language.EN), ("㐀㐁 broken", Language.ZH),
    ("豈 lights", Language.ZH), ("", Language.ZH), ("1801", Language.ZH),
])
def test_a_message_is_chinese_when_han_characters_are_at_least_as_many_as_latin_words(text: str,
                                                                                       language: Language) -> None:
    assert detect_language(text) is language


def test_text_without_words_takes_the_default() -> None:
    assert detect_language("👍 123", Language.EN) is Language.EN


def test_the_nlu_and_the_knowledge_base_use_the_same_detector() -> None:
    from knowledge_base.service import query_language
    from nlu.normalize import detect_language as nlu_language

    for text in ("3栋的lift坏了", "My 马桶 is broken again", "the 厕所 leaks", "Is 漏水 urgent?"):
        assert query_language(text) == nlu_language(text) == detect_language(text).value