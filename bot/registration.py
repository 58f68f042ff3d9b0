"""Registration: /start with an invite code, or sharing a phone contact that is in the owner register."""
from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import ContextTypes

from bot.common import explain, reply, who
from bot.menus import set_menu
from bot.services import services
from domain.errors import DomainError
from domain.people import Role
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


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared contact registers an owner when it is the sender's own number and is in the register."""
    svc, me = services(context), await who(update, context)
    shared, user = update.effective_message.contact, update.effective_user  # type: ignore[union-attr]
    assert shared is not None and user is not None
    if shared.user_id is not None and shared.user_id != user.id:
        await reply(update, svc.t(me.language, "reg.not_own_contact"))
        return
    try:
        person = await svc.run(register_by_phone, svc.estate.id, user.id, shared.phone_number,
                               user.full_name, me.language)
    except DomainError as error:
        await reply(update, explain(svc, me.language, error), reply_markup=ReplyKeyboardRemove())
        return
    await set_menu(context, person)
    homes = ", ".join(h.short() for h in person.homes)
    await reply(update, svc.t(person.language, "reg.welcome_phone", name=person.name, homes=homes),
                reply_markup=ReplyKeyboardRemove())
    assert person.role is Role.OWNER
