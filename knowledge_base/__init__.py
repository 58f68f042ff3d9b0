"""Self-help knowledge base: bilingual articles, hybrid semantic search, drafts captured from closed tickets.

The bot builds one KnowledgeBase in main() (KnowledgeBase.load loads the encoder models);
importing this package loads no model. Drafts live in a DraftStore (knowledge_base.ports; storage/ has the SQL one).
"""
from domain.self_help import DraftRefused
from knowledge_base.articles import Article, ArticleError, Safety, Status
from knowledge_base.ports import DraftStore
from knowledge_base.questions import looks_like_question
from knowledge_base.ranking import Mode
from knowledge_base.service import ArticleNotFound, Hit, KnowledgeBase, query_language

__all__ = [
    "Article", "ArticleError", "ArticleNotFound", "DraftRefused", "DraftStore", "Hit", "KnowledgeBase",
    "Mode", "Safety", "Status", "looks_like_question", "query_language",
]
