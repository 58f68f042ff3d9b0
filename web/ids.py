"""Web chats get ids in a range Telegram never hands out, so one chat_id column serves both channels."""
from __future__ import annotations

# Telegram's user and chat ids fit in 52 bits (its own promise); web chats start above that.
WEB_CHAT_BASE = 2 ** 53


def is_web_chat(chat_id: object) -> bool:
    try:
        return int(chat_id) > WEB_CHAT_BASE  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False
