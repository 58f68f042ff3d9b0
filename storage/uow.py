"""The SQL unit of work: one session, one short transaction, rolled back unless committed."""
from __future__ import annotations

import threading

from sqlalchemy.orm import Session, sessionmaker

from domain.ports import Notifier
from storage.billing import SqlBillRepository, SqlCatalogRepository, SqlLedgerRepository
from storage.notices import SqlNoticeRepository
from storage.outbox import SqlOutboxRepository
from storage.plans import SqlPlanRepository
from storage.repositories import (SqlEstateRepository, SqlInviteRepository, SqlOwnerRegister, SqlPersonRepository,
                                  SqlTicketRepository)


class Commits:
    """How many commits wrote news (outbox rows) and how many changed tickets, counted from any thread: the bot
    wakes its sender and its dispatcher after an update only when that update gave them something to do (a
    claim is a write transaction, a dispatch round reads the backlog)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.news = 0
        self.ticket_changes = 0

    def committed(self, news: bool, ticket_changes: bool) -> None:
        with self._lock:
            self.news += news
            self.ticket_changes += ticket_changes


class SqlUnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session], notifier: Notifier | None = None,
                 commit_counts: Commits | None = None) -> None:
        self.session_factory = session_factory
        self.notifier = notifier
        self.commit_counts = commit_counts
        self.session: Session | None = None

    def __enter__(self) -> "SqlUnitOfWork":
        if self.session is not None:
            raise RuntimeError("unit of work is already in use; create one per transaction or use it in sequence")
        self.session = self.session_factory()
        self.tickets = SqlTicketRepository(self.session)
        self.people = SqlPersonRepository(self.session)
        self.invites = SqlInviteRepository(self.session)
        self.register = SqlOwnerRegister(self.session)
        self.estates = SqlEstateRepository(self.session)
        self.outbox = SqlOutboxRepository(self.session)
        self.catalog = SqlCatalogRepository(self.session)
        self.bills = SqlBillRepository(self.session)
        self.ledger = SqlLedgerRepository(self.session)
        self.notices = SqlNoticeRepository(self.session)
        self.plans = SqlPlanRepository(self.session)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.session is not None
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self.session = None

    def commit(self) -> None:
        """The changes' messages go into the outbox in this same transaction: news is never lost nor invented."""
        assert self.session is not None
        changes, self.tickets.changes = self.tickets.changes, []
        if self.notifier is not None and changes:
            self.notifier.notify(self, changes)
        self.session.commit()
        news, self.outbox.added = self.outbox.added, 0
        if self.commit_counts is not None and (news or changes):
            self.commit_counts.committed(news > 0, bool(changes))

    def rollback(self) -> None:
        assert self.session is not None
        self.tickets.changes = []
        self.session.rollback()
