"""The way into the Bot API methods: injected faults first, then Telegram's sending limits, with counters of both."""
from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError, too_many_requests
from sandbox.faults import Fault, FaultInjector, Faults
from sandbox.limits import SENDING_METHODS, Limited, Limiter, RateLimits
from sandbox.world import World

logger = logging.getLogger(__name__)
Call = Callable[[], Awaitable[Any]]
BAD_GATEWAY = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
               "</center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n")  # as api.telegram.org's nginx


class Traffic:
    """Limits (off unless given) and faults (none unless given); `reset()` returns to the settings it was built with."""

    def __init__(self, limits: RateLimits | None = None, faults: Faults | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.initial_limits, self.initial_faults, self.clock = limits, faults or Faults(), clock
        self.faults = FaultInjector(self.initial_faults)
        self.reset()

    def reset(self) -> None:
        self.set_limits(self.initial_limits)
        self.faults.configure(self.initial_faults)
        self.calls: Counter[str] = Counter()
        self.limited: Counter[str] = Counter()
        self.faulted: Counter[str] = Counter()
        self.faulted_methods: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()  # "sendMessage 400": the bot's calls that got a 4xx/5xx of our own

    def set_limits(self, limits: RateLimits | None) -> None:
        """New limits (None: off) start with every allowance full."""
        self.limiter = Limiter(limits, self.clock) if limits is not None else None

    def stats(self) -> dict[str, Any]:
        return {"calls": dict(self.calls),
                "limited": {"total": sum(self.limited.values()), **{s: self.limited[s] for s in ("overall", "chat", "group")}},
                "faults": {"total": sum(self.faulted.values()), **{k: self.faulted[k] for k in ("429", "5xx", "timeout", "drop")},
                           "by_method": dict(self.faulted_methods)},
                "refused": dict(self.refused)}

    async def serve(self, request: web.Request, world: World, name: str, chat_id: int | None, call: Call) -> web.Response:
        """Answer one Bot API call, or fail it as the drawn fault says."""
        self.calls[name] += 1
        fault = self.faults.draw(name, chat_id)
        if fault is None:
            return await self._carry_out(name, chat_id, call)
        self.faulted[fault.kind] += 1
        self.faulted_methods[name] += 1
        logger.info("sandbox: injected %s into %s", fault.kind, name)
        return await self._fail(request, world, name, chat_id, call, fault)

    async def _fail(self, request: web.Request, world: World, name: str, chat_id: int | None, call: Call,
                    fault: Fault) -> web.Response:
        settings = self.faults.faults
        if fault.kind == "429":
            return _reply(too_many_requests(settings.retry_after).to_json(), 429)
        if fault.kind == "5xx" and fault.status == 502:
            return web.Response(status=502, text=BAD_GATEWAY, content_type="text/html")
        if fault.kind == "5xx":
            return _reply(ApiError(500, "Internal Server Error").to_json(), 500)
        if fault.kind == "drop":
            if settings.drop_delivered:
                await self._carry_out(name, chat_id, call)
            return _drop(request)
        if settings.timeout_delivery == "before":
            await self._carry_out(name, chat_id, call)
        await _hold(world, settings.timeout_seconds)
        if settings.timeout_delivery == "after" and not world.closing:
            return await self._carry_out(name, chat_id, call)  # a client still waiting gets the answer
        return _drop(request)

    async def _carry_out(self, name: str, chat_id: int | None, call: Call) -> web.Response:
        """Run the method within the limits; a refused call gives back its share, since it sent nothing."""
        give_back = None
        try:
            if self.limiter is not None and name.lower() in SENDING_METHODS:
                give_back = self.limiter.admit(chat_id)
            result = await call()
        except Limited as limited:
            self.limited[limited.scope] += 1
            logger.info("sandbox: %s to %s over the %s limit", name, chat_id, limited.scope)
            return _reply(limited.to_json(), 429)
        except ApiError as error:
            if give_back is not None:
                give_back()
            self.refused[f"{name} {error.code}"] += 1
            logger.info("sandbox: %s -> %s %s", name, error.code, error.description)
            return _reply(error.to_json(), error.code)
        logger.debug("sandbox: %s ok", name)
        return _reply({"ok": True, "result": result})


def _reply(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(body, status=status)


def _drop(request: web.Request) -> web.Response:
    """Close the connection without a word; the response returned is never written."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=204)


async def _hold(world: World, seconds: float) -> None:
    """Wait `seconds`, or less if the sandbox is stopping."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not world.closing and (remaining := deadline - loop.time()) > 0:
        await world.wait_change(remaining)
