"""The report dialog, end to end in pure code: a first message and the owner's answers, to the ticket it files."""
from __future__ import annotations

import pytest

from domain.reporting import answers as a
from domain.reporting import outcomes as o
from domain.reporting.draft import Photo, Step
from domain.values import Category, Location, Priority
from tests.unit.domain.reporting_driver import HOME, TOWER_B, FakeKnowledgeBase, converse

YES_WORDS = ["确认", "是的", "对", "好", "嗯", "没错", "嗯，就是我家", "是", "对的", "就是我家", "yes", "yep", "ok",
             "correct", "Yes please", "that's right"]


def place_of(conversation) -> Location:
    return conversation.draft.location


@pytest.mark.parametrize("message, answers, place, category, priority", [
    ("3栋2单元1801厨房水管漏水了", [a.Submit()], Location("3", "2", "1801", "厨房"), Category.PLUMBING, Priority.NORMAL),
    ("马桶堵了，冲不下去", [a.ChoseHome(0), a.Submit()], HOME, Category.PLUMBING, Priority.NORMAL),
    ("马桶堵了，冲不下去", ["是的", "确认"], HOME, Category.PLUMBING, Priority.NORMAL),
    ("马桶堵了", ["不是", "5栋1单元302", "提交"], Location("5", "1", "302"), Category.PLUMBING, Priority.NORMAL),
    ("卫生间的灯不亮了", ["yes"], Location("3", "2", "1801", "卫生间"), Category.ELECTRICAL, Priority.NORMAL),
    ("楼道里的灯坏了", [a.ChoseBuilding("3", "2"), a.Submit()], Location("3", "2", None, "楼道", True),
     Category.ELECTRICAL, Priority.NORMAL),
    ("楼道里的灯坏了", ["是", "确认"], Location("3", "2", None, "楼道", True), Category.ELECTRICAL, Priority.NORMAL),
    ("楼道里的灯坏了", ["7栋", "1单元", "ok"], Location("7", "1", None, "楼道", True), Category.ELECTRICAL,
     Priority.NORMAL),
    ("楼道里的灯坏了", ["5栋", "不清楚", "好"], Location("5", None, None, "楼道", True), Category.ELECTRICAL,
     Priority.NORMAL),
    ("北门的道闸坏了", [a.Submit()], Location(None, None, None, "北门", True), Category.ACCESS_SECURITY, Priority.NORMAL),
    ("闻到很重的煤气味", [a.ChoseHome(0)], HOME, Category.GAS, Priority.URGENT),
    ("3栋2单元1801家里有问题", [a.ChoseCategory(Category.CIVIL), a.Submit()], HOME, Category.CIVIL, Priority.NORMAL),
])
def test_a_report_is_filed_with_the_fields_the_owner_meant(message, answers, place, category, priority) -> None:
    conversation = converse(message, *answers)
    assert conversation.filed
    draft = conversation.draft
    assert (draft.location, draft.category, draft.priority) == (place, category, priority)


@pytest.mark.parametrize("yes", YES_WORDS)
def test_any_yes_to_is_it_at_your_home_files_it_at_home_and_never_stores_the_word(yes: str) -> None:
    conversation = converse("马桶堵了，冲不下去", yes)
    assert conversation.draft.location == HOME
    assert yes not in conversation.draft.text
    assert isinstance(conversation.last, o.Confirm)


@pytest.mark.parametrize("no", ["不是", "不对", "不", "no", "nope", "No, somewhere else"])
def test_a_no_to_is_it_at_your_home_asks_the_owner_to_type_the_place(no: str) -> None:
    conversation = converse("马桶堵了，冲不下去", no)
    assert isinstance(conversation.last, o.AskPlace) and conversation.last.typed_only
    assert conversation.draft.location == Location()


