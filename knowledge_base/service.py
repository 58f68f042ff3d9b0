"""KnowledgeBase: the one object the bot holds, built once in main(): search, suggestions, articles."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from domain.values import Category, Language, detect_language
from knowledge_base.articles import Article, Safety
from knowledge_base.drafts import article_of
from knowledge_base.embeddings import DenseIndex, EmbeddingCache
from knowledge_base.encoders import Encoder, build_encoder
from knowledge_base.lexical import LexicalIndex
from knowledge_base.ports import DraftStore
from knowledge_base.ranking import FALLBACK_GATES, Gate, Mode, features, load_gates, reciprocal_rank_fusion
from knowledge_base.store import ArticleStore

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
ARTICLES_DIR = PACKAGE_DIR / "articles"
GATES_FILE = PACKAGE_DIR / "calibration" / "gates.json"
DATABASE_POLL_SECONDS = 30.0  # how stale another process's publication may be; this process's own is at once


class KnowledgeBaseSettings(Protocol):
    """The fields of app.config.KnowledgeBaseConfig this adapter reads."""

    model: str
    zh_model: str | None
    cache_dir: str
    threads: int | None


class ArticleNotFound(KeyError):
    """No article (published or draft) has this id."""


@dataclass(frozen=True)
class Hit:
    id: str
    score: float  # calibrated relevance in [0, 1]; a result list is empty unless its best one passes the gate
    title: str  # in the language asked for (or the query's)
    category: Category
    safety: Safety
    dense: float = 0.0
    bm25: float = 0.0

    def as_json(self) -> dict:
        return {"id": self.id, "score": round(self.score, 4), "title": self.title}


@dataclass(frozen=True)
class Candidate:
    id: str
    dense: float
    bm25: float


def query_language(text: str) -> str:
    """'zh' or 'en' by the project's one detector; text with no words at all searches as English."""
    return detect_language(text, Language.EN).value


