"""Telegram payments, faithfully enough for the bot: sendInvoice, answerPreCheckoutQuery, and paying an invoice.

Paying is what Telegram does when a user taps Pay: a pre_checkout_query goes to the bot, which must answer
within 10 seconds; only an ok answer is followed by the message with successful_payment in the user's chat.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from sandbox.errors import bad_request
from sandbox.methods_messages import send_from_bot
from sandbox.params import Params
from sandbox.world import Record, World

STARS = "XTR"
CURRENCIES = {"CNY", "USD", "EUR", "GBP", "HKD", "RUB", "JPY", STARS}  # enough of Telegram's list for us
ANSWER_SECONDS = 10.0  # Telegram's limit for the bot's pre-checkout answer


@dataclass
class Checkout:
    """One pre_checkout_query and the bot's answer to it."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    currency: str
    total_amount: int
    payload: str
    answer: dict[str, Any] | None = None


def _prices(p: Params) -> list[dict[str, Any]]:
    prices = p.json("prices")
    if not isinstance(prices, list) or not prices:
        raise bad_request("prices must be non-empty")
    for price in prices:
        if not isinstance(price, dict) or not price.get("label") or not isinstance(price.get("amount"), int):
            raise bad_request("can't parse prices JSON object")
    return prices


async def send_invoice(world: World, p: Params) -> dict[str, Any]:
    """Checked as Telegram checks it; the chat shows the invoice with Telegram's own Pay button."""
    chat = world.chat_for_bot(p.chat_id())
    title, description = p.str("title") or "", p.str("description") or ""
    payload, currency = p.str("payload") or "", p.str("currency") or ""
    token = p.str("provider_token") or ""
    if not 1 <= len(title) <= 32:
        raise bad_request("INVOICE_TITLE_INVALID" if title else "title is empty")
    if not 1 <= len(description) <= 255:
        raise bad_request("INVOICE_DESCRIPTION_INVALID" if description else "description is empty")
    if not 1 <= len(payload.encode()) <= 128:
        raise bad_request("INVOICE_PAYLOAD_INVALID")
    if currency not in CURRENCIES:
        raise bad_request("CURRENCY_INVALID")
    if (currency == STARS) == bool(token):
        raise bad_request("PAYMENT_PROVIDER_INVALID")
    prices = _prices(p)
    total = sum(price["amount"] for price in prices)
    if total <= 0:
        raise bad_request("CURRENCY_TOTAL_AMOUNT_INVALID")
    content = {"invoice": {"title": title, "description": description, "start_parameter": p.str("start_parameter")
                           or "", "currency": currency, "total_amount": total}}
    message = send_from_bot(world, chat, content, p, source=None)
    world.invoices[(chat.id, message["message_id"])] = {"payload": payload, "prices": prices, "paid": False}
    return message


async def answer_pre_checkout_query(world: World, p: Params) -> bool:
    checkout = world.checkouts.get(p.str("pre_checkout_query_id", required=True) or "")
    if checkout is None or checkout.answer is not None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    ok = p.bool("ok")
    error = p.str("error_message")
    if not ok and not error:
        raise bad_request("ERROR_MESSAGE_EMPTY")
    checkout.answer = {"ok": ok, "error_message": error, "date": int(time.time())}
    world.notify()
    return True


def invoice_of(world: World, chat_id: int, message_id: int) -> tuple[Record, dict[str, Any]] | None:
    record = world.chats[chat_id].records.get(message_id) if chat_id in world.chats else None
    invoice = world.invoices.get((chat_id, message_id))
    if record is None or record.deleted or invoice is None:
        return None
    return record, invoice


def begin_checkout(world: World, user_id: int, chat_id: int, message_id: int, payload: str,
                   total_amount: int) -> Checkout:
    """The user tapped Pay: the bot gets a pre_checkout_query (payload and amount as the client sends them)."""
    record = world.chats[chat_id].records[message_id]
    currency = record.message["invoice"]["currency"]
    checkout = Checkout(str(secrets.randbits(63)), user_id, chat_id, message_id, currency, total_amount, payload)
    world.checkouts[checkout.id] = checkout
    world.push_update("pre_checkout_query", {"id": checkout.id, "from": world.users[user_id], "currency": currency,
                                             "total_amount": total_amount, "invoice_payload": payload})
    return checkout


def complete_checkout(world: World, checkout: Checkout, times: int = 1) -> dict[str, Any]:
    """The charge went through: the successful_payment service message, delivered `times` times (a repeat)."""
    charge = {"currency": checkout.currency, "total_amount": checkout.total_amount,
              "invoice_payload": checkout.payload,
              "telegram_payment_charge_id": f"tg_{secrets.token_hex(8)}",
              "provider_payment_charge_id": f"sandbox_{secrets.token_hex(8)}"}
    chat = world.chats[checkout.chat_id]
    record = world.add_message(chat, dict(world.users[checkout.user_id]), {"successful_payment": charge},
                               from_bot=False)
    for _ in range(max(1, times)):
        world.push_update("message", record.message)
    invoice = world.invoices.get((checkout.chat_id, checkout.message_id))
    if invoice is not None:
        invoice["paid"] = True
    return record.message
