"""The sandbox's Telegram, in memory: users, chats with their messages, pending updates and callback queries."""
from __future__ import annotations

import asyncio
import bisect
import copy
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sandbox.errors import ApiError, bad_request
from sandbox.files import FileStore
from sandbox.personas import Persona

MAX_CHANGES = 200_000


@dataclass
class Record:
    """One message in a chat: its Telegram JSON now, plus what the sandbox remembers about how it was sent."""

    message: dict[str, Any]
    from_bot: bool
    source_text: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    edited: bool = False
    deleted: bool = False
    rev: int = 0
    # Wall-clock seconds (float) when it arrived and when it last changed: a load generator's reply latency is
    # read here, where the message is, not where a busy client happens to notice it.
    at: float = field(default_factory=time.time)
    changed_at: float = 0.0


@dataclass
class Chat:
    id: int
    type: str
    title: str | None = None
    user_id: int | None = None
    members: set[int] = field(default_factory=set)
    records: dict[int, Record] = field(default_factory=dict)
    next_message_id: int = 1
    chat_instance: str = field(default_factory=lambda: str(secrets.randbits(62)))
    reply_keyboard: dict[str, Any] | None = None
    action: str | None = None


@dataclass
class CallbackRecord:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    date: int
    answer: dict[str, Any] | None = None
    rev: int = 0
    at: float = field(default_factory=time.time)
    answered_at: float | None = None


