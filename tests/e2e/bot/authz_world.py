"""One persona's world for the authorization matrix: the real bot over the sandbox on a fresh SQLite database,
put into each state by people through the bot, and what the persona then saw and changed."""
from __future__ import annotations

import asyncio
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Awaitable, Callable

from app.bootstrap import bootstrap, build_core
from app.config import Config, for_sandbox, load_config
from bot.app import build_application
from bot.keyboards import MARK
from nlu.rules import RulesParser
from sandbox import SandboxServer, demo_personas
from sandbox.client import ClickResult, SandboxClient, SandboxMessage
from tests.e2e.bot.conftest import STAFF_GROUP
from tests.fakes import FakeClock, without_quiet_hours

OWNER, PLUMBER, DISPATCHER, ADMIN, NEWCOMER = 1001, 2001, 3001, 9001, 7701
REPORT, ARTICLE = "3栋2单元1801厨房水管漏水了", "toilet-running"
CONVERSATIONS = ("report", "intake", "done", "reason", "confirm", "tickets_query")


@dataclass(frozen=True)
class Persona:
    """Who acts: a Telegram user, in their private chat or (chat set) in a group they belong to."""

    code: str
    user: int
    chat: int | None = None

    @property
    def chats(self) -> list[int]:
        """Every chat where what the bot says reaches this person."""
        return [self.user] if self.chat is None else [self.chat, self.user]


@dataclass(frozen=True)
class Act:
    """What the person sends: text, or a button's data (tapped where shown, else sent as a forged tap).
    `then` is what they answer when the bot first asks them something (a reason, the /done form)."""

    text: str
    tap: bool = False
    then: tuple[str, ...] = ()


class SetupFailed(AssertionError):
    """People could not put the world into the state a case needs, so the case cannot tell anything."""


def _config() -> Config:
    config = without_quiet_hours(for_sandbox(load_config()))  # with the sandbox's demo administrator, 9001
    # The fake clock never moves, so the flood window never empties: one persona sends hundreds of messages here.
    # One persona files many tickets for the same home: with a warranty every later one would be free, and the
    # fee rows (/paid) need a bill to pay.
    return config.model_copy(update={"bot": config.bot.model_copy(update={"flood_messages": 100_000}),
                                     "billing": config.billing.model_copy(update={"warranty_days": 0})})


