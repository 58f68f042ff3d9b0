"""Staff's estate-wide notices in SQL: stored with their expiry, ended by hand or by time."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.incidents import Notice
from domain.values import Category
from storage.models import NoticeRow


class SqlNoticeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, notice: Notice) -> Notice:
        row = NoticeRow(estate_id=notice.estate_id, building=notice.building, text=notice.text,
                        category=notice.category.value if notice.category else None, created_by=notice.created_by,
                        created_at=notice.created_at, expires_at=notice.expires_at, ended_at=notice.ended_at)
        self.session.add(row)
        self.session.flush()
        return _from_row(row)

    def get(self, notice_id: int) -> Notice | None:
        row = self.session.get(NoticeRow, notice_id, populate_existing=True)
        return _from_row(row) if row else None

    def active(self, estate_id: str, now: datetime) -> list[Notice]:
        rows = self.session.scalars(select(NoticeRow).where(
            NoticeRow.estate_id == estate_id, NoticeRow.ended_at.is_(None), NoticeRow.created_at <= now,
            NoticeRow.expires_at > now).order_by(NoticeRow.created_at.desc(), NoticeRow.id.desc()))
        return [_from_row(r) for r in rows]

    def end(self, notice_id: int, at: datetime) -> None:
        self.session.execute(update(NoticeRow).where(NoticeRow.id == notice_id, NoticeRow.ended_at.is_(None))
                             .values(ended_at=at).execution_options(synchronize_session=False))


def _from_row(row: NoticeRow) -> Notice:
    return Notice(row.estate_id, row.building, row.text, row.created_by, row.created_at, row.expires_at,
                  Category(row.category) if row.category else None, row.id, row.ended_at)
