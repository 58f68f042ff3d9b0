"""Telegram payments: answer the pre-checkout question from the ledger, and book a successful payment once."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.bill_view import money
from bot.common import reply, who
from bot.services import services
from domain.errors import DomainError
from domain.usecases import payments

logger = logging.getLogger(__name__)


async def pre_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pre_checkout_query: ok only while the bill it names is approved, unpaid and asks exactly this amount."""
    query = update.pre_checkout_query
    if query is None:
        return
    svc, me = services(context), await who(update, context)
    try:
        await svc.run(payments.check, query.invoice_payload, query.currency, query.total_amount)
    except DomainError as error:
        logger.info("pre-checkout %s refused: %s", query.id, error)
        reason = error.facts.get("reason", "unknown")
        await query.answer(ok=False, error_message=svc.t(me.language, f"pay.refused.{reason}",
                                                          id=error.facts.get("id", "")))
        return
    await query.answer(ok=True)


async def successful_payment(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """successful_payment: the ledger books the charge (once, however often Telegram says so); the payer is thanked."""
    message = update.effective_message
    paid = message.successful_payment if message is not None else None
    if paid is None:
        return
    svc, me = services(context), await who(update, context)
    try:
        change = await svc.run(payments.record, svc.clock, me.person.id if me.person else None,
                               paid.invoice_payload, paid.currency, paid.total_amount,
                               paid.telegram_payment_charge_id)
    except DomainError as error:  # money taken that names no bill of ours: nothing to book it against
        logger.error("payment %s not booked: %s", paid.telegram_payment_charge_id, error)
        await reply(update, svc.t(me.language, "pay.not_booked"))
        return
    if change is None:
        logger.info("payment %s was booked already", paid.telegram_payment_charge_id)
        return
    await reply(update, svc.t(me.language, "ok.paid_telegram", id=change.ticket.id,
                              amount=money(me.language, paid.total_amount)))
