"""API refusals: {ok: false, code, message} with the message in the resident's language (catalog web.err.*)."""
from __future__ import annotations

import json

from aiohttp import web

from bot.i18n import Catalogs
from domain.values import Language


def refusal(catalogs: Catalogs, language: Language, status: int, code: str, **values: object) -> web.HTTPException:
    body = json.dumps({"ok": False, "code": code, "message": catalogs.text(language, f"web.err.{code}", **values)},
                      ensure_ascii=False)
    kind = {400: web.HTTPBadRequest, 401: web.HTTPUnauthorized, 403: web.HTTPForbidden, 404: web.HTTPNotFound,
            413: web.HTTPRequestEntityTooLarge, 429: web.HTTPTooManyRequests}[status]
    if kind is web.HTTPRequestEntityTooLarge:
        return web.HTTPRequestEntityTooLarge(max_size=0, actual_size=0, text=body, content_type="application/json")
    return kind(text=body, content_type="application/json")


def accepted_language(header: str | None, default: Language) -> Language:
    """Before anyone is registered: the browser's first language we serve."""
    for part in (header or "").split(","):
        code = part.split(";")[0].strip().lower()
        if code.startswith("zh"):
            return Language.ZH
        if code.startswith("en"):
            return Language.EN
    return default