@pytest.mark.parametrize("words", ["我也不知道怎么说", "嗯嗯那个", "hmm what", "asdf"])
def test_words_that_are_not_a_place_are_never_stored_as_one_and_the_question_is_asked_again(words: str) -> None:
    conversation = converse("马桶堵了，冲不下去", words)
    assert isinstance(conversation.last, o.AskPlace) and conversation.last.again
    assert conversation.last.homes == (HOME,)
    assert conversation.draft.location == Location()


def test_more_detail_at_the_place_question_is_kept_and_the_question_stands() -> None:
    conversation = converse("马桶堵了", "水一直往外冒，地上全是水")
    assert isinstance(conversation.last, o.AskPlace)
    assert "水一直往外冒" in conversation.draft.text and conversation.draft.location == Location()


def test_a_common_area_without_its_building_asks_which_building_offering_the_owners_own_first() -> None:
    conversation = converse("楼道里的灯坏了")
    asked = conversation.last
    assert isinstance(asked, o.AskBuilding) and asked.area == "楼道"
    assert asked.offers == (Location("3", "2"),)


def test_an_estate_wide_area_needs_no_building() -> None:
    assert isinstance(converse("北门的道闸坏了").last, o.Confirm)


def test_a_building_the_estate_does_not_have_is_questioned_not_filed() -> None:
    conversation = converse("15栋2单元1801水管漏水")
    asked = conversation.last
    assert isinstance(asked, o.AskPlace) and asked.unknown_building == "15"
    assert conversation.draft.location.building is None


def test_a_room_named_without_its_unit_is_completed_from_the_owners_home() -> None:
    assert converse("3栋1801厨房漏水").draft.location == Location("3", "2", "1801", "厨房")


def test_an_owner_with_two_homes_picks_one_and_yes_alone_does_not_choose() -> None:
    homes = (HOME, Location("7", "1", "903"))
    conversation = converse("马桶堵了", "是的", homes=homes)
    assert isinstance(conversation.last, o.AskPlace) and conversation.last.again
    assert converse("马桶堵了", a.ChoseHome(1), homes=homes).draft.location == homes[1]


@pytest.mark.parametrize("words", ["still need a repair", "还是要修", "提交", "submit", "仍需维修"])
def test_asking_to_file_it_at_the_card_files_it_and_adds_nothing_to_the_description(words: str) -> None:
    conversation = converse("3栋2单元1801厨房水龙头一直滴水", words)
    assert conversation.filed
    assert conversation.draft.text == "3栋2单元1801厨房水龙头一直滴水"


def test_a_category_word_at_the_card_changes_the_category_and_not_the_description() -> None:
    conversation = converse("3栋2单元1801墙上有水渍", "plumbing")
    assert conversation.draft.category is Category.PLUMBING
    assert conversation.draft.text == "3栋2单元1801墙上有水渍"


@pytest.mark.parametrize("correction, place", [
    ("不是3栋，是5栋", Location("5", "2", "1801", "厨房")),
    ("不是1801，是1802", Location("3", "2", "1802", "厨房")),
    ("no, it's block 5", Location("5", "2", "1801", "厨房")),
    ("其实是卫生间", Location("3", "2", "1801", "卫生间")),
])
def test_one_message_corrects_the_place_at_the_card(correction: str, place: Location) -> None:
    conversation = converse("3栋2单元1801厨房水龙头一直滴水", correction)
    assert isinstance(conversation.last, o.Confirm)
    assert conversation.draft.location == place
    assert conversation.draft.text == "3栋2单元1801厨房水龙头一直滴水"


@pytest.mark.parametrize("correction", ["actually it's urgent", "很急，快点来", "其实挺急的"])
def test_saying_it_is_urgent_at_the_card_files_it_at_once_as_urgent(correction: str) -> None:
    conversation = converse("3栋2单元1801厨房水龙头一直滴水", correction)
    assert conversation.filed and conversation.draft.priority is Priority.URGENT


def test_new_detail_at_the_card_is_added_to_the_description() -> None:
    conversation = converse("3栋2单元1801厨房水龙头一直滴水", "从昨天晚上开始的，关紧了也在滴")
    assert "从昨天晚上开始的" in conversation.draft.text
    assert isinstance(conversation.last, o.Confirm)


