"""What the fuzz of the bot checks: Telegram's limits and HTML subset, the database's invariants, and a harness
that drives the real application offline from synchronous hypothesis rules and records every failure."""
from __future__ import annotations

import asyncio
import copy
import json
import logging
import re
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from app.bootstrap import bootstrap, build_core
from app.config import for_sandbox, load_config
from bot.app import build_application
from domain.lifecycle import Action
from domain.outbox import Delivery
from domain.people import Role
from domain.throttle import Throttle
from nlu.answers import AnswerReader
from nlu.rules import RulesParser
from tests.fakes import FakeChatStates, FakeClock, FakeKbOutcomes, FakeStore, FakeUnitOfWork
from tests.unit.bot.conftest import STAFF_GROUP, OfflineBot
from tests.unit.bot.offline import OfflineRequest, Sent, as_update

TEXT_LIMIT, CALLBACK_DATA_BYTES, ALERT_LIMIT = 4096, 64, 200
BUTTONS_PER_ROW, BUTTONS_PER_KEYBOARD = 8, 100
MESSAGES = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")
# The subset the brief allows (Telegram also takes aliases such as strong/em; the bot uses none of them).
TAGS = {"b": (), "i": (), "u": (), "s": (), "code": ("class",), "pre": (), "a": ("href",), "tg-spoiler": (),
        "blockquote": ("expandable",)}
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z-]+(?:=\"[^\"<>]*\")?)*)\s*>")
ATTRIBUTE = re.compile(r"([A-Za-z-]+)(?:=\"[^\"<>]*\")?")
ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});")


def html_problems(text: str) -> list[str]:
    """Why Telegram's HTML parse mode would refuse or garble `text`; empty when it is well-formed."""
    problems: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "<":
            match = TAG.match(text, i)
            if match is None:
                problems.append(f"a bare '<' at {i}: {text[i:i + 20]!r}")
                i += 1
                continue
            closing, name, attrs = match.group(1) == "/", match.group(2).lower(), match.group(3)
            if name not in TAGS:
                problems.append(f"tag <{closing and '/' or ''}{name}> at {i} is not in Telegram's subset")
            elif closing:
                if not stack or stack[-1] != name:
                    problems.append(f"</{name}> at {i} closes {stack[-1] if stack else 'nothing'}")
                else:
                    stack.pop()
            else:
                bad = [a for a in ATTRIBUTE.findall(attrs) if a.lower() not in TAGS[name]]
                if bad:
                    problems.append(f"<{name}> at {i} has attributes Telegram ignores or refuses: {bad}")
                if "pre" in stack and name != "code" or "code" in stack:
                    problems.append(f"<{name}> at {i} inside {stack[-1]}: Telegram takes no markup there")
                stack.append(name)
            i = match.end()
        elif c == "&":
            match = ENTITY.match(text, i)
            if match is None:
                problems.append(f"a bare '&' at {i}: {text[i:i + 12]!r}")
                i += 1
            else:
                i = match.end()
        elif c == ">":
            problems.append(f"a bare '>' at {i}: {text[max(0, i - 12):i + 1]!r}")
            i += 1
        else:
            i += 1
    if stack:
        problems.append(f"tags left open: {stack}")
    return problems


def _markup(params: dict[str, Any]) -> dict[str, Any]:
    markup = params.get("reply_markup") or {}
    return json.loads(markup) if isinstance(markup, str) else markup


def keyboard_problems(params: dict[str, Any]) -> list[str]:
    """An inline keyboard Telegram takes: rows of buttons, each with a text and exactly one action."""
    markup, problems = _markup(params), []
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) and r for r in rows):
            return [f"inline keyboard rows are not non-empty lists: {rows!r}"]
        if sum(len(r) for r in rows) > BUTTONS_PER_KEYBOARD or any(len(r) > BUTTONS_PER_ROW for r in rows):
            problems.append(f"too many buttons: {[len(r) for r in rows]}")
        for button in (b for row in rows for b in row):
            actions = [k for k in button if k != "text"]
            if not str(button.get("text", "")).strip() or len(actions) != 1:
                problems.append(f"malformed button {button!r}")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= CALLBACK_DATA_BYTES:
                problems.append(f"callback data of {len(str(data).encode())} bytes: {data!r}")
    if "keyboard" in markup:
        for button in (b for row in markup["keyboard"] for b in row):
            text = button if isinstance(button, str) else button.get("text", "")
            if not str(text).strip():
                problems.append(f"reply keyboard button without text: {button!r}")
    return problems


