"""Inline keyboards. Callback data is short and prefixed (t:claim:42) and re-validated on arrival."""
from __future__ import annotations

from telegram import InlineKeyboardButton as B, InlineKeyboardMarkup as Markup

from bot.bill_view import money, part_name
from bot.services import BotServices
from domain.billing.catalog import Part
from domain.people import Person
from domain.reporting.draft import Draft
from domain.values import Category, Language, Location, Priority


def claim(svc: BotServices, lang: Language, ticket_id: int, files: list[list[B]] | None = None) -> Markup:
    """`files`: the job's 📎 / 🎧 row (bot.attachments.rows), so the technician sees and hears it first."""
    return Markup([[B(svc.t(lang, "btn.claim"), callback_data=f"t:claim:{ticket_id}")], *(files or ())])


def accept_decline(svc: BotServices, lang: Language, ticket_id: int, files: list[list[B]] | None = None) -> Markup:
    return Markup([[B(svc.t(lang, "btn.accept"), callback_data=f"t:accept:{ticket_id}"),
                    B(svc.t(lang, "btn.decline"), callback_data=f"t:decline:{ticket_id}")], *(files or ())])


def confirm_reject(svc: BotServices, lang: Language, ticket_id: int) -> Markup:
    return Markup([[B(svc.t(lang, "btn.confirm"), callback_data=f"t:confirm:{ticket_id}"),
                    B(svc.t(lang, "btn.reject"), callback_data=f"t:reject:{ticket_id}")]])


def stars(ticket_id: int) -> Markup:
    return Markup([[B("★" * n, callback_data=f"t:rate:{ticket_id}:{n}") for n in range(1, 6)]])


def owner_actions(svc: BotServices, lang: Language, ticket_id: int) -> Markup:
    return Markup([[B(svc.t(lang, "btn.urge"), callback_data=f"t:urge:{ticket_id}"),
                    B(svc.t(lang, "btn.cancel_ticket"), callback_data=f"t:cancel:{ticket_id}")]])


def confirm_cancel(svc: BotServices, lang: Language, ticket_id: int) -> Markup:
    return Markup([[B(svc.t(lang, "btn.yes_cancel"), callback_data=f"t:cancel:{ticket_id}:yes"),
                    B(svc.t(lang, "btn.keep_ticket"), callback_data=f"t:cancel:{ticket_id}:no")]])


def assign(svc: BotServices, lang: Language, ticket_id: int) -> Markup:
    return Markup([[B(svc.t(lang, "btn.assign"), callback_data=f"t:assign:{ticket_id}")]])


def technicians(ticket_id: int, techs: list[Person]) -> Markup:
    rows = [[B(p.name, callback_data=f"t:assign:{ticket_id}:{p.id}")] for p in techs[:12]]
    return Markup(rows)


def homes(svc: BotServices, lang: Language, places: list[Location]) -> Markup:
    rows = [[B(svc.t(lang, "btn.home", place=h.short()), callback_data=f"r:home:{i}")] for i, h in enumerate(places)]
    rows.append([B(svc.t(lang, "btn.other_place"), callback_data="r:other")])
    return Markup(rows)


def buildings(svc: BotServices, lang: Language, offers: tuple[Location, ...]) -> Markup:
    """The owner's own building (and unit) first; another one is typed."""
    rows = [[B(svc.t(lang, "btn.building", place=_building_label(svc, lang, o)),
               callback_data=f"r:bld:{o.building}:{o.unit or ''}")] for o in offers]
    rows.append([B(svc.t(lang, "btn.other_building"), callback_data="r:bld_other"),
                 B(svc.t(lang, "btn.not_sure"), callback_data="r:unsure")])
    return Markup(rows)


def _building_label(svc: BotServices, lang: Language, place: Location) -> str:
    if place.unit:
        return svc.t(lang, "place.building_unit", building=place.building, unit=place.unit)
    return svc.t(lang, "place.building", building=place.building)


def whole_building(svc: BotServices, lang: Language) -> Markup:
    return Markup([[B(svc.t(lang, "btn.whole_building"), callback_data="r:unsure")]])


def units(svc: BotServices, lang: Language, names: tuple[str, ...]) -> Markup:
    buttons = [B(svc.t(lang, "place.unit", unit=u), callback_data=f"r:unit:{u}") for u in names]
    rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    rows.append([B(svc.t(lang, "btn.not_sure"), callback_data="r:unsure")])
    return Markup(rows)


def categories(svc: BotServices, lang: Language) -> Markup:
    buttons = [B(svc.t(lang, f"cat.{c.value}"), callback_data=f"r:cat:{c.value}") for c in Category]
    return Markup([buttons[i:i + 2] for i in range(0, len(buttons), 2)])


def priorities(svc: BotServices, lang: Language) -> Markup:
    return Markup([[B(svc.t(lang, f"prio.{p.value}"), callback_data=f"r:prio:{p.value}") for p in Priority]])


MARK = "~"  # a draft card's buttons end in ":~" and the draft's mark (bot/report_buttons.py checks it): a tap
# on the card of an earlier report never submits, edits or cancels the one being written now


