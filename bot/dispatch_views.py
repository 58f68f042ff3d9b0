"""What staff see of dispatch: who it would choose for a ticket and why, beside the card and on the assign
buttons (domain/usecases/dispatching.ranking_for)."""
from __future__ import annotations

from datetime import datetime, time, timezone
from html import escape

from telegram import InlineKeyboardButton as B, InlineKeyboardMarkup as Markup

from bot.services import BotServices
from domain.dispatch import Candidate, PassedOver
from domain.people import Person
from domain.usecases.dispatching import assign_choices, ranking_for
from domain.values import Language

SHOWN = 3  # the breakdowns shown beside a card; the buttons list everyone


def day_start(svc: BotServices) -> datetime:
    """Local midnight today, in UTC: "jobs done today" count from here."""
    local = svc.clock.now().astimezone(svc.tz).date()
    return datetime.combine(local, time(0), svc.tz).astimezone(timezone.utc)


async def ranking(svc: BotServices, ticket_id: int) -> tuple[Candidate, ...]:
    if svc.dispatch is None:
        return ()
    return await svc.look(ranking_for, svc.dispatch, svc.estate, ticket_id, day_start(svc))


async def choices(svc: BotServices, ticket_id: int) -> tuple[tuple[Candidate, ...], dict[int, PassedOver]]:
    """The ranking and why the others are left out of it, in one read: what the assign buttons show."""
    if svc.dispatch is None:
        return (), {}
    return await svc.look(assign_choices, svc.dispatch, svc.estate, ticket_id, day_start(svc))


def why_lines(svc: BotServices, language: Language, candidates: tuple[Candidate, ...]) -> list[str]:
    """The top candidates' scores, feature by feature: "1. 王师傅 1.55 = 技能 +1 · 片区 +1 · …"."""
    if not candidates:
        return [svc.t(language, "why.nobody")]
    lines = [svc.t(language, "why.head")]
    for n, c in enumerate(candidates[:SHOWN], 1):
        parts = " · ".join(_feature(svc, language, f.name, f.value, f.points) for f in c.features if f.weight)
        room = "" if c.has_room else " " + svc.t(language, "why.full")
        lines.append(f"{n}. {escape(c.technician.person.name)} <b>{c.score:.2f}</b> = {parts}{room}")
    return lines


def _feature(svc: BotServices, language: Language, name: str, value: float, points: float) -> str:
    amount = {"distance": svc.t(language, "why.km", km=f"{value:.2f}"),
              "load": svc.t(language, "why.jobs", n=int(value)),
              "fairness": svc.t(language, "why.jobs", n=int(value))}.get(name, "")
    label = svc.t(language, f"why.{name}")
    shown = "0" if abs(points) < 0.005 else f"{points:+.2f}"  # never "-0.00"
    return f"{label} {shown}" + (f" ({amount})" if amount else "")


def picker(svc: BotServices, language: Language, ticket_id: int, candidates: tuple[Candidate, ...],
           everyone: list[Person], passed: dict[int, PassedOver]) -> Markup:
    """The assign buttons: dispatch's candidates best first with their scores, then the other technicians, each
    with why dispatch passed them over (declined it, off duty, another skill), for staff who know better; never
    someone who has not joined the chat, who would never hear of the job."""
    ranked = {c.person_id: c for c in candidates}
    rows = [[B(f"{c.technician.person.name} · {c.score:.2f}", callback_data=f"t:assign:{ticket_id}:{c.person_id}")]
            for c in candidates[:10]]
    rows += [[B(_passed_label(svc, language, p, passed.get(p.id or 0)), callback_data=f"t:assign:{ticket_id}:{p.id}")]
             for p in everyone if p.id not in ranked and p.active and p.chat_id is not None][:max(0, 12 - len(rows))]
    return Markup(rows)


def _passed_label(svc: BotServices, language: Language, person: Person, why: PassedOver | None) -> str:
    return person.name if why is None else f"{person.name} · {svc.t(language, f'why.passed.{why.value}')}"
