"""A stored Telegram-shaped message -> the page's message object (GET /web/api/messages, SSE)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from storage.web_store import StoredMessage
from web.sanitize import as_html

TEXT_CHIP = "text:"  # a reply-keyboard button: tapping it sends its label as the resident's message


def present(message: StoredMessage) -> dict[str, Any]:
    p = message.payload
    web = p.get("_web", {})
    text = p.get("text") if "text" in p else p.get("caption", "")
    parse_mode = web.get("parse_mode") if message.from_bot else None  # what residents typed is always escaped
    out: dict[str, Any] = {"id": message.id, "from": "bot" if message.from_bot else "me",
                           "html": as_html(text or "", parse_mode), "buttons": buttons(p),
                           "at": datetime.fromtimestamp(int(p.get("date", 0)), timezone.utc).isoformat()}
    if p.get("photo"):
        out["photo_url"] = f"/web/api/file/{message.id}"
    if p.get("voice") or p.get("audio"):
        out["voice_url"] = f"/web/api/file/{message.id}"
    if p.get("document"):
        out["document_url"] = f"/web/api/file/{message.id}"
        out["document_name"] = str(p["document"].get("file_name") or "file")
    if message.edited:
        out["edited"] = True
    if web.get("deleted"):
        out["deleted"] = True
    if web.get("toast"):
        out["toast"] = True
    return out


def hidden(message: StoredMessage) -> bool:
    """What the page sent on the resident's behalf (/start <code>, /lang en) is kept but not shown."""
    return bool(message.payload.get("_web", {}).get("hidden"))


def buttons(payload: dict[str, Any]) -> list[list[dict[str, str]]]:
    """Inline buttons as chips (their callback data); reply-keyboard buttons as chips that send their label."""
    rows: list[list[dict[str, str]]] = []
    for row in (payload.get("reply_markup") or {}).get("inline_keyboard", []):
        chips = [{"label": b["text"], "data": b["callback_data"]} if b.get("callback_data") is not None else
                 {"label": b["text"], "url": b["url"]} for b in row if b.get("callback_data") is not None or b.get("url")]
        if chips:
            rows.append(chips)
    for row in payload.get("_web", {}).get("keyboard", []):
        chips = [{"label": b["text"], "data": TEXT_CHIP + b["text"]} for b in row
                 if not (b.get("request_contact") or b.get("request_location"))]
        if chips:
            rows.append(chips)
    return rows


def button_allowed(payload: dict[str, Any], data: str) -> bool:
    """A tap is honoured only for a chip this message shows: a page cannot make up callback data."""
    return any(chip.get("data") == data for row in buttons(payload) for chip in row)