class KnowledgeBase:
    """Hybrid search over the published articles: the shipped Markdown files, and over them the articles
    published from chat (a database version of a shipped id replaces the file). Re-indexes on its own."""

    def __init__(self, encoders: dict[str, Encoder], *, articles_dir: Path = ARTICLES_DIR,
                 cache: EmbeddingCache | None = None, gates: dict[tuple[Mode, str], Gate] | None = None,
                 drafts: DraftStore | None = None) -> None:
        self.encoders = encoders
        self.store = ArticleStore(articles_dir)
        self.drafts = drafts
        self._from_database: dict[str, Article] = {}
        self._polled_at = float("-inf")
        self._articles: dict[str, Article] = {}  # what is served: the files, overridden by the database
        self._cache = cache or EmbeddingCache(None)
        self._gates = gates or {}
        self._dense: dict[str, DenseIndex] = {}
        self._lexical = LexicalIndex([], [])
        self._lock = threading.Lock()  # the bot may search from worker threads (asyncio.to_thread)
        self.refresh()

    @classmethod
    def load(cls, settings: KnowledgeBaseSettings, *, articles_dir: Path = ARTICLES_DIR,
             gates_file: Path = GATES_FILE) -> "KnowledgeBase":
        """Build the encoders named in config (this loads the models) and index the articles."""
        models = {"en": settings.model, "zh": getattr(settings, "zh_model", None) or settings.model}
        threads = getattr(settings, "threads", 1)
        built = {spec: build_encoder(spec, threads) for spec in sorted(set(models.values()))}
        gates = load_gates(gates_file, models)
        if gates is None:
            logger.warning("no calibrated gate for %s; using the strict fallback (run make kb-calibrate)", models)
        cache_dir = Path(settings.cache_dir)
        cache = EmbeddingCache(cache_dir if cache_dir.is_absolute() else REPO_ROOT / cache_dir)
        return cls({lang: built[spec] for lang, spec in models.items()}, articles_dir=articles_dir,
                   cache=cache, gates=gates)

    def use_drafts(self, drafts: DraftStore | None) -> None:
        """Serve the articles published from chat too (the composition root passes the SQL store)."""
        self.drafts = drafts
        self.reload()

    def reload(self) -> None:
        """Re-read the database's published articles now (after a publication) and re-index if they changed."""
        self._polled_at = float("-inf")
        self.refresh()

    def refresh(self) -> None:
        """Re-index if an article file changed since the last look, or a database article was published
        (looked up at most every DATABASE_POLL_SECONDS)."""
        with self._lock:
            files, database = self.store.refresh(), self._poll_database()
            if files or database or not self._dense:
                self._reindex()

    def _poll_database(self) -> bool:
        if time.monotonic() - self._polled_at < DATABASE_POLL_SECONDS:
            return False
        self._polled_at = time.monotonic()
        try:
            found = {v.article_id: article_of(v) for v in self.drafts.published()} if self.drafts else {}
        except Exception:  # a database that is down must not stop search; the last good set stays
            logger.exception("published articles not read from the database")
            return False
        changed, self._from_database = found != self._from_database, found
        return changed

    def shipped(self, article_id: str) -> Article | None:
        """The Markdown article with this id (read-only; an edit goes through a draft), or None."""
        self.refresh()
        return self.store.articles.get(article_id)

    def _reindex(self) -> None:
        self._articles = {**self.store.articles, **self._from_database}
        published = [a for a in self._articles.values() if a.is_published]
        shared: dict[int, DenseIndex] = {}  # languages sharing one encoder share one dense index
        for encoder in self.encoders.values():
            if id(encoder) not in shared:
                shared[id(encoder)] = DenseIndex(encoder, published, self._cache)
        self._dense = {lang: shared[id(enc)] for lang, enc in self.encoders.items()}
        self._lexical = LexicalIndex([a.id for a in published], [a.lexical_text() for a in published])
        logger.info("knowledge base indexed: %d published articles (%d from chat)", len(published),
                    len(self._from_database))

    def search(self, query: str, top_k: int = 3, language: str | None = None,
               mode: Mode = Mode.HYBRID) -> list[Hit]:
        """The most relevant published articles, best first; empty when nothing is relevant enough."""
        if top_k <= 0:
            return []
        lang = query_language(query)
        gate = self._gates.get((mode, lang), FALLBACK_GATES[mode])
        ranked = self.candidates(query, mode)
        relevance = [gate.relevance(features(mode, c.dense, c.bm25)) for c in ranked]
        # The gate decides per query: if no article is relevant enough, say nothing rather than guess.
        if not ranked or max(relevance) < gate.threshold:
            return []
        return [self._hit(c, r, language or lang) for c, r in zip(ranked[:top_k], relevance[:top_k])]

    def candidates(self, query: str, mode: Mode = Mode.HYBRID) -> list[Candidate]:
        """Every published article with its raw scores, in ranking order, before the relevance gate."""
        query = query.strip()
        if not query:
            return []
        self.refresh()
        lang = query_language(query)
        dense = self._dense[lang].scores(query) if mode is not Mode.BM25 else {}
        bm25 = self._lexical.scores(query) if mode is not Mode.DENSE else {}
        order = {Mode.DENSE: dense, Mode.BM25: bm25}.get(mode) or reciprocal_rank_fusion(dense, bm25)
        known = self._articles  # an article removed while another thread searched is simply skipped
        ranked = sorted((i for i in order if i in known), key=lambda i: -order[i])
        return [Candidate(i, dense.get(i, 0.0), bm25.get(i, 0.0)) for i in ranked]

    def _hit(self, candidate: Candidate, relevance: float, language: str) -> Hit:
        article = self._articles[candidate.id]
        return Hit(article.id, relevance, article.title_for(language), article.category, article.safety,
                   candidate.dense, candidate.bm25)

    def article(self, article_id: str) -> Article:
        """Any article served by id (a draft file too); ArticleNotFound otherwise. Chat drafts are not articles."""
        self.refresh()
        try:
            return self._articles[article_id]
        except KeyError:
            raise ArticleNotFound(article_id) from None

    def best_for(self, text: str, category: Category | str | None = None, language: str | None = None) -> Hit | None:
        """The 'try this first' article for a report: the best relevant hit, same category preferred."""
        hits = self.search(text, top_k=5, language=language)
        cut_off = self._gates.get((Mode.HYBRID, query_language(text)), FALLBACK_GATES[Mode.HYBRID]).threshold
        relevant = [h for h in hits if h.score >= cut_off] or hits[:1]
        wanted = Category(category) if category else None
        same = [h for h in relevant if h.category is wanted and wanted is not Category.OTHER]
        return (same or relevant or [None])[0]

    def answer_question(self, text: str, language: str | None = None) -> Hit | None:
        """The article that answers a question ('怎么…', 'how do I…', /help <question>), or None."""
        hits = self.search(text, top_k=1, language=language)
        return hits[0] if hits else None
