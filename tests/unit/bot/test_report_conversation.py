"""The report conversation through the real handlers and process_update, offline (a fake Bot API, fake ports)."""
from __future__ import annotations

from domain.values import Category, Location, Priority
from tests.unit.bot.conftest import EN_OWNER, OTHER_OWNER, OWNER, STAFF_GROUP, OfflineBot


async def test_a_report_naming_its_place_is_one_tap_from_a_ticket(offline: OfflineBot) -> None:
    sent = await offline.say(OWNER, "3栋2单元1801厨房水管漏水了")
    card = offline.to(OWNER, sent)[-1]
    assert "r:submit" in card.buttons and "3-2-1801" in card.text
    sent = await offline.tap(OWNER, "r:submit")
    assert "#1" in offline.to(OWNER, sent)[0].text
    assert any("#1" in s.text for s in offline.to(STAFF_GROUP, sent))  # staff hear of it too
    (ticket,) = offline.tickets()
    assert (ticket.location, ticket.category) == (Location("3", "2", "1801", "厨房"), Category.PLUMBING)


async def test_typed_yes_answers_the_place_question_and_the_ticket_is_filed_at_home(offline: OfflineBot) -> None:
    question = offline.to(OWNER, await offline.say(OWNER, "马桶堵了，冲不下去"))[-1]
    assert "3-2-1801" in question.text and "r:home:0" in question.buttons
    card = offline.to(OWNER, await offline.say(OWNER, "嗯，就是我家"))[-1]
    assert "r:submit" in card.buttons
    await offline.say(OWNER, "确认")
    (ticket,) = offline.tickets()
    assert ticket.location == Location("3", "2", "1801") and "就是我家" not in ticket.description


async def test_english_yes_to_the_place_question_is_understood(offline: OfflineBot) -> None:
    await offline.say(EN_OWNER, "The toilet won't flush", "en")
    await offline.say(EN_OWNER, "yes", "en")
    await offline.say(EN_OWNER, "yes", "en")
    (ticket,) = offline.tickets()
    assert ticket.location == Location("B", None, "1208")


async def test_a_common_area_asks_which_building_and_offers_the_owners_own(offline: OfflineBot) -> None:
    question = offline.to(OWNER, await offline.say(OWNER, "楼道里的灯坏了"))[-1]
    assert "r:bld:3:2" in question.buttons
    card = offline.to(OWNER, await offline.tap(OWNER, "r:bld:3:2"))[-1]
    assert "3-2 楼道" in card.text
    await offline.tap(OWNER, "r:submit")
    assert offline.tickets()[0].location == Location("3", "2", None, "楼道", True)


