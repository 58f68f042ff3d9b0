"""Jobs on PTB's JobQueue (APScheduler underneath): escalate SLA breaches, close unrated tickets."""
from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, ContextTypes

from bot.services import services
from domain.usecases.sla import close_unrated, sweep_deadlines

logger = logging.getLogger(__name__)


async def sla_sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Each run tells the staff chat about new breaches and closes confirmed tickets left unrated."""
    svc = services(context)
    changes = await svc.run(sweep_deadlines, svc.clock, svc.policies)
    after = timedelta(days=svc.settings.auto_close_days)
    changes += await svc.run(close_unrated, svc.clock, after)
    if changes:  # their news went into the outbox with them
        context.application.bot_data["sender"].kick()
        logger.info("sla sweep: %d escalations or closures", len(changes))


def schedule(application: Application) -> None:
    svc = application.bot_data["services"]
    interval = timedelta(minutes=svc.settings.sla_check_minutes)
    assert application.job_queue is not None, "python-telegram-bot[job-queue] is required"
    application.job_queue.run_repeating(sla_sweep, interval=interval, first=interval, name="sla-sweep")