def sent_problems(sent: Sent) -> list[str]:
    """Everything Telegram would refuse in one Bot API call (or show as raw markup)."""
    problems: list[str] = []
    p = sent.params
    if sent.method in ("sendMessage", "editMessageText"):
        text = sent.text
        if not text.strip():
            problems.append("an empty text")
        if len(text) > TEXT_LIMIT:
            problems.append(f"a text of {len(text)} characters (Telegram takes {TEXT_LIMIT})")
        if p.get("parse_mode") == "HTML":
            problems += [f"HTML: {x}" for x in html_problems(text)]
        elif p.get("parse_mode") is not None:
            problems.append(f"parse mode {p['parse_mode']!r}: the bot speaks HTML only")
    if sent.method == "answerCallbackQuery" and len(str(p.get("text") or "")) > ALERT_LIMIT:
        problems.append(f"a callback answer of {len(str(p['text']))} characters")
    if sent.method in MESSAGES and p.get("chat_id") is None:
        problems.append("a message without a chat")
    return problems + keyboard_problems(p)


def store_problems(store: FakeStore) -> list[str]:
    """The database's invariants, over what is committed."""
    problems: list[str] = []
    people = store.people
    chats = [p.chat_id for p in people.values() if p.chat_id is not None]
    problems += [f"chat id {c} belongs to {chats.count(c)} people" for c in sorted(set(chats)) if chats.count(c) > 1]
    keys = [t.report_key for t in store.tickets.values() if t.report_key]
    problems += [f"report key {k} opened {keys.count(k)} tickets" for k in sorted(set(keys)) if keys.count(k) > 1]
    for ticket in store.tickets.values():
        name, events = f"ticket #{ticket.id}", store.events.get(ticket.id or 0) or []
        owner = people.get(ticket.owner_id)
        if owner is None or owner.role is not Role.OWNER:
            problems.append(f"{name} belongs to {owner.role.value if owner else 'nobody'} (person {ticket.owner_id})")
        tech = people.get(ticket.technician_id) if ticket.technician_id is not None else None
        if ticket.technician_id is not None and (tech is None or tech.role is not Role.TECHNICIAN):
            problems.append(f"{name} is assigned to person {ticket.technician_id}, who is no technician")
        if not events:
            problems.append(f"{name} has no timeline")
            continue
        first = events[0]
        if first.action is not Action.OPEN or first.from_status is not None:
            problems.append(f"{name}'s timeline starts with {first.action.value} from {first.from_status}")
        if ticket.status is not events[-1].to_status:
            problems.append(f"{name} is {ticket.status.value} but its last event ({events[-1].action.value}) "
                            f"leaves it {events[-1].to_status.value}")
        for before, after in zip(events, events[1:]):
            if after.from_status is not before.to_status:
                problems.append(f"{name}'s timeline jumps from {before.to_status.value} to an event "
                                f"({after.action.value}) from {after.from_status}")
                break
    return problems


def outbox_problems(store: FakeStore, now: datetime) -> list[str]:
    """After a flush, every message is sent, or held for later (quiet hours); none is given up on."""
    return [f"outbox message {m.id} to chat {m.chat_id} is {m.status.value} ({m.error}): {m.text[:80]!r}"
            for m in store.outbox.values()
            if m.status is not Delivery.SENT and not (m.status is Delivery.PENDING and (m.not_before or now) > now)]


@lru_cache(maxsize=1)
def _shared() -> tuple[Any, RulesParser, AnswerReader]:
    """The config and the NLU's tables, read once: they are read-only, and reading them is most of a bot's start."""
    config = for_sandbox(load_config())
    parser = RulesParser()
    return config, parser, AnswerReader(parser.lexicon)


class InjectedFailure(RuntimeError):
    """A fake port failing on purpose: the bot logging it while it answers politely is what it should do."""


