"""SandboxClient: act as Telegram users against a running sandbox and wait, time-boxed, for the bot's answers."""
from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

Predicate = Callable[["SandboxMessage"], bool]


class SandboxError(Exception):
    """The control API refused a request (unknown message, bad body...); the message says why."""


@dataclass(frozen=True)
class SandboxMessage:
    """One message in a chat as the control API shows it; `text` keeps HTML as the bot sent it."""

    message_id: int
    chat_id: int
    from_bot: bool
    text: str | None
    plain_text: str | None
    caption: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    edited: bool
    deleted: bool
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> SandboxMessage:
        names = ("message_id", "chat_id", "from_bot", "text", "plain_text", "caption", "parse_mode",
                 "reply_markup", "edited", "deleted")
        return cls(**{n: body.get(n) for n in names}, raw=body)

    @property
    def content(self) -> str:
        """What a person reads: the plain text, else the plain caption."""
        return self.plain_text or self.raw.get("plain_caption") or ""

    @property
    def photo(self) -> list[dict[str, Any]] | None:
        return self.raw.get("photo")

    @property
    def document(self) -> dict[str, Any] | None:
        return self.raw.get("document")

    @property
    def invoice(self) -> dict[str, Any] | None:
        """An invoice's title, description, currency and total_amount (in the smallest unit)."""
        return self.raw.get("invoice")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons, row after row."""
        return [b for row in (self.reply_markup or {}).get("inline_keyboard", []) for b in row]

    @property
    def keyboard(self) -> list[str]:
        """Labels of a reply keyboard sent with this message."""
        return [b if isinstance(b, str) else b.get("text", "") for row in (self.reply_markup or {}).get("keyboard", []) for b in row]

    def button_data(self, label: str) -> str:
        """callback_data of the button whose label contains `label`."""
        for button in self.buttons:
            if label in button.get("text", "") and "callback_data" in button:
                return button["callback_data"]
        raise KeyError(f"no button {label!r} in {[b.get('text') for b in self.buttons]}")

    def contains(self, *needles: str) -> bool:
        haystack = f"{self.content}\n{self.text or ''}\n{self.caption or ''}"
        return all(n in haystack for n in needles)


@dataclass(frozen=True)
class PayResult:
    """What tapping Pay did: the bot's pre-checkout answer and, when it said ok, the payment message."""

    answer: dict[str, Any] | None
    payment: dict[str, Any] | None

    @property
    def ok(self) -> bool:
        return bool(self.answer and self.answer.get("ok"))

    @property
    def error_message(self) -> str | None:
        return (self.answer or {}).get("error_message")


@dataclass(frozen=True)
class ClickResult:
    callback_id: str
    data: str
    answered: bool
    answer_text: str | None
    show_alert: bool


