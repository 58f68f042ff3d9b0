"""An answer to the person waiting for it survives a 429, a 5xx or a timeout; a malformed one is not repeated."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.common import REPLY_ATTEMPTS, reply


class FlakyMessage:
    def __init__(self, *failures: Exception) -> None:
        self.failures, self.sent = list(failures), []

    async def reply_text(self, text: str, **kwargs: object) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(text)


def update_with(message: FlakyMessage) -> SimpleNamespace:
    return SimpleNamespace(effective_message=message, effective_chat=None)


@pytest.mark.parametrize("failure", [RetryAfter(0), TimedOut(), NetworkError("Bad Gateway")],
                         ids=["429", "timeout", "5xx"])
async def test_an_answer_is_sent_once_after_a_passing_failure(failure: Exception) -> None:
    message = FlakyMessage(failure)
    await reply(update_with(message), "好的")  # type: ignore[arg-type]
    assert message.sent == ["好的"]


async def test_an_answer_that_keeps_failing_is_given_up_after_a_few_attempts() -> None:
    message = FlakyMessage(*[TimedOut() for _ in range(REPLY_ATTEMPTS)])
    with pytest.raises(TimedOut):
        await reply(update_with(message), "好的")  # type: ignore[arg-type]
    assert message.sent == []


async def test_a_malformed_answer_is_not_sent_again() -> None:
    message = FlakyMessage(BadRequest("can't parse entities"))
    with pytest.raises(BadRequest):
        await reply(update_with(message), "好的")  # type: ignore[arg-type]
    assert message.failures == [] and message.sent == []


async def test_a_long_429_wait_is_not_held_in_the_chat() -> None:
    message = FlakyMessage(RetryAfter(600))
    with pytest.raises(RetryAfter):
        await reply(update_with(message), "好的")  # type: ignore[arg-type]