def card_mark(draft: Draft) -> str:
    """Which draft a card's buttons belong to: the start of its report key (a fresh one per report)."""
    return draft.key[:8]


def summary(svc: BotServices, lang: Language, mark: str) -> Markup:
    return Markup([[B(svc.t(lang, "btn.submit"), callback_data=f"r:submit:{MARK}{mark}"),
                    B(svc.t(lang, "btn.edit"), callback_data=f"r:edit:{MARK}{mark}"),
                    B(svc.t(lang, "btn.cancel"), callback_data=f"r:cancel:{MARK}{mark}")]])


def edit_fields(svc: BotServices, lang: Language, mark: str) -> Markup:
    return Markup([[B(svc.t(lang, f"btn.edit_{f}"), callback_data=f"r:edit:{f}:{MARK}{mark}") for f in ("place", "category")],
                   [B(svc.t(lang, f"btn.edit_{f}"), callback_data=f"r:edit:{f}:{MARK}{mark}") for f in ("priority", "text")]])


def tip_card(svc: BotServices, lang: Language, mark: str) -> Markup:
    """Try this first: solved, or still needs a repair (which submits the report as shown)."""
    return Markup([[B(svc.t(lang, "btn.kb_fixed"), callback_data=f"r:kb:fixed:{MARK}{mark}"),
                    B(svc.t(lang, "btn.kb_repair"), callback_data=f"r:submit:{MARK}{mark}")],
                   [B(svc.t(lang, "btn.edit"), callback_data=f"r:edit:{MARK}{mark}"),
                    B(svc.t(lang, "btn.cancel"), callback_data=f"r:cancel:{MARK}{mark}")]])


def report_anyway(svc: BotServices, lang: Language) -> Markup:
    return Markup([[B(svc.t(lang, "btn.report_this"), callback_data="i:report")]])


def is_it_a_report(svc: BotServices, lang: Language) -> Markup:
    return Markup([[B(svc.t(lang, "btn.yes_report"), callback_data="i:report"),
                    B(svc.t(lang, "btn.not_report"), callback_data="i:no")]])


def skip(svc: BotServices, lang: Language, step: str) -> Markup:
    return Markup([[B(svc.t(lang, "btn.skip"), callback_data=f"d:skip:{step}")]])


def timeline(svc: BotServices, lang: Language, ticket_id: int, page: int, pages: int) -> Markup | None:
    """Page 0 is the newest events; "older" goes up a page."""
    buttons = []
    if page + 1 < pages:
        buttons.append(B(svc.t(lang, "btn.older"), callback_data=f"tl:{ticket_id}:{page + 1}"))
    if page > 0:
        buttons.append(B(svc.t(lang, "btn.newer"), callback_data=f"tl:{ticket_id}:{page - 1}"))
    return Markup([buttons]) if buttons else None


def pages(svc: BotServices, lang: Language, offset: int, page: int, total: int) -> Markup | None:
    buttons = []
    if offset > 0:
        buttons.append(B(svc.t(lang, "btn.prev"), callback_data=f"pg:{max(0, offset - page)}"))
    if offset + page < total:
        buttons.append(B(svc.t(lang, "btn.next"), callback_data=f"pg:{offset + page}"))
    return Markup([buttons]) if buttons else None


def bill(svc: BotServices, lang: Language, ticket_id: int, version: int, work_done: bool) -> Markup:
    """Under a bill: approve it (with the work while that awaits confirming), question the fees, or not fixed."""
    ok = B(svc.t(lang, "btn.approve_bill"), callback_data=f"b:ok:{ticket_id}:{version}") if work_done else \
        B(svc.t(lang, "btn.confirm_and_approve"), callback_data=f"t:confirm:{ticket_id}")
    second = [B(svc.t(lang, "btn.dispute_bill"), callback_data=f"b:dispute:{ticket_id}:{version}")]
    if not work_done:
        second.append(B(svc.t(lang, "btn.reject"), callback_data=f"t:reject:{ticket_id}"))
    return Markup([[ok], second])


def part_picker(svc: BotServices, lang: Language, parts: list[Part], chosen: int) -> Markup:
    """Parts to pick (d:part:<code>), then 'no parts' (d:skip:parts) or, once some are chosen, 'that's all'."""
    rows = [[B(f"{part_name(lang, p)} · {money(lang, p.price_fen)}", callback_data=f"d:part:{p.code}")]
            for p in parts[:8]]
    last = [B(svc.t(lang, "btn.parts_done" if chosen else "btn.no_parts"), callback_data="d:skip:parts")]
    if chosen:
        last.insert(0, B(svc.t(lang, "btn.undo_part"), callback_data="d:undo"))
    return Markup(rows + [last])


def quantities(svc: BotServices, lang: Language) -> Markup:
    return Markup([[B(str(n), callback_data=f"d:qty:{n}") for n in range(1, 6)],
                   [B(svc.t(lang, "btn.other_part"), callback_data="d:undo")]])
