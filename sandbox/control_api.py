"""The control API under /sandbox/: act as users, read what the bot sent, and look at the sandbox's state."""
from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from sandbox import payments
from sandbox.bot_api import TRAFFIC, WORLD
from sandbox.control_views import (ControlError, audio_as_voice, callback_view, find_button, message_view,
                                    user_content)
from sandbox.methods_bot import effective_commands
from sandbox.world import Chat, World

MAX_WAIT_SECONDS = 30.0
PERSONAS_KEY = web.AppKey("personas_json", list)


def ok(result: Any, **extra: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result, **extra})


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ControlError(f"{name} must be an integer") from None


async def json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ControlError("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    return body


def _chat_for_user(world: World, user_id: int, chat_id: int | None) -> Chat:
    """The user's private chat with the bot, or a group they are a member of."""
    if chat_id is None or chat_id == user_id:
        return world.private_chat(user_id)
    chat = world.chats.get(chat_id)
    if chat is None or chat.type == "private":
        raise ControlError(f"chat {chat_id} not found (use your own user_id or the staff group id)")
    if user_id not in chat.members:
        raise ControlError(f"user {user_id} is not a member of chat {chat_id}")
    return chat


async def send(request: web.Request) -> web.Response:
    """A user sends a message; it becomes an update for the bot. Unknown user ids become new users."""
    world, body = request.app[WORLD], await json_body(request)
    user_id = _int(body.get("user_id"), "user_id")
    user = world.ensure_user(user_id, body.get("first_name"), body.get("last_name"), body.get("language_code"))
    chat = _chat_for_user(world, user_id, None if body.get("chat_id") is None else _int(body["chat_id"], "chat_id"))
    if "audio_b64" in body:  # converted before anything is recorded: audio ffmpeg cannot read sends nothing
        body = await audio_as_voice(body)
    content = user_content(world, body, user)
    if body.get("reply_to_message_id") and chat.records.get(int(body["reply_to_message_id"])):
        content["reply_to_message"] = chat.records[int(body["reply_to_message_id"])].message
    world.blocked.discard(user_id)
    if chat.reply_keyboard and chat.reply_keyboard.get("one_time_keyboard"):
        chat.reply_keyboard = None
    record = world.add_message(chat, dict(user), content, from_bot=False)
    world.push_update("message", record.message)
    return ok(message_view(chat, record))


async def click(request: web.Request) -> web.Response:
    """A user taps an inline button; `data` is forwarded as given, so forged data can be tested.

    `text` picks the button by its label instead of `data`. The message must be a bot message in that
    chat unless `force` is true, which sends the query for a missing message as an InaccessibleMessage.
    `wait_answer` (seconds) waits for the bot's answerCallbackQuery and returns it.
    """
    world, body = request.app[WORLD], await json_body(request)
    user_id, message_id = _int(body.get("user_id"), "user_id"), _int(body.get("message_id"), "message_id")
    if user_id not in world.users:
        raise ControlError(f"unknown user {user_id}: send a message as that user first")
    chat = _chat_for_user(world, user_id, None if body.get("chat_id") is None else _int(body["chat_id"], "chat_id"))
    record = chat.records.get(message_id)
    usable = record is not None and record.from_bot and not record.deleted
    if not usable and not body.get("force"):
        raise ControlError(f"no bot message {message_id} in chat {chat.id} (pass force: true to click anyway)")
    data = body.get("data")
    if body.get("text") is not None:
        if not usable:
            raise ControlError("text needs an existing bot message; pass data instead")
        data = find_button(record, str(body["text"])).get("callback_data")  # type: ignore[arg-type]
    if data is None:
        raise ControlError("click needs data (callback_data) or text (a button label)")
    message = record.message if usable else {"message_id": message_id, "chat": world.chat_json(chat), "date": 0}  # type: ignore[union-attr]
    callback = world.add_callback(user_id, chat.id, message_id, str(data))
    query = {"id": callback.id, "from": world.users[user_id], "message": message,
             "chat_instance": chat.chat_instance, "data": str(data)}
    world.push_update("callback_query", query)
    await _wait_until(world, lambda: callback.answer is not None, float(body.get("wait_answer") or 0))
    return ok({"callback_query": query, "answer": callback.answer, "callback_id": callback.id, "at": callback.at,
               "answered_at": callback.answered_at})


async def pay(request: web.Request) -> web.Response:
    """A user taps Pay on an invoice: a pre_checkout_query goes to the bot, answered within `wait_answer`
    seconds (at most Telegram's 10); only an ok answer is followed by the successful_payment message.

    `payload` or `total_amount` replace what the client sends (a forged or tampered client); `deliveries`
    sends the payment's update that many times (Telegram repeating it). An invoice is paid once."""
    world, body = request.app[WORLD], await json_body(request)
    user_id, message_id = _int(body.get("user_id"), "user_id"), _int(body.get("message_id"), "message_id")
    if user_id not in world.users:
        raise ControlError(f"unknown user {user_id}: send a message as that user first")
    found = payments.invoice_of(world, user_id, message_id)
    if found is None:
        raise ControlError(f"no invoice {message_id} in the private chat of user {user_id}")
    record, invoice = found
    if invoice["paid"]:
        raise ControlError(f"invoice {message_id} is paid already")
    payload = str(body["payload"]) if body.get("payload") is not None else invoice["payload"]
    total = _int(body["total_amount"], "total_amount") if body.get("total_amount") is not None \
        else record.message["invoice"]["total_amount"]
    checkout = payments.begin_checkout(world, user_id, user_id, message_id, payload, total)
    wait = min(float(body.get("wait_answer") or payments.ANSWER_SECONDS), payments.ANSWER_SECONDS)
    await _wait_until(world, lambda: checkout.answer is not None, wait)
    payment = None
    if checkout.answer is not None and checkout.answer["ok"]:
        deliveries = max(1, min(_int(body.get("deliveries", 1), "deliveries"), 5))
        payment = message_view(world.chats[user_id], world.chats[user_id].records[
            payments.complete_checkout(world, checkout, deliveries)["message_id"]])
    return ok({"pre_checkout_query_id": checkout.id, "answer": checkout.answer, "payment": payment})


async def _wait_until(world: World, ready: Any, seconds: float) -> None:
    deadline = asyncio.get_running_loop().time() + min(max(seconds, 0.0), MAX_WAIT_SECONDS)
    while not ready() and not world.closing:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            return
        await world.wait_change(remaining)


def _chat_from_query(world: World, query: Any) -> Chat:
    raw = query.get("chat_id") or query.get("user_id")
    if raw is None:
        raise ControlError("pass user_id= (a private chat) or chat_id= (a group)")
    chat = world.chats.get(_int(raw, "chat_id"))
    if chat is None:
        raise ControlError(f"chat {raw} not found")
    return chat


async def messages(request: web.Request) -> web.Response:
    """Messages in a chat, oldest first: the bot's (add include_user=1 for the users' too).

    after_id= keeps newer message ids, after_rev= keeps messages changed since that revision (edits too),
    wait= long-polls up to that many seconds until something matches.
    """
    world, query = request.app[WORLD], request.query
    chat = _chat_from_query(world, query)
    after_id, after_rev = _int(query.get("after_id", 0), "after_id"), _int(query.get("after_rev", 0), "after_rev")
    include_user = query.get("include_user", "") in ("1", "true")

    def matching() -> list[dict[str, Any]]:
        return [message_view(chat, r) for mid, r in chat.records.items()
                if mid > after_id and r.rev > after_rev and (r.from_bot or include_user)]

    await _wait_until(world, lambda: bool(matching()), float(query.get("wait", 0) or 0))
    return ok(matching(), rev=world.rev, reply_keyboard=chat.reply_keyboard, action=chat.action)


async def changes(request: web.Request) -> web.Response:
    """The bot's messages in every chat sent or changed after `after_rev=`, long-polling up to `wait=` seconds."""
    world = request.app[WORLD]
    after_rev = _int(request.query.get("after_rev", 0), "after_rev")
    await _wait_until(world, lambda: bool(world.changes) and world.changes[-1][0] > after_rev,
                      float(request.query.get("wait", 0) or 0))
    return ok([message_view(chat, record) for chat, record in world.changed_since(after_rev)], rev=world.rev)


async def callback_answers(request: web.Request) -> web.Response:
    """Callback queries of a chat (or of every chat, without parameters) with the bot's answers, oldest first."""
    world = request.app[WORLD]
    if not {"user_id", "chat_id"} & set(request.query):
        return ok([callback_view(c) for c in world.callbacks.values()])
    chat = _chat_from_query(world, request.query)
    return ok([callback_view(c) for c in world.callbacks.values() if c.chat_id == chat.id])


async def personas(request: web.Request) -> web.Response:
    return ok(request.app[PERSONAS_KEY])


async def info(request: web.Request) -> web.Response:
    """The bot, the staff group, the personas and every user the sandbox knows (for the page)."""
    world = request.app[WORLD]
    group = world.chats[world.staff_group_id]
    return ok({"bot": world.bot, "personas": request.app[PERSONAS_KEY], "users": list(world.users.values()),
               "staff_group": {**world.chat_json(group), "members": sorted(group.members)}, "rev": world.rev})


async def commands(request: web.Request) -> web.Response:
    """The menu a user sees (user_id=, optional chat_id=), or every stored scope without parameters."""
    world, query = request.app[WORLD], request.query
    if "user_id" not in query:
        stored = [{"scope": scope, "language_code": lang, "commands": cmds} for (scope, lang), cmds in world.commands.items()]
        return ok(stored)
    user_id = _int(query["user_id"], "user_id")
    return ok(effective_commands(world, user_id, _int(query.get("chat_id", user_id), "chat_id")))


async def block(request: web.Request) -> web.Response:
    """The user blocks (or unblocks) the bot: the bot's sends then fail with 403 as on Telegram."""
    world, body = request.app[WORLD], await json_body(request)
    user_id = _int(body.get("user_id"), "user_id")
    (world.blocked.add if body.get("blocked", True) else world.blocked.discard)(user_id)
    return ok(True)


async def reset(request: web.Request) -> web.Response:
    """Forget the chats and the counters; limits and faults return to the server's own settings."""
    request.app[WORLD].reset()
    request.app[TRAFFIC].reset()
    return ok(True)


async def file(request: web.Request) -> web.Response:
    stored = request.app[WORLD].files.find(request.match_info["file_id"])
    if stored is None:
        raise web.HTTPNotFound()
    return web.Response(body=stored.data, content_type=stored.mime_type)


LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


def _refusal(request: web.Request) -> str | None:
    """Why a control request is refused: it must come from this machine, by a program or our own page.

    A web page open in a browser may send simple requests anywhere: JSON bodies (which need a CORS preflight
    we never grant), a loopback Host (against DNS rebinding) and a same-origin Origin keep such pages out."""
    if request.remote not in ("127.0.0.1", "::1"):
        return "the control API answers only this machine"
    host = (request.host or "").rsplit(":", 1)[0].strip("[]")
    if host not in LOOPBACK_HOSTS:
        return "the control API answers only requests addressed to a loopback host"
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}":
        return "the control API answers no other web site"
    if request.method == "POST" and request.content_type != "application/json":
        return "the control API takes JSON bodies only (Content-Type: application/json)"
    return None


@web.middleware
async def loopback_only(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.path.startswith("/sandbox/"):
        refused = _refusal(request)
        if refused is not None:
            return web.json_response({"ok": False, "error_code": 403, "description": refused}, status=403)
    return await handler(request)


@web.middleware
async def control_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)
    except ControlError as error:
        return web.json_response({"ok": False, "error_code": 400, "description": str(error)}, status=400)


def add_routes(app: web.Application) -> None:
    app.router.add_post("/sandbox/send", send)
    app.router.add_post("/sandbox/click", click)
    app.router.add_post("/sandbox/pay", pay)
    app.router.add_get("/sandbox/messages", messages)
    app.router.add_get("/sandbox/callback_answers", callback_answers)
    app.router.add_get("/sandbox/changes", changes)
    app.router.add_get("/sandbox/personas", personas)
    app.router.add_get("/sandbox/info", info)
    app.router.add_get("/sandbox/commands", commands)
    app.router.add_post("/sandbox/block", block)
    app.router.add_post("/sandbox/reset", reset)
    app.router.add_get("/sandbox/files/{file_id}", file)
