"""Technician commands: /jobs, /claim, /accept, /decline, /begin, /hold, /resume, /done, /duty."""
from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot import done_parts, keyboards, render
from bot.actions import perform
from bot.chat import Chat
from bot.common import Who, reply, require_person, rest, ticket_arg
from bot.owner import _simple
from bot.services import services
from domain.lifecycle import Action
from domain.usecases.queries import technician_jobs
from domain.reporting.draft import Photo
from domain.ticket import AttachmentKind
from domain.usecases.registration import set_duty
from domain.usecases.tickets import attach, check_allowed

DONE = "done"
claim = _simple("claim")
accept = _simple("accept")
decline = _simple("decline", needs_text=True)
hold = _simple("hold", needs_text=True)
resume = _simple("resume")


async def jobs(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/jobs: my open jobs, then the ones I may claim."""
    me = await require_person(update, context)
    if me is None:
        return
    svc = services(context)
    found = await svc.look(technician_jobs, me.person.id)  # type: ignore[union-attr]
    none = svc.t(me.language, "tech.none")
    mine = render.ticket_list(svc, me.language, found.mine, 30) or none
    pool = render.ticket_list(svc, me.language, found.claimable, 15) or none
    await reply(update, svc.t(me.language, "tech.jobs", mine=mine, pool=pool), parse_mode="HTML")


async def done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/done <id> [notes]: the notes (asked for when missing: typed or said), then parts, labour minutes and
    after-photos, each skippable."""
    me = await require_person(update, context)
    if me is None:
        return
    svc = services(context)
    ticket_id = await ticket_arg(update, context, me, "done")
    notes = rest(context)
    if ticket_id is None:
        return
    # Checked before asking for notes, parts and photos, so nobody fills in a form that will be refused.
    await svc.look(check_allowed, me.person.id, ticket_id, Action.COMPLETE)  # type: ignore[union-attr]
    state = {"ticket_id": ticket_id, "notes": notes, "parts": [], "minutes": None, "photos": [],
             "step": "parts" if notes else "notes"}
    await svc.call(svc.states.put, me.chat_id, DONE, state, force=True)
    if notes:
        await done_parts.offer(update, context, me, state)
    else:  # a voice note now is transcribed, confirmed (🎙 我听到的是…) and comes back here as the notes
        await reply(update, svc.t(me.language, "done.ask_notes", id=ticket_id))


async def keep_voice(context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, notes: tuple[Photo, ...]) -> None:
    """A voice note the technician dictated in the form stays with the ticket as work, for staff to hear."""
    state, svc = chat.get(DONE) or {}, services(context)
    assert me.person is not None
    for note in notes:
        await svc.run(attach, svc.clock, me.person.id, state["ticket_id"], note.file_id, note.kind)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str) -> bool:
    """Text in the /done form: the parts, or the labour minutes."""
    await done_step(update, context, me, chat, text)
    return True


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, photo: Photo,
                   caption: str) -> bool:
    """After-photos join the form while it asks for them; other media go wherever else they fit."""
    state = chat.get(DONE) or {}
    if state.get("step") != "photos" or photo.kind is not AttachmentKind.PHOTO:
        return False
    await done_step(update, context, me, chat, None, photo=photo.file_id)
    return True


async def done_step(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                    text: str | None, photo: str | None = None) -> None:
    """One answer in the /done form: text for parts or minutes, photos, or a skip (text None)."""
    svc, lang = services(context), me.language
    state = dict(chat.get(DONE) or {})
    step = state.get("step")
    if step == "notes":
        if not (text and text.strip()):
            await reply(update, svc.t(lang, "done.ask_notes", id=state["ticket_id"]))
            return
        state["notes"], state["step"] = text.strip(), "parts"
        await chat.put(DONE, state)
        await done_parts.offer(update, context, me, state)
    elif step == "qty" and text is not None:
        await done_parts.quantity(update, context, me, chat, text)
    elif step == "parts" and text is not None and text.strip():
        await done_parts.offer(update, context, me, state, text.strip()[:100])  # a search of the catalog
    elif step in ("parts", "qty"):  # no parts, or that's all
        state.pop("pending", None)
        state["step"] = "minutes"
        await chat.put(DONE, state)
        await reply(update, svc.t(lang, "done.ask_minutes"), reply_markup=keyboards.skip(svc, lang, "minutes"))
    elif step == "minutes":
        if text is not None and not text.strip().isdecimal():
            await reply(update, svc.t(lang, "done.bad_minutes"), reply_markup=keyboards.skip(svc, lang, "minutes"))
            return
        state["minutes"] = int(text) if text else None
        state["step"] = "photos"
        await chat.put(DONE, state)
        await reply(update, svc.t(lang, "done.ask_photos"), reply_markup=keyboards.skip(svc, lang, "photos"))
    elif photo is not None:
        state["photos"] = [*state.get("photos", []), photo]
        await chat.put(DONE, state)
        await reply(update, svc.t(lang, "done.photo_added", n=len(state["photos"])),
                    reply_markup=keyboards.skip(svc, lang, "photos_done"))
    else:
        await finish(update, context, me, chat, state)


async def finish(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, state: dict[str, Any]) -> None:
    # The form ends either way: on a refusal the reason is explained and the notes stay in the chat.
    await chat.drop(DONE)
    used = tuple((p["code"], int(p["qty"])) for p in state["parts"])
    await perform(update, context, me, "done", state["ticket_id"], state["notes"], used, state["minutes"],
                  tuple(state["photos"]))


async def duty(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/duty on|off."""
    me = await require_person(update, context)
    if me is None:
        return
    svc = services(context)
    choice = (context.args[0].lower() if context.args else "")
    if choice not in ("on", "off"):
        await reply(update, svc.t(me.language, "usage.duty"))
        return
    await svc.run(set_duty, me.person.id, choice == "on")  # type: ignore[union-attr]
    await reply(update, svc.t(me.language, f"tech.duty_{choice}"))
