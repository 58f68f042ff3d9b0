"""`python -m app export`: the same ticket export as /export, from the command line, to a file or stdout."""
from __future__ import annotations

import argparse
import sys
from zoneinfo import ZoneInfo

from sqlalchemy import inspect

from app.config import Config, load_secrets, sandbox_database_url
from bot.i18n import Catalogs
from bot.insight import write_export
from domain.errors import InvalidInput
from domain.ports import SystemClock
from domain.usecases.stats import export_tickets
from domain.values import Language
from storage.db import make_engine
from storage.stats import SqlStatsReader


def add_parser(tools: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = tools.add_parser("export", help="the estate's tickets as XLSX or CSV (what /export sends)")
    export.add_argument("--since", metavar="YYYY-MM-DD", help="first day (local time)")
    export.add_argument("--until", metavar="YYYY-MM-DD", help="last day, included (default: up to now)")
    export.add_argument("--period", help="instead: today, week, month, year, a number of days or YYYY-MM")
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    export.add_argument("--language", choices=[lang.value for lang in Language], help="headers' language")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.add_argument("--sandbox", action="store_true", help="the sandbox's database instead of DATABASE_URL")


def run_export(config: Config, args: argparse.Namespace) -> int:
    words = [args.period] if args.period else [f"since={args.since}"] + ([f"until={args.until}"] if args.until else []) \
        if args.since else []
    url = sandbox_database_url(config) if args.sandbox else load_secrets().database_url
    engine = make_engine(url)
    if not inspect(engine).has_table("tickets"):
        print(f"{engine.url.render_as_string(hide_password=True)} has no tickets table: is it set up?", file=sys.stderr)
        return 2
    tz = ZoneInfo(config.timezone)
    try:
        period, tickets = export_tickets(None, SqlStatsReader(engine), SystemClock(), None,  # type: ignore[arg-type]
                                         words, tz, estate_id=config.estate.id)
        language = Language(args.language or config.default_language)
        out = open(args.output, "wb") if args.output else sys.stdout.buffer
        try:
            count = write_export(out, args.format, Catalogs(), language, period, tickets)  # type: ignore[arg-type]
        finally:
            if args.output:
                out.close()
    except InvalidInput as error:
        print(f"not a period: {' '.join(words)} ({error})", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"{count} tickets exported ({period.start:%Y-%m-%d %H:%M} to {period.end:%Y-%m-%d %H:%M} UTC)", file=sys.stderr)
    return 0