class World:
    """The sandbox, the bot and a client, for one persona; every step waits until the bot is idle again."""

    def __init__(self, persona: Persona, db_path: Path, kb: Any) -> None:
        self.persona, self.db_path, self.kb = persona, db_path, kb
        self.sandbox = SandboxServer(demo_personas(), staff_group_id=STAFF_GROUP, port=0)
        self.application: Any = None
        self.tg: Any = None
        self._db: sqlite3.Connection | None = None
        self._newest: dict[int, int] = {}  # chat -> the newest message id seen there, from anyone
        self._tickets: dict[str, tuple[int, tuple]] = {}  # state -> (ticket, how it was when made)

    async def start(self) -> None:
        await self.sandbox.start()
        # The server runs in this loop, so its state may be changed here: the owner joins the staff group.
        self.sandbox.world.chats[STAFF_GROUP].members.add(OWNER)
        self.kb.use_drafts(None)  # bootstrap gives it this world's draft store
        core = build_core(_config(), f"sqlite:///{self.db_path}", clock=FakeClock(datetime.now(timezone.utc)))
        svc = bootstrap(core, RulesParser(), STAFF_GROUP, kb=self.kb)
        self.application = build_application(svc, self.sandbox.token, self.sandbox.bot_api_url,
                                             self.sandbox.file_api_url, sandbox=True)
        await self.application.initialize()
        await self.application.post_init(self.application)
        await self.application.start()
        await self.application.updater.start_polling(poll_interval=0.0, timeout=2)
        self.tg = SandboxClient(self.sandbox.url, timeout=10)
        for user in dict.fromkeys([OWNER, PLUMBER, DISPATCHER, ADMIN, self.persona.user]):
            await self.say(user, "/help")  # known to the sandbox, and a bot message to tap in every chat
        await self.say(DISPATCHER, "/help", STAFF_GROUP)

    async def stop(self) -> None:
        await self.tg.aclose()
        await self.application.updater.stop()
        await self.application.stop()
        await self.application.post_stop(self.application)  # as run_polling does: sender and dispatcher stop
        await self.application.shutdown()
        self.application.bot_data["services"].close()
        if self._db is not None:
            self._db.close()
        self.kb.use_drafts(None)
        await self.sandbox.stop()

    # --- acting, as anyone ---
    async def settle(self) -> None:
        """Until no update waits in the sandbox or the bot, no handler runs and the outbox holds nothing due."""
        quiet = 0
        while quiet < 2:  # twice, a loop turn apart: a task just taken off the queue has started by then
            app = self.application
            busy = self.sandbox.world.updates or not app.update_queue.empty() \
                or app.update_processor.current_concurrent_updates
            if not busy:  # dispatch and the pushes run in the background: do their work now, in order
                busy = bool(await app.bot_data["dispatcher"].round())
                busy = await app.bot_data["sender"].flush() > 0 or busy
            quiet = 0 if busy else quiet + 1
            await asyncio.sleep(0.002)

    async def say(self, user: int, text: str, chat: int | None = None) -> None:
        await self.tg.send_text(user, text, chat_id=chat)
        await self.settle()

    async def press(self, user: int, data: str, chat: int | None = None) -> ClickResult:
        """Tap the newest button carrying `data` in that chat; without one, send the data on the newest bot
        message there, as a forged or stale button arrives."""
        where = chat if chat is not None else user
        recent = max(0, await self._last(where) - 40)  # the buttons people act on are recent ones
        shown = await self.tg.messages(None if chat is not None else user, chat_id=chat, after_id=recent)
        carrying = [m for m in shown if any(bare(b.get("callback_data", "")) == data for b in m.buttons)]
        target = (carrying or shown or [None])[-1]
        if carrying:  # the button's own data: a draft card's carries its mark
            data = next(b["callback_data"] for b in target.buttons if bare(b.get("callback_data", "")) == data)
        result = await self.tg.click(user, target.message_id if target else 1, data, chat_id=chat,
                                     force=not carrying)
        await self.settle()
        return result

    async def perform(self, act: Act, ctx: dict[str, Any]) -> list[ClickResult]:
        """The persona does `act`; where the bot asks them first, they answer with `act.then`."""
        who, clicks = self.persona, []
        if act.tap:
            clicks.append(await self.press(who.user, act.text.format(**ctx), who.chat))
        else:
            await self.say(who.user, act.text.format(**ctx), who.chat)
        if act.then and any(self.conversation(who.user, k) for k in ("reason", "done")):
            for step in act.then:
                if re.match(r"^[a-z]+:", step):
                    clicks.append(await self.press(who.user, step.format(**ctx)))
                else:
                    await self.say(who.user, step.format(**ctx))
        return clicks

    async def marks(self) -> dict[int, int]:
        return {c: await self._last(c) for c in self.persona.chats}

    async def seen_since(self, marks: dict[int, int]) -> list[SandboxMessage]:
        """What the bot sent, since `marks`, to every chat where the persona reads it."""
        seen: list[SandboxMessage] = []
        for chat, after in marks.items():
            seen += await self.tg.messages(None if chat < 0 else chat, chat_id=chat if chat < 0 else None,
                                           after_id=after)
        return seen

    async def _last(self, chat: int) -> int:
        """The chat's newest message id, asking only for what came after the newest one seen before."""
        known = self._newest.get(chat, 0)
        found = await self.tg.messages(None if chat < 0 else chat, chat_id=chat if chat < 0 else None,
                                       after_id=known, include_user=True)
        self._newest[chat] = max([known, *(m.message_id for m in found)])
        return self._newest[chat]

    # --- the database ---
    def rows(self, sql: str, *args: object) -> list[tuple]:
        """Read (always to the end: an open cursor would pin an old snapshot) or write, in autocommit."""
        if self._db is None:
            self._db = sqlite3.connect(self.db_path, isolation_level=None)
        return self._db.execute(sql, args).fetchall()

    def person_id(self, chat_id: int) -> int:
        return self.rows("SELECT id FROM people WHERE chat_id = ?", chat_id)[0][0]

    def ticket(self, n: int) -> dict[str, Any]:
        self.rows("SELECT 1")
        cursor = self._db.execute("SELECT * FROM tickets WHERE id = ?", (n,))  # type: ignore[union-attr]
        found = cursor.fetchall()
        return dict(zip([c[0] for c in cursor.description], found[0]))

    def conversation(self, chat_id: int, kind: str) -> str | None:
        found = self.rows("SELECT data FROM chat_states WHERE chat_id = ? AND kind = ?", chat_id, kind)
        return found[0][0] if found else None

    def snapshot(self) -> dict[str, list[tuple]]:
        """Everything a person's action can change (not the replay guard's list of seen update ids)."""
        return {
            "tickets": self.rows("SELECT * FROM tickets ORDER BY id"),
            "events": self.rows("SELECT count(*) FROM ticket_events"),
            "attachments": self.rows("SELECT count(*) FROM ticket_attachments"),
            "people": self.rows("SELECT id, role, chat_id, language, on_duty, active, homes FROM people ORDER BY id"),
            "invites": self.rows("SELECT * FROM invites ORDER BY code"),
            "kb_drafts": self.rows("SELECT id, reviewed_at, published_at FROM kb_drafts ORDER BY id"),
            "kb_outcomes": self.rows("SELECT count(*) FROM kb_outcomes"),
            "planned_tickets": self.rows("SELECT * FROM planned_tickets ORDER BY id"),
            "chat_states": self.rows("SELECT chat_id, kind, data FROM chat_states WHERE kind != 'seen_updates' "
                                     "ORDER BY chat_id, kind"),
        }

    # --- states, reached as people would reach them ---
    async def set_up(self, state: str, fresh: bool) -> dict[str, Any]:
        """Put the world into `state`; returns what an act's text refers to ({n}, {tech}, {code}, {temp})."""
        ctx: dict[str, Any] = {"tech": self.person_id(PLUMBER), "actor": self.persona.user}
        if state in TICKET_STATES:
            ctx["n"] = await self.ticket_in(state, fresh)
        elif state in ("done_form", "done_qty"):
            ctx["n"] = await self.ticket_in("working", fresh)
            await _done_form(self, ctx["n"])
            if state == "done_qty":  # a part picked: how many is asked
                await self.press(PLUMBER, "d:part:VALVE15")
        elif state in DRAFTS:
            await self._draft(*DRAFTS[state])
        elif state == "kept_words":
            await self.say(OWNER, "家里东西坏了")
            _expect(self.conversation(OWNER, "intake"), "the owner's words were not kept")
        elif state == "own_query":
            await self.say(self.persona.user, "/tickets", self.persona.chat)
        elif state == "invite":
            ctx["code"] = await self.new_invite(DISPATCHER, "/invite owner 12-2-2808 待撤销")
        elif state == "article_draft":
            await self.say(DISPATCHER, f"/kbedit {ARTICLE} zh title 马桶水箱一直流水（待发布）")
            _expect(self.rows("SELECT 1 FROM kb_drafts WHERE article_id = ? AND published_at IS NULL", ARTICLE),
                    "no unpublished draft")
        elif state == "owner_deactivated":
            await self.say(ADMIN, "/deactivate 张伟")
            _expect(self.rows("SELECT 1 FROM people WHERE name = '张伟' AND NOT active"), "张伟 is still active")
        elif state.startswith("newcomer"):
            ctx["temp"] = await self.newcomer_staff()
            if state == "newcomer_deactivated":
                await self.say(ADMIN, f"/deactivate {NEWCOMER}")
                _expect(self.rows("SELECT 1 FROM people WHERE chat_id = ? AND NOT active", NEWCOMER), "active")
        else:
            _expect(state == "none", f"unknown state {state}")
        return ctx

    async def restore(self) -> None:
        """After a case: nobody stays deactivated, and no half-answered question swallows the next message."""
        if self.rows("SELECT 1 FROM people WHERE name = '张伟' AND NOT active"):
            await self.say(ADMIN, "/activate 张伟")
        if self.rows("SELECT 1 FROM people WHERE chat_id = ? AND NOT active", NEWCOMER):
            await self.say(ADMIN, f"/activate {NEWCOMER}")
        self.rows(f"DELETE FROM chat_states WHERE kind IN ({','.join('?' * len(CONVERSATIONS))})", *CONVERSATIONS)

    async def ticket_in(self, state: str, fresh: bool) -> int:
        """A ticket of owner 1001 (plumbing, 3-2-1801) in `state`. Cases that may change it get a new one; the
        others share one per state, made again whenever it is not exactly as it was made."""
        kept = self._tickets.get(state)
        if not fresh and kept and self._fingerprint(kept[0]) == kept[1]:
            return kept[0]
        before, step, status = TICKET_STATES[state]
        n = await self.ticket_in(before, fresh=True) if before else await self._file()
        if step is not None:
            await step(self, n)
        _expect(self.ticket(n)["status"] == status, f"#{n} is {self.ticket(n)['status']}, not {status} ({state})")
        if not fresh:
            self._tickets[state] = (n, self._fingerprint(n))
        return n

    def _fingerprint(self, n: int) -> tuple:
        return tuple(self.ticket(n).values()), self.rows("SELECT count(*) FROM ticket_events WHERE ticket_id = ?", n)

    async def _file(self) -> int:
        newest = lambda: self.rows("SELECT max(id) FROM tickets")[0][0] or 0  # noqa: E731
        before = newest()
        await self.say(OWNER, REPORT)
        await self.press(OWNER, "r:submit")
        _expect(newest() > before, f"owner {OWNER} could not file {REPORT!r}")
        return newest()

    async def _draft(self, text: str, taps: tuple[str, ...], shown: str) -> None:
        await self.say(OWNER, text)
        for data in taps:
            await self.press(OWNER, data)
        newest = (await self.tg.messages(OWNER, after_id=max(0, await self._last(OWNER) - 5)))[-1]
        _expect(any(bare(b.get("callback_data", "")) == shown for b in newest.buttons), f"no {shown} after {text!r}")

    async def new_invite(self, by: int, text: str) -> str:
        """The code of the invite `text` makes (the fake clock stamps every invite alike: compare, not sort)."""
        before = set(self.rows("SELECT code FROM invites"))
        await self.say(by, text)
        made = set(self.rows("SELECT code FROM invites")) - before
        _expect(len(made) == 1, f"{text!r} made {len(made)} invites")
        return made.pop()[0]

    async def newcomer_staff(self) -> int:
        """A staff member invited for these cases (7701), so that nobody the other cases need is deactivated."""
        if not self.rows("SELECT id FROM people WHERE chat_id = ?", NEWCOMER):
            code = await self.new_invite(ADMIN, "/invite staff dispatcher 临时员工")
            await self.say(NEWCOMER, f"/start {code}")
        _expect(self.rows("SELECT 1 FROM people WHERE chat_id = ? AND role = 'staff'", NEWCOMER), "no newcomer")
        return NEWCOMER


