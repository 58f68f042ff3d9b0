"""Telegram's limits kept on our side: one message a second to a chat, 20 a minute to a group, 30 a second."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from domain.pacing import HANG_FLOOR_SECONDS, SendLimits, SendPace


def send(pace: SendPace, chat_id: int, at: float, seconds: float = 0.0) -> None:
    """One call that wait() allowed at `at` and that took `seconds`."""
    assert pace.wait(chat_id, at) == 0.0
    pace.take(chat_id, at)
    pace.done(chat_id, at + seconds)


def test_a_second_message_to_a_chat_waits_a_second_from_when_the_first_call_ended() -> None:
    pace = SendPace()
    send(pace, 501, 10.0, seconds=0.1)
    assert pace.wait(501, 10.25) == pytest.approx(0.85)
    assert pace.wait(502, 10.25) == 0.0
    assert pace.wait(501, 11.1) == 0.0


def test_a_chat_whose_message_is_still_in_flight_gets_no_second_one() -> None:
    pace = SendPace()
    pace.take(501, 0.0)
    assert pace.wait(501, 5.0) > 0
    pace.done(501, 5.0)
    assert pace.wait(501, 6.0) == 0.0


def test_the_thirty_first_message_in_a_second_waits_until_the_first_leaves_the_window() -> None:
    pace = SendPace()
    for n in range(30):
        send(pace, 1000 + n, 5.0 + n / 100)
    assert pace.wait(2000, 5.5) == pytest.approx(0.5)
    assert pace.wait(2000, 6.0) == 0.0


def test_a_call_in_flight_holds_its_place_until_it_ends_and_a_second_after() -> None:
    pace = SendPace(SendLimits(overall=1))
    pace.take(501, 0.0)
    assert pace.wait(502, 1.5) == pytest.approx(1.0)  # still in flight: at least a second more
    pace.done(501, 2.0)  # a timeout: Telegram may have taken it as late as now
    assert pace.wait(502, 2.5) == pytest.approx(0.5)
    assert pace.wait(502, 3.0) == 0.0


def test_a_group_gets_twenty_messages_a_minute_then_waits_for_the_window() -> None:
    pace = SendPace()
    for n in range(20):
        send(pace, -1001, 2.0 * n, seconds=0.5)
    assert pace.wait(-1001, 40.0) == pytest.approx(20.5)
    assert pace.wait(-1001, 60.5) == 0.0


def test_the_margin_widens_every_window() -> None:
    pace = SendPace(SendLimits(margin_seconds=0.1))
    send(pace, 501, 0.0)
    assert pace.wait(501, 1.0) == pytest.approx(0.1)


def test_a_refused_message_is_given_back_overall_but_the_chat_still_waits() -> None:
    pace = SendPace(SendLimits(overall=1))
    pace.take(501, 0.0)
    pace.refused(501, 0.1)
    assert pace.wait(502, 0.5) == 0.0 and pace.wait(501, 0.5) == pytest.approx(0.6)


def windows_at_telegram(seen: list[float], seconds: float) -> int:
    """The most calls Telegram saw in any window of `seconds` (it forgets a call exactly `seconds` later)."""
    seen = sorted(seen)
    return max((sum(1 for t in seen[i:] if t < start + seconds) for i, start in enumerate(seen)), default=0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 0.3), st.floats(0.0, 1.0)), min_size=40, max_size=120))
def test_however_late_each_request_reaches_telegram_no_second_there_holds_more_than_thirty(
        calls: list[tuple[float, float]]) -> None:
    """Each call takes `latency` and Telegram sees it at a `share` of the way through; 16 in flight at once."""
    pace, now, seen = SendPace(), 0.0, []
    flying: list[tuple[float, int, float]] = []  # (end, chat, seen at)
    for n, (latency, share) in enumerate(calls):
        chat = 10_000 + n
        while len(flying) >= 16 or (wait := pace.wait(chat, now)) > 0:
            if flying and (len(flying) >= 16 or flying[0][0] <= now + wait):
                end, done_chat, at = flying.pop(0)
                now = max(now, end)
                pace.done(done_chat, end)
                seen.append(at)
            else:
                now += wait
        pace.take(chat, now)
        flying.append((now + latency, chat, now + share * latency))
        flying.sort()
    seen += [at for _, _, at in flying]
    assert windows_at_telegram(seen, 1.0) <= 30


def test_a_chats_own_wait_leaves_out_the_overall_window_which_the_sender_queues_for_in_turn() -> None:
    from domain.pacing import SendLimits, SendPace

    pace = SendPace(SendLimits(overall=2))
    for chat in (1, 2):
        pace.take(chat, 0.0)
        pace.done(chat, 0.1)
    assert pace.own_wait(3, 0.2) == 0.0 and pace.wait(3, 0.2) > 0.8  # a fresh chat waits only for the window
    assert 0.8 < pace.own_wait(1, 0.2) <= pace.wait(1, 0.2)  # chat 1 also waits its own second


def test_a_hanging_call_gives_its_place_back_soon_after_its_request_went_out() -> None:
    pace = SendPace(SendLimits(overall=1))
    send(pace, 501, 0.0, seconds=0.1)  # answered: a round trip of 0.1 s
    pace.take(502, 2.0)  # hangs; its request was written at 2.01: Telegram had it by 2.51 if at all (the floor)
    by = pace.counted_by(2.01)
    assert by == pytest.approx(2.01 + HANG_FLOOR_SECONDS)
    assert pace.wait(503, 2.6) == pytest.approx(1.0)  # in flight and not settled: it holds its place
    pace.settle(502, by)
    assert pace.wait(503, 2.6) == pytest.approx(0.91)  # booked at 2.51 instead of when it ends
    pace.done(502, 4.0, answered=False)  # the timeout, long after: not booked a second time
    assert pace.wait(503, 4.0) == 0.0
    assert pace.wait(502, 4.5) == pytest.approx(0.5)  # its own chat still waits its second from the end


def test_slow_round_trips_push_a_hanging_calls_booking_later() -> None:
    pace = SendPace()
    send(pace, 501, 0.0, seconds=0.4)
    send(pace, 502, 1.0, seconds=0.1)
    assert pace.counted_by(5.0) == pytest.approx(5.8)  # twice the longest recent trip, past the floor


def test_before_any_call_was_answered_nothing_says_when_a_hanging_request_arrived() -> None:
    pace = SendPace()
    pace.take(501, 0.0)
    assert pace.counted_by(0.01) is None
    pace.done(501, 2.0, answered=False)  # a timeout is no round trip
    assert pace.counted_by(2.5) is None


def test_a_settled_call_that_is_then_refused_is_not_given_back_twice() -> None:
    pace = SendPace(SendLimits(overall=2))
    send(pace, 501, 0.0, seconds=0.1)
    pace.take(502, 1.0)
    pace.settle(502, 1.1)
    pace.refused(502, 1.5)
    pace.take(503, 1.6)
    assert pace.wait(504, 1.7) == pytest.approx(0.4)  # 502 booked at 1.1 and 503 in flight: full until 2.1


@settings(max_examples=60, deadline=None)
@given(st.floats(0.005, 0.1), st.lists(st.tuples(st.booleans(), st.floats(0.0, 1.0), st.floats(0.0, 0.1)),
                                       min_size=40, max_size=120))
def test_with_hanging_calls_settled_by_round_trips_no_second_at_telegram_holds_more_than_thirty(
        one_way: float, calls: list[tuple[bool, float, float]]) -> None:
    """A request reaches Telegram `one_way` (plus up to as much again) after it went out; an answered call takes
    two ways plus Telegram's own time; a hanging call ends 2 s after it started and is settled by the sender
    when the pacing says, whatever Telegram did. 16 in flight at once."""
    pace, seen, step = SendPace(), [], 0.005
    flying: dict[int, tuple[float, float | None, bool]] = {}  # chat -> (end, settle at, answered)
    queue = list(enumerate(calls))
    now = 0.0
    while queue or flying:
        for chat, (end, settle_at, answered) in list(flying.items()):
            if settle_at is not None and settle_at <= now + 1e-9:
                pace.settle(chat, settle_at)
                flying[chat] = (end, None, answered)
            if end <= now + 1e-9:
                pace.done(chat, end, answered=answered)
                del flying[chat]
        while queue and len(flying) < 16 and pace.wait(10_000 + queue[0][0], now) == 0:
            n, (hangs, share, server) = queue.pop(0)
            chat = 10_000 + n
            pace.take(chat, now)
            seen.append(now + one_way * (1 + share))
            flying[chat] = (now + 2.0, pace.counted_by(now), False) if hangs else \
                (now + 2 * one_way + server, None, True)
        now += step
    assert windows_at_telegram(seen, 1.0) <= 30
