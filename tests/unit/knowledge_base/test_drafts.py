"""Knowledge captured from closed tickets: the draft -> edit -> publish cycle on files."""
from __future__ import annotations

import pytest

from domain.values import Category
from knowledge_base.articles import Safety, Status
from knowledge_base.drafts import DraftError


def test_a_closed_ticket_becomes_a_draft_file_that_search_never_returns(kb, articles_dir):
    article_id = kb.drafts.create_draft("热水器显示E4故障代码，没有热水", Category.PLUMBING,
                                        "1. 清洗进水阀滤网\n2. 重新上电复位", ticket_id=42)
    assert article_id == "ticket-42" and (articles_dir / "ticket-42.md").exists()
    draft = kb.article(article_id)
    assert (draft.status, draft.source_ticket, draft.safety) == (Status.DRAFT, 42, Safety.CAUTION)
    assert draft.steps_for("zh") == ["清洗进水阀滤网", "重新上电复位"]
    assert draft.phrasings["zh"] == ("热水器显示E4故障代码，没有热水",)
    assert all(h.id != article_id for h in kb.search("热水器显示E4故障代码", top_k=10))


def test_publishing_a_draft_still_missing_a_language_says_what_is_missing(kb):
    article_id = kb.drafts.create_draft("Water heater shows error E4", "plumbing", "Clean the inlet filter", 7)
    with pytest.raises(DraftError, match=r"title\.zh.*steps\.zh"):
        kb.publish(article_id)
    assert kb.article(article_id).status is Status.DRAFT


def test_the_draft_edit_publish_cycle_makes_the_article_searchable(kb):
    article_id = kb.drafts.create_draft("Water heater shows error E4", "plumbing", "Clean the inlet filter", 7)
    kb.drafts.update_draft(article_id, language="zh", title="热水器显示E4故障", steps=["清洗进水滤网"],
                           phrasings=["热水器报E4"])
    kb.drafts.update_draft(article_id, language="en", title="Water heater error E4")
    published = kb.publish(article_id)
    assert published.status is Status.PUBLISHED
    assert kb.search("water heater error E4")[0].id == article_id
    assert kb.drafts.list_drafts() == []


def test_a_second_draft_for_the_same_ticket_is_refused(kb):
    kb.drafts.create_draft("Door closer leaks oil", "doors_windows", "Replaced the closer", 9)
    with pytest.raises(DraftError, match="already exists"):
        kb.drafts.create_draft("Door closer leaks oil", "doors_windows", "Replaced the closer", 9)


def test_a_draft_needs_problem_text_and_fix_notes(kb):
    with pytest.raises(DraftError):
        kb.drafts.create_draft("  ", "plumbing", "notes", 1)
    with pytest.raises(DraftError):
        kb.drafts.create_draft("problem", "plumbing", "", 1)


def test_editing_text_without_saying_the_language_is_refused(kb):
    article_id = kb.drafts.create_draft("Door closer leaks oil", "doors_windows", "Replaced the closer", 9)
    with pytest.raises(DraftError, match="language"):
        kb.drafts.update_draft(article_id, title="New title")


def test_publishing_an_unknown_or_malformed_id_is_a_clear_error(kb):
    with pytest.raises(DraftError, match="no article"):
        kb.publish("ticket-999")
    with pytest.raises(DraftError, match="not an article id"):
        kb.publish("../etc/passwd")
