"""Questions ("怎么…", "how do I…") answered from the knowledge base."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.common import Who, reply
from bot.selfhelp import article_text
from bot.services import services

logger = logging.getLogger(__name__)


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, question: str) -> bool:
    """Reply with the best article; False when there is none (or no knowledge base)."""
    svc = services(context)
    if svc.kb is None:
        await reply(update, svc.t(me.language, "kb.no_answer"))
        return False
    try:
        hit = await svc.call(svc.kb.answer_question, question, me.language.value)
    except Exception:  # a search failure must not cost the user an answer
        logger.exception("knowledge-base question failed")
        hit = None
    if hit is None:
        await reply(update, svc.t(me.language, "kb.no_answer"))
        return False
    article = svc.kb.article(hit.id)
    await reply(update, article_text(svc, me, article, "kb.answer"), parse_mode="HTML")
    return True
