"""`make tap-bench` (issue #8, fewer taps): taps from an owner's first message to a filed ticket, before and after.

"before" is commit cba0133 (a detached worktree, removed afterwards), "after" the working tree. Each runs as
the real bot in its own process against its own sandbox, with the rules NLU, the real knowledge base and a
fresh SQLite database; a simulated owner (bench/tap_owner.py) answers 60 fixed first messages in both, in the
same run. Prints the figures and writes them to docs/benchmarks.md between the tap-bench markers.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

from bench import tap_report as report
from bench.tap_chat import OwnerChat, Transcript, as_sent, callbacks
from bench.tap_data import Case, load_cases
from bench.tap_owner import MAX_STEPS, Estate, Owner, Result
from bench.tap_versions import ROOT, BotProcess, git, kill_leftovers, worktree
from sandbox import SandboxServer, demo_personas
from sandbox.client import SandboxClient, SandboxMessage

BEFORE = "cba0133"
STAFF_GROUP = -1001
CLEANUP_S = 5.0


def load_estate(trees: list[Path]) -> Estate:
    """The estate as a resident knows it (config.yml), and the category labels of every tree's catalogs."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    units = {str(b["id"]): tuple(str(u) for u in b.get("units", [])) for b in config["estate"]["buildings"]}
    labels: dict[str, str] = {}
    names: dict[tuple[str, str], str] = {}
    for tree in trees:
        for language in ("zh", "en"):
            with open(tree / "bot" / "locales" / language / "LC_MESSAGES" / "messages.po", "rb") as po:
                for message in read_po(po):
                    if isinstance(message.id, str) and message.id.startswith("cat.") and message.string:
                        labels[str(message.string)] = message.id[4:]
                        names.setdefault((message.id[4:], language), str(message.string))
    return Estate(units, labels, names)


async def leave_no_draft(chat: OwnerChat, bot: BotProcess, user: int, last: list[SandboxMessage]) -> bool:
    """Cancel a half-finished draft (its cancel button, else /report and cancel); True when one was open."""
    if not bot.open_draft(user):
        return False
    chat.transcript.note("a draft is still open: cancelling it (not counted)")
    with_cancel = [m for m in last if "r:cancel" in callbacks(m)]
    if with_cancel:
        await chat.tap(with_cancel[-1], as_sent(with_cancel[-1], "r:cancel"))
    else:
        answer = await chat.say("/report")
        if answer:
            await chat.tap(answer[-1], as_sent(answer[-1], "r:cancel"), forged="r:cancel" not in callbacks(answer[-1]))
    deadline = asyncio.get_running_loop().time() + CLEANUP_S
    while bot.open_draft(user):
        if asyncio.get_running_loop().time() > deadline:
            log = bot.log.read_text(errors="replace")[-4000:] if bot.log.exists() else ""
            raise RuntimeError(f"could not cancel the open draft of {user}; the bot's log ends:\n{log}\n"
                               + "\n".join(chat.transcript.lines[-12:]))
        await asyncio.sleep(0.1)
    return True


async def run_version(name: str, label: str, tree: Path, cases: list[Case], estate: Estate, folder: Path,
                      verbose: bool, rasa_port: int | None = None) -> report.VersionRun:
    folder.mkdir(parents=True, exist_ok=True)
    sandbox = SandboxServer(demo_personas(), staff_group_id=STAFF_GROUP, port=0)
    await sandbox.start()
    bot = BotProcess(tree, folder, (sandbox.bot_api_url, sandbox.file_api_url), sandbox.token, rasa_port)
    results: list[Result] = []
    leftovers = 0
    try:
        await bot.start()
        async with SandboxClient(sandbox.url, timeout=10) as tg:
            for case in cases:
                chat = OwnerChat(tg, case.owner.user_id, Transcript())
                result, last = await Owner(chat, case, estate).report()
                leftovers += await leave_no_draft(chat, bot, case.owner.user_id, last)
                results.append(result)
                if verbose:
                    ending = f"DEAD END: {result.dead_end}" if result.dead_end else f"#{result.ticket}"
                    print(f"[{name}] {case.number}. {case.text} -> {result.taps} taps, {ending}", flush=True)
                    print("\n".join(result.transcript.lines), flush=True)
        filed = bot.tickets([r.ticket for r in results if r.ticket is not None])
    finally:
        await bot.stop()
        await sandbox.stop()
    return report.VersionRun(name, label, bot.api, results, filed, leftovers)


