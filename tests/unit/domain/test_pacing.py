"""Telegram's limits kept on our side: one message a second to a chat, 20 a minute to a group, 30 a second."""
from __future__ import annotations

import pytest

from domain.pacing import SendLimits, SendPace

EXACT = SendLimits(margin_seconds=0.0)


def test_a_second_message_to_a_chat_waits_a_second_and_another_chat_does_not() -> None:
    pace = SendPace(EXACT)
    assert pace.wait(501, 10.0) == 0.0
    pace.take(501, 10.0)
    assert pace.wait(501, 10.25) == pytest.approx(0.75)
    assert pace.wait(502, 10.25) == 0.0
    assert pace.wait(501, 11.0) == 0.0


def test_the_thirty_first_message_in_a_second_waits_until_the_first_leaves_the_window() -> None:
    pace = SendPace(EXACT)
    for n in range(30):
        assert pace.wait(1000 + n, 5.0 + n / 100) == 0.0
        pace.take(1000 + n, 5.0 + n / 100)
    assert pace.wait(2000, 5.5) == pytest.approx(0.5)
    assert pace.wait(2000, 6.0) == 0.0


def test_a_group_gets_twenty_messages_a_minute_then_waits_for_the_window() -> None:
    pace = SendPace(EXACT)
    for n in range(20):
        now = 2.0 * n
        assert pace.wait(-1001, now) == 0.0
        pace.take(-1001, now)
    assert pace.wait(-1001, 40.0) == pytest.approx(20.0)
    assert pace.wait(-1001, 60.0) == 0.0


def test_the_margin_widens_every_window() -> None:
    pace = SendPace(SendLimits(margin_seconds=0.1))
    pace.take(501, 0.0)
    assert pace.wait(501, 1.0) == pytest.approx(0.1)


def test_a_refused_message_is_given_back_overall_but_the_chat_still_waits() -> None:
    pace = SendPace(SendLimits(overall=1, margin_seconds=0.0))
    pace.take(501, 0.0)
    assert pace.wait(502, 0.5) == pytest.approx(0.5)
    pace.give_back(501, 0.0)
    assert pace.wait(502, 0.5) == 0.0 and pace.wait(501, 0.5) == pytest.approx(0.5)
