"""Dispatch's adapters: scipy's solver keeps the Solver port's contract, and config.yml builds the policy."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest
import yaml

from app.config import DEFAULT_CONFIG, ConfigError, load_config
from app.dispatch import dispatch_policy, solve_assignment
from domain.dispatch import Mode
from domain.values import Category, Priority
from tests.unit.domain.dispatch.helpers import brute_force


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (3, 2), (4, 4), (3, 5), (5, 3)])
def test_scipys_assignment_costs_what_trying_every_assignment_costs(shape: tuple[int, int]) -> None:
    rng = random.Random(sum(shape))
    for _ in range(20):
        costs = [[rng.uniform(-5, 5) for _ in range(shape[1])] for _ in range(shape[0])]
        got, best = solve_assignment(costs), brute_force(costs)
        assert len(got) == min(shape) and len({i for i, _ in got}) == len({j for _, j in got}) == min(shape)
        assert sum(costs[i][j] for i, j in got) == pytest.approx(sum(costs[i][j] for i, j in best))


def test_an_empty_matrix_has_an_empty_assignment() -> None:
    assert solve_assignment([]) == [] and solve_assignment([[]]) == []


def test_config_ymls_dispatch_section_builds_the_policy() -> None:
    config = load_config(DEFAULT_CONFIG)
    policy = dispatch_policy(config)
    assert policy.pool_time == timedelta(minutes=config.dispatch.pool_minutes)
    assert policy.mode_for(Category.GAS, Priority.NORMAL) is Mode.AUTO
    assert len(policy.sites) == len(config.estate.buildings)
    assert policy.weights.load == config.dispatch.weights.load


@pytest.mark.parametrize(("section", "path"), [
    ("dispatch:\n  modes: {urgent: auto, normal: pool}\n", "dispatch.modes"),
    ("dispatch:\n  modes: {urgent: auto, normal: pool, low: sometimes}\n", "dispatch.modes.low"),
    ("dispatch:\n  category_modes: {plumbing: {urgnt: auto}}\n", "dispatch.category_modes.plumbing"),
    ("dispatch:\n  weights: {load: -1}\n", "dispatch.weights.load"),
    ("dispatch:\n  capacity: 0\n", "dispatch.capacity"),
], ids=["missing-priority", "unknown-mode", "unknown-priority", "negative-weight", "no-capacity"])
def test_a_bad_dispatch_section_is_refused_naming_the_key(tmp_path, section: str, path: str) -> None:
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump({**raw, **yaml.safe_load(section)}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=path.replace(".", r"\.")):
        load_config(config)
