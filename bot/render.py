"""Tickets as chat text: cards, timelines and list lines, in the reader's language (HTML parse mode)."""
from __future__ import annotations

import re
from datetime import datetime
from html import escape

from bot.bill_view import part_name
from bot.services import BotServices
from domain.lifecycle import Action, Status
from domain.people import Person
from domain.sla import pending_deadlines
from domain.ticket import Ticket, TicketEvent
from domain.usecases.dispatching import CHECK_IN, LAPSED, parse_offer
from domain.usecases.queries import TicketView
from domain.values import Category, Language, Location, Priority

PRIORITY_ICON = {Priority.URGENT: "🔴", Priority.NORMAL: "🟡", Priority.LOW: "🟢"}
TELEGRAM_TEXT_LIMIT = 4096
TIMELINE_PAGE = 10  # a card shows the latest events; older ones are paged (tl:<ticket>:<page>)
_SPLIT_MARKUP = re.compile(r"(?:</?(?:[A-Za-z][^<>]{0,200})?|&#?[A-Za-z0-9]{0,10})$")  # a tag or entity, cut off
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>")


def fit(text: str, limit: int = TELEGRAM_TEXT_LIMIT, more: str = "…") -> str:
    """Text that Telegram accepts: cut at a line break (our HTML never spans lines) with a pointer to the rest."""
    if len(text) <= limit:
        return text
    room = limit - len(more) - 1
    cut = text.rfind("\n", 0, room)
    return (text[:cut] if cut > room // 2 else _cut_line(text, room)) + "\n" + more


def _cut_line(text: str, room: int) -> str:
    """At most `room` characters, cut inside a line: no tag or entity split in half, and the tags left open closed
    (an escaped '&amp;' cut to '&' or an open <b> makes Telegram refuse the whole message)."""
    take = room
    while True:
        head = _SPLIT_MARKUP.sub("", text[:take])
        still_open: list[str] = []
        for closing, name in _TAG.findall(head):
            if not closing:
                still_open.append(name)
            elif still_open and still_open[-1] == name:  # what we send is well nested
                still_open.pop()
        tail = "".join(f"</{name}>" for name in reversed(still_open))
        if len(head) + len(tail) <= room:
            return head + tail
        take = room - len(tail)  # strictly less each time round: fewer characters, as many tags or more


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def status_label(status: Status, language: Language) -> str:
    return status.label_zh if language is Language.ZH else status.label_en


def category_label(svc: BotServices, language: Language, category: Category | str | None) -> str:
    """Plain text ("Access & security"): escape it where it goes into HTML."""
    return svc.t(language, f"cat.{Category(category).value}") if category else "—"


def priority_label(svc: BotServices, language: Language, priority: Priority | str) -> str:
    p = Priority(priority)
    return f"{PRIORITY_ICON[p]} {svc.t(language, f'prio.{p.value}')}"


def place(location: Location) -> str:
    return escape(location.short()) or "—"


def when(svc: BotServices, moment: datetime | None) -> str:
    return moment.astimezone(svc.tz).strftime("%m-%d %H:%M") if moment else "—"


def list_line(svc: BotServices, language: Language, ticket: Ticket) -> str:
    return (f"<b>{ticket.number}</b> {status_label(ticket.status, language)} · {PRIORITY_ICON[ticket.priority]} "
            f"{escape(category_label(svc, language, ticket.category))} · {place(ticket.location)} · "
            f"{escape(ticket.description[:40])}")


def ticket_list(svc: BotServices, language: Language, tickets: list[Ticket], limit: int) -> str:
    """One line per ticket, at most `limit` of them."""
    return "\n".join(list_line(svc, language, t) for t in tickets[:limit])


def card(svc: BotServices, language: Language, view: TicketView, private: bool = True, page: int = 0) -> str:
    """The full ticket: what, where, who, status, SLA, completion, rating and timeline. Outside a private chat
    (the staff group) the owner's phone is left out: a group is read by more people than need it."""
    t, lines = view.ticket, []
    lines.append(f"<b>{t.number}</b> · {status_label(t.status, language)}")
    lines.append(svc.t(language, "card.where", place=place(t.location)))
    lines.append(svc.t(language, "card.what", category=escape(category_label(svc, language, t.category)),
                       priority=priority_label(svc, language, t.priority)))
    lines.append(svc.t(language, "card.description", text=escape(t.description)))
    if view.owner is not None:
        phone = escape(view.owner.phone or "—") if private else svc.t(language, "card.phone_private")
        lines.append(svc.t(language, "card.owner", name=escape(view.owner.name), phone=phone))
    if view.technician is not None:
        lines.append(svc.t(language, "card.technician", name=escape(view.technician.name)))
    lines.append(svc.t(language, "card.reported", created=when(svc, t.created_at)))
    if view.recurrence is not None and t.id is not None:  # staff only: view_ticket leaves it out for anyone else
        from bot.planning import card_line  # it renders with this module's helpers

        lines.append(card_line(svc, language, view.recurrence, t.id))
    lines += deadline_lines(svc, language, t)
    if t.hold_reason:
        lines.append(svc.t(language, "card.hold", reason=escape(short(t.hold_reason, 300))))
    if t.completion:
        lines.append(svc.t(language, "card.completion", notes=escape(short(t.completion.notes, 600)),
                           parts=escape(", ".join(parts_named(language, view)) or "—"),
                           minutes=t.completion.labour_minutes if t.completion.labour_minutes is not None else "—"))
    if t.rework_count:
        lines.append(svc.t(language, "card.rework", count=t.rework_count))
    if t.rating:
        lines.append(svc.t(language, "card.rating", stars="★" * t.rating, rating=t.rating,
                           comment=escape(short(t.rating_comment or "", 300))))
    from bot.attachments import summary  # it renders with this module's helpers

    attached = summary(svc, language, t.attachments)
    if attached:
        lines.append(attached)
    lines.append("")
    lines += timeline_page(svc, language, view, page)
    return fit("\n".join(lines))


def deadline_lines(svc: BotServices, language: Language, ticket: Ticket) -> list[str]:
    """The promises still open (accept by, on site by, done by), each on track or overdue, in the estate's time."""
    now = svc.clock.now()
    return [svc.t(language, "card.deadline", what=svc.t(language, f"deadline.{kind.value}"), due=when(svc, due),
                  state=svc.t(language, "deadline.overdue" if now > due else "deadline.on_track"))
            for kind, due in pending_deadlines(ticket)]


def parts_named(language: Language, view: TicketView) -> list[str]:
    """The parts used, in the reader's language when the bill names them, else as the technician recorded them."""
    if view.parts:
        return [f"{part_name(language, line)} ×{line.quantity}" for line in view.parts]
    return list(view.ticket.completion.parts) if view.ticket.completion else []


def timeline_page(svc: BotServices, language: Language, view: TicketView, page: int) -> list[str]:
    """Page `page` of the timeline, newest first in pages of TIMELINE_PAGE, shown oldest to newest."""
    events = view.timeline
    end = max(0, len(events) - page * TIMELINE_PAGE)
    shown = events[max(0, end - TIMELINE_PAGE):end]
    head = svc.t(language, "card.timeline") if len(events) <= TIMELINE_PAGE else \
        svc.t(language, "card.timeline_page", first=end - len(shown) + 1, last=end, total=len(events))
    return [head] + [timeline_line(svc, language, e) for e in shown]


def timeline_pages(view: TicketView) -> int:
    return max(1, -(-len(view.timeline) // TIMELINE_PAGE))


def timeline_line(svc: BotServices, language: Language, event: TicketEvent) -> str:
    action = svc.t(language, f"act.{event.action.value}")
    moved = "" if event.from_status in (None, event.to_status) else \
        f" ({status_label(event.from_status, language)} → {status_label(event.to_status, language)})"
    note = _note(svc, language, event)
    return f"• {when(svc, event.at)} {action}{moved}{f' · {note}' if note else ''}"


def _note(svc: BotServices, language: Language, event: TicketEvent) -> str:
    """What people read for an event's note: the system's own notes in words, what people typed as typed."""
    if not event.note or event.action in (Action.OPEN, Action.ASSIGN):
        return ""
    if event.action is Action.OFFER:
        until, to = parse_offer(event.note)
        return svc.t(language, "note.offer", n=len(to), until=clock_time(svc, until) if until else "—")
    if event.action is Action.CHECK_IN:
        return check_in_text(svc, language, event.note)
    if event.action is Action.DECLINE and event.note.startswith(LAPSED):
        return svc.t(language, "note.lapsed")
    if event.action in (Action.LINK, Action.UNLINK, Action.FOLLOW) and event.note.startswith("parent:"):
        return svc.t(language, "note.parent", id=event.note.split(":")[1])
    if event.action is Action.ATTACH and event.note in ("photo", "video", "voice", "document"):  # the kind added
        return svc.t(language, f"files.{event.note}_one")
    if event.action is Action.ESCALATE and event.note.startswith("dispatch_"):
        return svc.t(language, f"note.{event.note}")
    return escape(event.note[:80])


def check_in_text(svc: BotServices, language: Language, note: str) -> str:
    """"checkin:<lat>,<lon>:<metres>:<verified|far>", "checkin:<lat>,<lon>:-:unplaced" (the place has no
    coordinates) or "checkin:none": the arrival as staff read it."""
    parts = note[len(CHECK_IN):].split(":")
    if len(parts) == 3 and parts[2] == "unplaced":
        return svc.t(language, "note.check_in_unplaced")
    if len(parts) == 3 and parts[1].isdigit():
        key = "note.check_in_verified" if parts[2] == "verified" else "note.check_in_far"
        return svc.t(language, key, distance=distance_text(svc, language, int(parts[1])))
    return svc.t(language, "note.check_in_none")


def distance_text(svc: BotServices, language: Language, metres: int) -> str:
    return svc.t(language, "unit.m", n=metres) if metres < 1000 else svc.t(language, "unit.km", n=f"{metres / 1000:.1f}")


def clock_time(svc: BotServices, moment: datetime) -> str:
    return moment.astimezone(svc.tz).strftime("%H:%M")


def person_name(person: Person | None) -> str:
    return escape(person.name) if person else "—"
