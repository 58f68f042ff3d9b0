"""The Telegram Application: every handler is registered here, in one place."""
from __future__ import annotations

import asyncio
import logging
from typing import Callable

from telegram.ext import (AIORateLimiter, Application, ApplicationBuilder, BaseUpdateProcessor, CallbackQueryHandler,
                          CommandHandler, MessageHandler, PreCheckoutQueryHandler, TypeHandler, filters)
from telegram import Update
from telegram.request import BaseRequest

from bot import (access, arrival, attachments, callbacks, fees, guards, incidents, insight, messages, misc, outbox_view, owner, payments,
                 planning, register_import, registration, scheduled, staff, stock, technician, web_links)
from bot.common import explaining
from bot.concurrency import PerChatUpdateProcessor
from bot.dispatching import Dispatcher
from bot.leadership import Election, LeaderDuties
from bot.menus import set_default_menus, set_person_menu
from bot.sender import OutboxSender
from bot.services import BotServices
from bot.transport import AiohttpRequest
from domain.pacing import SendPace
from domain.people import Role

logger = logging.getLogger(__name__)
PRIVATE = filters.ChatType.PRIVATE
COMMANDS = {
    "start": registration.start, "help": misc.help_command, "lang": misc.lang,
    "report": owner.report, "mytickets": owner.my_tickets, "status": owner.status, "urge": owner.urge,
    "cancel": owner.cancel, "confirm": owner.confirm, "reject": owner.reject, "rate": owner.rate,
    "jobs": technician.jobs, "job": owner.status, "claim": technician.claim, "accept": technician.accept,
    "decline": technician.decline, "begin": arrival.begin, "hold": technician.hold,
    "resume": technician.resume, "done": technician.done, "duty": technician.duty,
    "ticket": owner.status, "tickets": staff.tickets, "assign": staff.assign, "overdue": staff.overdue,
    "invite": staff.invite, "stats": insight.stats, "export": insight.export, "outbox": outbox_view.outbox,
    "deactivate": access.deactivate, "activate": access.activate, "revoke": access.revoke,
    "bill": fees.bill, "adjust": fees.adjust, "paid": fees.paid, "parts": fees.parts, "price": fees.price,
    "stock": stock.stock, "requisition": stock.requisition,
    "link": incidents.link, "unlink": incidents.unlink, "notice": incidents.notice, "plan": planning.plan,
    "files": attachments.files, "web": web_links.web,
}


def build_application(svc: BotServices, token: str, base_url: str | None = None,
                      base_file_url: str | None = None, sandbox: bool = False,
                      request: BaseRequest | None = None,
                      updates: BaseUpdateProcessor | bool | None = None, pace: bool | None = None,
                      election: Election | None = None,
                      channels: Callable[[BaseRequest], BaseRequest] | None = None) -> Application:
    """Build the bot; against the sandbox no rate limits apply, against Telegram AIORateLimiter keeps us polite.
    `request` replaces the HTTP client (the offline tests answer the Bot API themselves); `updates` replaces
    the per-chat update processor (the concurrency bench compares it with PTB's sequential processing).
    `pace`: the outbox keeps Telegram's limits itself, per chat too (None: against Telegram, not against the
    sandbox or an offline `request`, where waiting a second per chat would only slow the tests down).
    `election`: one of several workers (bot/leadership.py); None: this process is the only one, always the leader.
    `channels` wraps the Bot API request (not getUpdates): the web channel answers its own chats' calls there."""
    builder: ApplicationBuilder = Application.builder().token(token).post_init(_post_init).post_stop(_post_stop)\
        .post_shutdown(_post_shutdown)
    builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0) if sandbox or request
                                   else AIORateLimiter())
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:  # aiohttp for every Bot API call, getUpdates too (bot/transport.py)
        request_for_calls: BaseRequest = AiohttpRequest(connection_pool_size=256)
        builder = builder.request(channels(request_for_calls) if channels is not None else request_for_calls)\
            .get_updates_request(AiohttpRequest(connection_pool_size=1))
    if channels is not None and request is not None:
        builder = builder.request(channels(request))
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_file_url or base_url)
    processor = PerChatUpdateProcessor() if updates is None else updates
    application = builder.concurrent_updates(processor).build()
    application.bot_data["services"] = svc
    paced = not (sandbox or request) if pace is None else pace
    application.bot_data["pace"] = SendPace() if paced else None
    _new_sender_and_dispatcher(application)
    application.bot_data["duties"] = LeaderDuties(application, renew=_new_sender_and_dispatcher)
    application.bot_data["election"] = election
    if isinstance(processor, PerChatUpdateProcessor):
        processor.after_each = _after_each_update(application, svc)
    register_handlers(application)
    return application


