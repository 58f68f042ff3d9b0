"""Fixtures for the knowledge base's fast tier: a small articles folder and the fake encoder."""
from __future__ import annotations

from pathlib import Path

import pytest

from domain.values import Category
from knowledge_base.articles import Article, Safety, Status, render_article
from knowledge_base.embeddings import EmbeddingCache
from knowledge_base.fake_encoder import FakeEncoder, fake_gates
from knowledge_base.service import KnowledgeBase

GATES = fake_gates()


def make_article(article_id: str, category: Category, en: str, zh: str, *, phrasings_en=(), phrasings_zh=(),
                 safety: Safety = Safety.SAFE, status: Status = Status.PUBLISHED) -> Article:
    return Article(
        id=article_id, category=category, title={"zh": zh, "en": en},
        phrasings={"zh": tuple(phrasings_zh), "en": tuple(phrasings_en)}, safety=safety, status=status,
        body={"zh": f"1. {zh}：第一步\n2. 第二步", "en": f"1. {en}: first step\n2. Second step"},
    )


SAMPLE = [
    make_article("toilet-running", Category.PLUMBING, "Toilet keeps running", "马桶水箱一直流水",
                 phrasings_en=["the toilet won't stop filling"], phrasings_zh=["冲完马桶水一直流"]),
    make_article("gas-smell", Category.GAS, "What to do if you smell gas", "闻到燃气味怎么办",
                 phrasings_en=["I can smell gas in the kitchen"], phrasings_zh=["家里有煤气味"], safety=Safety.DANGER),
    make_article("smoke-alarm-beeping", Category.FIRE_SAFETY, "Smoke alarm chirping", "烟感报警器鸣叫",
                 phrasings_en=["the smoke detector keeps beeping"], phrasings_zh=["烟雾报警器一直响"]),
    make_article("tap-dripping", Category.PLUMBING, "Dripping tap", "水龙头滴水",
                 phrasings_en=["the faucet keeps dripping"], phrasings_zh=["水龙头关不紧"]),
]


def write(directory: Path, article: Article) -> Path:
    path = directory / f"{article.id}.md"
    path.write_text(render_article(article), encoding="utf-8")
    return path


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "articles"
    directory.mkdir()
    for article in SAMPLE:
        write(directory, article)
    return directory


@pytest.fixture
def encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture
def kb(articles_dir: Path, encoder: FakeEncoder, tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase({"zh": encoder, "en": encoder}, articles_dir=articles_dir,
                         cache=EmbeddingCache(tmp_path / "cache"), gates=GATES)
