"""The control API's switches for Telegram's limits and injected faults, and the counters that prove delivery."""
from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox.bot_api import NAMES, TRAFFIC, WORLD
from sandbox.control_api import json_body, ok
from sandbox.control_views import ControlError
from sandbox.faults import Faults
from sandbox.limits import RateLimits
from sandbox.traffic import Traffic


def _limits_view(traffic: Traffic) -> dict[str, Any]:
    limiter = traffic.limiter
    return {"enabled": limiter is not None, **(limiter.limits if limiter else RateLimits()).to_json()}


async def get_limits(request: web.Request) -> web.Response:
    return ok(_limits_view(request.app[TRAFFIC]))


async def set_limits(request: web.Request) -> web.Response:
    """{enabled: true (default) | false, ...RateLimits fields}: switch Telegram's limits on, afresh, or off."""
    body, traffic = await json_body(request), request.app[TRAFFIC]
    try:
        limits = RateLimits.from_json(body)
    except ValueError as error:
        raise ControlError(str(error)) from None
    traffic.set_limits(limits if body.get("enabled", True) else None)
    return ok(_limits_view(traffic))


async def get_faults(request: web.Request) -> web.Response:
    traffic = request.app[TRAFFIC]
    return ok({**traffic.faults.faults.to_json(), "injected": traffic.faults.injected})


async def set_faults(request: web.Request) -> web.Response:
    """{rate, kinds, seed, methods, ...Faults fields}: inject faults from now on, from a fresh generator."""
    body, traffic = await json_body(request), request.app[TRAFFIC]
    try:
        faults = Faults.from_json(body)
    except (TypeError, ValueError) as error:
        raise ControlError(str(error)) from None
    unknown = [m for m in faults.methods or () if m.lower() not in NAMES]
    if unknown:
        raise ControlError(f"no such Bot API methods: {unknown}")
    traffic.faults.configure(faults)
    return ok({**faults.to_json(), "injected": 0})


async def stats(request: web.Request) -> web.Response:
    """Calls per method, 429s per limit, faults per kind and method, and what the bot delivered per chat."""
    return ok({**request.app[TRAFFIC].stats(), "chats": request.app[WORLD].deliveries()})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/sandbox/limits", get_limits)
    app.router.add_post("/sandbox/limits", set_limits)
    app.router.add_get("/sandbox/faults", get_faults)
    app.router.add_post("/sandbox/faults", set_faults)
    app.router.add_get("/sandbox/stats", stats)
