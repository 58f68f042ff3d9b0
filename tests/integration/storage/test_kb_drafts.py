"""The draft store on SQLite and PostgreSQL (and the fake the fast tests use): every version kept, the live one served."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine

from domain.self_help import ArticleText, DraftAction, DraftVersion, Safety, StaleDraft
from domain.values import Category
from knowledge_base.embeddings import EmbeddingCache
from knowledge_base.fake_drafts import InMemoryDraftStore
from knowledge_base.fake_encoder import FakeEncoder, fake_gates
from knowledge_base.service import KnowledgeBase
from storage.db import make_session_factory
from storage.kb_drafts import SqlDraftStore

T0 = datetime(2025, 3, 3, 1, 0, tzinfo=timezone.utc)
TEXT = ArticleText(Category.PLUMBING, Safety.CAUTION, {"zh": "热水器显示E4故障", "en": "Water heater shows error E4"},
                   {"zh": ("热水器报E4",), "en": ("water heater error e4", "no hot water, E4 on the display")},
                   {"zh": "1. 清洗进水滤网\n2. 断电重启", "en": "1. Clean the inlet filter\n2. Switch it off and on"})


def version(revision: int, article_id: str = "ticket-7", **changes: object) -> DraftVersion:
    base = DraftVersion(article_id, revision, DraftAction.CREATED if revision == 1 else DraftAction.EDITED, TEXT,
                        made_by=3, made_at=T0 + timedelta(minutes=revision), source_ticket=7,
                        staff_note="3栋2单元1801 热水器显示E4故障代码")
    return replace(base, **changes)


@pytest.fixture(params=["sql", "fake"])
def store(request: pytest.FixtureRequest, engine: Engine):  # type: ignore[no-untyped-def]
    return SqlDraftStore(make_session_factory(engine)) if request.param == "sql" else InMemoryDraftStore()


def test_versions_come_back_oldest_first_with_everything_they_were_saved_with(store) -> None:  # type: ignore[no-untyped-def]
    edited = version(2, text=replace(TEXT, safety=Safety.DANGER, title={**TEXT.title, "en": "Heater E4"}), based_on=1)
    store.add(version(1))
    store.add(edited)
    store.add(version(1, "other-article"))
    assert store.history("ticket-7") == [version(1), edited]
    assert store.history("never-drafted") == []


def test_a_revision_saved_twice_is_refused_and_the_first_stays(store) -> None:  # type: ignore[no-untyped-def]
    store.add(version(1))
    with pytest.raises(StaleDraft):
        store.add(version(1, made_by=99))
    assert [v.made_by for v in store.history("ticket-7")] == [3]


def test_reviews_and_publications_are_stamped_on_the_version_with_who_and_when(store) -> None:  # type: ignore[no-untyped-def]
    store.add(version(1))
    store.mark_reviewed("ticket-7", 1, 8, T0 + timedelta(hours=1))
    store.mark_published("ticket-7", 1, 9, T0 + timedelta(hours=2))
    (stamped,) = store.history("ticket-7")
    assert (stamped.reviewed_by, stamped.reviewed_at) == (8, T0 + timedelta(hours=1))
    assert (stamped.published_by, stamped.published_at) == (9, T0 + timedelta(hours=2))
    with pytest.raises(StaleDraft):
        store.mark_published("ticket-7", 1, 9, T0 + timedelta(hours=3))  # published already


def test_the_newest_published_version_is_live_and_a_newer_one_is_pending(store) -> None:  # type: ignore[no-untyped-def]
    for revision in (1, 2, 3):
        store.add(version(revision))
    store.mark_published("ticket-7", 1, 9, T0)
    store.mark_published("ticket-7", 2, 9, T0)
    store.add(version(1, "fresh-draft"))
    assert [(v.article_id, v.revision) for v in store.published()] == [("ticket-7", 2)]
    assert [(v.article_id, v.revision) for v in store.pending()] == [("fresh-draft", 1), ("ticket-7", 3)]


def test_the_knowledge_base_serves_articles_published_in_the_database_over_the_shipped_files(
        engine: Engine, tmp_path: Path) -> None:
    store = SqlDraftStore(make_session_factory(engine))
    kb = KnowledgeBase({"zh": FakeEncoder(), "en": FakeEncoder()}, cache=EmbeddingCache(tmp_path), gates=fake_gates(),
                       drafts=store)
    shipped = kb.article("toilet-running")
    store.add(version(1))
    store.add(version(1, "toilet-running", text=replace(TEXT, title={**TEXT.title, "en": "Cistern runs on"})))
    kb.reload()
    assert all(h.id != "ticket-7" for h in kb.search("water heater error e4", top_k=10))  # drafts are not served
    store.mark_published("ticket-7", 1, 9, T0)
    store.mark_published("toilet-running", 1, 9, T0)
    kb.reload()
    assert kb.search("water heater error e4")[0].id == "ticket-7"
    assert kb.article("toilet-running").title["en"] == "Cistern runs on" != shipped.title["en"]


def test_the_composition_root_gives_the_knowledge_base_the_databases_draft_store(tmp_path: Path) -> None:
    from app.bootstrap import bootstrap, build_core
    from app.config import load_config
    from knowledge_base.fake_encoder import fake_knowledge_base
    from nlu.rules import RulesParser

    core = build_core(load_config(), f"sqlite:///{tmp_path}/wired.db")
    svc = bootstrap(core, RulesParser(), None, kb=fake_knowledge_base())
    try:
        assert isinstance(svc.kb.drafts, SqlDraftStore)  # type: ignore[union-attr]
        assert svc.kb.drafts.pending() == []  # type: ignore[union-attr]
    finally:
        svc.close()
