"""GET /web/api/events: Server-Sent Events of the chat's new and edited messages, resumable by Last-Event-ID."""
from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from web.auth import CHANNEL, caller
from web.present import hidden, present

KEEP_ALIVE_SECONDS = 15.0


def _frame(event: str, seq: int, message: dict[str, Any]) -> bytes:
    return f"id: {seq}\nevent: {event}\ndata: {json.dumps(message, ensure_ascii=False)}\n\n".encode()


async def events(request: web.Request) -> web.StreamResponse:
    who = await caller(request)
    channel = request.app[CHANNEL]
    queue = channel.hub.subscribe(who.chat_id)  # before reading what was missed: nothing falls in between
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                                           "X-Accel-Buffering": "no"})
    await response.prepare(request)
    try:
        last = request.headers.get("Last-Event-ID") or request.query.get("last_event_id")
        sent = int(last) if last and last.isdigit() else None
        if sent is not None:
            for missed in await channel.svc.call(channel.store.changed_after, who.chat_id, sent):
                if hidden(missed):
                    continue
                kind = "message" if missed.created_seq > sent else "edit"
                await response.write(_frame(kind, missed.seq, present(missed)))
                sent = missed.seq
        while True:
            try:
                event, seq, message = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
            except asyncio.TimeoutError:
                if await channel.session(request.cookies.get("bx_session")) is None:
                    break  # signed out, expired or revoked meanwhile: the stream ends with the session
                await response.write(b": keep-alive\n\n")
                continue
            if sent is None or seq > sent:
                await response.write(_frame(event, seq, message))
                sent = seq
    except ConnectionResetError:  # the page went away; it resumes from its Last-Event-ID
        pass
    finally:
        channel.hub.unsubscribe(who.chat_id, queue)
    return response
