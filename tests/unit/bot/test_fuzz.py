"""A hypothesis fuzz of the bot (issue #9 item 17): odd texts, commands, buttons and sequences from every kind of
person, through the real handlers and process_update, offline; after every update, every property below holds.

- Nothing raises: no exception reaches the error handler, nothing is logged as an error, process_update returns,
  and nobody is sent the generic internal-error answer or a catalog key in place of a message.
- Everything sent is within Telegram's limits (fuzz_checks.sent_problems): texts of 1-4096 characters, callback
  data of 1-64 bytes, well-formed keyboards, and HTML texts in Telegram's subset, balanced and escaped.
- Every message or tap in a private chat gets an answer there, and every tap exactly one answerCallbackQuery.
  The deliberate silences: a replayed update (Telegram re-sending it) does nothing; in the staff group the bot
  ignores what is not a command, and everything from people who are not staff; another group is told once and
  left. Flood control is raised out of the way (test_guards.py tests it), so it silences nothing here.
- The database's invariants (fuzz_checks.store_problems) hold after every step.

Run time is bounded by FUZZ below (BAOXIU_FUZZ_EXAMPLES sequences of up to BAOXIU_FUZZ_STEPS updates, about a minute
by default). A failure prints its seed: BAOXIU_FUZZ_SEED=<seed> replays the same search and shrinks what it finds.
"""
from __future__ import annotations

import copy
import csv
import io
import os
import random
import re
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from telegram.ext import CallbackContext

from bot import callbacks, kb_commands
from bot.app import COMMANDS
from bot.scheduled import sla_sweep
from domain.lifecycle import Status
from tests.unit.bot.conftest import STAFF_GROUP
from tests.unit.bot.fuzz_checks import (MESSAGES, Harness, InjectedFailure, html_problems,
                                        outbox_problems, sent_problems, store_problems)
from tests.unit.bot.offline import BOT_USERNAME, Sent

