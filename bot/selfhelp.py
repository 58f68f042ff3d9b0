"""Self-help first: a knowledge-base article before a non-urgent report; safety steps for urgent ones."""
from __future__ import annotations

import logging
import re
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.common import Who, reply
from bot.services import BotServices, services
from domain.values import Priority

logger = logging.getLogger(__name__)


BOLD = re.compile(r"\*\*(.+?)\*\*")


def _html(step: str) -> str:
    return BOLD.sub(r"<b>\1</b>", escape(step))


def article_text(svc: BotServices, me: Who, article: Any, key: str) -> str:
    """Title and numbered steps; the articles' Markdown **bold** becomes Telegram HTML bold."""
    lang = me.language.value
    steps = "\n".join(f"{i}. {_html(step)}" for i, step in enumerate(article.steps_for(lang), start=1))
    return svc.t(me.language, key, title=escape(article.title_for(lang)), steps=steps)


async def _best(svc: BotServices, draft: dict[str, Any], language: str) -> Any | None:
    if svc.kb is None:
        return None
    try:
        hit = await svc.call(svc.kb.best_for, draft["text"], draft["category"], language)
        return svc.kb.article(hit.id) if hit else None
    except Exception:  # search trouble must never block a report
        logger.exception("knowledge-base lookup failed")
        return None


async def offer(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, draft: dict[str, Any]) -> bool:
    """True when it took over the flow: an urgent report submitted at once, or a suggestion shown."""
    from bot.report import save, submit

    svc = services(context)
    urgent = draft["priority"] == Priority.URGENT.value
    if draft["kb_done"]:
        return False
    draft["kb_done"] = True
    article = await _best(svc, draft, me.language.value)
    if urgent:
        # The NLU's urgency decides; a danger article's safety steps go out while the ticket is filed.
        await save(svc, me, draft)
        if article is not None and article.is_danger:
            await reply(update, article_text(svc, me, article, "kb.safety"), parse_mode="HTML")
        await submit(update, context, me, draft)
        return True
    if article is None or article.is_danger:
        return False  # nothing relevant, or nothing an owner should try: straight to the summary
    draft["step"], draft["kb_article"] = "kb", article.id
    await save(svc, me, draft)
    await svc.call(svc.kb_outcomes.record, article.id, draft["category"], draft["building"], "shown", me.person.id)
    await reply(update, article_text(svc, me, article, "kb.try_first"), parse_mode="HTML",
                reply_markup=keyboards.kb_suggestion(svc, me.language))
    return True
