"""Self-help drafts as domain rules: edits, a ticket's first draft, and the review before publishing."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from domain.errors import PermissionDenied
from domain.people import Person, Role, StaffRole
from domain.self_help import (TITLE_PLACEHOLDER, ArticleText, DraftAction, DraftRefused, DraftVersion, Edit, Safety,
                              apply_edit, authorize_curator, changed_fields, missing_parts)
from domain.self_help_review import OwnerFacts, owner_traces, review, text_from_ticket
from domain.values import Category

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=timezone.utc)
OWNER = OwnerFacts(name="王芳", phone="13800000001", rooms=("1801",), description="3栋2单元1801 阳台晾衣架升降绳断了")


def complete_text(**changes: object) -> ArticleText:
    text = ArticleText(Category.OTHER, Safety.CAUTION, {"zh": "晾衣架拉绳断了", "en": "Clothes airer cord snapped"},
                       {"zh": ("晾衣架摇不动",), "en": ("the airer won't go up",)},
                       {"zh": "1. 不要再拉绳子\n2. 报修", "en": "1. Do not pull the cord\n2. Report it"})
    return replace(text, **changes)


def version(text: ArticleText, reviewed: bool = False) -> DraftVersion:
    return DraftVersion("ticket-7", 2, DraftAction.EDITED, text, 1, NOW, source_ticket=7,
                        reviewed_by=1 if reviewed else None, reviewed_at=NOW if reviewed else None)


def test_an_edit_changes_one_field_in_one_language() -> None:
    text = complete_text()
    assert apply_edit(text, Edit("title", "晾衣架坏了", "zh")).title == {"zh": "晾衣架坏了", "en": text.title["en"]}
    assert apply_edit(text, Edit("steps", ("Lower it by hand", "Report it"), "en")).body["en"] == \
        "1. Lower it by hand\n2. Report it"
    assert apply_edit(text, Edit("safety", "Danger")).safety is Safety.DANGER
    assert apply_edit(text, Edit("category", "civil")).category is Category.CIVIL


def test_a_text_edit_must_say_its_language_and_a_value_must_be_one_allowed() -> None:
    with pytest.raises(DraftRefused) as no_language:
        apply_edit(complete_text(), Edit("title", "New title"))
    with pytest.raises(DraftRefused) as bad_value:
        apply_edit(complete_text(), Edit("safety", "risky"))
    assert no_language.value.reason == "needs_language"
    assert bad_value.value.reason == "bad_value" and bad_value.value.facts["allowed"] == "safe, caution, danger"


def test_a_chinese_tickets_draft_starts_from_the_technicians_notes_without_the_people_or_the_place() -> None:
    text = text_from_ticket("张师傅到3-2-1801更换晾衣架钢丝绳\n调整滑轮，王芳确认可以升降", Category.OTHER,
                            names=("王芳", "张师傅"), rooms=("1801",))
    assert text.title == {"zh": "到更换晾衣架钢丝绳", "en": TITLE_PLACEHOLDER["en"]}
    assert text.body["zh"] == "1. 到更换晾衣架钢丝绳\n2. 调整滑轮，确认可以升降"
    assert text.phrasings == {"zh": (), "en": ()} and text.safety is Safety.CAUTION


def test_an_english_tickets_draft_starts_from_the_technicians_notes_without_the_people_or_the_place() -> None:
    text = text_from_ticket("Visited Flat 1208 for Alice Smith (tel 13800000002).\nCleaned the inlet filter",
                            Category.PLUMBING, names=("Alice Smith",), rooms=("1208",), phones=("13800000002",))
    assert text.title["en"] == "Visited for." and text.body["en"] == "1. Visited for.\n2. Cleaned the inlet filter"
    assert "Alice" not in str(text) and "1208" not in str(text) and "13800000002" not in str(text)


def test_review_finds_the_owners_name_phone_room_and_words_in_any_public_field() -> None:
    text = complete_text(title={"zh": "王芳家晾衣架", "en": "Call 138 0000 0001"},
                         phrasings={"zh": ("阳台晾衣架升降绳断了",), "en": ()}, body={"zh": "1. 去1801看看", "en": "1. Go"})
    found = {(p.kind, p.field, p.found) for p in owner_traces(text, OWNER)}
    assert found == {("owner_name", "zh title", "王芳"), ("owner_phone", "en title", "138 0000 0001"),
                     ("owner_words", "zh phrasings 1", "阳台晾衣架升降绳断了"), ("owner_room", "zh steps", "1801")}


def test_a_complete_draft_in_other_words_passes_review() -> None:
    assert review(version(complete_text()), complete_text(), OWNER) == []


def test_titles_and_steps_still_missing_are_named_by_field() -> None:
    text = complete_text(title={"zh": "晾衣架", "en": TITLE_PLACEHOLDER["en"]}, body={"zh": "1. 报修", "en": ""})
    assert [(p.kind, p.field) for p in missing_parts(text)] == [("missing_title", "en title"),
                                                                 ("missing_steps", "en steps")]


def test_a_change_of_safety_level_is_refused_until_the_version_was_reviewed() -> None:
    before, after = complete_text(), complete_text(safety=Safety.DANGER)
    (problem,) = review(version(after), before, None)
    assert (problem.kind, problem.found) == ("safety_unreviewed", "caution → danger")
    assert review(version(after, reviewed=True), before, None) == []
    assert changed_fields(before, after) == ["safety"]


@pytest.mark.parametrize("person", [
    Person("王芳", Role.OWNER, "sunrise"), Person("张师傅", Role.TECHNICIAN, "sunrise"),
    Person("前员工", Role.STAFF, "sunrise", staff_role=StaffRole.DISPATCHER, active=False),
], ids=["owner", "technician", "inactive staff"])
def test_only_active_staff_may_curate_articles(person: Person) -> None:
    with pytest.raises(PermissionDenied):
        authorize_curator(person)
    authorize_curator(Person("调度", Role.STAFF, "sunrise", staff_role=StaffRole.DISPATCHER))
    authorize_curator(Person("Admin", Role.ADMIN, "sunrise"))