REPLAY = os.environ.get("BAOXIU_FUZZ_SEED")
SEED = int(REPLAY or random.SystemRandom().randrange(2**32))
EXAMPLES = int(os.environ.get("BAOXIU_FUZZ_EXAMPLES", 80))  # about a minute on two shared cores
# Shrinking a failure to a short story can take minutes: the first run stops at the failure and prints its seed,
# and the replay of that seed shrinks it (BAOXIU_FUZZ_SHRINK=0 or 1 decides either way).
SHRINK = os.environ.get("BAOXIU_FUZZ_SHRINK", "1" if REPLAY else "0") == "1"
FUZZ = settings(max_examples=EXAMPLES, stateful_step_count=int(os.environ.get("BAOXIU_FUZZ_STEPS", 50)),
                deadline=None, database=None, phases=[Phase.generate, *([Phase.shrink] if SHRINK else [])],
                print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

OWNERS, TECHNICIANS, STAFF, ADMIN = (1001, 1002, 1003), (2001, 2002, 2003), (3001, 3002), 9001
STRANGERS = (4242, 7400, 8_000_000_001)
PERSONAS = (*OWNERS, *TECHNICIANS, *STAFF, ADMIN, *STRANGERS)
OTHER_GROUP = -100777
CAPTION_LIMIT = 1024  # Telegram's, for what people send
COMMAND_LIMIT = 4096  # a message people send is at most this long
PHONES = ("13900000001", "13900000002")  # shared by the registers staff send and the contacts people share
REGISTRY = sorted({*COMMANDS, *kb_commands.COMMANDS})
_WORKED = [("say", 2001, "/claim {i}"), ("say", 2001, "/begin {i}")]
_DONE = _WORKED + [("say", 2001, "/done {i} 换了阀门"), ("tap", 2001, "d:skip:parts"), ("say", 2001, "30"),
                   ("tap", 2001, "d:skip:photos")]
# How the seeded tickets reach each state, by what owner 1001 and plumber 2001 type and tap.
PATHS: dict[Status, list[tuple[str, int, str]]] = {
    Status.SUBMITTED: [], Status.ASSIGNED: [("say", 2001, "/claim {i}")],
    Status.AWAITING_DISPATCH: [("say", 2001, "/claim {i}"), ("say", 2001, "/decline {i} 太远了")],
    Status.IN_PROGRESS: _WORKED, Status.ON_HOLD: _WORKED + [("say", 2001, "/hold {i} 等配件")],
    Status.AWAITING_CONFIRMATION: _DONE, Status.COMPLETED: _DONE + [("say", 1001, "/confirm {i}")],
    Status.CLOSED: _DONE + [("say", 1001, "/confirm {i}"), ("tap", 1001, "t:rate:{i}:4")],
    Status.CANCELLED: [("say", 1001, "/cancel {i} 不需要了")],
}
LANGUAGE_CODES = ("zh", "en", None, "ar", "zh-hans", "en-GB")

INVISIBLE = ["\u200f", "\u200e", "\u202e", "\u202d", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d", "\u2060",
             "\ufeff", "\u00ad", "\u3000", "\u00a0", "\r\n", "\t"]
COMBINING = ["e\u0301", "\u0301", "a\u0300\u0301\u0302\u0303", "Z\u0334\u0327\u031b\u0316\u0317", "1\u20e3"]
EMOJI = ["🔥", "💧", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇨🇳", "❤️", "🧑🏽‍🔧", "\U0001F600"]
DIGITS = ["²", "³", "¹", "١٢", "٣", "۴", "①", "⑤", "１２", "𝟙𝟚", "Ⅻ", "〇", "三", "२", "๓", "₅", "½", "-1", "0"]
HTML = ["<b>", "</b>", "<i>x</i>", '<a href="javascript:alert(1)">x</a>', "<script>alert(1)</script>", "&amp;",
        "&lt;", "&", "<", ">", "&#x1F600;", "&nbsp;", "<b><i></b></i>", "<tg-spoiler>", "<br/>", "<!--", '"\'']
SQL = ["'; DROP TABLE tickets; --", '" OR "1"="1', "1 OR 1=1", "%", "_", "%_%", "\\", "NULL", "\x00", "'", ";",
       "UNION SELECT * FROM people --"]
MARKDOWN = ["*bold*", "_it_", "`code`", "```\npre\n```", "[x](http://example.com)", "||spoiler||", "~~s~~", "\\*"]
COMMANDISH = ["/cancel ²", "/rate 1 ⑤", "/tickets status=<x>", "/tickets status=", "/start@" + BOT_USERNAME,
              "/start@other_bot", "/", "//", "/ cancel", "/Cancel 1", "/cancel\u200b 1", "/status #99999999999",
              "/status ١", "/stats ²", "/stats 99999999999999999999", "/urge -1", "/" + "a" * 40, "/help@"]
PLACES = ["#99999999999", "#1", "#2", "#0", "3-2-1801", "3栋2单元1801", "B座1208", "B-1208", "99栋", "3-2-1801-5",
          "0-0-0", "１栋２单元", "三栋二单元一八零一", "7-1-903", "3栋", "2单元", "1801室", "地下车库", "大堂"]
REPORTS = ["3栋2单元1801厨房水管爆了", "马桶堵了，冲不下去", "The toilet won't flush", "电梯坏了困人了", "厨房漏水",
           "客厅灯不亮", "空调不制冷", "门禁卡刷不开", "闻到煤气味", "B座1208 the kitchen tap is leaking",
           "7-1-903 卫生间地漏堵了", "热水器显示E4故障代码，没有热水"]
QUESTIONS = ["热水器没有热水怎么办？", "跳闸了怎么复位？", "How do I reset the breaker?", "门禁卡丢了怎么办", "空调漏水怎么办？",
             "空调不制冷怎么办？", "My access card does not work, what should I do?", "停水了吗？",
             "厨房有点问题", "有东西坏了", "3栋漏水", "12栋电梯坏了", "B座门坏了", "墙皮脱落", "明天天气怎么样？"]
ANSWERS = ["是", "是的", "不是", "对", "不对", "确认", "提交", "算了", "取消", "yes", "no", "ok", "cancel", "进度",
           "催一下", "谢谢", "你好", "hello", "1", "5", "30", "换了阀门", "阀门, 胶带", "skip", "还在漏"]
FRAGMENTS = (INVISIBLE + COMBINING + EMOJI + DIGITS + HTML + SQL + MARKDOWN + COMMANDISH + PLACES + REPORTS + QUESTIONS
             + ANSWERS)

fragment = st.sampled_from(FRAGMENTS)
long_text = st.builds(lambda head, unit, n: (head + unit * n)[:n], st.sampled_from(["", *REPORTS]),
                      st.sampled_from(["x", "漏", "&", "<", ">", "🔥", "\u200f", "e\u0301", "<b>", "a\n", "3-2-1801 "]),
                      st.sampled_from([1999, 2000, 2001, 4096, 4097, 10_000]))
texts = st.one_of(fragment, st.lists(st.one_of(fragment, st.text(max_size=12)), min_size=1, max_size=8).map("".join),
                  st.text(min_size=1, max_size=300), long_text).filter(lambda s: s.strip())

ODD_IDS = ["0", "-1", "01", "#1", "#0", "#99999999999", "99999999999", "999999999", "1000000000", "1e3", "1.5",
           "²", "١٢", "①", "１", "0x1", "#", "##1", "1#", "+1", " "]
WORDS = ["owner", "technician", "staff", "admin", "dispatcher", "manager", "plumbing", "plumbing,hvac", "gas",
         "1,2", "*", "B", "on", "off", "zh", "en", "ZH", "show", "list", "title", "steps", "safety", "张师傅", "刘师傅",
         "陈师傅", "Admin", "王伟", "Emily Carter", "2001", "3001", "9001", "1001", "4242", "1", "2", "3", "4", "5",
         "6", "open", "status=submitted,assigned", "status=closed", "category=plumbing", "building=3", "building=b",
         "priority=urgent", "tech=张", "tech=2001", "since=2025-03-01", "until=2025-02-30", "since=²", "x=y", "="]


HEADERS = ["building,unit,room,name,phone"] * 2 + ["楼栋,单元,房号,姓名,电话", "楼号,房间,业主,手机", "name,phone", ""]
valid_row = st.tuples(st.sampled_from([("3", "2"), ("1", "1"), ("B", "")]),
                      st.sampled_from(["1801", "101", "<b>", "a&b", "<x", "</i>", "🔥", "\u200f101"]),
                      st.sampled_from(["王五", "Ann & Bob", "<b>Bo</b>"]),
                      st.sampled_from(PHONES)).map(lambda r: [*r[0], *r[1:]])
any_row = st.one_of(
    st.tuples(st.sampled_from(["3", "B", "1", "99", "", "b", "３"]), st.sampled_from(["2", "1", "", "9"]),
              st.sampled_from(["1801", "101", "<b>", "a&b", "x" * 40, ""]),
              st.sampled_from(["王五", "Ann & Bob", "", "x" * 300]),
              st.sampled_from([*PHONES, "13800000004", "12345", ""])).map(list),
    st.lists(st.one_of(fragment, st.text(max_size=8)), max_size=6))
registers = st.one_of(st.lists(valid_row, min_size=1, max_size=3), st.lists(st.one_of(valid_row, any_row), max_size=3))


class Transcriber:
    """Hears `heard`; None stands for a transcription that fails."""

    def __init__(self, heard: str | None) -> None:
        self.heard = heard

    def transcribe(self, audio: bytes) -> str:
        if self.heard is None:
            raise InjectedFailure("undecodable audio")
        return self.heard


def tokens(ticket_ids: list[int], codes: list[str], articles: list[str]) -> st.SearchStrategy[str]:
    known = [str(t) for t in ticket_ids] + [f"#{t}" for t in ticket_ids] + codes + articles
    pools = [st.sampled_from(ODD_IDS), st.sampled_from(WORDS), fragment, st.text(min_size=1, max_size=20)]
    return st.one_of(*([st.sampled_from(known)] * 3 if known else []), *pools)


def command_text(name: str, args: list[str], address: str, separator: str) -> str:
    return f"/{name}{address}" + "".join(separator + a for a in args)


# Telegram marks a leading /command (with an optional @bot) as a bot_command entity; nothing else.
BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_])")


