"""Knowledge-base articles as chat text: title and numbered steps, the articles' **bold** as Telegram HTML."""
from __future__ import annotations

import re
from html import escape
from typing import Any

from bot.services import BotServices
from domain.values import Language

BOLD = re.compile(r"\*\*(.+?)\*\*")


def _html(step: str) -> str:
    return BOLD.sub(r"<b>\1</b>", escape(step))


def title(article: Any, language: Language) -> str:
    return escape(article.title_for(language.value))


def steps(article: Any, language: Language) -> str:
    return "\n".join(f"{i}. {_html(step)}" for i, step in enumerate(article.steps_for(language.value), start=1))


def article_text(svc: BotServices, language: Language, article: Any, key: str) -> str:
    """One article in the message `key` (kb.answer, kb.safety, ...), which places {title} and {steps}."""
    return svc.t(language, key, title=title(article, language), steps=steps(article, language))
