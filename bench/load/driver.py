"""The open-loop driver: updates offered at a fixed mean rate (Poisson arrivals), each given to an idle simulated
user, timed from the sandbox's own clock (when the update arrived, when the bot's first answer did).

One long poll of the sandbox's /sandbox/changes follows every chat; each user's turn waits on its own inbox.
aiohttp, not httpx: with 200 connections httpcore's pool bookkeeping took a core of its own at 40/s and the
generator fell 4 s behind its schedule.
"""
from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from typing import Any

import aiohttp

from bench.load.agents import Action, Agent, agent_for
from bench.load.population import User
from bench.load.result import Turn

LINGER_S = 0.6        # after an answer, more of the same turn may follow (a card after "received")
LINGER_MAX_S = 3.0
ROLE_SHARE = {"owner": 0.70, "technician": 0.25, "staff": 0.05}
ERROR_TEXTS = ("抱歉，处理时出了点问题", "Sorry, something went wrong on our side")


class Feed:
    """Every bot message as the sandbox changes it, sorted into one inbox per chat."""

    def __init__(self, http: aiohttp.ClientSession) -> None:
        self.http, self.rev = http, 0
        self.inbox: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.arrived: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.error_replies = 0

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            async with self.http.get("/sandbox/changes", params={"after_rev": self.rev, "wait": 1.0}) as response:
                body = await response.json()
            for message in body["result"]:
                self.inbox[message["chat_id"]].append(message)
                self.arrived[message["chat_id"]].set()
                if any(t in (message.get("plain_text") or "") for t in ERROR_TEXTS):
                    self.error_replies += 1
            self.rev = body["rev"]

    def take(self, chat: int) -> list[dict[str, Any]]:
        found, self.inbox[chat] = self.inbox[chat], []
        self.arrived[chat].clear()
        return found

    async def wait(self, chat: int, seconds: float) -> None:
        if seconds > 0 and not self.inbox[chat]:
            try:
                await asyncio.wait_for(self.arrived[chat].wait(), seconds)
            except TimeoutError:
                pass


async def _send(http: aiohttp.ClientSession, user: User, action: Action) -> dict[str, Any]:
    if action.kind == "tap":  # no wait_answer: a click waiting in the sandbox woke at every change of every chat
        body: dict[str, Any] = {"user_id": user.user_id, "message_id": action.message_id, "data": action.data}
        path = "/sandbox/click"
    else:
        body = {"user_id": user.user_id, "language_code": user.language}
        body.update({"contact": {"phone_number": action.text}} if action.kind == "contact" else {"text": action.text})
        path = "/sandbox/send"
    async with http.post(path, json=body) as response:
        reply = await response.json()
    if not reply.get("ok"):
        raise RuntimeError(f"the sandbox refused {action}: {reply.get('description')}")
    return reply["result"]


async def turn(http: aiohttp.ClientSession, feed: Feed, agent: Agent, lag: float, answer_timeout: float) -> Turn:
    """Send the agent's next action; the first answer after it counts, then linger for the rest of the turn."""
    chat = agent.user.user_id
    agent.saw(feed.take(chat))   # pushes that came while the user was idle
    action = agent.next_action()
    sent = await _send(http, agent.user, action)
    at = sent["at"]
    seen: list[dict[str, Any]] = []
    first: float | None = None
    quiet_until = at + answer_timeout
    while True:
        limit = min(quiet_until, at + answer_timeout + LINGER_MAX_S)
        if time.time() >= limit:
            break
        await feed.wait(chat, limit - time.time())
        got = feed.take(chat)
        seen += got
        times = [max(m["at"], m.get("changed_at") or 0.0) for m in got]
        times = [t for t in times if t >= at]
        if times:
            first = min(times) - at if first is None else first
            quiet_until = time.time() + LINGER_S
    agent.saw(seen)
    if action.kind == "tap":  # its first answer is the callback answer, read from the sandbox after the run
        return Turn(action.label, None, visible=first, lag=lag, at=at, callback_id=sent["callback_id"])
    return Turn(action.label, first, lag=lag, at=at)


async def _callback_answers(http: aiohttp.ClientSession, turns: list[Turn], answer_timeout: float) -> None:
    """Each tap's latency: from the sandbox's clock, when its callback query was answered (within the limit)."""
    async with http.get("/sandbox/callback_answers") as response:
        answered = {c["id"]: c.get("answered_at") for c in (await response.json())["result"]}
    for t in turns:
        if t.callback_id is not None:
            when = answered.get(t.callback_id)
            t.latency = when - t.at if when is not None and when - t.at <= answer_timeout else None


def _pick(agents: dict[str, list[Agent]], busy: set[int], rng: random.Random) -> Agent | None:
    roles = [r for r in ROLE_SHARE if agents.get(r)]
    role = rng.choices(roles, [ROLE_SHARE[r] for r in roles])[0]
    for pool in (agents[role], [a for group in agents.values() for a in group]):
        idle = [a for a in pool if a.user.user_id not in busy]
        if idle:
            return rng.choice(idle)
    return None


async def drive(sandbox_url: str, people: list[User], rate: float, messages: int, *, seed: int = 14,
                answer_timeout: float = 10.0, progress: bool = False) -> tuple[list[Turn], int, float, int]:
    """Offer `messages` updates at `rate` per second; returns the turns, the slots no idle user could take,
    the seconds from the first slot to the last answer, and the bot's "something went wrong" answers."""
    rng = random.Random(seed)
    agents: dict[str, list[Agent]] = defaultdict(list)
    for user in people:
        agents[user.role].append(agent_for(user, random.Random(rng.random())))
    busy: set[int] = set()
    connector = aiohttp.TCPConnector(limit=len(people) + 20)
    timeout = aiohttp.ClientTimeout(total=answer_timeout + 30)
    async with aiohttp.ClientSession(sandbox_url, connector=connector, timeout=timeout) as http:
        feed, stop = Feed(http), asyncio.Event()
        follower = asyncio.create_task(feed.run(stop))
        tasks: list[asyncio.Task[Turn]] = []
        missed = 0
        began = time.time()
        due = began

        async def one(agent: Agent, lag: float) -> Turn:
            try:
                return await turn(http, feed, agent, lag, answer_timeout)
            finally:
                busy.discard(agent.user.user_id)

        for n in range(messages):
            due += rng.expovariate(rate)
            await asyncio.sleep(max(0.0, due - time.time()))
            agent = _pick(agents, busy, rng)
            if agent is None:
                missed += 1
                continue
            busy.add(agent.user.user_id)
            tasks.append(asyncio.create_task(one(agent, max(0.0, time.time() - due))))
            if progress and n % 500 == 499:
                print(f"  {n + 1} offered, {sum(t.done() for t in tasks)} done", flush=True)
        turns = list(await asyncio.gather(*tasks))
        duration = time.time() - began
        await _callback_answers(http, turns, answer_timeout)
        stop.set()
        await asyncio.wait_for(follower, timeout=10)
    return turns, missed, duration, feed.error_replies
