"""Demo data never reaches a real deployment, and the sandbox never touches a real deployment's database."""
from __future__ import annotations

from app.bootstrap import build_core
from app.config import for_sandbox, for_telegram, load_config, sandbox_database_url
from domain.people import Role
from tests.fakes import FakeStore, FakeUnitOfWork


def people_after_start(config) -> list:  # type: ignore[no-untyped-def]
    store = FakeStore()
    build_core(config, None, uow=lambda: FakeUnitOfWork(store))
    return list(store.people.values())


def test_a_real_deployment_with_the_shipped_config_starts_with_nobody_at_all() -> None:
    shipped = load_config()
    assert shipped.demo  # as shipped, for the sandbox
    assert people_after_start(for_telegram(shipped)) == []


def test_a_real_deployment_gets_only_the_administrators_its_operator_configured() -> None:
    config = for_telegram(load_config().model_copy(update={"admin_ids": [4242]}))
    (admin,) = people_after_start(config)
    assert (admin.chat_id, admin.role) == (4242, Role.ADMIN)


def test_the_sandbox_seeds_demo_people_and_its_demo_administrator() -> None:
    people = people_after_start(for_sandbox(load_config()))
    assert {p.chat_id for p in people if p.role is Role.ADMIN} == {9001}
    assert any(p.chat_id == 1001 for p in people)


def test_the_sandbox_uses_its_own_database_never_database_url() -> None:
    config = load_config()
    assert sandbox_database_url(config, {"DATABASE_URL": "postgresql://prod/estate"}) == "sqlite:///data/sandbox.db"
    assert sandbox_database_url(config, {"SANDBOX_DATABASE_URL": "sqlite:////tmp/s.db"}) == "sqlite:////tmp/s.db"
