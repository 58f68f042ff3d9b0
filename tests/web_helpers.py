"""The web chat in tests: invites made through the domain use case, and a resident's browser as an HTTP client."""
from __future__ import annotations

import asyncio
import re
import time
from typing import Any, Callable

import aiohttp

from bot.services import BotServices
from domain.people import Role
from domain.usecases.registration import create_invite
from domain.values import Location

DEMO_STAFF_CHAT = 3001  # 赵敏, the demo dispatcher (app/demo.py)


def make_invite(svc: BotServices, home: str = "3-2-1801", name: str | None = None,
                staff_chat_id: int = DEMO_STAFF_CHAT) -> str:
    """A fresh owner invite for `home`, made by a demo staff member exactly as /invite makes it; its code."""
    with svc.uow() as uow:
        staff = uow.people.by_chat_id(staff_chat_id)
    assert staff is not None and staff.id is not None, "the demo staff member is seeded (demo: true)"
    parts = home.split("-")
    place = Location(parts[0], parts[1], parts[2]) if len(parts) == 3 else Location(parts[0], None, parts[1])
    return create_invite(svc.uow(), svc.clock, svc.policies, staff.id, Role.OWNER, home=place, name=name).code


def invite_url(web_base: str, code: str) -> str:
    """The link the QR code carries: GET shows the start button, POST signs in."""
    return f"{web_base.rstrip('/')}/web/i/{code}"


class Resident:
    """A browser on the web chat: keeps the session cookie, sends the CSRF header, reads the inbox."""

    def __init__(self, web_base: str, accept_language: str = "zh-CN,zh;q=0.9") -> None:
        self.base = web_base.rstrip("/")
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          headers={"Accept-Language": accept_language},
                                          timeout=aiohttp.ClientTimeout(total=30))
        self.csrf = ""

    async def __aenter__(self) -> "Resident":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.close()

    async def sign_in(self, code: str, name: str = "") -> aiohttp.ClientResponse:
        response = await self.http.post(invite_url(self.base, code), data={"name": name}, allow_redirects=False)
        if response.status == 303:
            self.csrf = (await self.get("/web/api/session"))["csrf"]
        return response

    async def get(self, path: str) -> dict[str, Any]:
        async with self.http.get(self.base + path) as response:
            return await response.json()

    async def post(self, path: str, body: dict[str, Any] | None = None, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        args = {"json": body} if body is not None else {}
        async with self.http.post(self.base + path, headers=headers, **args, **kwargs) as response:
            return response.status, await response.json()

    async def say(self, text: str) -> tuple[int, dict[str, Any]]:
        return await self.post("/web/api/send", {"text": text})

    async def messages(self, after: int = 0) -> list[dict[str, Any]]:
        return (await self.get(f"/web/api/messages?after={after}"))["messages"]

    async def wait_for(self, predicate: Callable[[dict[str, Any]], bool], after: int = 0,
                       timeout: float = 20.0) -> dict[str, Any]:
        """The first bot message after `after` that matches, polling the inbox (every wait has a limit)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in await self.messages(after):
                if message["from"] == "bot" and predicate(message):
                    return message
            await asyncio.sleep(0.1)
        raise AssertionError(f"no matching bot message within {timeout} s: {await self.messages(after)}")

    async def wait_for_text(self, *needles: str, after: int = 0, timeout: float = 20.0) -> dict[str, Any]:
        return await self.wait_for(lambda m: all(n in plain(m["html"]) for n in needles), after, timeout)

    async def last_id(self) -> int:
        found = await self.messages()
        return found[-1]["id"] if found else 0


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class EventStream:
    """The page's live stream (GET /web/api/events) read in the background: `events` fills as they come."""

    def __init__(self, resident: Resident, last_event_id: str | None = None) -> None:
        self.resident, self.last_event_id = resident, last_event_id
        self.events: list[tuple[str, str, dict[str, Any]]] = []  # (event, id, message)
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def __aenter__(self) -> "EventStream":
        self._task = asyncio.create_task(self._read())
        await asyncio.wait_for(self._ready.wait(), 10)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass

    async def _read(self) -> None:
        import json

        headers = {"Last-Event-ID": self.last_event_id} if self.last_event_id else {}
        timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
        async with self.resident.http.get(self.resident.base + "/web/api/events", headers=headers,
                                          timeout=timeout) as response:
            self._ready.set()
            fields: dict[str, str] = {}
            async for raw in response.content:
                line = raw.decode().rstrip("\n")
                if not line:
                    if "data" in fields:
                        self.events.append((fields.get("event", "message"), fields.get("id", ""),
                                            json.loads(fields["data"])))
                    fields = {}
                elif not line.startswith(":"):
                    key, _, value = line.partition(": ")
                    fields[key] = value

    async def wait_for(self, predicate: Callable[[str, dict[str, Any]], bool], timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event, _, message in self.events:
                if predicate(event, message):
                    return message
            await asyncio.sleep(0.05)
        raise AssertionError(f"no matching event within {timeout} s: {self.events}")


def chip_data(message: dict, prefix: str) -> str:
    """The data of the message's first chip that starts with `prefix` (a draft card's chips end in its mark)."""
    return next(c["data"] for row in message["buttons"] for c in row if c.get("data", "").startswith(prefix))


def has_chip(message: dict, prefix: str) -> bool:
    return any(c.get("data", "").startswith(prefix) for row in message["buttons"] for c in row)
