"""The draft store in memory, with the SQL store's rules: for fast tests and model-free bots."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from domain.self_help import DraftVersion, StaleDraft


class InMemoryDraftStore:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, int], DraftVersion] = {}

    def add(self, version: DraftVersion) -> DraftVersion:
        key = (version.article_id, version.revision)
        if key in self.rows:
            raise StaleDraft(version.article_id)  # the UNIQUE (article_id, revision) constraint
        self.rows[key] = version
        return version

    def history(self, article_id: str) -> list[DraftVersion]:
        return [v for (a, _), v in sorted(self.rows.items()) if a == article_id]

    def mark_reviewed(self, article_id: str, revision: int, by: int, at: datetime) -> None:
        version = self.rows[(article_id, revision)]
        self.rows[(article_id, revision)] = replace(version, reviewed_by=by, reviewed_at=at)

    def mark_published(self, article_id: str, revision: int, by: int, at: datetime) -> None:
        version = self.rows.get((article_id, revision))
        if version is None or version.is_published:
            raise StaleDraft(article_id)
        self.rows[(article_id, revision)] = replace(version, published_by=by, published_at=at)

    def published(self) -> list[DraftVersion]:
        live: dict[str, DraftVersion] = {}
        for (article_id, _), version in sorted(self.rows.items()):
            if version.is_published:
                live[article_id] = version
        return list(live.values())

    def pending(self) -> list[DraftVersion]:
        newest: dict[str, DraftVersion] = {}
        for (article_id, _), version in sorted(self.rows.items()):
            newest[article_id] = version
        return [v for v in newest.values() if not v.is_published]