def test_thanks_at_the_card_is_not_detail() -> None:
    conversation = converse("3栋2单元1801厨房水龙头一直滴水", "谢谢")
    assert conversation.draft.text == "3栋2单元1801厨房水龙头一直滴水"


def test_a_non_urgent_report_with_a_tip_shows_it_on_the_card_and_solved_files_nothing() -> None:
    conversation = converse("3栋2单元1801厨房水龙头一直滴水")
    assert isinstance(conversation.last, o.Confirm) and conversation.last.suggestion.article_id == "tap-dripping"
    solved = converse("3栋2单元1801厨房水龙头一直滴水", "修好了，谢谢")
    assert isinstance(solved.ended, o.Deflected) and solved.ended.article_id == "tap-dripping"


def test_a_dangerous_report_shows_its_safety_steps_before_asking_anything_and_files_without_a_card() -> None:
    conversation = converse("闻到很重的煤气味", a.ChoseHome(0))
    first, second = conversation.outcomes
    assert isinstance(first, o.AskPlace) and first.safety is not None and first.safety.article_id == "gas-smell"
    assert isinstance(second, o.SubmitNow) and second.safety is None  # said once, not twice


def test_a_danger_article_is_never_offered_as_a_fix_to_try() -> None:
    kb = FakeKnowledgeBase()
    kb.articles[Category.ELECTRICAL] = kb.articles[Category.GAS]
    conversation = converse("3栋2单元1801卧室插座不通电", kb=kb)
    assert isinstance(conversation.last, o.Confirm) and conversation.last.suggestion is None


def test_the_knowledge_base_is_asked_once_however_many_answers_follow() -> None:
    kb = FakeKnowledgeBase()
    converse("3栋2单元1801厨房水龙头一直滴水", "从昨天开始的", "还有水池下面也湿了", kb=kb)
    assert kb.asked == 1


def test_cancelling_keeps_the_words_for_the_owner() -> None:
    conversation = converse("马桶堵了，冲不下去", a.Cancel())
    assert isinstance(conversation.ended, o.Cancelled) and "马桶堵了" in conversation.ended.text


def test_the_edit_menu_changes_one_field_and_returns_to_the_card() -> None:
    conversation = converse("3栋2单元1801厨房水龙头一直滴水", a.Edit(), a.Edit(a.Field.PRIORITY),
                            a.ChosePriority(Priority.LOW))
    assert isinstance(conversation.last, o.Confirm) and conversation.draft.priority is Priority.LOW
    reworded = converse("3栋2单元1801厨房水龙头一直滴水", a.Edit(a.Field.TEXT), "水龙头坏了关不上")
    assert reworded.draft.text == "水龙头坏了关不上" and isinstance(reworded.last, o.Confirm)


def test_a_stale_submit_button_does_not_skip_a_question() -> None:
    conversation = converse("马桶堵了，冲不下去", a.Submit())
    assert isinstance(conversation.last, o.AskPlace) and not conversation.filed


def test_a_forged_home_building_or_unit_button_changes_nothing() -> None:
    assert converse("马桶堵了", a.ChoseHome(5)).draft.location == Location()
    assert converse("楼道里的灯坏了", a.ChoseBuilding("99")).draft.location.building is None
    conversation = converse("楼道里的灯坏了", "7栋", a.ChoseUnit("9"))
    assert conversation.draft.location.unit is None and isinstance(conversation.last, o.AskUnit)


def test_photos_join_the_draft_and_their_captions_are_detail() -> None:
    conversation = converse("3栋2单元1801厨房水龙头一直滴水", a.AddPhoto(Photo("f1"), None),
                            a.AddPhoto(Photo("f2"), None))
    assert [p.file_id for p in conversation.draft.photos] == ["f1", "f2"]
    assert isinstance(conversation.last, o.PhotoAdded) and conversation.last.count == 2


