"""The Bot API side: /bot<token>/<method> and /file/bot<token>/<file_path>, answering in Telegram's JSON."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sandbox import methods_bot as bot
from sandbox import methods_media as media
from sandbox import methods_messages as msg
from sandbox import payments
from sandbox.errors import ApiError
from sandbox.params import Params
from sandbox.traffic import Traffic
from sandbox.webhook import set_webhook
from sandbox.world import World

logger = logging.getLogger(__name__)
WORLD = web.AppKey("world", World)
TOKEN = web.AppKey("token", str)
TRAFFIC = web.AppKey("traffic", Traffic)

Method = Callable[[World, Params], Awaitable[Any]]
_BY_NAME: dict[str, Method] = {
    "getMe": bot.get_me, "deleteWebhook": bot.delete_webhook, "getWebhookInfo": bot.get_webhook_info,
    "getUpdates": bot.get_updates, "setMyCommands": bot.set_my_commands, "getMyCommands": bot.get_my_commands,
    "deleteMyCommands": bot.delete_my_commands, "answerCallbackQuery": bot.answer_callback_query,
    "getChat": bot.get_chat, "getChatMember": bot.get_chat_member,
    "sendMessage": msg.send_message, "editMessageText": msg.edit_message_text,
    "editMessageCaption": msg.edit_message_caption, "editMessageReplyMarkup": msg.edit_message_reply_markup,
    "deleteMessage": msg.delete_message, "forwardMessage": msg.forward_message, "copyMessage": msg.copy_message,
    "sendChatAction": msg.send_chat_action,
    "sendPhoto": media.send_photo, "sendDocument": media.send_document, "sendVideo": media.send_video,
    "sendVoice": media.send_voice, "sendAudio": media.send_audio, "sendAnimation": media.send_animation,
    "sendMediaGroup": media.send_media_group, "getFile": media.get_file,
    "setWebhook": set_webhook,
    "sendInvoice": payments.send_invoice, "answerPreCheckoutQuery": payments.answer_pre_checkout_query,
    **{name: bot.accept for name in ("setChatMenuButton", "close", "logOut", "setMyDescription",
                                     "setMyShortDescription", "setMyName", "setMyDefaultAdministratorRights")},
}
# Telegram's method names are case-insensitive, so the tables are keyed in lower case.
METHODS = {name.lower(): fn for name, fn in _BY_NAME.items()}
NAMES = {name.lower(): name for name in _BY_NAME}  # for counting calls under Telegram's spelling


def _reply(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(body, status=status)


def _chat_id(params: Params) -> int | None:
    """The chat a call writes to, for the limits; a malformed one fails in the method itself."""
    try:
        return params.chat_id() if params.has("chat_id") else None
    except ApiError:
        return None


async def call_method(request: web.Request) -> web.Response:
    """Run one Bot API method through the faults and limits; errors come back as {ok: false, error_code, description}."""
    if request.match_info["token"] != request.app[TOKEN]:
        return _reply(ApiError(401, "Unauthorized").to_json(), 401)
    name = request.match_info["method"]
    method = METHODS.get(name.lower())
    if method is None:
        logger.info("sandbox: unknown Bot API method %s", name)
        return _reply(ApiError(404, "Not Found").to_json(), 404)
    params, world = await Params.from_request(request), request.app[WORLD]
    return await request.app[TRAFFIC].serve(request, world, NAMES[name.lower()], _chat_id(params),
                                            lambda: method(world, params))


async def download_file(request: web.Request) -> web.Response:
    if request.match_info["token"] != request.app[TOKEN]:
        return _reply(ApiError(401, "Unauthorized").to_json(), 401)
    stored = request.app[WORLD].files.by_path(request.match_info["file_path"])
    if stored is None:
        return _reply(ApiError(404, "Not Found").to_json(), 404)
    return web.Response(body=stored.data, content_type=stored.mime_type)


def add_routes(app: web.Application) -> None:
    app.router.add_route("*", "/bot{token}/{method}", call_method)
    app.router.add_get("/file/bot{token}/{file_path:.+}", download_file)
