"""The sandbox in a process of its own for the load bench: `python -m bench.load.sandbox_process [PORT]`.

In the generator's process the two shared one interpreter lock and one event loop, and the bot's calls to
the sandbox waited behind the generator's own work (PTB timed out at 5 s). Prints "READY <url>"; SIGTERM stops.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import sys

from sandbox import SandboxServer, demo_personas

STAFF_GROUP = -1001


async def serve(port: int) -> None:
    server = SandboxServer(demo_personas(), staff_group_id=STAFF_GROUP, port=port)
    await server.start()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    print(f"READY {server.url}", flush=True)
    await stop.wait()
    await server.stop()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
