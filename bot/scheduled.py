"""Jobs on PTB's JobQueue (APScheduler underneath): SLA sweeps, planned maintenance, the staff chat's daily digest.

Jobs send nothing themselves: what they decide goes into the outbox in the same transaction, and the sender is kicked.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, ContextTypes

from bot.guards import SEEN_FOR
from bot.planning import plan_sweep
from bot.services import BotServices, services
from domain.outbox import OutboxMessage
from domain.usecases.digest import Digest, daily_digest
from domain.usecases.sla import auto_confirm, close_unrated, follow_up_ratings, sweep_deadlines

logger = logging.getLogger(__name__)


async def sla_sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remind and escalate by deadline, confirm for silent owners, close unrated tickets, follow up poor ratings."""
    svc = services(context)
    changes = await svc.run(sweep_deadlines, svc.clock, svc.policies)
    changes += await svc.run(auto_confirm, svc.clock, svc.policies)
    changes += await svc.run(close_unrated, svc.clock, timedelta(days=svc.settings.auto_close_days))
    changes += await svc.run(follow_up_ratings, svc.clock, svc.policies)
    if changes:  # their news went into the outbox with them
        context.application.bot_data["sender"].kick()
        logger.info("sla sweep: %d reminders, escalations, confirmations, closures or follow-ups", len(changes))


async def digest(context: ContextTypes.DEFAULT_TYPE) -> None:
    """08:00 local: yesterday's figures and today's open and overdue tickets, to the staff chat."""
    svc = services(context)
    if svc.staff_chat_id is None:
        return
    figures = await svc.run(daily_digest, svc.clock, svc.estate.id, svc.tz)
    await svc.call(post_digest, svc, figures)
    context.application.bot_data["sender"].kick()


def post_digest(svc: BotServices, figures: Digest) -> None:
    """The digest, rendered in the staff chat's language, written to the outbox."""
    assert svc.staff_chat_id is not None
    lang = svc.default_language
    rating = svc.t(lang, "staff.digest_rating", average=f"{figures.average_rating:.1f}", count=figures.rated) \
        if figures.average_rating is not None else svc.t(lang, "staff.digest_no_rating")
    text = svc.t(lang, "staff.digest", day=figures.day.strftime("%m-%d"), new=figures.new, open=figures.open,
                 overdue=figures.overdue, breached=figures.breached, rating=rating)
    with svc.uow() as uow:
        uow.outbox.add(OutboxMessage(chat_id=svc.staff_chat_id, text=text, created_at=svc.clock.now()))
        uow.commit()


async def forget_old_sights(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Hourly: the replay guard's record of updates older than Telegram would ever send again."""
    svc = services(context)
    gone = await svc.call(svc.states.forget_sights, svc.clock.now() - SEEN_FOR)
    if gone:
        logger.info("forgot %d updates seen more than %s ago", gone, SEEN_FOR)


def schedule(application: Application) -> None:
    svc: BotServices = application.bot_data["services"]
    interval = timedelta(minutes=svc.settings.sla_check_minutes)
    assert application.job_queue is not None, "python-telegram-bot[job-queue] is required"
    application.job_queue.run_repeating(sla_sweep, interval=interval, first=interval, name="sla-sweep")
    plans = timedelta(minutes=svc.settings.plan_check_minutes)
    application.job_queue.run_repeating(plan_sweep, interval=plans, first=plans, name="plan-sweep")
    at = svc.settings.digest_time.replace(tzinfo=svc.tz)
    application.job_queue.run_daily(digest, time=at, name="daily-digest")
    hour = timedelta(hours=1)
    application.job_queue.run_repeating(forget_old_sights, interval=hour, first=hour, name="forget-seen")
