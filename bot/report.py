"""The report conversation's adapter: text, buttons and photos become answers; outcomes become messages."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot import incidents, keyboards
from bot.chat import Chat
from bot.common import Who, reply
from bot.report_views import due_text, show
from bot.services import BotServices, services
from domain import reporting
from domain.reporting import answers as a
from domain.reporting import outcomes as o
from domain.reporting.draft import Draft, Photo, Step, Suggestion
from domain.usecases.tickets import NewTicket, open_ticket

logger = logging.getLogger(__name__)
KIND = "report"


async def read(svc: BotServices, text: str) -> reporting.Reading:
    """What the owner wrote, as the dialog reads it (the NLU's fields, yes/no and cue words)."""
    return svc.answers.reading(await svc.nlu.aparse(text))


def dialog_context(svc: BotServices, me: Who) -> reporting.Context:
    return reporting.Context(svc.estate, tuple(me.person.homes) if me.person else ())


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str,
                reading: reporting.Reading | None = None, photos: tuple[Photo, ...] = ()) -> None:
    """A new report from the owner's first words; /report alone (or a photo alone) asks for them."""
    svc = services(context)
    if text.strip() and reading is None:
        reading = await read(svc, text)
    draft = reporting.start(reading, dialog_context(svc, me), photos)
    await chat.drop(KIND)
    await proceed(update, context, me, chat, draft)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str) -> None:
    """The owner typed an answer to the draft's question."""
    svc = services(context)
    await answer(update, context, me, chat, a.Said(await read(svc, text)))


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, photo: Photo,
                   caption: str) -> None:
    svc = services(context)
    await answer(update, context, me, chat, a.AddPhoto(photo, await read(svc, caption) if caption else None))


async def add_quietly(context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, photos: tuple[Photo, ...]) -> None:
    """Attach files to the draft without a word (the voice note whose words are the next answer)."""
    svc = services(context)
    draft = reporting.from_data(chat.get(KIND) or {})
    for photo in photos:
        draft = reporting.apply(draft, a.AddPhoto(photo, None), dialog_context(svc, me))  # type: ignore[assignment]
    await chat.put(KIND, reporting.to_data(draft))


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, given: a.Answer) -> None:
    """Apply one answer to the stored draft, then ask, show or file whatever comes next."""
    svc = services(context)
    draft = reporting.from_data(chat.get(KIND) or {})
    result = reporting.apply(draft, given, dialog_context(svc, me))
    if isinstance(result, o.Cancelled):
        await chat.drop(KIND)
        await reply(update, svc.t(me.language, "report.cancelled", text=result.text[:500]))
    elif isinstance(result, o.Deflected):
        await _record(svc, me, draft, "deflected")
        await chat.drop(KIND)
        await reply(update, svc.t(me.language, "kb.glad"))
    elif isinstance(given, a.AddPhoto):
        await chat.put(KIND, reporting.to_data(result))
        await show(update, svc, me, result, o.PhotoAdded(count=len(result.photos), step=result.step))
    else:
        await proceed(update, context, me, chat, result)


async def proceed(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, draft: Draft) -> None:
    svc = services(context)
    if reporting.wants_suggestion(draft):
        draft = reporting.with_suggestion(draft, await _suggestion(svc, draft, me))
    was_shown = draft.shown
    draft, outcome = reporting.next_step(draft, dialog_context(svc, me))
    await chat.put(KIND, reporting.to_data(draft))  # saved before anything is said: nothing typed is lost
    if isinstance(outcome, o.Confirm) and outcome.suggestion and not was_shown:
        await _record(svc, me, draft, "shown")
    if isinstance(outcome, o.SubmitNow):
        await show(update, svc, me, draft, outcome)  # the safety steps, if any, go first
        await submit(update, context, me, chat, draft)
        return
    await show(update, svc, me, draft, outcome)


async def show_again(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat) -> None:
    """After a tap on an earlier report's card: the card of the report being written, or what it waits for."""
    svc = services(context)
    draft = reporting.from_data(chat.get(KIND) or {})
    if draft.step is not Step.CONFIRM:
        await reply(update, svc.t(me.language, "report.current_waits"))
        return
    await show(update, svc, me, draft, reporting.card(draft))


async def submit(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, draft: Draft) -> None:
    """Open the ticket; the draft is dropped only once the ticket exists."""
    svc = services(context)
    assert me.person is not None and draft.category is not None
    if await incidents.answered_by_notice(update, context, me, chat, draft):
        return  # a notice staff sent answers it; the owner may still file it with one tap
    new = NewTicket(location=draft.location, category=draft.category, priority=draft.priority,
                    description=draft.text, photos=tuple((p.file_id, p.kind) for p in draft.photos),
                    report_key=draft.key)
    change = await svc.run(open_ticket, svc.clock, svc.policies, me.person.id, new)  # refusals: explaining()
    await chat.drop(KIND)  # a crash before this line leaves the draft: submitting it again finds the same ticket
    if draft.shown and draft.suggestion and not draft.suggestion.danger:
        await _record(svc, me, draft, "needed_repair")
    # The promise as a time of day: on business hours a report at night is answered in the morning.
    await chat.drop(incidents.NOTICE)
    if change.ticket.parent_id is not None:  # a known fault: filed and linked; is it the same? (one tap)
        text, markup = incidents.grouped_text(svc, me, change.ticket)
        await reply(update, text, parse_mode="HTML", reply_markup=markup)
        return
    due = due_text(svc, me.language, change.ticket.response_due_at)
    await reply(update, svc.t(me.language, "report.submitted", id=change.ticket.id, due=due),
                reply_markup=keyboards.owner_actions(svc, me.language, change.ticket.id))
    # Staff and technicians hear of it through the outbox, committed with the ticket (bot/notify.py).


async def _suggestion(svc: BotServices, draft: Draft, me: Who) -> Suggestion | None:
    """The knowledge base's best article for the draft; search trouble never blocks a report."""
    if svc.kb is None:
        return None
    try:
        hit = await svc.call(svc.kb.best_for, draft.text, draft.category, me.language.value)
        if hit is None:
            return None
        return Suggestion(hit.id, danger=bool(svc.kb.article(hit.id).is_danger))
    except Exception:
        logger.exception("knowledge-base lookup failed")
        return None


async def _record(svc: BotServices, me: Who, draft: Draft, outcome: str) -> None:
    if draft.suggestion is None:
        return
    category = draft.category.value if draft.category else None
    await svc.call(svc.kb_outcomes.record, draft.suggestion.article_id, category, draft.location.building, outcome,
                   me.person.id if me.person else None)
