"""Delivers the outbox: each message once, in order per chat, retried with backoff, given up on only visibly.

A message is claimed (leased) before it is sent and marked sent right after, each in its own short transaction.
What can repeat a message (once, after the lease) is a crash between Telegram accepting it and the mark being
committed: the answer's trip back plus one small UPDATE, a few milliseconds unless the answer is slow; a crash
anywhere else repeats nothing: an unsent claim just waits for its lease to end (tests/e2e/outbox); a database
that is busy, full or restarting when the mark is due is waited out and the mark tried again, within half the
lease, so it repeats nothing either (tests/e2e/faults/test_postgres_restart.py). A timeout or a
dropped connection after Telegram took the message also repeats it, as the retry: the Bot API has no idempotency
key, so an answer that never came is taken as not sent (at least once, rather than lost).
"""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any, Callable

from telegram import Bot, InlineKeyboardMarkup, LabeledPrice
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.services import BotServices
from bot.transport import Written, watch_write
from domain.outbox import Backoff, Delivery, OutboxMessage
from domain.pacing import SendPace

logger = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)  # longer than any send with PTB's timeouts; a dead sender's claims come back then
RENEW_AFTER_SECONDS = 5.0  # a wait for our own pacing longer than this renews the claim first
KICK_MARGIN_SECONDS = 0.1  # a retry due in a moment is looked at just after it is due, not just before
CONCURRENCY = 16  # messages in flight at once, each to a different chat (a chat's next waits for its claim)
SETTLE_POLL_SECONDS = 0.05  # how often a hanging call looks whether its request went out yet
IDLE_SECONDS = 2.0  # how often the background loop looks for messages due later (retries, quiet hours)
# A sent message whose mark fails because the database is busy, full or restarting is marked again for this long,
# or half the lease if that is shorter (a claim that ran out could be sent again by the next claim): giving up
# would leave it claimed, and the lease's end would send it a second time.
MARK_SENT_SECONDS = 30.0