def test_report_with_no_words_asks_for_them_first() -> None:
    conversation = converse("", "厨房水龙头一直滴水")
    assert isinstance(conversation.outcomes[0], o.AskDescription)
    assert conversation.draft.location == Location("3", "2", "1801", "厨房")


def test_an_owner_with_no_home_is_asked_to_type_the_place() -> None:
    conversation = converse("马桶堵了", homes=())
    assert isinstance(conversation.last, o.AskPlace) and conversation.last.typed_only


def test_an_english_owner_in_a_tower_without_units_is_never_asked_for_a_unit() -> None:
    conversation = converse("The tap keeps dripping", "yes", homes=(TOWER_B,))
    assert conversation.draft.location == TOWER_B
    assert isinstance(conversation.last, o.Confirm)


def test_a_draft_survives_its_storage_round_trip() -> None:
    from domain.reporting.draft import from_data, to_data

    draft = converse("楼道里的灯坏了", "7栋").draft
    assert from_data(to_data(draft)) == draft and draft.step is Step.UNIT


def test_a_building_alone_asks_which_flat_and_the_whole_building_is_an_answer() -> None:
    conversation = converse("马桶堵了", "不是3栋，是5栋")
    assert isinstance(conversation.last, o.AskRoom) and conversation.last.building == "5"
    flat = converse("马桶堵了", "不是3栋，是5栋", "1单元302")
    assert flat.draft.location == Location("5", "1", "302") and isinstance(flat.last, o.Confirm)
    whole = converse("停水了", "5号楼", a.NotSure())
    assert whole.draft.location == Location("5") and isinstance(whole.last, o.Confirm)


def test_a_flat_without_its_unit_in_a_building_with_units_asks_the_unit() -> None:
    conversation = converse("马桶堵了", "5栋302")
    assert isinstance(conversation.last, o.AskUnit) and conversation.last.units == ("1", "2")
    assert converse("马桶堵了", "5栋302", "2").draft.location == Location("5", "2", "302")


def test_a_lobby_belongs_to_its_building_and_no_unit_is_asked() -> None:
    conversation = converse("3栋大堂的灯坏了")
    assert isinstance(conversation.last, o.Confirm)
    assert conversation.draft.location == Location("3", None, None, "大堂", True)


@pytest.mark.parametrize("said, category", [("是土建问题", Category.CIVIL), ("it's HVAC", Category.HVAC),
                                            ("门窗", Category.DOORS_WINDOWS), ("Fire safety", Category.FIRE_SAFETY)])
def test_a_category_named_as_the_card_shows_it_is_that_category(said: str, category: Category) -> None:
    conversation = converse("3栋2单元1801墙上有水渍", said)
    assert conversation.draft.category is category
    assert conversation.draft.text == "3栋2单元1801墙上有水渍"


@pytest.mark.parametrize("said, place", [("it's Block 4 unit 1 flat 402", Location("4", "1", "402")),
                                         ("是5栋1单元602", Location("5", "1", "602"))])
def test_a_whole_new_place_at_the_card_replaces_the_place_and_adds_nothing(said: str, place: Location) -> None:
    conversation = converse("3栋2单元1801墙上有水渍", said)
    assert conversation.draft.location == place and conversation.draft.text == "3栋2单元1801墙上有水渍"


def test_an_urgent_report_files_at_once_with_the_matching_articles_first_steps() -> None:
    conversation = converse("3栋2单元1801卫生间水管爆了，水一直往外喷")  # urgent plumbing: no card to show a tip on
    (only,) = conversation.outcomes
    assert isinstance(only, o.SubmitNow) and only.safety is not None and only.safety.article_id == "tap-dripping"


def test_a_normal_report_keeps_its_tip_for_the_card_and_shows_no_safety_steps() -> None:
    conversation = converse("3栋2单元1801厨房水龙头一直滴水")
    assert isinstance(conversation.last, o.Confirm) and conversation.last.safety is None
    assert conversation.last.suggestion is not None and conversation.last.suggestion.article_id == "tap-dripping"
