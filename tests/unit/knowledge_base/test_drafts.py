"""Knowledge captured from tickets, safely: drafts in a store, reviewed and published by staff only."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from domain.errors import PermissionDenied
from domain.lifecycle import Status
from domain.redaction import copied_run
from domain.self_help import DraftAction, DraftRefused, Edit, Safety
from domain.usecases import tickets as uc
from knowledge_base.curation import draft_from_ticket, edit_article, pending_drafts, preview_draft, publish_draft
from knowledge_base.fake_drafts import InMemoryDraftStore
from knowledge_base.service import ArticleNotFound, KnowledgeBase
from tests.fakes import World, make_world

DESCRIPTION = "3栋2单元1801 王芳 13800000001 热水器显示E4故障代码，没有热水"
NOTES = "张师傅到1801清洗进水阀滤网\n重新上电复位，王芳确认有热水"


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def drafts(kb: KnowledgeBase) -> InMemoryDraftStore:
    store = InMemoryDraftStore()
    kb.use_drafts(store)
    return store


class Staff:
    """The curation use cases as one staff member (or anyone else) calls them."""

    def __init__(self, world: World, drafts: InMemoryDraftStore, kb: KnowledgeBase, person: int) -> None:
        self.world, self.drafts, self.kb, self.person = world, drafts, kb, person

    def _ports(self) -> tuple:
        return self.world.uow, self.drafts, self.kb, self.world.clock, self.person

    def draft(self, ticket_id: int):  # type: ignore[no-untyped-def]
        return draft_from_ticket(*self._ports(), ticket_id)

    def edit(self, article_id: str, field: str, value: object,  # type: ignore[no-untyped-def]
             language: str | None = None):
        return edit_article(*self._ports(), article_id, Edit(field, value, language))  # type: ignore[arg-type]

    def preview(self, article_id: str):  # type: ignore[no-untyped-def]
        return preview_draft(*self._ports(), article_id)

    def publish(self, article_id: str):  # type: ignore[no-untyped-def]
        return publish_draft(*self._ports(), article_id)


@pytest.fixture
def staff(world: World, drafts: InMemoryDraftStore, kb: KnowledgeBase) -> Staff:
    return Staff(world, drafts, kb, world.dispatcher)


def completed_ticket(world: World, description: str = DESCRIPTION, notes: str = NOTES) -> int:
    ticket_id = world.ticket_in(Status.IN_PROGRESS, description=description)
    uc.complete(world.uow, world.clock, world.plumber, ticket_id, notes, (), 30)
    return ticket_id


def finish_in_other_words(staff: Staff, article_id: str) -> None:
    staff.edit(article_id, "phrasings", ("热水器报E4故障", "热水器不出热水"), "zh")
    staff.edit(article_id, "title", "Water heater shows error E4", "en")
    staff.edit(article_id, "steps", ("Clean the inlet filter", "Switch the heater off and on"), "en")


def test_a_completed_ticket_becomes_a_draft_without_the_owners_words_room_phone_or_name(world, staff) -> None:
    ticket_id = completed_ticket(world)
    draft = staff.draft(ticket_id)
    public = "\n".join(text for _, text in draft.text.public_fields())
    assert (draft.article_id, draft.revision, draft.action) == (f"ticket-{ticket_id}", 1, DraftAction.CREATED)
    assert draft.text.body["zh"] == "1. 到清洗进水阀滤网\n2. 重新上电复位，确认有热水"
    for trace in ("王芳", "1801", "13800000001", "张师傅"):
        assert trace not in public
    assert copied_run(public, DESCRIPTION) is None
    assert draft.staff_note == DESCRIPTION and draft.source_ticket == ticket_id


def test_a_draft_is_never_served_until_staff_publish_it_and_then_search_finds_it(world, staff, kb) -> None:
    article_id = staff.draft(completed_ticket(world)).article_id
    finish_in_other_words(staff, article_id)
    assert all(h.id != article_id for h in kb.search("热水器报E4故障", top_k=10))
    with pytest.raises(ArticleNotFound):
        kb.article(article_id)
    published = staff.publish(article_id)
    assert published.version.revision == 4 and published.safety_change is None
    assert kb.search("热水器报E4故障")[0].id == article_id
    assert kb.article(article_id).steps_for("en") == ["Clean the inlet filter", "Switch the heater off and on"]


@pytest.mark.parametrize(("field", "value", "language", "kind", "found"), [
    ("title", "王芳家的热水器报E4", "zh", "owner_name", "王芳"),
    ("steps", ("Call 138-0000-0001 if it fails again",), "en", "owner_phone", "138-0000-0001"),
    ("phrasings", ("1801热水器坏了",), "zh", "owner_room", "1801"),
    ("phrasings", ("热水器显示E4故障代码",), "zh", "owner_words", "热水器显示E4故障代码"),
], ids=["name", "phone", "room", "words"])
def test_publishing_is_refused_while_the_public_text_carries_the_owner(
        world, staff, drafts, field, value, language, kind, found) -> None:
    article_id = staff.draft(completed_ticket(world)).article_id
    finish_in_other_words(staff, article_id)
    staff.edit(article_id, field, value, language)
    with pytest.raises(DraftRefused) as refused:
        staff.publish(article_id)
    assert refused.value.reason == "problems" and (kind, found) in [(p.kind, p.found) for p in refused.value.problems]
    assert {p.field for p in refused.value.problems} == {f"{language} {field}" + (" 1" if field == "phrasings" else "")}
    assert drafts.published() == []


def test_publishing_a_draft_still_missing_a_language_names_the_fields_to_fill(world, staff) -> None:
    article_id = staff.draft(completed_ticket(world)).article_id
    with pytest.raises(DraftRefused) as refused:
        staff.publish(article_id)
    assert [(p.kind, p.field) for p in refused.value.problems] == [("missing_title", "en title"),
                                                                    ("missing_steps", "en steps")]


def test_no_draft_comes_from_a_ticket_still_in_repair_or_twice_from_the_same_ticket(world, staff) -> None:
    with pytest.raises(DraftRefused, match="needs_completed"):
        staff.draft(world.ticket_in(Status.IN_PROGRESS))
    ticket_id = completed_ticket(world)
    staff.draft(ticket_id)
    with pytest.raises(DraftRefused, match="exists"):
        staff.draft(ticket_id)


@pytest.mark.parametrize("who", ["owner", "plumber", "outsider"])
def test_only_the_estates_staff_may_draft_edit_preview_or_publish(world, staff, drafts, kb, who) -> None:
    ticket_id = completed_ticket(world)
    article_id = staff.draft(ticket_id).article_id
    other = Staff(world, drafts, kb, getattr(world, who))
    for attempt in (lambda: other.draft(ticket_id), lambda: other.edit(article_id, "safety", "safe"),
                    lambda: other.preview(article_id), lambda: other.publish(article_id)):
        with pytest.raises(PermissionDenied):
            attempt()
    assert [v.revision for v in drafts.history(article_id)] == [1]


def test_editing_a_shipped_article_opens_a_draft_and_owners_see_the_file_until_it_is_published(
        staff, kb, articles_dir: Path) -> None:
    file_before = (articles_dir / "toilet-running.md").read_text(encoding="utf-8")
    saved = staff.edit("toilet-running", "title", "Toilet cistern keeps running", "en")
    assert saved.opened and saved.version.based_on is None and saved.version.action is DraftAction.OPENED
    assert kb.article("toilet-running").title["en"] == "Toilet keeps running"
    staff.publish("toilet-running")
    assert kb.article("toilet-running").title["en"] == "Toilet cistern keeps running"
    assert (articles_dir / "toilet-running.md").read_text(encoding="utf-8") == file_before  # files stay read-only
    again = staff.edit("toilet-running", "title", "Cistern keeps filling", "en")
    assert again.opened and again.version.based_on == 1 and again.version.revision == 2


def test_a_safety_change_is_shown_in_the_preview_and_is_published_only_after_a_preview(staff, kb) -> None:
    saved = staff.edit("toilet-running", "safety", "danger")
    assert saved.safety_change == (Safety.SAFE, Safety.DANGER)
    with pytest.raises(DraftRefused) as refused:
        staff.publish("toilet-running")
    assert [(p.kind, p.found) for p in refused.value.problems] == [("safety_unreviewed", "safe → danger")]
    assert kb.search("toilet won't stop filling")[0].safety is Safety.SAFE  # owners see no change yet
    preview = staff.preview("toilet-running")
    assert preview.safety_change == (Safety.SAFE, Safety.DANGER) and preview.problems == ()
    assert preview.replaces and preview.changed == ("safety",)
    staff.edit("toilet-running", "steps", ("Close the valve under the cistern", "Report it"), "zh")
    with pytest.raises(DraftRefused, match="problems"):
        staff.publish("toilet-running")  # edited after the preview: it needs another look
    staff.preview("toilet-running")
    assert staff.publish("toilet-running").safety_change == (Safety.SAFE, Safety.DANGER)
    assert kb.search("toilet won't stop filling")[0].safety is Safety.DANGER


def test_every_version_is_kept_with_who_made_reviewed_and_published_it_and_when(world, staff, drafts, kb) -> None:
    article_id = staff.draft(completed_ticket(world)).article_id
    world.clock.advance(timedelta(minutes=5))
    finish_in_other_words(staff, article_id)
    manager = Staff(world, drafts, kb, world.manager)
    world.clock.advance(timedelta(minutes=5))
    manager.preview(article_id)
    manager.publish(article_id)
    history = drafts.history(article_id)
    assert [(v.revision, v.action, v.made_by) for v in history] == [
        (1, DraftAction.CREATED, world.dispatcher), *((n, DraftAction.EDITED, world.dispatcher) for n in (2, 3, 4))]
    assert history[0].made_at + timedelta(minutes=5) == history[1].made_at
    assert (history[-1].reviewed_by, history[-1].published_by) == (world.manager, world.manager)
    assert history[-1].published_at == world.clock.now() and not any(v.is_published for v in history[:-1])
    assert pending_drafts(world.uow, drafts, world.dispatcher) == []


def test_a_malformed_or_unknown_article_id_or_nothing_to_publish_is_refused_clearly(staff) -> None:
    with pytest.raises(DraftRefused, match="bad_id"):
        staff.publish("../etc/passwd")
    with pytest.raises(DraftRefused, match="no_article"):
        staff.edit("no-such-article", "title", "x", "en")
    with pytest.raises(DraftRefused, match="no_draft"):
        staff.publish("toilet-running")


def test_search_keeps_the_last_good_articles_when_the_database_fails(staff, drafts, kb, monkeypatch) -> None:
    staff.edit("toilet-running", "title", "Toilet cistern keeps running", "en")
    staff.publish("toilet-running")

    def down() -> list:
        raise OSError("database is down")

    monkeypatch.setattr(drafts, "published", down)
    kb.reload()
    assert kb.article("toilet-running").title["en"] == "Toilet cistern keeps running"
    assert kb.search("the toilet won't stop filling")[0].id == "toilet-running"
