"""`python -m sandbox`: run the sandbox alone with the demo personas until Ctrl-C."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from sandbox import DEFAULT_TOKEN, SandboxServer, demo_personas


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--staff-group-id", type=int, default=-1001)
    parser.add_argument("--verbose", action="store_true", help="log every Bot API call")
    return parser.parse_args()


async def _serve(args: argparse.Namespace) -> None:
    server = SandboxServer(demo_personas(), args.staff_group_id, args.token, args.host, args.port)
    await server.start()
    print(f"Sandbox page:  {server.url}/")
    print(f"Bot API:       base_url={server.bot_api_url}  base_file_url={server.file_api_url}")
    print(f"Token:         {server.token}")
    print(f"Staff group:   {server.staff_group_id}")
    for p in server.personas:
        print(f"  {p.user_id}  {p.display_name:<14} {p.role:<10} {p.language_code}  {p.label}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop()


def main() -> None:
    args = _arguments()
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
