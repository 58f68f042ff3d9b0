"""Hybrid search with the fake encoder: BM25, fusion, the relevance gate, caching and live re-indexing."""
from __future__ import annotations

import os

from domain.values import Category
from knowledge_base.articles import Status
from knowledge_base.embeddings import EmbeddingCache
from knowledge_base.fake_encoder import FakeEncoder
from knowledge_base.lexical import LexicalIndex, tokenize
from knowledge_base.ranking import Gate, Mode, reciprocal_rank_fusion
from knowledge_base.service import KnowledgeBase, query_language

from .conftest import GATES, make_article, write


def test_bm25_ranks_the_article_sharing_the_query_words_first():
    index = LexicalIndex(["a", "b", "c"], ["toilet keeps running", "smoke alarm beeping", "dripping tap"])
    scores = index.scores("my toilet is running")
    assert scores["a"] > scores["b"] == 0.0


def test_chinese_is_segmented_into_words_and_english_is_stemmed_without_stopwords():
    assert "马桶" in tokenize("马桶一直流水")
    assert tokenize("The sockets are sparking") == ["socket", "spark"]


def test_a_query_with_no_known_token_scores_zero_everywhere():
    assert set(LexicalIndex(["a"], ["toilet"]).scores("the of and").values()) == {0.0}


def test_fusion_puts_first_the_article_both_rankings_agree_on():
    fused = reciprocal_rank_fusion({"a": 0.9, "b": 0.8, "c": 0.1}, {"b": 5.0, "c": 4.0, "a": 0.0})
    assert max(fused, key=fused.get) == "b"
    assert "a" in fused  # a ranking that misses an article does not remove it


def test_a_paraphrase_finds_the_right_article_in_either_language(kb):
    assert kb.search("my toilet keeps running")[0].id == "toilet-running"
    assert kb.search("马桶一直在流水")[0].id == "toilet-running"


def test_an_off_topic_question_returns_nothing(kb):
    assert kb.search("how do I pay the management fee") == []
    assert kb.search("怎么交物业费") == []


def test_the_gate_threshold_decides_between_some_hits_and_none(kb):
    strict = {key: Gate(g.weights, g.bias, 0.9999) for key, g in GATES.items()}
    kb._gates = strict
    assert kb.search("toilet running") == []


def test_hits_carry_score_title_in_the_asked_language_category_and_safety(kb):
    hit = kb.search("smell of gas", language="zh")[0]
    assert (hit.id, hit.title, hit.category, hit.safety.value) == ("gas-smell", "闻到燃气味怎么办", Category.GAS, "danger")
    assert 0.0 <= hit.score <= 1.0
    assert hit.as_json() == {"id": "gas-smell", "score": round(hit.score, 4), "title": "闻到燃气味怎么办"}


def test_each_mode_can_be_searched_alone(kb):
    for mode in Mode:
        assert kb.search("smoke detector keeps beeping", mode=mode)[0].id == "smoke-alarm-beeping"


def test_drafts_are_never_returned_in_search(kb, articles_dir):
    write(articles_dir, make_article("boiler-noise", Category.HVAC, "Boiler banging noise", "锅炉噪音",
                                     phrasings_en=["the boiler bangs loudly"], status=Status.DRAFT))
    assert all(h.id != "boiler-noise" for h in kb.search("boiler banging loudly", top_k=10))
    assert kb.article("boiler-noise").status.value == "draft"


def test_editing_an_article_file_reindexes_it_without_a_restart(kb, articles_dir):
    assert kb.search("the lift is stuck between floors") == []
    edited = make_article("tap-dripping", Category.ELEVATOR, "Lift stuck between floors", "电梯卡住",
                          phrasings_en=["the lift is stuck between floors"])
    path = write(articles_dir, edited)
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert kb.search("the lift is stuck between floors")[0].id == "tap-dripping"


def test_a_new_article_file_is_picked_up_and_a_deleted_one_dropped(kb, articles_dir):
    write(articles_dir, make_article("window-condensation", Category.CIVIL, "Condensation on windows", "窗户结露"))
    assert kb.search("condensation on my windows")[0].id == "window-condensation"
    (articles_dir / "window-condensation.md").unlink()
    assert all(h.id != "window-condensation" for h in kb.search("condensation on my windows", top_k=10))


def test_a_broken_edit_keeps_the_last_good_version_searchable(kb, articles_dir):
    (articles_dir / "gas-smell.md").write_text("no front matter here", encoding="utf-8")
    assert kb.search("I can smell gas")[0].id == "gas-smell"
    assert "gas-smell.md" in kb.store.errors


def test_embeddings_are_cached_on_disk_keyed_by_content(articles_dir, tmp_path):
    cache_dir = tmp_path / "cache"
    KnowledgeBase({"en": FakeEncoder(), "zh": FakeEncoder()}, articles_dir=articles_dir, cache=EmbeddingCache(cache_dir))
    second = FakeEncoder()
    kb = KnowledgeBase({"en": second, "zh": second}, articles_dir=articles_dir, cache=EmbeddingCache(cache_dir))
    assert second.encoded == []  # every article came from the disk cache
    write(articles_dir, make_article("tap-dripping", Category.PLUMBING, "Leaky tap", "龙头漏水"))
    kb.refresh()
    assert second.encoded == ["龙头漏水", "Leaky tap"]  # only the edited article was encoded again


def test_the_cache_key_changes_with_the_model_name_and_the_text():
    key = EmbeddingCache.key
    assert key("model-a", ["text"]) != key("model-b", ["text"]) != key("model-b", ["other text"])


def test_best_for_prefers_an_article_in_the_reported_category(kb):
    assert kb.best_for("tap toilet running dripping", category=Category.PLUMBING).category is Category.PLUMBING
    assert kb.best_for("how do I pay the management fee") is None


def test_answer_question_returns_the_best_article_or_none(kb):
    assert kb.answer_question("how do I stop the smoke alarm beeping?").id == "smoke-alarm-beeping"
    assert kb.answer_question("what's the weather tomorrow?") is None


def test_query_language_is_chinese_when_any_chinese_character_appears():
    assert (query_language("3号楼 toilet"), query_language("toilet")) == ("zh", "en")


def test_best_for_takes_a_relevant_article_of_the_reported_category_over_a_better_other_one(kb):
    text = "I can smell gas in the kitchen and the faucet keeps dripping"
    assert kb.search(text)[0].id == "gas-smell"
    assert kb.best_for(text, category="plumbing").id == "tap-dripping"
    assert kb.best_for(text, category=Category.OTHER).id == "gas-smell"
