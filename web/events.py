"""GET /web/api/events: Server-Sent Events of the chat's new and edited messages, resumable by Last-Event-ID.

Pushed from this process's router at once; and read from the inbox table every few seconds too, because the
outbox may be delivered by another worker process (the leader), whose router cannot reach this page's queue."""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import web

from web.auth import CHANNEL, caller
from web.live import CLOSE
from web.present import hidden, present
from web.signing import COOKIE

KEEP_ALIVE_SECONDS = 15.0
POLL_SECONDS = 3.0


def _frame(event: str, seq: int, message: dict[str, Any]) -> bytes:
    return f"id: {seq}\nevent: {event}\ndata: {json.dumps(message, ensure_ascii=False)}\n\n".encode()


async def events(request: web.Request) -> web.StreamResponse:
    who = await caller(request)
    channel = request.app[CHANNEL]
    queue = channel.hub.subscribe(who.chat_id)  # before reading what was missed: nothing falls in between
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                                           "X-Accel-Buffering": "no"})
    await response.prepare(request)
    last = request.headers.get("Last-Event-ID") or request.query.get("last_event_id")
    sent = int(last) if last and last.isdigit() else None
    if sent is None:  # a fresh page has just read the inbox: only what changes from now on
        sent = await channel.svc.call(channel.store.latest_seq, who.chat_id)
    quiet_since = time.monotonic()
    # (message id, seq) carried by this stream. A push is never dropped for its seq alone: a change stamped
    # earlier may commit after a later one that the inbox read already carried.
    carried: set[tuple[int, int]] = set()
    try:
        while not channel.hub.closing:
            sent = await _catch_up(response, channel, who.chat_id, sent, carried)
            try:
                event, seq, message = await asyncio.wait_for(queue.get(), POLL_SECONDS)
            except asyncio.TimeoutError:
                if time.monotonic() - quiet_since < KEEP_ALIVE_SECONDS:
                    continue
                if not await _still_signed_in(channel, request, who.chat_id):
                    break  # signed out, expired, revoked or deactivated meanwhile: the stream ends with it
                await response.write(b": keep-alive\n\n")
                quiet_since = time.monotonic()
                continue
            if event == CLOSE:
                break
            if (message["id"], seq) not in carried:  # pushed, unless the inbox read above carried it already
                await response.write(_frame(event, seq, message))
                carried.add((message["id"], seq))
                sent, quiet_since = max(sent, seq), time.monotonic()
    except ConnectionResetError:  # the page went away; it resumes from its Last-Event-ID
        pass
    finally:
        channel.hub.unsubscribe(who.chat_id, queue)
    return response


async def _catch_up(response: web.StreamResponse, channel: Any, chat_id: int, sent: int,
                    carried: set[tuple[int, int]]) -> int:
    """Whatever changed after `sent` that this stream has not carried (missed while away, or another worker's)."""
    for missed in await channel.svc.call(channel.store.changed_after, chat_id, sent):
        if not hidden(missed) and (missed.id, missed.seq) not in carried:
            await response.write(_frame("message" if missed.created_seq > sent else "edit", missed.seq, present(missed)))
            carried.add((missed.id, missed.seq))
        sent = missed.seq
    if len(carried) > 1000:  # only recent changes can race; keep the set small on a page left open for days
        for oldest in sorted(carried, key=lambda c: c[1])[:500]:
            carried.discard(oldest)
    return sent


async def _still_signed_in(channel: Any, request: web.Request, chat_id: int) -> bool:
    if await channel.session(request.cookies.get(COOKIE)) is None:
        return False
    person = await channel.person(chat_id)
    return person is None or person.active
