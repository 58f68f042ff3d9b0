"""`python -m sandbox`: run the sandbox alone with the demo personas until Ctrl-C."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal

from sandbox import DEFAULT_TOKEN, Faults, SandboxServer, demo_personas


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--staff-group-id", type=int, default=-1001)
    parser.add_argument("--verbose", action="store_true", help="log every Bot API call")
    parser.add_argument("--limits", action="store_true", help="enforce Telegram's sending limits (429 with retry_after)")
    parser.add_argument("--faults", type=_faults, default=None, metavar="JSON",
                        help='inject faults, e.g. \'{"rate": 0.1, "seed": 1}\' (the body of POST /sandbox/faults)')
    return parser.parse_args()


def _faults(text: str) -> Faults:
    try:
        return Faults.from_json(json.loads(text))
    except (ValueError, TypeError, AttributeError) as error:
        raise argparse.ArgumentTypeError(f"not a fault setting: {error}") from None


async def _serve(args: argparse.Namespace) -> None:
    server = SandboxServer(demo_personas(), args.staff_group_id, args.token, args.host, args.port,
                           limits=args.limits, faults=args.faults)
    await server.start()
    print(f"Sandbox page:  {server.url}/")
    print(f"Bot API:       base_url={server.bot_api_url}  base_file_url={server.file_api_url}")
    print(f"Token:         {server.token}")
    print(f"Staff group:   {server.staff_group_id}")
    print(f"Limits:        {'on' if args.limits else 'off'}; faults: {'rate ' + str(args.faults.rate) if args.faults else 'none'}")
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
