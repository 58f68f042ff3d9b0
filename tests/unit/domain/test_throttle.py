"""Flood control: the excess of a burst does no work, and is told so once."""
from __future__ import annotations

from datetime import timedelta

from domain.throttle import Throttle
from tests.fakes import T0


def test_a_burst_past_the_limit_is_refused_and_the_sender_is_warned_once_per_window() -> None:
    throttle = Throttle(limit=3, window=timedelta(seconds=10))
    allowed = [throttle.allow(1, T0 + timedelta(seconds=i * 0.1)) for i in range(6)]
    assert allowed == [True, True, True, False, False, False]
    assert throttle.should_warn(1, T0) and not throttle.should_warn(1, T0 + timedelta(seconds=5))
    assert throttle.allow(2, T0)  # another user is not held back


def test_the_window_slides() -> None:
    throttle = Throttle(limit=2, window=timedelta(seconds=10))
    assert throttle.allow(1, T0) and throttle.allow(1, T0 + timedelta(seconds=5))
    assert not throttle.allow(1, T0 + timedelta(seconds=9))
    assert throttle.allow(1, T0 + timedelta(seconds=10))


def test_idle_users_are_forgotten() -> None:
    throttle = Throttle(limit=2, window=timedelta(seconds=10))
    throttle.allow(1, T0)
    throttle.forget_idle(T0 + timedelta(seconds=11))
    assert throttle._seen == {}


def test_users_who_fell_silent_are_forgotten_as_others_keep_writing() -> None:
    throttle = Throttle(limit=2, window=timedelta(seconds=10))
    for user in range(1000):
        throttle.allow(user, T0 + timedelta(milliseconds=user))
    throttle.allow(5000, T0 + timedelta(seconds=12))
    throttle.allow(5001, T0 + timedelta(seconds=23))
    assert set(throttle._seen) == {5001}
    assert not throttle._warned.keys() - {5001}
