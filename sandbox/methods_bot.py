"""Bot API methods about the bot itself: getMe, webhooks, getUpdates, command menus, callback answers, chats."""
from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from sandbox.errors import ApiError, bad_request
from sandbox.params import Params
from sandbox.webhook import webhook_info
from sandbox.world import World

MAX_POLL_SECONDS = 50
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
WEBHOOK_CONFLICT = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


async def get_me(world: World, p: Params) -> dict[str, Any]:
    return {**world.bot, "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False, "can_connect_to_business": False, "has_main_web_app": False}


async def delete_webhook(world: World, p: Params) -> bool:
    world.webhook = None  # back to getUpdates; what was not delivered waits for it
    if p.bool("drop_pending_updates"):
        world.updates.clear()
    world.notify()
    return True


async def get_webhook_info(world: World, p: Params) -> dict[str, Any]:
    return webhook_info(world)


async def get_updates(world: World, p: Params) -> list[dict[str, Any]]:
    """Long poll: answer at once if updates wait, else at the first one or after `timeout` seconds.

    A newer getUpdates ends an older one with 409 Conflict, as Telegram does, so a restarted bot takes over.
    """
    if world.webhook is not None:
        raise ApiError(409, WEBHOOK_CONFLICT)
    allowed = p.json("allowed_updates")
    if allowed is not None:
        world.allowed_updates = list(allowed) or None
    world.confirm(p.int("offset") or 0)
    limit = min(max(p.int("limit") or 100, 1), 100)
    me = object()
    world.current_poll = me
    world.notify()
    deadline = asyncio.get_running_loop().time() + min(max(p.int("timeout") or 0, 0), MAX_POLL_SECONDS)
    while True:
        if world.current_poll is not me:
            raise ApiError(409, CONFLICT)
        updates = world.pending(limit)
        remaining = deadline - asyncio.get_running_loop().time()
        if updates or remaining <= 0 or world.closing:
            world.current_poll = None
            return updates
        await world.wait_change(remaining)


def _scope_key(scope: Any) -> str:
    scope = dict(scope or {"type": "default"})
    for key in ("chat_id", "user_id"):
        if key in scope:
            scope[key] = int(scope[key])
    return json.dumps(scope, sort_keys=True)


async def set_my_commands(world: World, p: Params) -> bool:
    commands = p.json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH" if isinstance(commands, list) else "commands is empty")
    for command in commands:
        if not _COMMAND.match(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("command description is empty" if not command.get("description") else "BOT_COMMAND_DESCRIPTION_INVALID")
    key = (_scope_key(p.json("scope")), p.str("language_code") or "")
    world.commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
    if not commands:
        world.commands.pop(key)
    world.notify()
    return True


async def get_my_commands(world: World, p: Params) -> list[dict[str, Any]]:
    return world.commands.get((_scope_key(p.json("scope")), p.str("language_code") or ""), [])


async def delete_my_commands(world: World, p: Params) -> bool:
    world.commands.pop((_scope_key(p.json("scope")), p.str("language_code") or ""), None)
    world.notify()
    return True


def effective_commands(world: World, user_id: int, chat_id: int) -> list[dict[str, Any]]:
    """The menu a user sees in a chat, in Telegram's order of scope precedence."""
    language = world.users.get(user_id, {}).get("language_code") or ""
    if chat_id == user_id:
        scopes = [{"type": "chat", "chat_id": chat_id}, {"type": "all_private_chats"}, {"type": "default"}]
    else:
        scopes = [{"type": "chat_member", "chat_id": chat_id, "user_id": user_id}, {"type": "chat", "chat_id": chat_id},
                  {"type": "all_group_chats"}, {"type": "default"}]
    for scope in scopes:
        for lang in (language, ""):
            commands = world.commands.get((_scope_key(scope), lang))
            if commands:
                return commands
    return []


async def answer_callback_query(world: World, p: Params) -> bool:
    text = p.str("text")
    if text and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    world.answer_callback(p.str("callback_query_id", required=True) or "",
                          {"text": text, "show_alert": p.bool("show_alert"), "url": p.str("url")})
    return True


async def get_chat(world: World, p: Params) -> dict[str, Any]:
    chat = world.chat(p.chat_id())
    return {**world.chat_json(chat), "accent_color_id": 0, "max_reaction_count": 11,
            "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                    "unique_gifts": False, "premium_subscription": False,
                                    "gifts_from_channels": False}}


async def get_chat_member(world: World, p: Params) -> dict[str, Any]:
    chat = world.chat(p.chat_id())
    user_id = p.int("user_id", required=True)
    if user_id == world.bot["id"]:
        return {"status": "member", "user": world.bot}
    if user_id not in world.users:
        raise bad_request("user not found")
    member = user_id in chat.members or (chat.type == "private" and chat.id == user_id)
    return {"status": "member" if member else "left", "user": world.users[user_id]}


async def accept(world: World, p: Params) -> bool:
    """Methods the sandbox takes and ignores: menus, descriptions, close, logOut."""
    return True