class OutboxSender:
    """flush() delivers everything due now; run() keeps doing so in the background."""

    def __init__(self, svc: BotServices, bot: Bot, backoff: Backoff = Backoff(), concurrency: int = CONCURRENCY,
                 pace: SendPace | None = None, monotonic: Callable[[], float] = time.monotonic) -> None:
        """`pace`: keep Telegram's limits on our side (None: leave them to the bot's rate limiter)."""
        self.svc, self.bot, self.backoff = svc, bot, backoff
        self.concurrency, self.pace, self.monotonic = max(1, concurrency), pace, monotonic
        self._lock = asyncio.Lock()
        self._overall = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = False

    def kick(self) -> None:
        """Something was written: deliver soon."""
        self._wake.set()

    async def flush(self) -> int:
        """Send everything due now, up to `concurrency` at once, never two of one chat at once (a claim takes
        only the oldest open message of each chat); returns how many were sent. One flush at a time."""
        sent = 0
        async with self._lock:
            flying: set[asyncio.Task[int]] = set()
            try:
                while not self._stopping:
                    room = self.concurrency - len(flying)
                    if room and (not flying or 4 * room >= self.concurrency):  # claim by handfuls
                        for message in await self.svc.call(self._claim, room):
                            flying.add(asyncio.create_task(self._deliver(message)))
                    if not flying:
                        break
                    done, flying = await asyncio.wait(flying, return_when=asyncio.FIRST_COMPLETED)
                    sent += sum(task.result() for task in done)
            finally:  # stopping, or a database error: what is in flight still ends, marked as it went
                results = await asyncio.gather(*flying, return_exceptions=True) if flying else []
                sent += sum(r for r in results if isinstance(r, int))
        return sent

    async def run(self) -> None:
        """The background loop: after a restart it delivers what was left, and it retries what failed."""
        while not self._stopping:
            try:
                await self.flush()
            except Exception:  # the loop must survive a database hiccup; the next turn tries again
                logger.exception("outbox flush failed")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=IDLE_SECONDS)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    def _claim(self, limit: int) -> list[OutboxMessage]:
        with self.svc.uow() as uow:
            claimed = uow.outbox.claim(self.svc.clock.now(), LEASE, limit)
            uow.commit()
            return claimed

    async def _deliver(self, message: OutboxMessage) -> int:
        assert message.id is not None
        try:
            await self._send(message)
        except RetryAfter as exc:  # Telegram's 429: wait what it says
            await self._later(message, _seconds(exc.retry_after), f"429 retry after {exc.retry_after}")
            return 0
        except Forbidden as exc:  # blocked by the user, or kicked from the group: staff see it in /outbox
            await self._end(message, Delivery.UNDELIVERABLE, str(exc))
            return 0
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                await self._end(message, Delivery.UNDELIVERABLE, str(exc))
            else:  # malformed: sending it again cannot help
                await self._end(message, Delivery.FAILED, str(exc))
            return 0
        except (TimedOut, NetworkError) as exc:  # 5xx, timeouts, dropped connections
            await self._retry(message, str(exc) or type(exc).__name__)
            return 0
        await self._mark_sent_surely(message.id)
        return 1

    async def _send(self, message: OutboxMessage) -> None:
        """One call, within the limits when paced: booked before it leaves and again when it ends."""
        pace, chat_id = self.pace, message.chat_id
        if pace is not None:
            while (wait := pace.own_wait(chat_id, self.monotonic())) > 0:
                if wait > RENEW_AFTER_SECONDS:  # a long turn (a group's 20 a minute) must not outlast the claim,
                    await self.svc.call(self._renew, message.id, wait)  # or another flush would send it too
                await asyncio.sleep(wait)
            # The overall window's places go in the order they were asked for (the lock is first come, first
            # served): racing for them starved the staff group's messages for up to 53 s at a time.
            async with self._overall:
                while (wait := pace.wait(chat_id, self.monotonic())) > 0:
                    await asyncio.sleep(wait)
                pace.take(chat_id, self.monotonic())
        with watch_write() as written:
            settling = asyncio.create_task(self._settle(chat_id, written)) if pace is not None else None
            try:
                if message.invoice:
                    await self._send_invoice(chat_id, message.invoice)
                else:
                    await self.bot.send_message(chat_id, message.text, parse_mode=message.parse_mode,
                                                reply_markup=_markup(message.reply_markup))
            except RetryAfter:  # refused: Telegram counted nothing
                if pace is not None:
                    pace.refused(chat_id, self.monotonic())
                raise
            except BaseException:  # a 5xx, a timeout or a drop may still have been carried out: it counts
                if pace is not None:
                    pace.done(chat_id, self.monotonic(), answered=False)
                raise
            finally:
                if settling is not None:
                    settling.cancel()
        if pace is not None:
            pace.done(chat_id, self.monotonic())

    async def _settle(self, chat_id: int, written: Written) -> None:
        """A call that hangs gives its place in the window back once Telegram has it, if at all: a recent round
        trip after its request went out (domain/pacing.py). Most calls are answered first and cancel this."""
        pace = self.pace
        assert pace is not None
        await asyncio.sleep(max(pace.trips, default=SETTLE_POLL_SECONDS))
        while written.at is None:  # not written yet (connecting), or no client that says (tests' fakes)
            await asyncio.sleep(SETTLE_POLL_SECONDS)
        by = pace.counted_by(written.at)
        if by is None:
            return
        await asyncio.sleep(max(0.0, by - self.monotonic()))
        pace.settle(chat_id, by)

    async def _send_invoice(self, chat_id: int, invoice: dict[str, Any]) -> None:
        """The provider token is read from the settings here, never stored with the message."""
        prices = [LabeledPrice(p["label"], int(p["amount"])) for p in invoice["prices"]]
        await self.bot.send_invoice(chat_id, invoice["title"], invoice["description"], invoice["payload"],
                                    invoice["currency"], prices,
                                    provider_token=self.svc.settings.payment_provider_token or None)

    def _renew(self, message_id: int | None, wait: float) -> None:
        with self.svc.uow() as uow:
            uow.outbox.renew(message_id or 0, self.svc.clock.now() + timedelta(seconds=wait) + LEASE)
            uow.commit()

    async def _mark_sent_surely(self, message_id: int) -> None:
        """Telegram has the message: mark it, waiting out a database fault for up to MARK_SENT_SECONDS."""
        loop, wait = asyncio.get_running_loop(), 0.25
        deadline = loop.time() + min(MARK_SENT_SECONDS, LEASE.total_seconds() / 2)
        while True:
            try:
                await self.svc.call(self._mark_sent, message_id)
                return
            except Exception as exc:
                if self.svc.storage_fault(exc) is None or loop.time() + wait > deadline:
                    raise
                logger.warning("outbox message %s was sent but not marked (%s); marking again in %ss", message_id,
                               self.svc.storage_fault(exc), wait)
            await asyncio.sleep(wait)
            wait = min(2 * wait, 4.0)

    def _mark_sent(self, message_id: int) -> None:
        with self.svc.uow() as uow:
            uow.outbox.sent(message_id, self.svc.clock.now())
            uow.commit()

    async def _retry(self, message: OutboxMessage, error: str) -> None:
        if message.attempts >= self.backoff.give_up_after:
            await self._end(message, Delivery.FAILED, f"gave up after {message.attempts} attempts: {error}")
            return
        await self._later(message, self.backoff.delay(message.attempts), error)

    async def _later(self, message: OutboxMessage, delay: timedelta, error: str) -> None:
        logger.info("outbox message %s to chat %s: %s; again in %s", message.id, message.chat_id, error, delay)

        def retry() -> None:
            with self.svc.uow() as uow:
                uow.outbox.retry(message.id or 0, self.svc.clock.now() + delay, error)
                uow.commit()

        await self.svc.call(retry)
        if delay.total_seconds() < IDLE_SECONDS:  # a short wait (a 429's second): look again then, not a turn later
            asyncio.get_running_loop().call_later(delay.total_seconds() + KICK_MARGIN_SECONDS, self.kick)

    async def _end(self, message: OutboxMessage, status: Delivery, error: str) -> None:
        logger.warning("outbox message %s to chat %s is %s: %s", message.id, message.chat_id, status.value, error)

        def give_up() -> None:
            with self.svc.uow() as uow:
                uow.outbox.give_up(message.id or 0, status, error)
                uow.commit()

        await self.svc.call(give_up)


def _markup(data: dict[str, Any] | None) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup.de_json(data, None) if data else None


def _seconds(value: Any) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


async def push(svc: BotServices, sender: OutboxSender | None, chat_id: int | None, text: str) -> None:
    """News that is no ticket change (an account deactivated, a home removed): through the outbox too."""
    if chat_id is None:
        return

    def write() -> None:
        with svc.uow() as uow:
            uow.outbox.add(OutboxMessage(chat_id=chat_id, text=text, created_at=svc.clock.now()))
            uow.commit()

    await svc.call(write)
    if sender is not None:
        sender.kick()
