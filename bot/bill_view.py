"""Bills, parts and stock as chat text, in the reader's language: ¥12.50 for English, 12.50 元 for Chinese."""
from __future__ import annotations

from html import escape

from bot.services import BotServices
from domain.billing.bill import Bill, Line, LineKind, Payer
from domain.billing.catalog import LabourRate, Part
from domain.billing.money import yuan
from domain.insight import PartUse
from domain.values import Language


def money(language: Language, fen: int) -> str:
    return f"{yuan(fen)} 元" if language is Language.ZH else f"¥{yuan(fen)}".replace("¥-", "-¥")


def part_name(language: Language, part: Part | Line | PartUse) -> str:
    return part.name_zh if language is Language.ZH else part.name_en


def unit(language: Language, part: Part | Line | PartUse) -> str:
    return part.unit_zh if language is Language.ZH else part.unit_en


def bill_text(svc: BotServices, lang: Language, bill: Bill) -> str:
    """The itemized bill: each part × quantity × price, the call-out, the labour, the total, and who pays why."""
    lines = [svc.t(lang, "bill.head", id=bill.ticket_id, version=bill.version)]
    lines += [_line(svc, lang, line) for line in bill.lines] or [svc.t(lang, "bill.nothing")]
    lines.append(svc.t(lang, "bill.total", total=money(lang, bill.subtotal_fen)))
    payer = bill.who_pays
    lines.append(svc.t(lang, f"bill.payer.{payer.payer.value}", previous=payer.previous_ticket_id or "",
                       days=svc.policies.billing.warranty.days))
    if payer.payer is not Payer.OWNER:
        lines.append(svc.t(lang, "bill.due", due=money(lang, bill.due_fen)))
    if bill.reason:
        reason = svc.t(lang, "bill.rework") if bill.reason == "rework" else escape(bill.reason)
        lines.append(svc.t(lang, "bill.reason", reason=reason))
    return "\n".join(lines)


def _line(svc: BotServices, lang: Language, line: Line) -> str:
    amount = money(lang, line.amount_fen)
    if line.kind is LineKind.PART:
        return svc.t(lang, "bill.line.part", name=escape(part_name(lang, line)), qty=line.quantity,
                     unit=escape(unit(lang, line)), price=money(lang, line.unit_price_fen), amount=amount)
    if line.kind is LineKind.LABOUR:
        return svc.t(lang, "bill.line.labour", minutes=line.minutes, rate=money(lang, line.unit_price_fen),
                     amount=amount)
    return svc.t(lang, f"bill.line.{line.kind.value}", amount=amount)


def part_line(svc: BotServices, lang: Language, part: Part, low_default: int) -> str:
    low = part.low_at if part.low_at is not None else low_default
    mark = " ⚠️" if part.stock <= low else ""
    return svc.t(lang, "parts.line", code=part.code, name=escape(part_name(lang, part)), unit=escape(unit(lang, part)),
                 price=money(lang, part.price_fen), stock=part.stock) + mark


def rate_line(svc: BotServices, lang: Language, rate: LabourRate) -> str:
    return svc.t(lang, "price.rate_line", category=escape(svc.t(lang, f"cat.{rate.category.value}")),
                 callout=money(lang, rate.callout_fen), hourly=money(lang, rate.hourly_fen))