class World:
    """State plus a change signal that long polls (getUpdates, the page, the test client) wait on."""

    def __init__(self, personas: list[Persona], staff_group_id: int, staff_group_title: str, bot: dict[str, Any]) -> None:
        self.personas = list(personas)
        self.staff_group_id = staff_group_id
        self.staff_group_title = staff_group_title
        self.bot = bot
        self._changed = asyncio.Event()
        self.closing = False
        self.reset()

    def reset(self) -> None:
        """Forget every message, update, file and command; the personas and the staff group start afresh."""
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, Chat] = {}
        self.blocked: set[int] = set()
        self.files = FileStore()
        self.updates: list[dict[str, Any]] = []
        # Like Telegram, ids start at an arbitrary number; from the clock (ms), so a restarted sandbox never
        # reuses the ids a bot has already seen and stored (it drops a seen id as a replay).
        self.next_update_id = int(time.time() * 1000)
        self.allowed_updates: list[str] | None = None
        self.current_poll: object | None = None
        self.webhook: Any = None  # sandbox.webhook.Webhook while one is set: updates are POSTed, not polled
        self.callbacks: dict[str, CallbackRecord] = {}
        # Invoices the bot sent, by (chat, message): the payload and prices, which Telegram keeps from the chat.
        self.invoices: dict[tuple[int, int], dict[str, Any]] = {}
        self.checkouts: dict[str, Any] = {}  # pre_checkout_query id -> sandbox.payments.Checkout
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.rev = 0
        # (rev, chat id, message id) of every bot message sent or changed, oldest first: one long poll of
        # /sandbox/changes follows every chat at once (a load generator's 200 users), not a poll per chat.
        self.changes: list[tuple[int, int, int]] = []
        # What the bot delivered, per chat: how often each text, for proving "exactly once" under faults.
        self.delivered: dict[int, Counter[str]] = defaultdict(Counter)
        self.edits: Counter[int] = Counter()
        for persona in self.personas:
            self.ensure_user(persona.user_id, persona.first_name, persona.last_name, persona.language_code)
            self.private_chat(persona.user_id)
        staff = {p.user_id for p in self.personas if p.role == "staff"}
        group_type = "supergroup" if self.staff_group_id <= -1_000_000_000_000 else "group"
        self.chats[self.staff_group_id] = Chat(self.staff_group_id, group_type, self.staff_group_title, members=staff)
        self.notify()

    # --- change signal ---
    def notify(self) -> None:
        self.rev += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_change(self, timeout: float) -> None:
        """Return at the next change, or after `timeout` seconds."""
        if timeout <= 0:
            return
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except TimeoutError:
            pass

    # --- users and chats ---
    def ensure_user(self, user_id: int, first_name: str | None = None, last_name: str | None = None,
                    language_code: str | None = None) -> dict[str, Any]:
        user = self.users.setdefault(user_id, {"id": user_id, "is_bot": False, "first_name": first_name or f"User {user_id}"})
        if last_name:
            user["last_name"] = last_name
        if language_code:
            user["language_code"] = language_code
        return user

    def private_chat(self, user_id: int) -> Chat:
        if user_id not in self.chats:
            self.chats[user_id] = Chat(user_id, "private", user_id=user_id)
        return self.chats[user_id]

    def chat(self, chat_id: int) -> Chat:
        if chat_id not in self.chats:
            raise bad_request("chat not found")
        return self.chats[chat_id]

    def chat_for_bot(self, chat_id: int) -> Chat:
        """The chat the bot writes to, refusing as Telegram does when the user blocked it."""
        chat = self.chat(chat_id)
        if chat.type == "private" and chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def chat_json(self, chat: Chat) -> dict[str, Any]:
        if chat.type != "private":
            return {"id": chat.id, "type": chat.type, "title": chat.title}
        user = self.users[chat.user_id or chat.id]
        body = {"id": chat.id, "type": "private", "first_name": user["first_name"]}
        body.update({k: user[k] for k in ("last_name", "username") if k in user})
        return body

    # --- messages ---
    def add_message(self, chat: Chat, sender: dict[str, Any], content: dict[str, Any], *, from_bot: bool,
                    source_text: str | None = None, parse_mode: str | None = None,
                    reply_markup: dict[str, Any] | None = None) -> Record:
        message = {"message_id": chat.next_message_id, "from": sender, "chat": self.chat_json(chat),
                   "date": int(time.time()), **content}
        if reply_markup and "inline_keyboard" in reply_markup:
            message["reply_markup"] = reply_markup
        chat.next_message_id += 1
        record = Record(message, from_bot, source_text, parse_mode, reply_markup)
        chat.records[message["message_id"]] = record
        if from_bot and reply_markup and ("keyboard" in reply_markup or "remove_keyboard" in reply_markup):
            chat.reply_keyboard = reply_markup if "keyboard" in reply_markup else None
        if from_bot:
            chat.action = None
            self.delivered[chat.id][_delivered_as(message)] += 1
        self.touch(record)
        return record

    def deliveries(self) -> dict[str, dict[str, Any]]:
        """Per chat id: the bot's messages, its edits, and how many times each text (or caption) was delivered."""
        chats = sorted(set(self.delivered) | set(self.edits))
        return {str(c): {"messages": sum(self.delivered[c].values()), "edits": self.edits[c],
                         "texts": dict(self.delivered[c])} for c in chats}

    def touch(self, record: Record) -> None:
        self.notify()
        record.rev, record.changed_at = self.rev, time.time()
        if record.from_bot:
            self.changes.append((record.rev, record.message["chat"]["id"], record.message["message_id"]))
            if len(self.changes) > MAX_CHANGES:  # a sandbox left running keeps only the recent past
                del self.changes[:MAX_CHANGES // 2]

    def changed_since(self, rev: int) -> list[tuple[Chat, Record]]:
        """The bot's messages sent or changed after revision `rev`, each once, in the order of their last change."""
        start = bisect.bisect_right(self.changes, (rev, float("inf"), float("inf")))
        found = {}
        for _, chat_id, message_id in self.changes[start:]:
            chat = self.chats.get(chat_id)
            record = chat.records.get(message_id) if chat else None
            if record is not None and record.rev > rev:
                found[(chat_id, message_id)] = (chat, record)
        return list(found.values())

    def record(self, chat: Chat, message_id: int) -> Record:
        record = chat.records.get(message_id)
        if record is None or record.deleted:
            raise bad_request("message to edit not found")
        return record

    # --- updates ---
    def push_update(self, kind: str, payload: dict[str, Any]) -> None:
        self.updates.append({"update_id": self.next_update_id, kind: copy.deepcopy(payload)})
        self.next_update_id += 1
        self.notify()

    def confirm(self, offset: int) -> None:
        """Forget updates before `offset`; a negative offset keeps only that many of the newest."""
        if offset < 0:
            self.updates = self.updates[offset:]
        elif offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def pending(self, limit: int) -> list[dict[str, Any]]:
        if self.allowed_updates:
            self.updates = [u for u in self.updates if _kind(u) in self.allowed_updates]
        return self.updates[:limit]

    # --- callback queries ---
    def add_callback(self, user_id: int, chat_id: int, message_id: int, data: str | None) -> CallbackRecord:
        callback = CallbackRecord(str(secrets.randbits(63)), user_id, chat_id, message_id, data, int(time.time()))
        self.callbacks[callback.id] = callback
        return callback

    def answer_callback(self, callback_id: str, answer: dict[str, Any]) -> None:
        callback = self.callbacks.get(callback_id)
        if callback is None or callback.answer is not None:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        callback.answer, callback.answered_at = {**answer, "date": int(time.time())}, time.time()
        self.notify()
        callback.rev = self.rev


def _delivered_as(message: dict[str, Any]) -> str:
    """The text as Telegram shows it, else the caption, else the kind of media in brackets ("[photo]")."""
    if message.get("text") or message.get("caption"):
        return message.get("text") or message["caption"]
    if message.get("invoice"):
        return f"[invoice] {message['invoice']['title']}"
    return next((f"[{k}]" for k in ("photo", "document", "voice", "video", "audio", "animation", "contact",
                                    "location") if k in message), "[message]")


def _kind(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")
