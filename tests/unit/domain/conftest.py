"""Fixtures for the domain tests: the demo world with its fake clock and unit of work."""
from __future__ import annotations

import pytest

from tests.fakes import FakeClock, World, make_world


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def clock(world: World) -> FakeClock:
    return world.clock