def as_telegram_sends(data: dict[str, Any]) -> dict[str, Any]:
    message = data.get("message") or data.get("edited_message")
    match = BOT_COMMAND.match(message["text"]) if message and message.get("text") else None
    if message is not None:
        message.pop("entities", None)
        if match:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(match.group())}]
    return data


@lru_cache(maxsize=1)
def knowledge_base() -> Any:
    from knowledge_base.fake_encoder import fake_knowledge_base

    return fake_knowledge_base()


def described(data: dict[str, Any]) -> str:
    message = data.get("message") or data.get("edited_message") or {}
    query = data.get("callback_query")
    who = (query or message).get("from", {}).get("id")
    chat = (query.get("message", {}) if query else message).get("chat", {}).get("id")
    kind = next((k for k in ("text", "photo", "voice", "document", "contact", "sticker", "location", "video")
                 if k in message), "?")
    said = message.get("text") or message.get("caption") or ""
    what = f"tap {query['data']!r}" if query else f"{kind} {said[:300]!r}"
    return f"{'edited ' if 'edited_message' in data else ''}{what} from {who} in chat {chat}"


class BotMachine(RuleBasedStateMachine):
    """One fresh bot per example; each rule sends one update (or runs one scheduler job) and checks it."""

    def __init__(self) -> None:
        super().__init__()
        self.h = Harness.open()
        self.buttons: list[tuple[int, str]] = []  # (chat it was sent to, callback data), newest last
        self.last: tuple[dict[str, Any], int | None] | None = None
        self.photos = 0

    def teardown(self) -> None:
        self.h.close()

    # --- what the machine knows about the bot's world ---

    @property
    def store(self) -> Any:
        return self.h.bot.store

    def ticket_ids(self) -> list[int]:
        return sorted(self.store.tickets)

    def chat_of(self, person_id: int | None) -> int | None:
        person = self.store.people.get(person_id) if person_id is not None else None
        return person.chat_id if person else None

    def registered(self, chat_id: int) -> Any:
        return next((p for p in self.store.people.values() if p.chat_id == chat_id), None)

    def token(self, data: st.DataObject) -> str:
        articles = sorted(knowledge_base().store.articles)[:8] if self.h.bot.svc.kb is not None else []
        return data.draw(tokens(self.ticket_ids(), sorted(self.store.invites), articles))

    # --- one update, every property ---

    def step(self, data: dict[str, Any], chat: int | None = None) -> list[Sent]:
        data = as_telegram_sends(data)
        sent = self.h.process(data)
        self.check(data, sent, chat)
        self.last = (data, chat)
        return sent

    def _sender_deactivated(self, data: dict[str, Any]) -> bool:
        sender = (data.get("message") or data.get("edited_message") or data.get("callback_query") or {})["from"]["id"]
        person = self.registered(sender)
        return person is not None and not person.active

    def check(self, data: dict[str, Any], sent: list[Sent], chat: int | None, replayed: bool = False) -> None:
        about = described(data)
        failures, self.h.failures = self.h.failures, []
        assert not failures, f"{about}: {failures[0].what}\n{failures[0].trace[-3000:]}"
        catalogs = self.h.bot.svc.catalogs.messages
        internal = {m["err.internal"] for m in catalogs.values()}
        for s in sent:
            problems = sent_problems(s)
            assert not problems, f"{about}: {s.method} to {s.chat_id} {problems}\n{s.text[:1500]!r}"
            assert s.text not in internal, f"{about}: the internal-error answer was sent to {s.chat_id}"
        query, private = data.get("callback_query"), chat is None
        sender = (query or data.get("message") or data.get("edited_message"))["from"]["id"]
        if replayed:
            return
        if private:
            answers = [s for s in sent if s.method in MESSAGES and s.chat_id == sender]
            assert answers, f"{about}: no answer in the private chat; sent {[(s.method, s.chat_id) for s in sent]}"
        if query is not None:
            answered = [s for s in sent if s.method == "answerCallbackQuery"]
            assert len(answered) == 1, f"{about}: the tap was answered {len(answered)} times"
        if chat is not None and chat != STAFF_GROUP and not query:
            assert any(s.method == "leaveChat" for s in sent), f"{about}: the bot stayed in a group it is not for"
        self.buttons += [(s.chat_id or 0, b) for s in sent if s.method in MESSAGES for b in s.buttons if b]
        del self.buttons[:-60]

    @invariant()
    def the_database_holds_its_invariants(self) -> None:
        problems = store_problems(self.store) + outbox_problems(self.store, self.h.bot.svc.clock.now())
        assert not problems, f"after {described(self.last[0]) if self.last else 'setup'}: {problems}"

    # --- rules ---

    @initialize(with_kb=st.booleans(), plan=st.lists(st.sampled_from(list(PATHS)), max_size=4))
    def start_with_tickets_in_these_states(self, with_kb: bool, plan: list[Status]) -> None:
        """With or without self-help, and a few tickets driven through the real handlers into these states."""
        if with_kb:
            from knowledge_base.fake_drafts import InMemoryDraftStore

            kb = knowledge_base()
            kb.use_drafts(InMemoryDraftStore())
            self.h.bot.svc.kb = kb
        updates = self.h.bot.updates
        for status in plan:
            self.step(updates.text(1001, "3栋2单元1801厨房水管爆了"))  # urgent: filed at once
            i = max(self.store.tickets)
            for kind, who, text in PATHS[status]:
                self.step(updates.text(who, text.format(i=i)) if kind == "say" else updates.tap(who, text.format(i=i)))

    @rule(who=st.sampled_from(PERSONAS), text=texts, lang=st.sampled_from(LANGUAGE_CODES),
          edited=st.sampled_from([False, False, False, False, True]))
    def say(self, who: int, text: str, lang: str | None, edited: bool) -> None:
        self.step(self.h.bot.updates.text(who, text, lang, edited=edited))

    @rule(who=st.sampled_from(OWNERS), text=st.sampled_from(REPORTS + QUESTIONS))
    def report(self, who: int, text: str) -> None:
        self.step(self.h.bot.updates.text(who, text))

    @rule(who=st.sampled_from(PERSONAS), name=st.sampled_from(REGISTRY + ["foo", "Start", "cancel_"]),
          address=st.sampled_from(["", "", "", "@" + BOT_USERNAME, "@other_bot"]),
          separator=st.sampled_from([" ", " ", "  ", "\n", "\u3000"]), data=st.data())
    def command(self, who: int, name: str, address: str, separator: str, data: st.DataObject) -> None:
        args = [self.token(data) for _ in range(data.draw(st.integers(0, 4), label="arguments"))]
        self.step(self.h.bot.updates.text(who, command_text(name, args, address, separator)))

    @rule(who=st.sampled_from(PERSONAS), data=st.data())
    def tap_forged(self, who: int, data: st.DataObject) -> None:
        prefix = data.draw(st.sampled_from([*callbacks.PREFIXES, "", "T", "tkt", "r ", "t:"]))
        parts = [self.token(data) if data.draw(st.booleans()) else data.draw(st.sampled_from(
            [*callbacks.TICKET_BUTTONS, "skip", "parts", "minutes", "photos", "photos_done", "yes", "no", "home",
             "bld", "unit", "cat", "prio", "submit", "edit", "kb", "fixed", "report", "other", "unsure", ""]))
                 for _ in range(data.draw(st.integers(0, 4)))]
        forged = data.draw(st.one_of(st.just(":".join([prefix, *parts])), st.text(min_size=1, max_size=64)))
        forged = forged.encode("utf-8")[:64].decode("utf-8", "ignore") or "x"
        self.step(self.h.bot.updates.tap(who, forged))

    @rule(data=st.data())
    def tap_a_button_the_bot_sent(self, data: st.DataObject) -> None:
        private = [(c, b) for c, b in self.buttons if c > 0]
        if not private:
            return
        chat, button = data.draw(st.sampled_from(private[-20:]))
        who = data.draw(st.one_of(st.just(chat), st.just(chat), st.sampled_from(PERSONAS)))
        self.step(self.h.bot.updates.tap(who, button))

    @rule(data=st.data())
    def drive_a_ticket(self, data: st.DataObject) -> None:
        """A plausible next move for a ticket, by the person who would make it, so deep states are reached."""
        if not self.store.tickets:
            return
        ticket = self.store.tickets[data.draw(st.sampled_from(self.ticket_ids()))]
        owner, tech, i = self.chat_of(ticket.owner_id), self.chat_of(ticket.technician_id), ticket.id
        page = data.draw(st.integers(-1, 3))
        anyone = [(owner, f"/status {i}"), (3001, f"/ticket {i}"), (owner, "进度怎么样了"), (owner, "催一下"),
                  (owner, "不需要了，取消吧"), (owner, f"/cancel {i}"), (3002, f"/tickets open status={ticket.status.value}"),
                  (owner, f"tap t:cancel:{i}"), (owner, f"tap t:cancel:{i}:yes"), (owner, f"tap tl:{i}:{page}"),
                  (3001, f"tap tl:{i}:{page}"), (3001, f"tap t:assign:{i}")]
        moves = {Status.SUBMITTED: [(3001, f"/assign {i} 张师傅"), (2001, f"/claim {i}"), (owner, f"/urge {i}")],
                 Status.AWAITING_DISPATCH: [(3002, f"/assign {i} 陈师傅"), (2003, f"/claim {i}"), (3001, f"/assign {i}")],
                 Status.ASSIGNED: [(tech, f"/accept {i}"), (tech, f"/begin {i}"), (tech, f"/decline {i} 太远"),
                                   (tech, f"/decline {i}"), (3001, f"/assign {i} 刘师傅"), (tech, "/jobs")],
                 Status.IN_PROGRESS: [(tech, f"/hold {i} 等配件"), (tech, f"/hold {i}"), (tech, f"/done {i} 换了阀门"),
                                      (tech, "阀门"), (tech, "30"), (tech, "三十分钟")],
                 Status.ON_HOLD: [(tech, f"/resume {i}")],
                 Status.AWAITING_CONFIRMATION: [(owner, f"/confirm {i}"), (owner, f"/reject {i} 还在漏"),
                                                (owner, f"/reject {i}"), (owner, "还在漏")],
                 Status.COMPLETED: [(owner, f"/rate {i} {data.draw(st.integers(1, 5))} 不错"), (owner, f"/rate {i}")],
                 Status.CLOSED: [(9001, f"/ticket {i}"), (3001, f"/kbdraft {i}")],
                 Status.CANCELLED: []}
        who, text = data.draw(st.sampled_from(moves[ticket.status] * 2 + anyone))
        updates = self.h.bot.updates
        self.step(updates.tap(who or 3001, text[4:]) if text.startswith("tap ") else updates.text(who or 3001, text))

    @rule(who=st.sampled_from(PERSONAS), caption=st.none() | texts.filter(lambda s: len(s) <= CAPTION_LIMIT))
    def photo(self, who: int, caption: str | None) -> None:
        self.photos += 1
        self.step(self.h.bot.updates.photo(who, f"photo-{self.photos}", caption))

    @rule(who=st.sampled_from([*STRANGERS, *STRANGERS, *PERSONAS]),
          phone=st.sampled_from([*PHONES, *PHONES, "13800000004", "+8613800000005", "13800001001", "12345", "",
                                 "١٣٨٠٠٠٠٠٠٠٤"]),
          card=st.sampled_from(["sender", "sender", "sender", None, 1001]))
    def share_a_contact(self, who: int, phone: str, card: Any) -> None:
        self.step(self.h.bot.updates.contact(who, phone, card))

    @rule(who=st.sampled_from([*STAFF, ADMIN, 2001]), data=st.data(),
          op=st.sampled_from(["zh title", "en title", "zh steps", "en steps", "zh phrasings", "safety", "category",
                              "show", "publish", "list", "draft"]),
          publish=st.sampled_from([False, True, True]))
    def staff_curate_the_knowledge_base(self, who: int, op: str, publish: bool, data: st.DataObject) -> None:
        """Drafts, edits (of shipped articles too) with fuzzed text, previews and publications."""
        kb = self.h.bot.svc.kb
        if kb is None:
            return
        pending = sorted({v.article_id for v in kb.drafts.pending()})
        shipped = sorted(knowledge_base().store.articles)[:4]
        article = data.draw(st.sampled_from(pending + shipped + ["no-such", "../x"]))
        value = data.draw(st.one_of(texts, st.sampled_from(["safe", "caution", "danger", "plumbing", "**"])))
        text = {"show": f"/kbdraft show {article}", "publish": f"/kbpublish {article}", "list": "/kbdraft list",
                "draft": f"/kbdraft {data.draw(st.sampled_from(self.ticket_ids() or [1]))}"}.get(op)
        self.step(self.h.bot.updates.text(who, (text or f"/kbedit {article} {op} {value}")[:COMMAND_LIMIT]))
        if publish and text is None:  # an edit, previewed and published as staff do it
            self.step(self.h.bot.updates.text(who, f"/kbdraft show {article}"))
            self.step(self.h.bot.updates.text(who, f"/kbpublish {article}"))

    @rule(who=st.sampled_from([*STAFF, ADMIN, 2001]), role=st.sampled_from(["owner", "technician", "staff", "x"]),
          detail=st.sampled_from(["3-2-1801", "B-1208", "99-1-1", "3-2", "plumbing,hvac", "gas", "manager", "boss"]),
          name=st.one_of(st.just(""), texts.map(lambda t: t[:200])))
    def staff_invite_someone(self, who: int, role: str, detail: str, name: str) -> None:
        self.step(self.h.bot.updates.text(who, f"/invite {role} {detail} {name}".strip()))

    @rule(who=st.sampled_from(STRANGERS), data=st.data())
    def someone_redeems_an_invite(self, who: int, data: st.DataObject) -> None:
        code = data.draw(st.sampled_from(sorted(self.store.invites) or ["nope"]))
        self.step(self.h.bot.updates.text(who, f"/start {code}"))

    @rule(who=st.sampled_from([*STAFF, ADMIN, *STAFF, 1001, 4242]), header=st.sampled_from(HEADERS),
          rows=registers, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
          name=st.sampled_from(["owners.csv", "OWNERS.CSV", "owners.xlsx", ".csv"]))
    def send_an_owner_register(self, who: int, header: str, rows: list[list[str]], encoding: str, name: str) -> None:
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        content = (header + "\n" + out.getvalue()).encode(encoding, "replace")
        self.photos += 1
        file_id = f"register-{self.photos}"
        self.h.bot.request.files[file_id] = content
        self.step(self.h.bot.updates.document(who, file_id, name, len(content)))

    @rule(who=st.sampled_from(STRANGERS), data=st.data())
    def someone_in_the_register_joins_by_phone(self, who: int, data: st.DataObject) -> None:
        phones = sorted({e.phone for entries in self.store.register.values() for e in entries})
        self.step(self.h.bot.updates.contact(who, data.draw(st.sampled_from(phones)) if phones else "13900000001"))

    @rule(who=st.sampled_from(PERSONAS), kind=st.sampled_from(["sticker", "location", "video", "voice", "voice"]),
          heard=st.one_of(st.just(""), st.just(None), texts))
    def send_something_else(self, who: int, kind: str, heard: str | None) -> None:
        """Stickers, places, videos, and voice notes heard as a fuzzed text (or as nothing, or failing)."""
        updates = self.h.bot.updates
        if kind == "voice":
            self.h.bot.svc.speech = Transcriber(heard)
            self.h.bot.request.files["voice-1"] = b"OggS"
            self.step(updates.voice(who, 5, 4))
            return
        self.photos += 1
        data = updates.photo(who, f"media-{self.photos}")
        message = data["message"]
        del message["photo"]
        message[kind] = {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 512, "height": 512,
                                     "is_animated": False, "is_video": False, "type": "regular"},
                         "location": {"latitude": 31.23, "longitude": 121.47},
                         "video": {"file_id": f"v{self.photos}", "file_unique_id": "v", "width": 9, "height": 9,
                                   "duration": 3}}[kind]
        self.step(data)

    @rule(who=st.sampled_from(PERSONAS), group=st.sampled_from([STAFF_GROUP, STAFF_GROUP, OTHER_GROUP]),
          text=st.one_of(texts, st.sampled_from([f"/{c}" for c in REGISTRY])), tap=st.booleans())
    def in_a_group(self, who: int, group: int, text: str, tap: bool) -> None:
        if tap and group == STAFF_GROUP:
            group_buttons = [b for c, b in self.buttons if c == STAFF_GROUP] or ["t:assign:1"]
            self.step(self.h.bot.updates.tap(who, group_buttons[-1], chat_id=group), chat=group)
        else:
            self.step(self.h.bot.updates.text(who, text, chat_id=group), chat=group)

    @rule()
    def telegram_sends_the_last_update_again(self) -> None:
        """A replay does nothing: no message, no change to tickets, people, invites or conversations."""
        if self.last is None:
            return
        data, chat = self.last
        before = self.snapshot()
        sent = self.h.process(data)
        self.check(data, sent, chat, replayed=True)
        # The guard answers edits, deactivated people and other groups before it looks for replays.
        noticed = "edited_message" in data or chat == OTHER_GROUP or self._sender_deactivated(data)
        said = [s for s in sent if s.method in (*MESSAGES, "leaveChat")]
        assert noticed or not said, f"replayed {described(data)}: sent {[(s.method, s.text[:80]) for s in sent]}"
        assert self.snapshot() == before, f"replayed {described(data)} changed the database or a conversation"

    def snapshot(self) -> Any:
        s = self.store
        return copy.deepcopy((s.tickets, s.events, s.people, s.invites, s.register, s.outbox,
                              self.h.bot.svc.states.rows))

    @rule(delta=st.sampled_from([timedelta(minutes=1), timedelta(minutes=16), timedelta(hours=5), timedelta(days=1),
                                 timedelta(days=4), timedelta(days=8), timedelta(days=40)]))
    def time_passes_and_the_scheduler_sweeps(self, delta: timedelta) -> None:
        self.h.bot.svc.clock.advance(delta)
        before = len(self.h.bot.request.sent)
        self.h.run(sla_sweep(CallbackContext(self.h.bot.application)))
        failures, self.h.failures = self.h.failures, []
        assert not failures, f"the SLA sweep: {failures[0].what}\n{failures[0].trace[-3000:]}"
        for s in self.h.bot.request.sent[before:]:
            assert not sent_problems(s), f"the SLA sweep sent {s.method} to {s.chat_id}: {sent_problems(s)}"


