"""Questions ("怎么…", "how do I…") answered from the knowledge base."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.common import Who, reply
from bot.selfhelp import article_text
from bot.services import services

logger = logging.getLogger(__name__)


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, question: str,
                 offer_report: bool = False) -> bool:
    """Reply with the best article; False (and nothing said) when there is none."""
    svc = services(context)
    if svc.kb is None:
        return False
    try:
        hit = await svc.call(svc.kb.answer_question, question, me.language.value)
    except Exception:  # a search failure must not cost the user an answer
        logger.exception("knowledge-base question failed")
        hit = None
    if hit is None:
        return False
    article = svc.kb.article(hit.id)
    # A question may really be a report: the caller keeps the words, and the button files them.
    markup = keyboards.report_anyway(svc, me.language) if offer_report else None
    await reply(update, article_text(svc, me.language, article, "kb.answer"), parse_mode="HTML", reply_markup=markup)
    return True