def _after_each_update(application: Application, svc: BotServices) -> Callable[[], None]:
    """Whatever an update committed is delivered at once, and dispatched: the sender is woken when news was
    written, the dispatcher when a ticket changed (either, always, when the commits are not counted)."""
    seen = [-1, -1]  # the counts the last kicks answered; a commit after this update's own moves them on

    def after_each() -> None:
        commits = svc.commits
        now = [commits.news, commits.ticket_changes] if commits is not None else None  # read once: a commit
        if now is None or now[0] != seen[0]:  # between two reads would be marked seen and never kicked for
            application.bot_data["sender"].kick()
        if now is None or now[1] != seen[1]:
            application.bot_data["dispatcher"].kick()
        if now is not None:
            seen[:] = now
    return after_each


def _new_sender_and_dispatcher(application: Application) -> None:
    svc: BotServices = application.bot_data["services"]
    sender = OutboxSender(svc, application.bot, pace=application.bot_data["pace"])
    application.bot_data["sender"] = sender
    application.bot_data["dispatcher"] = Dispatcher(svc, on_changes=sender.kick)


def register_handlers(application: Application) -> None:
    from bot import kb_commands

    # Before any handler: the right chat, not an edit, not a flood, not a replay (bot/guards.py).
    application.add_handler(TypeHandler(Update, guards.before_everything), group=-1)
    e = explaining  # every handler answers a domain refusal politely, in the user's language
    for name, handler in {**COMMANDS, **kb_commands.COMMANDS}.items():
        application.add_handler(CommandHandler(name, e(handler)))
    application.add_handler(MessageHandler(filters.COMMAND, misc.unknown_command))
    for prefix, handler in callbacks.PREFIXES.items():
        application.add_handler(CallbackQueryHandler(e(callbacks.for_prefix(handler)), pattern=f"^{prefix}:"))
    application.add_handler(CallbackQueryHandler(e(callbacks.for_prefix(None))))  # anything else: stale or forged
    application.add_handler(PreCheckoutQueryHandler(payments.pre_checkout))
    application.add_handler(MessageHandler(PRIVATE & filters.SUCCESSFUL_PAYMENT, payments.successful_payment))
    application.add_handler(MessageHandler(PRIVATE & filters.CONTACT, registration.contact))
    application.add_handler(MessageHandler(PRIVATE & filters.LOCATION, e(arrival.on_location)))
    application.add_handler(MessageHandler(PRIVATE & filters.TEXT, e(messages.on_text)))
    application.add_handler(MessageHandler(PRIVATE & (filters.PHOTO | filters.VIDEO), e(messages.on_media)))
    application.add_handler(MessageHandler(PRIVATE & filters.VOICE, e(messages.on_voice)))
    application.add_handler(MessageHandler(PRIVATE & filters.Document.ALL, e(register_import.on_document)))
    application.add_handler(MessageHandler(PRIVATE & filters.UpdateType.MESSAGE, misc.unsupported))
    application.add_error_handler(misc.on_error)
    scheduled.schedule(application)


async def _post_init(application: Application) -> None:
    """Learn our username for invite links, register the command menus per role, start delivering the outbox
    (or, as one of several workers, start the election: the leader delivers)."""
    svc: BotServices = application.bot_data["services"]
    # Not application.create_task: the application is not running yet, and these tasks must outlive post_init.
    duties: LeaderDuties = application.bot_data["duties"]
    election: Election | None = application.bot_data["election"]
    if election is None:
        await duties.take_up()
    else:
        duties.follow(election)
    me = await application.bot.get_me()
    svc.bot_username = me.username or svc.bot_username
    await set_default_menus(application.bot, svc)
    with svc.uow() as uow:
        people = [p for role in (Role.TECHNICIAN, Role.STAFF, Role.ADMIN) for p in uow.people.find(role=role)]
    for person in people:
        await set_person_menu(application.bot, svc, person)


async def _post_stop(application: Application) -> None:
    """Stop delivering: a message being sent finishes (and is marked), the rest waits in the outbox."""
    await application.bot_data["duties"].lay_down()
    election: Election | None = application.bot_data["election"]
    if election is not None:  # only now, with nothing of ours in flight: the lock goes, another worker leads
        await asyncio.to_thread(election.stop)


async def _post_shutdown(application: Application) -> None:
    """Close what post_init and main() opened for the handlers: the NLU client's connections."""
    svc: BotServices = application.bot_data["services"]
    close = getattr(svc.nlu, "aclose", None)
    if close is not None:
        await close()
