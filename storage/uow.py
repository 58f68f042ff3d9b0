"""The SQL unit of work: one session, one short transaction, rolled back unless committed."""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from storage.repositories import (SqlEstateRepository, SqlInviteRepository, SqlOwnerRegister, SqlPersonRepository,
                                  SqlTicketRepository)


class SqlUnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
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
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.session is not None
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self.session = None

    def commit(self) -> None:
        assert self.session is not None
        self.session.commit()

    def rollback(self) -> None:
        assert self.session is not None
        self.session.rollback()