def section(before: report.VersionRun, after: report.VersionRun, cases: list[Case], seconds: float,
            rasa: report.VersionRun | None = None) -> str:
    named = sum(1 for c in cases if report.names_full_place(c))
    lines = [
        "## Taps to a filed ticket (`make tap-bench`, issue #8)", "",
        f"Measured {datetime.date.today().isoformat()} in one run ({seconds:.0f} s): {len(cases)} first messages "
        "(`bench/data/first_messages.tsv`, zh and en, from the three demo owners; written blind by another "
        "helper, who never saw the NLU's training data, with the place, category and urgency each owner means). "
        "A tap is a button press or a typed answer; the first message is not counted, so 1 is the least a card "
        f"to confirm can cost and 0 an urgent report filed at once. {named} messages name their full place in "
        "the words (building, the unit where meant, and the flat or the common area; read with fixed patterns, "
        "not the NLU).", "",
        f"**before** = commit `{BEFORE}` (the dialog before the rewrite), **after** = {after.label}. Each version "
        "ran as the real bot in its own process against its own sandbox, with a fresh SQLite database (demo "
        "data), the real knowledge base and the deterministic rules NLU, each its own tree's `nlu/`: what changed "
        "in the rules lexicon since the old commit is part of the difference, not only the dialog.", "",
        "**The simulated owner** (`bench/tap_owner.py`) reads only what the bot sends. It taps the button that "
        "fits what it means (its home, the category, the building or unit, \"still need a repair\", \"yes, "
        "report it\"; a building button with a unit when it meant the building and named no unit, \"not sure\" "
        "when asked for a unit it never meant); where no button fits it types the place as a resident would "
        "(\"5栋1单元302\", \"3栋楼道\", \"Block 4 unit 1 flat 402\"), but only where the message says typing "
        "works, otherwise it taps \"somewhere else\" first. At a summary card it checks the place and the "
        "category; if one is wrong it corrects it with a typed message when the card invites that (once per "
        "field), else through Edit → field → choose. Every "
        f"tap and typed answer counts 1. After {MAX_STEPS} answers without a ticket it gives up: a dead end, "
        f"counted as {report.DEAD_END_TAPS} taps in the medians and means. A draft left open is cancelled "
        "(not counted) before the next message. Filed tickets are read back from the database.", "",
    ]
    runs = [before, after] + ([rasa] if rasa else [])
    if rasa:
        lines += [f"**{rasa.name}** is the same working tree with the production NLU instead of the rules "
                  "parser: the trained Rasa model (`nlu/models/current.tar.gz`), with the rules parser answering "
                  "whenever Rasa fails, as `make run` has it.", ""]
    for run in runs:
        lines += report.version_table(run) + [""]
    lines += ["Targets: median taps ≤ 2 overall, ≤ 1 when the message names its place, and no field the owner "
              "stated asked for again: counted as every place question (where, which building, which unit) for a "
              "message that named its full place, and, of those, the ones asking for a part the words stated (a unit "
              "question for a building-wide place such as a lobby, where the owner named no unit, is not one).", "",
              "| version | median taps, all | median taps, names its place | place questions, named place "
              "| of them for a part already stated |",
              "|---|---|---|---|---|", *(report.targets(run) for run in runs), "",
              "Place questions for messages that named their full place:", "",
              *report.named_questions(runs), "",
              "Messages whose taps differ (before → after):", "", *report.differences(before, after), "",
              *((["Messages whose taps differ (after, rules → after, Rasa):", "",
                  *report.differences(after, rasa), ""]) if rasa else []),
              "Dead ends:", "", *report.dead_ends(runs), "",
              "Filed tickets that differ from what the owner meant:", "",
              *(sum((report.mismatches(run) for run in runs), []) or ["- none"])]
    return "\n".join(lines)


async def measure(cases: list[Case], verbose: bool, folder: Path,
                  rasa_port: int | None = None) -> list[report.VersionRun]:
    dirty = git("status", "--porcelain", "--", "app", "bot", "domain", "nlu", "storage", "knowledge_base")
    after_label = f"the working tree at `{git('rev-parse', '--short', 'HEAD')}`" + (
        f" with {len(dirty.splitlines())} uncommitted changes in app/ bot/ domain/ nlu/ storage/ knowledge_base/"
        if dirty else "")
    with worktree(BEFORE, folder) as old_tree:
        estate = load_estate([ROOT, old_tree])
        versions = [
            run_version("before", f"commit `{BEFORE}`", old_tree, cases, estate, folder / "before", verbose),
            run_version("after", after_label, ROOT, cases, estate, folder / "after", verbose)]
        if rasa_port is not None:
            versions.append(run_version("after, Rasa NLU", after_label, ROOT, cases, estate, folder / "rasa",
                                        verbose, rasa_port))
        runs = await asyncio.gather(*versions, return_exceptions=True)
    for run in runs:
        if isinstance(run, BaseException):
            raise run
    return list(runs)  # type: ignore[arg-type]


@contextlib.contextmanager
def rasa_server(wanted: bool) -> Iterator[int | None]:
    """The trained model served on a free port for the Rasa run (started and stopped here), or None."""
    if not wanted:
        yield None
        return
    from app.config import load_config
    from nlu.server import RasaServer
    from tests.e2e.test_make_run import free_port

    cfg = load_config().nlu
    cfg = cfg.model_copy(update={"port": free_port()})
    with RasaServer(cfg):
        yield cfg.port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Taps from a first message to a filed ticket, before and after.")
    parser.add_argument("--verbose", action="store_true", help="print every exchange of every conversation")
    parser.add_argument("--only", help="comma-separated message numbers (1-based); implies --no-write")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--no-rasa", action="store_true", help="skip the run with the production (Rasa) NLU")
    args = parser.parse_args(argv)
    cases = load_cases()
    if args.only:
        wanted = {int(n) for n in args.only.split(",")}
        cases = [c for c in cases if c.number in wanted]
    began = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="tap-bench-") as folder, rasa_server(not args.no_rasa) as port:
            runs = asyncio.run(measure(cases, args.verbose, Path(folder), port))
    finally:
        kill_leftovers()
    markdown = section(runs[0], runs[1], cases, time.monotonic() - began, runs[2] if len(runs) > 2 else None)
    print(markdown)
    if not (args.only or args.no_write):
        report.write_section(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