class Recorder(logging.Handler):
    """Errors logged anywhere, and catalog warnings (a missing message is shown to the user as its key)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        injected = record.exc_info is not None and isinstance(record.exc_info[1], InjectedFailure)
        if (record.levelno >= logging.ERROR or record.name == "bot.i18n") and not injected:
            self.records.append(record)


@dataclass
class Failure:
    """An exception that reached the error handler, or an error logged, while one update was processed."""

    what: str
    trace: str


@dataclass
class Harness:
    """The real application over the fakes, with its own event loop, driven one update at a time."""

    bot: OfflineBot
    loop: asyncio.AbstractEventLoop
    recorder: Recorder = field(default_factory=Recorder)
    failures: list[Failure] = field(default_factory=list)

    @classmethod
    def open(cls, kb: Any = None) -> "Harness":
        loop = asyncio.new_event_loop()
        bot = loop.run_until_complete(_open_bot(kb))
        harness = cls(bot, loop)
        harness._watch_errors()
        logging.getLogger().addHandler(harness.recorder)
        return harness

    def _watch_errors(self) -> None:
        """Keep the one error handler (so its answer is checked too) and record what reached it."""
        application = self.bot.application
        handlers = dict(application.error_handlers)
        application.error_handlers.clear()

        async def recording(update: object, context: Any) -> None:
            error = context.error
            self.failures.append(Failure(f"{type(error).__name__}: {error}",
                                         "".join(traceback.format_exception(error))))
            for handler in handlers:
                await handler(update, context)

        application.add_error_handler(recording)

    def process(self, data: dict[str, Any]) -> list[Sent]:
        """Every Bot API call the update caused, its news delivered from the outbox as the running bot does at
        once (OfflineBot.send); raises nothing, records what went wrong."""
        before, logged = len(self.bot.request.sent), len(self.recorder.records)
        try:
            self.loop.run_until_complete(self.bot.application.process_update(as_update(copy.deepcopy(data),
                                                                                       self.bot.application.bot)))
        except Exception as error:  # process_update itself must not raise either
            self.failures.append(Failure(f"process_update raised {type(error).__name__}: {error}",
                                         traceback.format_exc()))
        self._flush()
        for record in self.recorder.records[logged:]:
            trace = "".join(traceback.format_exception(*record.exc_info)) if record.exc_info else ""
            self.failures.append(Failure(f"logged {record.levelname} {record.name}: {record.getMessage()}", trace))
        return self.bot.request.sent[before:]

    def run(self, coroutine: Any) -> None:
        """A job the scheduler would run (an SLA sweep), with failures recorded like an update's."""
        logged = len(self.recorder.records)
        try:
            self.loop.run_until_complete(coroutine)
        except Exception as error:
            self.failures.append(Failure(f"job raised {type(error).__name__}: {error}", traceback.format_exc()))
        self._flush()
        for record in self.recorder.records[logged:]:
            self.failures.append(Failure(f"logged {record.levelname} {record.name}: {record.getMessage()}", ""))

    def _flush(self) -> None:
        """Deliver everything due now (what the update or job wrote, and news held until now)."""
        try:
            self.loop.run_until_complete(self.bot.application.bot_data["sender"].flush())
        except Exception as error:
            self.failures.append(Failure(f"the outbox sender raised {type(error).__name__}: {error}",
                                         traceback.format_exc()))

    def close(self) -> None:
        logging.getLogger().removeHandler(self.recorder)
        try:
            self.loop.run_until_complete(self.bot.application.shutdown())
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
        finally:
            self.loop.close()


async def _open_bot(kb: Any) -> OfflineBot:
    """As the `offline` fixture builds it (tests/unit/bot/conftest.py), with the NLU's tables shared."""
    config, parser, answers = _shared()
    store = FakeStore()
    core = build_core(config, None, clock=FakeClock(), uow=lambda: FakeUnitOfWork(store))
    svc = bootstrap(core, parser, STAFF_GROUP, kb=kb, states=FakeChatStates(), kb_outcomes=FakeKbOutcomes(),
                    answers=answers)
    # Flood control is tested in test_guards.py; here it would only silence the sequences being explored.
    svc.throttle = Throttle(10**9, timedelta(seconds=10))
    request = OfflineRequest()
    application = build_application(svc, "123456:OFFLINE", request=request)
    await application.initialize()
    return OfflineBot(application, request, store)