class SandboxClient:
    """Async client for the control API: `async with SandboxClient(server.url) as tg: ...`."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(timeout + 35.0))
        self.default_timeout = timeout

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = await self._http.request(method, path, **kwargs)
        body = response.json()
        if not body.get("ok"):
            raise SandboxError(body.get("description", response.text))
        return body

    async def _send(self, user_id: int, chat_id: int | None, **fields: Any) -> SandboxMessage:
        payload = {"user_id": user_id, **({"chat_id": chat_id} if chat_id is not None else {}),
                   **{k: v for k, v in fields.items() if v is not None}}
        return SandboxMessage.from_json((await self._call("POST", "/sandbox/send", json=payload))["result"])

    # --- acting as users ---
    async def send_text(self, user_id: int, text: str, *, chat_id: int | None = None, language_code: str | None = None,
                        first_name: str | None = None, reply_to_message_id: int | None = None) -> SandboxMessage:
        return await self._send(user_id, chat_id, text=text, language_code=language_code, first_name=first_name,
                                reply_to_message_id=reply_to_message_id)

    async def send_photo(self, user_id: int, photo: bytes, caption: str | None = None, *,
                         chat_id: int | None = None) -> SandboxMessage:
        return await self._send(user_id, chat_id, photo_b64=_b64(photo), caption=caption)

    async def send_voice(self, user_id: int, voice: bytes, *, duration: int | None = None) -> SandboxMessage:
        return await self._send(user_id, None, voice_b64=_b64(voice), duration=duration)

    async def send_audio_as_voice(self, user_id: int, audio: bytes, file_name: str) -> SandboxMessage:
        """Any audio file (wav, mp3, m4a, webm...), converted by the sandbox into an OGG/Opus voice note."""
        return await self._send(user_id, None, audio_b64=_b64(audio), file_name=file_name)

    async def send_video(self, user_id: int, video: bytes, caption: str | None = None, *,
                         file_name: str | None = None) -> SandboxMessage:
        return await self._send(user_id, None, video_b64=_b64(video), caption=caption, file_name=file_name)

    async def send_document(self, user_id: int, data: bytes, file_name: str, caption: str | None = None) -> SandboxMessage:
        return await self._send(user_id, None, document_b64=_b64(data), file_name=file_name, caption=caption)

    async def send_contact(self, user_id: int, phone_number: str, *, first_name: str | None = None,
                           contact_user_id: int | None | str = "sender") -> SandboxMessage:
        """Share a contact, as Telegram sends it: the sender's own ("sender", the default), another user's
        (their id), or a phone-book entry of someone without Telegram (None: no user_id at all)."""
        contact: dict[str, Any] = {"phone_number": phone_number}
        if first_name is not None:
            contact["first_name"] = first_name
        if contact_user_id != "sender":
            contact["user_id"] = contact_user_id
        return await self._send(user_id, None, contact=contact)

    async def send_location(self, user_id: int, latitude: float, longitude: float) -> SandboxMessage:
        return await self._send(user_id, None, location={"latitude": latitude, "longitude": longitude})

    async def send_sticker(self, user_id: int, emoji: str = "👍") -> SandboxMessage:
        """A message type the bot does not handle, for testing its polite refusal."""
        return await self._send(user_id, None, sticker={"emoji": emoji})

    async def click(self, user_id: int, message: int | SandboxMessage, data: str | None = None, *,
                    text: str | None = None, chat_id: int | None = None, force: bool = False,
                    wait_answer: float = 5.0) -> ClickResult:
        """Tap a button by `text` (its label) or send any `data`; waits up to `wait_answer` s for the answer."""
        message_id = message.message_id if isinstance(message, SandboxMessage) else message
        if chat_id is None and isinstance(message, SandboxMessage) and message.chat_id != user_id:
            chat_id = message.chat_id
        payload = {"user_id": user_id, "message_id": message_id, "data": data, "text": text, "chat_id": chat_id,
                   "force": force, "wait_answer": wait_answer}
        result = (await self._call("POST", "/sandbox/click", json={k: v for k, v in payload.items() if v is not None}))["result"]
        answer = result["answer"] or {}
        return ClickResult(result["callback_id"], result["callback_query"]["data"], result["answer"] is not None,
                           answer.get("text"), bool(answer.get("show_alert")))

    async def pay(self, user_id: int, invoice: int | SandboxMessage, *, wait_answer: float = 10.0,
                  payload: str | None = None, total_amount: int | None = None, deliveries: int = 1) -> PayResult:
        """Tap Pay on an invoice; `payload` or `total_amount` forge what the client sends, `deliveries` repeats
        the successful_payment update."""
        message_id = invoice.message_id if isinstance(invoice, SandboxMessage) else invoice
        body = {"user_id": user_id, "message_id": message_id, "wait_answer": wait_answer, "payload": payload,
                "total_amount": total_amount, "deliveries": deliveries}
        result = (await self._call("POST", "/sandbox/pay", json={k: v for k, v in body.items() if v is not None},
                                   timeout=wait_answer + 5))["result"]
        return PayResult(result["answer"], result["payment"])

    # --- reading ---
    async def messages(self, user_id: int | None = None, *, chat_id: int | None = None, after_id: int = 0,
                       include_user: bool = False) -> list[SandboxMessage]:
        """The bot's messages in a private chat (user_id) or a group (chat_id), oldest first."""
        body = await self._messages(user_id, chat_id, after_id=after_id, include_user=int(include_user))
        return [SandboxMessage.from_json(m) for m in body["result"]]

    async def _messages(self, user_id: int | None, chat_id: int | None, **params: Any) -> dict[str, Any]:
        where = {"chat_id": chat_id} if chat_id is not None else {"user_id": user_id}
        return await self._call("GET", "/sandbox/messages", params={**where, **params})

    async def last_message_id(self, user_id: int | None = None, *, chat_id: int | None = None) -> int:
        """The newest message id in the chat, from anyone; pass it as after_id to wait for what comes next."""
        found = await self.messages(user_id, chat_id=chat_id, include_user=True)
        return max((m.message_id for m in found), default=0)

    async def wait_for_message(self, user_id: int | None = None, predicate: Predicate | None = None, *,
                               chat_id: int | None = None, after_id: int = 0, timeout: float | None = None) -> SandboxMessage:
        """The first bot message after `after_id` (new or edited) that satisfies `predicate`, within `timeout` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (timeout if timeout is not None else self.default_timeout)
        rev, seen = 0, []
        while True:
            remaining = deadline - loop.time()
            body = await self._messages(user_id, chat_id, after_id=after_id, after_rev=rev,
                                        wait=max(0.0, min(remaining, 5.0)) if rev else 0)
            for message in map(SandboxMessage.from_json, body["result"]):
                if not message.deleted and (predicate is None or predicate(message)):
                    return message
                seen.append(message.content[:80])
            rev = body["rev"]
            if loop.time() >= deadline:
                where = f"chat {chat_id}" if chat_id is not None else f"user {user_id}"
                raise TimeoutError(f"no matching bot message for {where} after id {after_id}; saw {seen[-5:]}")

    async def wait_for_text(self, user_id: int | None, *needles: str, chat_id: int | None = None,
                            after_id: int = 0, timeout: float | None = None) -> SandboxMessage:
        """The first bot message after `after_id` that contains every needle."""
        return await self.wait_for_message(user_id, lambda m: m.contains(*needles), chat_id=chat_id,
                                           after_id=after_id, timeout=timeout)

    async def wait_for_edit(self, user_id: int | None, message_id: int, predicate: Predicate | None = None, *,
                            chat_id: int | None = None, timeout: float | None = None) -> SandboxMessage:
        """Message `message_id` once it has been edited (and satisfies `predicate`)."""
        return await self.wait_for_message(
            user_id, lambda m: m.message_id == message_id and m.edited and (predicate is None or predicate(m)),
            chat_id=chat_id, after_id=message_id - 1, timeout=timeout)

    async def changes(self, after_rev: int = 0, *, wait: float = 0.0) -> tuple[list[SandboxMessage], int]:
        """The bot's messages in every chat sent or changed after revision `after_rev` (long-polls up to `wait` s),
        and the revision to pass next time."""
        body = await self._call("GET", "/sandbox/changes", params={"after_rev": after_rev, "wait": wait},
                                timeout=wait + 10)
        return [SandboxMessage.from_json(m) for m in body["result"]], body["rev"]

    async def callback_answers(self, user_id: int | None = None, *, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Callback queries of a chat (every chat when both are None), each with `answered` and `answer`."""
        where = {"chat_id": chat_id} if chat_id is not None else {"user_id": user_id} if user_id is not None else {}
        return (await self._call("GET", "/sandbox/callback_answers", params=where))["result"]

    async def personas(self) -> list[dict[str, Any]]:
        return (await self._call("GET", "/sandbox/personas"))["result"]

    async def commands(self, user_id: int, chat_id: int | None = None) -> list[dict[str, str]]:
        """The command menu the user sees in that chat (their private chat by default)."""
        params = {"user_id": user_id, **({"chat_id": chat_id} if chat_id is not None else {})}
        return (await self._call("GET", "/sandbox/commands", params=params))["result"]

    async def download(self, file_id: str) -> bytes:
        response = await self._http.get(f"/sandbox/files/{file_id}")
        response.raise_for_status()
        return response.content

    async def block(self, user_id: int, blocked: bool = True) -> None:
        await self._call("POST", "/sandbox/block", json={"user_id": user_id, "blocked": blocked})

    async def reset(self) -> None:
        await self._call("POST", "/sandbox/reset", json={})

    # --- Telegram's limits, injected faults, and what was delivered ---
    async def set_limits(self, enabled: bool = True, **settings: float) -> dict[str, Any]:
        """Enforce Telegram's sending limits afresh (its values unless given, e.g. chat_burst=5), or stop."""
        return (await self._call("POST", "/sandbox/limits", json={"enabled": enabled, **settings}))["result"]

    async def limits(self) -> dict[str, Any]:
        return (await self._call("GET", "/sandbox/limits"))["result"]

    async def set_faults(self, rate: float, kinds: Sequence[str] | None = None, *, seed: int | None = None,
                         methods: Sequence[str] | None = None, retry_after: int | None = None,
                         timeout_seconds: float | None = None, timeout_delivery: str | None = None,
                         drop_delivered: bool | None = None, max_faults: int | None = None,
                         chats: Sequence[int] | None = None) -> dict[str, Any]:
        """Inject faults ("429", "5xx", "timeout", "drop") into that share of Bot API calls (to `chats` only, if
        given), from a fresh seed."""
        settings = {"rate": rate, "kinds": kinds, "seed": seed, "methods": methods, "retry_after": retry_after,
                    "timeout_seconds": timeout_seconds, "timeout_delivery": timeout_delivery,
                    "drop_delivered": drop_delivered, "max_faults": max_faults, "chats": chats}
        body = {k: list(v) if k in ("kinds", "methods", "chats") and v is not None else v for k, v in settings.items()}
        return (await self._call("POST", "/sandbox/faults", json=body))["result"]

    async def clear_faults(self) -> None:
        await self._call("POST", "/sandbox/faults", json={"rate": 0})

    async def faults(self) -> dict[str, Any]:
        return (await self._call("GET", "/sandbox/faults"))["result"]

    async def stats(self) -> dict[str, Any]:
        """Calls per method, 429s per limit, faults per kind and method, and per chat what the bot delivered."""
        return (await self._call("GET", "/sandbox/stats"))["result"]

    async def delivery_counts(self, user_id: int | None = None, *, chat_id: int | None = None) -> dict[str, int]:
        """How many times the bot delivered each text (or caption) to the chat; edits and deletions aside."""
        chat = chat_id if chat_id is not None else user_id
        return (await self.stats())["chats"].get(str(chat), {}).get("texts", {})


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