async def test_a_correction_at_the_card_changes_the_field_and_not_the_description(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水龙头一直滴水")
    card = offline.to(OWNER, await offline.say(OWNER, "不是3栋，是5栋"))[-1]
    assert "5-2-1801" in card.text
    await offline.say(OWNER, "still need a repair")
    (ticket,) = offline.tickets()
    assert ticket.location.building == "5" and ticket.description == "3栋2单元1801厨房水龙头一直滴水"


async def test_an_urgent_report_is_filed_at_once(offline: OfflineBot) -> None:
    sent = offline.to(OWNER, await offline.say(OWNER, "3栋2单元1801厨房水管爆了，水到处都是"))
    assert "#1" in sent[-1].text
    assert offline.tickets()[0].priority is Priority.URGENT


async def test_an_off_topic_message_never_opens_a_report(offline: OfflineBot) -> None:
    for text in ("帮我订一张明天去北京的机票", "what's the weather like tomorrow", "book a table for two at 7pm"):
        reply = offline.to(OWNER, await offline.say(OWNER, text))[-1]
        assert "r:submit" not in reply.buttons and "r:home:0" not in reply.buttons, text
    assert offline.tickets() == [] and "report" not in offline.svc.states.read(OWNER)


async def test_an_off_topic_message_can_still_be_reported_with_one_tap(offline: OfflineBot) -> None:
    reply = offline.to(OWNER, await offline.say(OWNER, "3栋2单元1801那个东西又不行了"))[-1]
    assert "i:report" in reply.buttons
    question = offline.to(OWNER, await offline.tap(OWNER, "i:report"))[-1]
    assert "r:cat:plumbing" in question.buttons  # the words are kept; only the kind is asked


async def test_a_stale_report_button_changes_nothing(offline: OfflineBot) -> None:
    reply = offline.to(OWNER, await offline.tap(OWNER, "r:submit"))[-1]
    assert "失效" in reply.text and offline.tickets() == []


async def test_a_forged_button_from_another_owner_cannot_touch_a_draft(offline: OfflineBot) -> None:
    await offline.say(OWNER, "马桶堵了，冲不下去")
    await offline.tap(OTHER_OWNER, "r:home:0")
    assert offline.svc.states.get(OWNER, "report")["location"]["building"] is None


async def test_photos_sent_one_after_another_all_join_the_draft(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801卫生间墙面发霉了")
    for n in range(3):
        await offline.photo(OWNER, f"photo-{n}")
    await offline.tap(OWNER, "r:submit")
    assert len(offline.tickets()[0].attachments) == 3


async def test_slash_report_alone_asks_what_is_wrong_then_carries_on(offline: OfflineBot) -> None:
    asked = offline.to(OWNER, await offline.say(OWNER, "/report"))[-1]
    assert "描述" in asked.text
    card = offline.to(OWNER, await offline.say(OWNER, "厨房水龙头一直滴水"))[-1]
    assert "r:submit" in card.buttons and "3-2-1801 厨房" in card.text


async def test_slash_report_with_words_starts_from_them(offline: OfflineBot) -> None:
    card = offline.to(OWNER, await offline.say(OWNER, "/report 3栋2单元1801卧室插座没电"))[-1]
    assert "r:submit" in card.buttons and "插座没电" in card.text


async def test_a_submit_retried_after_a_crash_before_the_draft_was_dropped_files_one_ticket(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水龙头一直滴水")
    kept = offline.svc.states.get(OWNER, "report")
    await offline.tap(OWNER, "r:submit")
    offline.svc.states.put(OWNER, "report", kept, force=True)  # as if the process died before dropping it
    again = offline.to(OWNER, await offline.tap(OWNER, "r:submit"))
    assert len(offline.tickets()) == 1 and "#1" in again[-1].text
    assert offline.svc.states.get(OWNER, "report") is None


async def test_a_category_named_with_an_ampersand_is_escaped_on_the_html_cards(offline: OfflineBot) -> None:
    await offline.say(EN_OWNER, "B-1208 something is not working", "en")
    await offline.tap(EN_OWNER, "i:report")
    card = offline.to(EN_OWNER, await offline.tap(EN_OWNER, "r:cat:access_security"))[-1]
    assert card.params.get("parse_mode") == "HTML" and "Access &amp; security" in card.text
    await offline.tap(EN_OWNER, "r:submit")
    status = offline.to(EN_OWNER, await offline.say(EN_OWNER, "/status 1", "en"))[-1]
    assert status.params.get("parse_mode") == "HTML" and "Access &amp; security" in status.text


async def test_a_tap_on_an_earlier_reports_card_files_nothing_and_shows_the_current_card(offline: OfflineBot) -> None:
    first = offline.to(OWNER, await offline.say(OWNER, "3栋2单元1801厨房水管漏水了"))[-1]
    old_submit = next(d for d in first.marked_buttons if d.startswith("r:submit:~"))
    await offline.tap(OWNER, old_submit)
    assert len(offline.tickets()) == 1
    second = offline.to(OWNER, await offline.say(OWNER, "3栋2单元1801阳台门关不上了"))[-1]
    assert "r:submit" in second.buttons and old_submit not in second.marked_buttons  # each report its own mark
    answer = offline.to(OWNER, await offline.tap(OWNER, old_submit))
    assert len(offline.tickets()) == 1  # the balcony door was not filed by the kitchen card's button
    assert "之前" in answer[0].text and "阳台门" in answer[-1].text and "r:submit" in answer[-1].buttons
    new_submit = next(d for d in answer[-1].marked_buttons if d.startswith("r:submit:~"))
    await offline.tap(OWNER, new_submit)
    assert [t.description for t in offline.tickets()][-1].startswith("3栋2单元1801阳台门")


async def test_an_earlier_cards_cancel_leaves_the_report_being_written(offline: OfflineBot) -> None:
    first = offline.to(OWNER, await offline.say(OWNER, "3栋2单元1801厨房水管漏水了"))[-1]
    old_cancel = next(d for d in first.marked_buttons if d.startswith("r:cancel:~"))
    await offline.say(OWNER, "取消")
    await offline.say(OWNER, "马桶堵了，冲不下去")  # asks where: a question, not a card
    answer = offline.to(OWNER, await offline.tap(OWNER, old_cancel))
    assert "之前" in answer[0].text and "上一个问题" in answer[-1].text
    card = offline.to(OWNER, await offline.tap(OWNER, "r:home:0"))[-1]
    assert "r:submit" in card.buttons  # the toilet report went on where it was


async def test_cancelling_in_a_few_words_at_the_category_question_ends_the_report(offline: OfflineBot) -> None:
    for words in ("never mind, cancel", "actually never mind"):
        await offline.say(EN_OWNER, "Something in flat B-1208 is not right", "en")  # not read as a report yet
        question = offline.to(EN_OWNER, await offline.tap(EN_OWNER, "i:report"))[-1]  # "report this as a repair"
        assert "r:cat:plumbing" in question.buttons
        answer = offline.to(EN_OWNER, await offline.say(EN_OWNER, words, "en"))[-1]
        assert "cancel" in answer.text.lower() and offline.svc.states.get(EN_OWNER, "report") is None, words
    assert not offline.tickets()


async def test_status_alone_shows_an_owners_one_open_ticket_and_otherwise_their_list(offline: OfflineBot) -> None:
    nothing = offline.to(EN_OWNER, await offline.say(EN_OWNER, "/status", "en"))[-1]
    assert "no tickets yet" in nothing.text
    await offline.say(EN_OWNER, "B-1208 the kitchen tap is leaking", "en")
    await offline.tap(EN_OWNER, "r:submit")
    one = offline.to(EN_OWNER, await offline.say(EN_OWNER, "/status", "en"))[-1]
    assert "#1" in one.text and "Usage" not in one.text and "t:urge:1" in one.buttons
    await offline.say(EN_OWNER, "/report B-1208 the bedroom light does not work", "en")
    await offline.tap(EN_OWNER, "r:submit")
    both = offline.to(EN_OWNER, await offline.say(EN_OWNER, "/status", "en"))[-1]
    assert both.text.startswith("Your tickets:") and "#1" in both.text and "#2" in both.text
