"""What the knowledge base needs from outside: a store of draft versions (SQL in storage/, in memory for tests)."""
from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.self_help import DraftVersion
from knowledge_base.articles import Article


class DraftStore(Protocol):
    """Every version of every article made or edited in chat. Each call is its own short transaction."""

    def add(self, version: DraftVersion) -> DraftVersion:
        """Append a version; StaleDraft if that article already has this revision (someone saved first)."""

    def history(self, article_id: str) -> list[DraftVersion]:
        """Every version of the article, oldest first; empty if it was never drafted."""

    def mark_reviewed(self, article_id: str, revision: int, by: int, at: datetime) -> None:
        """A staff member previewed this version."""

    def mark_published(self, article_id: str, revision: int, by: int, at: datetime) -> None:
        """This version is what owners see from now on; StaleDraft if it was published already."""

    def published(self) -> list[DraftVersion]:
        """The live version of each article published from chat: its newest published revision."""

    def pending(self) -> list[DraftVersion]:
        """The newest version of each article whose changes are not published yet."""


class ArticleSource(Protocol):
    """The knowledge base as the curation use cases see it."""

    def shipped(self, article_id: str) -> Article | None:
        """The read-only Markdown article with this id, or None."""

    def reload(self) -> None:
        """Re-read the published database articles now, so the next search finds a new publication."""
