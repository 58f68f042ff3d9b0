"""Dispatch rounds keep to a share of the time: a backlog that makes each round long spaces them out, so the
chats' answers keep the interpreter (bot/dispatching.py)."""
from __future__ import annotations

import pytest

from bot.dispatching import MAX_GAP_SECONDS, MIN_GAP_SECONDS, ROUND_SHARE, earliest_next


def test_a_quick_round_is_followed_by_the_next_after_the_minimum_gap() -> None:
    assert earliest_next(100.0, 100.05, MIN_GAP_SECONDS) == pytest.approx(100.0 + MIN_GAP_SECONDS)


def test_a_long_round_pushes_the_next_out_so_rounds_take_at_most_their_share_of_the_time() -> None:
    began, ended = 100.0, 100.6  # 0.6 s: a round over 2,500 waiting jobs in the load bench
    next_at = earliest_next(began, ended, MIN_GAP_SECONDS)
    assert (ended - began) / (next_at - began) == pytest.approx(ROUND_SHARE)
    assert next_at > began + MIN_GAP_SECONDS


def test_without_a_minimum_gap_a_round_still_waits_in_proportion_to_its_length() -> None:
    assert earliest_next(0.0, 0.2, 0.0) == pytest.approx(0.2 / ROUND_SHARE)


def test_a_round_that_hung_on_the_database_puts_the_next_off_by_no_more_than_the_longest_gap() -> None:
    began, ended = 0.0, 30.0  # a round that waited out SQLite's busy timeout
    assert earliest_next(began, ended, MIN_GAP_SECONDS) == pytest.approx(ended + MAX_GAP_SECONDS)
