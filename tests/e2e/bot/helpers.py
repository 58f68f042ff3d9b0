"""Small steps for end-to-end stories: say something, tap a button, wait for the bot's answer."""
from __future__ import annotations

import re

from sandbox.client import SandboxClient, SandboxError, SandboxMessage


async def say(tg: SandboxClient, user: int, text: str, *needles: str, language_code: str | None = None) -> SandboxMessage:
    """Send text as `user`; return the bot's first reply that contains every needle."""
    try:
        after = await tg.last_message_id(user)
    except SandboxError:  # a user the sandbox has not seen yet
        after = 0
    await tg.send_text(user, text, language_code=language_code)
    return await tg.wait_for_text(user, *needles, after_id=after)


async def tap(tg: SandboxClient, user: int, message: SandboxMessage, data_prefix: str, *needles: str,
              chat_id: int | None = None) -> SandboxMessage:
    """Tap the button whose callback data starts with `data_prefix`; return the next reply with the needles."""
    button = next(b for b in message.buttons if b["callback_data"].startswith(data_prefix))
    after = await tg.last_message_id(user if chat_id is None else None, chat_id=chat_id)
    await tg.click(user, message, button["callback_data"], chat_id=chat_id)
    return await tg.wait_for_text(user if chat_id is None else None, *needles, chat_id=chat_id, after_id=after)


async def with_button(tg: SandboxClient, user: int, data_prefix: str, after_id: int = 0, *needles: str,
                      chat_id: int | None = None) -> SandboxMessage:
    """The first bot message after `after_id` carrying a button whose data starts with `data_prefix`."""
    return await tg.wait_for_message(
        user if chat_id is None else None,
        lambda m: m.contains(*needles) and any(b["callback_data"].startswith(data_prefix) for b in m.buttons),
        chat_id=chat_id, after_id=after_id)


def ticket_number(text: str) -> int:
    found = re.search(r"#(\d+)", text)
    assert found, f"no ticket number in {text!r}"
    return int(found.group(1))
