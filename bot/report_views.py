"""Each outcome of the report dialog as a message and its buttons, in the owner's language."""
from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import Update

from bot import keyboards, render
from bot.attachments import kinds_text
from bot.common import Who, reply
from bot.keyboards import card_mark
from bot.selfhelp import article_text, steps, title
from bot.services import BotServices
from domain.reporting import outcomes as o
from domain.reporting.draft import Draft, Step
from domain.values import Language


async def show(update: Update, svc: BotServices, me: Who, draft: Draft, outcome: o.Outcome) -> None:
    """Say what the outcome asks for; safety steps always come first."""
    lang = me.language
    if outcome.safety is not None and svc.kb is not None:
        article = svc.kb.article(outcome.safety.article_id)
        key = "kb.safety" if outcome.files_now else "kb.safety_first"  # filed already, or once we know where
        await reply(update, article_text(svc, lang, article, key), parse_mode="HTML")
    match outcome:
        case o.AskDescription():
            await reply(update, svc.t(lang, "report.ask_text"))
        case o.AskPlace():
            await _ask_place(update, svc, lang, outcome)
        case o.AskBuilding(area=area, offers=offers, again=again):
            text = svc.t(lang, "report.ask_building", area=escape(area))
            await reply(update, _again(svc, lang, again, "report.building_again") + text,
                        reply_markup=keyboards.buildings(svc, lang, offers))
        case o.AskRoom(building=building, again=again):
            text = svc.t(lang, "report.ask_room", building=escape(building))
            await reply(update, _again(svc, lang, again, "report.room_again") + text,
                        reply_markup=keyboards.whole_building(svc, lang))
        case o.AskUnit(building=building, units=units, again=again):
            text = svc.t(lang, "report.ask_unit", building=escape(building))
            await reply(update, _again(svc, lang, again, "report.unit_again") + text,
                        reply_markup=keyboards.units(svc, lang, units))
        case o.AskCategory(again=again):
            await reply(update, _again(svc, lang, again, "report.category_again") + svc.t(lang, "report.ask_category"),
                        reply_markup=keyboards.categories(svc, lang))
        case o.AskPriority():
            await reply(update, svc.t(lang, "report.ask_priority"), reply_markup=keyboards.priorities(svc, lang))
        case o.AskNewText():
            await reply(update, svc.t(lang, "report.ask_new_text"))
        case o.ShowEdit():
            await reply(update, summary(svc, lang, draft) + "\n\n" + svc.t(lang, "report.what_to_change"),
                        parse_mode="HTML", reply_markup=keyboards.edit_fields(svc, lang, card_mark(draft)))
        case o.Confirm(suggestion=None):
            await reply(update, summary(svc, lang, draft) + "\n\n" + svc.t(lang, "report.confirm_hint"),
                        parse_mode="HTML", reply_markup=keyboards.summary(svc, lang, card_mark(draft)))
        case o.Confirm(suggestion=suggestion, seen=False) if suggestion is not None:
            await reply(update, tip_card(svc, lang, draft, suggestion.article_id), parse_mode="HTML",
                        reply_markup=keyboards.tip_card(svc, lang, card_mark(draft)))
        case o.Confirm(seen=True):  # after a correction: the changed card, not the article's steps again
            await reply(update, summary(svc, lang, draft) + "\n\n" + svc.t(lang, "report.tip_hint"),
                        parse_mode="HTML", reply_markup=keyboards.tip_card(svc, lang, card_mark(draft)))
        case o.PhotoAdded(count=count, step=step):
            markup = keyboards.summary(svc, lang, card_mark(draft)) if step is Step.CONFIRM else None
            await reply(update, svc.t(lang, "report.photo_added", n=count), reply_markup=markup)
        case o.SubmitNow():
            pass  # the caller files the ticket and says so


async def _ask_place(update: Update, svc: BotServices, lang: Language, outcome: o.AskPlace) -> None:
    prefix = ""
    if outcome.unknown_building:
        prefix = svc.t(lang, "report.unknown_building", building=escape(outcome.unknown_building)) + "\n"
    elif outcome.again:
        prefix = svc.t(lang, "report.place_again") + "\n"
    homes = outcome.homes
    if outcome.typed_only or not homes:
        await reply(update, prefix + svc.t(lang, "report.type_place"))
    elif len(homes) == 1:
        await reply(update, prefix + svc.t(lang, "report.ask_place_home", place=escape(homes[0].short())),
                    reply_markup=keyboards.homes(svc, lang, list(homes)))
    else:
        await reply(update, prefix + svc.t(lang, "report.ask_place_homes"),
                    reply_markup=keyboards.homes(svc, lang, list(homes)))


def _again(svc: BotServices, lang: Language, again: bool, key: str) -> str:
    return svc.t(lang, key) + "\n" if again else ""


def summary(svc: BotServices, lang: Language, draft: Draft) -> str:
    return svc.t(lang, "report.summary", place=render.place(draft.location),
                 category=escape(render.category_label(svc, lang, draft.category)),
                 priority=render.priority_label(svc, lang, draft.priority), text=escape(draft.text),
                 attached=kinds_text(svc, lang, (p.kind for p in draft.photos)) or svc.t(lang, "files.nothing"))


def tip_card(svc: BotServices, lang: Language, draft: Draft, article_id: str) -> str:
    """Self-help and the summary in one card: try this first, or submit the report as it stands."""
    assert svc.kb is not None
    article = svc.kb.article(article_id)
    return svc.t(lang, "report.tip_card", title=title(article, lang), steps=steps(article, lang),
                 summary=summary(svc, lang, draft))


def due_text(svc: BotServices, language: Language, moment: datetime) -> str:
    """A deadline as the owner reads it, in the estate's time: "today 17:30", "tomorrow 09:00", "03-05 09:00"."""
    local, today = moment.astimezone(svc.tz), svc.clock.now().astimezone(svc.tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return svc.t(language, "time.today_at", time=clock)
    if (local.date() - today).days == 1:
        return svc.t(language, "time.tomorrow_at", time=clock)
    return local.strftime("%m-%d ") + clock
