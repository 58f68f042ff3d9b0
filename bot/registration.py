"""Registration: /start with an invite code, or sharing a phone contact that is in the owner register."""
from __future__ import annotations

from datetime import datetime, timedelta

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import ContextTypes

from bot.common import explain, reply, who
from bot.menus import set_menu
from bot.services import BotServices, services
from domain.errors import AlreadyRegistered, DomainError
from domain.people import Role
from domain.registration import Attempts
from domain.usecases.registration import redeem_invite, register_by_phone


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start [code]: redeem an invite, greet a known user, or explain how to register."""
    svc, me = services(context), await who(update, context)
    user = update.effective_user
    assert user is not None
    if context.args:
        person = await svc.run(redeem_invite, svc.clock, context.args[0], user.id, user.full_name, me.language)
        await set_menu(context, person)
        await reply(update, svc.t(person.language, f"reg.welcome.{person.role.value}", name=person.name),
                    reply_markup=ReplyKeyboardRemove())
        return
    if me.person is not None:
        await reply(update, svc.t(me.language, f"help.{me.person.role.value}"))
        return
    button = KeyboardButton(svc.t(me.language, "btn.share_phone"), request_contact=True)
    await reply(update, svc.t(me.language, "reg.how_to"),
                reply_markup=ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True))


ATTEMPTS = "reg_attempts"  # failed phone registrations of this user, for the limit


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared contact registers an owner only when it is the sender's own card and its number is registered.

    A phone-book entry (no user_id) or someone else's card is refused before the register is looked at, and
    every failure gets the same answer, so the reply never tells whose number is registered."""
    svc, me = services(context), await who(update, context)
    shared, user = update.effective_message.contact, update.effective_user  # type: ignore[union-attr]
    assert shared is not None and user is not None
    now, window, limit = svc.clock.now(), timedelta(hours=24), svc.settings.registration_attempts
    attempts = Attempts(tuple(datetime.fromisoformat(t) for t in
                              (await svc.call(svc.states.get, user.id, ATTEMPTS) or {}).get("at", [])))
    if not attempts.allowed(now, window, limit):
        await reply(update, svc.t(me.language, "reg.too_many_attempts"), reply_markup=ReplyKeyboardRemove())
        return
    if shared.user_id != user.id:
        await _failed(svc, user.id, attempts.failed(now, window))
        await reply(update, svc.t(me.language, "reg.not_own_contact"))
        return
    try:
        person = await svc.run(register_by_phone, svc.estate.id, user.id, shared.phone_number,
                               user.full_name, me.language)
    except AlreadyRegistered as error:  # about the sender themselves: nothing about the register
        await reply(update, explain(svc, me.language, error), reply_markup=ReplyKeyboardRemove())
        return
    except DomainError:
        await _failed(svc, user.id, attempts.failed(now, window))
        await reply(update, svc.t(me.language, "reg.phone_failed"), reply_markup=ReplyKeyboardRemove())
        return
    await svc.call(svc.states.drop, user.id, ATTEMPTS)
    await set_menu(context, person)
    homes = ", ".join(h.short() for h in person.homes)
    await reply(update, svc.t(person.language, "reg.welcome_phone", name=person.name, homes=homes),
                reply_markup=ReplyKeyboardRemove())
    assert person.role is Role.OWNER


async def _failed(svc: BotServices, user_id: int, attempts: Attempts) -> None:
    await svc.call(svc.states.put, user_id, ATTEMPTS, {"at": [t.isoformat() for t in attempts.times]}, force=True)