def bare(data: str) -> str:
    """Callback data without a draft card's mark ("r:submit:~1a2b3c4d" is "r:submit")."""
    return re.sub(f":{re.escape(MARK)}[0-9a-f]+$", "", data)


def _expect(condition: object, problem: str) -> None:
    if not condition:
        raise SetupFailed(problem)


async def _done_form(w: World, n: int) -> None:
    """The assigned technician starts the /done form; it asks for the parts next."""
    await w.say(PLUMBER, f"/done {n} 更换了角阀")
    _expect(w.conversation(PLUMBER, "done"), f"technician {PLUMBER} has no /done form for #{n}")


async def _finish(w: World, n: int) -> None:
    await _done_form(w, n)
    for step in ("parts", "minutes", "photos"):
        await w.press(PLUMBER, f"d:skip:{step}")


def _says(user: int, text: str) -> Callable[[World, int], Awaitable[None]]:
    async def step(w: World, n: int) -> None:
        await w.say(user, text.format(n=n))
    return step


# state -> (the state it is reached from, who does what to get there, the status it then has)
TICKET_STATES: dict[str, tuple[str | None, Callable[[World, int], Awaitable[None]] | None, str]] = {
    "pool": (None, None, "submitted"),                                        # filed; nobody's job yet
    "offered": ("pool", _says(DISPATCHER, f"/assign {{n}} {PLUMBER}"), "assigned"),  # not accepted yet
    "claimed": ("pool", _says(PLUMBER, "/claim {n}"), "assigned"),            # 抢单: accepted
    "working": ("claimed", _says(PLUMBER, "/begin {n}"), "in_progress"),
    "held": ("working", _says(PLUMBER, "/hold {n} 等配件"), "on_hold"),
    "done": ("working", _finish, "awaiting_confirmation"),                    # the owner is to confirm
    "completed": ("done", _says(OWNER, "/confirm {n}"), "completed"),         # confirmed, not rated
}
DRAFTS = {  # the owner's report so far: what they wrote, what they tapped since, a button it shows now
    "draft_home": ("马桶堵了，冲不下去", (), "r:home:0"),
    "draft_building": ("楼道灯不亮", (), "r:bld:3:2"),
    "draft_unit": ("3栋楼道灯不亮", (), "r:unit:2"),
    "draft_category": ("3栋2单元1801 需要维修", (), "r:cat:plumbing"),
    "draft_summary": (REPORT, (), "r:submit"),
    "draft_priority": (REPORT, ("r:edit", "r:edit:priority"), "r:prio:low"),
    "draft_tip": ("3栋2单元1801 马桶冲完水一直流个不停", (), "r:kb:fixed"),
}
