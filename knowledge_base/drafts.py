"""Drafts and articles, one from the other: a published draft version is served as an Article."""
from __future__ import annotations

from domain.self_help import ArticleText, DraftVersion
from knowledge_base.articles import Article, Status


def text_of(article: Article) -> ArticleText:
    """The part of an article a draft may change."""
    return ArticleText(category=article.category, safety=article.safety, title=dict(article.title),
                       phrasings={lang: tuple(p) for lang, p in article.phrasings.items()}, body=dict(article.body))


def article_of(version: DraftVersion, status: Status = Status.PUBLISHED) -> Article:
    """A draft version as the article search and the bot serve (it has no file)."""
    text = version.text
    return Article(id=version.article_id, category=text.category, title=dict(text.title),
                   phrasings={lang: tuple(p) for lang, p in text.phrasings.items()}, safety=text.safety,
                   status=status, body=dict(text.body), source_ticket=version.source_ticket)
