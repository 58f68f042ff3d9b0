"""One owner's side of a chat with the bot in the sandbox: send or tap, then collect the bot's whole answer."""
from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.keyboards import MARK
from sandbox.client import SandboxClient, SandboxError, SandboxMessage

FIRST_REPLY_S = 20.0   # the bot's first message after an action (a busy 2-core host can be slow)
AFTER_BUTTONS_S = 0.2  # a message with buttons, or a filed ticket, ends the bot's turn; a short look for stragglers
AFTER_TEXT_S = 1.0     # after plain text (safety steps, "unknown building"), more may follow
MAX_MESSAGES = 6       # in one turn; more means the bot is looping
SUBMITTED = re.compile(r"(?:已提交|Submitted)[^#]*#(\d+)")


def filed_ticket(message: SandboxMessage) -> int | None:
    found = SUBMITTED.search(message.content)
    return int(found.group(1)) if found else None


def callbacks(message: SandboxMessage) -> list[str]:
    """The buttons' data without a draft card's mark ("r:submit:~1a2b3c4d" is "r:submit"); as_sent() finds the
    button again."""
    return [bare(b["callback_data"]) for b in message.buttons if "callback_data" in b]


def bare(data: str) -> str:
    return re.sub(f":{re.escape(MARK)}[0-9a-f]+$", "", data)


def as_sent(message: SandboxMessage, data: str) -> str:
    """The data of the message's button that `data` (bare) stands for."""
    return next((b["callback_data"] for b in message.buttons if bare(b.get("callback_data", "")) == data), data)


def ends_turn(message: SandboxMessage) -> bool:
    return bool(callbacks(message)) or filed_ticket(message) is not None


@dataclass
class Transcript:
    """Every exchange of one conversation, for --verbose and for explaining a dead end."""

    lines: list[str] = field(default_factory=list)

    def owner(self, what: str) -> None:
        self.lines.append(f"    > {what}")

    def bot(self, message: SandboxMessage) -> None:
        text = message.content.replace("\n", " / ")
        buttons = ", ".join(f"[{b.get('text')}|{b.get('callback_data')}]" for b in message.buttons)
        self.lines.append(f"    < {text[:400]}" + (f"  {buttons}" if buttons else ""))

    def note(self, what: str) -> None:
        self.lines.append(f"    ! {what}")


class OwnerChat:
    """Acts as one user; each action returns the bot's answer to it, oldest message first."""

    def __init__(self, tg: SandboxClient, user_id: int, transcript: Transcript) -> None:
        self.tg, self.user_id, self.transcript = tg, user_id, transcript

    async def _newest_id(self) -> int:
        try:
            return await self.tg.last_message_id(self.user_id)
        except SandboxError:
            return 0

    async def _turn(self, act: Callable[[], Awaitable[object]]) -> list[SandboxMessage]:
        after = await self._newest_id()
        await act()
        try:
            got = [await self.tg.wait_for_message(self.user_id, after_id=after, timeout=FIRST_REPLY_S)]
        except TimeoutError:
            self.transcript.note(f"no answer within {FIRST_REPLY_S:.0f} s")
            return []
        while len(got) < MAX_MESSAGES:
            quiet = AFTER_BUTTONS_S if ends_turn(got[-1]) else AFTER_TEXT_S
            try:
                got.append(await self.tg.wait_for_message(self.user_id, after_id=got[-1].message_id, timeout=quiet))
            except TimeoutError:
                break
        for message in got:
            self.transcript.bot(message)
        return got

    async def say(self, text: str) -> list[SandboxMessage]:
        self.transcript.owner(f"types: {text}")
        return await self._turn(lambda: self.tg.send_text(self.user_id, text))

    async def tap(self, message: SandboxMessage, data: str, *, forged: bool = False) -> list[SandboxMessage]:
        label = next((b.get("text") for b in message.buttons if b.get("callback_data") == data), None)
        self.transcript.owner(f"taps: {label or data}" + (" (cleanup, no such button)" if forged else ""))
        return await self._turn(lambda: self.tg.click(self.user_id, message, data))
