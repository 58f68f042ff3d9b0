"""SandboxServer: the Bot API, the control API and the web page on one aiohttp server, in a loop or a thread."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from aiohttp import web

from sandbox import bot_api, control_api, control_traffic
from sandbox.faults import Faults
from sandbox.limits import RateLimits
from sandbox.personas import Persona
from sandbox.traffic import Traffic
from sandbox.webhook import WebhookPusher
from sandbox.world import World

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
DEFAULT_TOKEN = "123456789:SANDBOX-baoxiu-local-token"


async def _index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html")


class SandboxServer:
    """A local Telegram for one bot: give PTB `bot_api_url` as base_url and `file_api_url` as base_file_url."""

    def __init__(self, personas: Sequence[Persona], staff_group_id: int = -1001, token: str = DEFAULT_TOKEN,
                 host: str = "127.0.0.1", port: int = 0, *, staff_group_title: str = "报修员工群 Staff",
                 bot_username: str = "baoxiu_sandbox_bot", bot_first_name: str = "报修 Baoxiu",
                 limits: RateLimits | bool = False, faults: Faults | None = None) -> None:
        self.personas = list(personas)
        self.token, self.host, self.port = token, host, port
        bot = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": bot_first_name, "username": bot_username}
        self.world = World(self.personas, staff_group_id, staff_group_title, bot)
        # Off by default: the bot runs without a rate limiter against the sandbox (see the README).
        self.traffic = Traffic(RateLimits() if limits is True else limits or None, faults)
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pusher: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def bot_api_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def file_api_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def staff_group_id(self) -> int:
        return self.world.staff_group_id

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[control_api.loopback_only, control_api.control_errors])
        app[bot_api.WORLD], app[bot_api.TOKEN], app[bot_api.TRAFFIC] = self.world, self.token, self.traffic
        app[control_api.PERSONAS_KEY] = [p.to_json() for p in self.personas]
        bot_api.add_routes(app)
        control_api.add_routes(app)
        control_traffic.add_routes(app)
        app.router.add_get("/", _index)
        app.router.add_static("/static", STATIC)
        return app

    async def start(self) -> None:
        """Listen in the running loop; with port 0 the chosen port is in `port` afterwards."""
        self.world.closing = False
        self.world.notify()
        self._runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._pusher = asyncio.get_running_loop().create_task(WebhookPusher(self.world).run(), name="sandbox-webhook")
        logger.info("sandbox listening on %s", self.url)

    async def stop(self) -> None:
        """End long polls (they answer with no updates) and close the server."""
        self.world.closing = True
        self.world.notify()
        if self._pusher is not None:
            self._pusher.cancel()
            await asyncio.gather(self._pusher, return_exceptions=True)
            self._pusher = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    def start_in_thread(self, timeout: float = 10.0) -> None:
        """Run the server in its own loop on a daemon thread; returns once it listens."""
        ready, failure = threading.Event(), []

        def serve() -> None:
            loop = self._loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(self.start())
            except Exception as error:  # reported to the caller below
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=serve, name="sandbox-server", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError(f"the sandbox did not start within {timeout} s")
        if failure:
            raise failure[0]

    def stop_thread(self, timeout: float = 10.0) -> None:
        if self._loop is None or self._thread is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self.stop(), self._loop).result(timeout)
        except TimeoutError:
            logger.warning("the sandbox did not stop within %s s; leaving its thread behind", timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        self._thread = self._loop = None

    @contextlib.contextmanager
    def running_in_thread(self, timeout: float = 10.0) -> Iterator[SandboxServer]:
        """`with SandboxServer(...).running_in_thread() as server:` for sync code and tests in any loop."""
        self.start_in_thread(timeout)
        try:
            yield self
        finally:
            self.stop_thread(timeout)