@contextmanager
def seed_noted() -> Iterator[None]:
    """Print the seed of a failing search (and add it to the error), so that it can be replayed."""
    try:
        yield
    except BaseException as error:
        note = f"fuzz seed {SEED}: rerun with BAOXIU_FUZZ_SEED={SEED} to replay this search"
        print(note)
        error.add_note(note)
        raise


def test_the_bot_survives_and_answers_whatever_anyone_sends_in_any_order() -> None:
    with seed_noted():
        run_state_machine_as_test(seed(SEED)(BotMachine), settings=FUZZ)


ARTICLE = "breaker-tripped"
ASKING = [(1001, "跳闸了怎么复位？"), (1002, "How do I reset the breaker?"), (1001, "/help 跳闸了怎么复位？"),
          (1002, "The breaker in my flat keeps tripping"), (1001, "客厅跳闸了，没电")]


@seed(SEED)
@settings(FUZZ, max_examples=max(1, EXAMPLES // 4))
@given(language=st.sampled_from(["zh", "en"]), field=st.sampled_from(["title", "steps", "steps"]),
       value=st.one_of(texts, long_text), asking=st.lists(st.sampled_from(ASKING), min_size=1, max_size=3))
def publish_and_ask(language: str, field: str, value: str, asking: list[tuple[int, str]]) -> None:
    """Staff edit an article with fuzzed text, preview and publish it, and owners ask what it answers."""
    machine = BotMachine()
    try:
        machine.start_with_tickets_in_these_states(True, [])
        say = machine.h.bot.updates.text
        for text in (f"/kbedit {ARTICLE} {language} {field} {value}", f"/kbdraft show {ARTICLE}",
                     f"/kbpublish {ARTICLE}"):
            machine.step(say(3001, text[:COMMAND_LIMIT]))
        for who, question in asking:
            machine.step(say(who, question))
    finally:
        machine.teardown()


def test_whatever_staff_publish_reaches_owners_within_telegrams_limits() -> None:
    """The chain the machine rarely completes by chance, fuzzed on its own."""
    with seed_noted():
        publish_and_ask()


@pytest.mark.parametrize("text, problem", [
    ("<b>#1</b> 待受理 &amp; &lt;x&gt; &#128512;", None),
    ("<b>open", "tags left open"), ("<b><i>x</b></i>", "closes i"), ("<span>x</span>", "not in Telegram's subset"),
    ("a < b", "bare '<'"), ("a & b", "bare '&'"), ("a > b", "bare '>'"), ("&am", "bare '&'"), ("<b", "bare '<'"),
])
def test_the_html_check_knows_telegrams_subset(text: str, problem: str | None) -> None:
    found = html_problems(text)
    assert (not found) if problem is None else any(problem in p for p in found), found
