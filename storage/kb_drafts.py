"""Self-help drafts in SQL: every version kept, stamped when reviewed and published (a knowledge_base DraftStore)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from domain.self_help import ArticleText, DraftAction, DraftVersion, Safety, StaleDraft
from domain.values import Category
from storage.models import KbDraftRow


class SqlDraftStore:
    """Each call is its own short transaction."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def add(self, version: DraftVersion) -> DraftVersion:
        try:
            with self.sessions.begin() as s:
                s.add(_row(version))
        except IntegrityError as exc:  # UNIQUE (article_id, revision): another save took this revision
            raise StaleDraft(version.article_id) from exc
        return version

    def history(self, article_id: str) -> list[DraftVersion]:
        with self.sessions() as s:
            rows = s.scalars(select(KbDraftRow).where(KbDraftRow.article_id == article_id)
                             .order_by(KbDraftRow.revision))
            return [_version(row) for row in rows]

    def mark_reviewed(self, article_id: str, revision: int, by: int, at: datetime) -> None:
        with self.sessions.begin() as s:
            s.execute(update(KbDraftRow).where(KbDraftRow.article_id == article_id, KbDraftRow.revision == revision)
                      .values(reviewed_by=by, reviewed_at=at))

    def mark_published(self, article_id: str, revision: int, by: int, at: datetime) -> None:
        with self.sessions.begin() as s:
            changed = s.execute(update(KbDraftRow).where(
                KbDraftRow.article_id == article_id, KbDraftRow.revision == revision,
                KbDraftRow.published_at.is_(None)).values(published_by=by, published_at=at)).rowcount
            if changed != 1:
                raise StaleDraft(article_id)

    def published(self) -> list[DraftVersion]:
        live = (select(KbDraftRow.article_id, func.max(KbDraftRow.revision).label("revision"))
                .where(KbDraftRow.published_at.is_not(None)).group_by(KbDraftRow.article_id).subquery())
        return self._joined(live)

    def pending(self) -> list[DraftVersion]:
        newest = (select(KbDraftRow.article_id, func.max(KbDraftRow.revision).label("revision"))
                  .group_by(KbDraftRow.article_id).subquery())
        return [v for v in self._joined(newest) if not v.is_published]

    def _joined(self, latest) -> list[DraftVersion]:  # type: ignore[no-untyped-def]
        with self.sessions() as s:
            rows = s.scalars(select(KbDraftRow).join(latest, (KbDraftRow.article_id == latest.c.article_id)
                                                     & (KbDraftRow.revision == latest.c.revision))
                             .order_by(KbDraftRow.article_id))
            return [_version(row) for row in rows]


def _row(v: DraftVersion) -> KbDraftRow:
    t = v.text
    return KbDraftRow(article_id=v.article_id, revision=v.revision, action=v.action.value,
                      category=t.category.value, safety=t.safety.value, title=dict(t.title),
                      phrasings={lang: list(p) for lang, p in t.phrasings.items()}, body=dict(t.body),
                      source_ticket=v.source_ticket, based_on=v.based_on, staff_note=v.staff_note,
                      made_by=v.made_by, made_at=v.made_at, reviewed_by=v.reviewed_by, reviewed_at=v.reviewed_at,
                      published_by=v.published_by, published_at=v.published_at)


def _version(row: KbDraftRow) -> DraftVersion:
    text = ArticleText(category=Category(row.category), safety=Safety(row.safety), title=dict(row.title),
                       phrasings={lang: tuple(p) for lang, p in row.phrasings.items()}, body=dict(row.body))
    return DraftVersion(article_id=row.article_id, revision=row.revision, action=DraftAction(row.action), text=text,
                        made_by=row.made_by, made_at=row.made_at, source_ticket=row.source_ticket,
                        based_on=row.based_on, staff_note=row.staff_note, reviewed_by=row.reviewed_by,
                        reviewed_at=row.reviewed_at, published_by=row.published_by, published_at=row.published_at)
