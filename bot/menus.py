"""Command menus per role, registered with setMyCommands (default scope for owners, per chat for others)."""
from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.services import BotServices, services
from domain.people import Person, Role
from domain.values import Language

logger = logging.getLogger(__name__)

COMMANDS: dict[Role, list[str]] = {
    Role.OWNER: ["report", "mytickets", "status", "files", "urge", "cancel", "confirm", "reject", "rate", "bill",
                 "web", "lang", "help"],
    Role.TECHNICIAN: ["jobs", "job", "files", "claim", "accept", "decline", "begin", "hold", "resume", "done",
                      "parts", "requisition", "stock", "duty", "lang", "help"],
    Role.STAFF: ["tickets", "ticket", "files", "assign", "overdue", "bill", "adjust", "paid", "parts", "price",
                 "stock", "stats", "export", "outbox", "link", "unlink", "notice", "plan", "invite", "revoke", "deactivate",
                 "activate", "kbstats", "kbdraft", "kbedit", "kbpublish", "lang", "help"],
}
COMMANDS[Role.ADMIN] = COMMANDS[Role.STAFF]


def commands_for(svc: BotServices, role: Role, language: Language) -> list[BotCommand]:
    return [BotCommand(name, svc.t(language, f"menu.{name}")) for name in COMMANDS[role]]


async def set_default_menus(bot: Bot, svc: BotServices) -> None:
    """Everyone starts with the owner's menu, in Chinese and English."""
    for language in Language:
        code = None if language.value == svc.default_language.value else language.value
        await bot.set_my_commands(commands_for(svc, Role.OWNER, language), scope=BotCommandScopeDefault(),
                                  language_code=code)


async def set_person_menu(bot: Bot, svc: BotServices, person: Person) -> None:
    if person.chat_id is None:
        return
    try:
        await bot.set_my_commands(commands_for(svc, person.role, person.language),
                                  scope=BotCommandScopeChat(person.chat_id))
    except TelegramError as exc:
        logger.warning("could not set the menu for chat %s: %s", person.chat_id, exc)


async def set_menu(context: ContextTypes.DEFAULT_TYPE, person: Person) -> None:
    await set_person_menu(context.bot, services(context), person)
