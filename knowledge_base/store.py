"""The articles folder as a live source: a cheap stat per search re-reads only the files that changed."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from knowledge_base.articles import Article, ArticleError, parse_article

logger = logging.getLogger(__name__)

Signature = tuple[int, int]  # (mtime_ns, size)


class ArticleStore:
    """Holds every parsed article (drafts too) and notices edits, additions and deletions."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.articles: dict[str, Article] = {}
        self.errors: dict[str, str] = {}
        self._seen: dict[str, Signature] = {}
        self.version = 0

    def refresh(self) -> bool:
        """Re-read changed files; True when the set of articles changed. A broken edit keeps the old text."""
        current = self._scan()
        if current == self._seen:
            return False
        by_file = {a.path.name: a for a in self.articles.values() if a.path is not None}
        articles: dict[str, Article] = {}
        for name, signature in current.items():
            previous = by_file.get(name)
            if previous is not None and self._seen.get(name) == signature:
                articles[previous.id] = previous
                continue
            article = self._parse(name, previous)
            if article is not None:
                articles[article.id] = article
        self.articles, self._seen = articles, current
        self.version += 1
        return True

    def _scan(self) -> dict[str, Signature]:
        signatures: dict[str, Signature] = {}
        with os.scandir(self.directory) as entries:
            for entry in entries:
                if entry.name.endswith(".md") and entry.is_file():
                    stat = entry.stat()
                    signatures[entry.name] = (stat.st_mtime_ns, stat.st_size)
        return signatures

    def _parse(self, name: str, previous: Article | None) -> Article | None:
        path = self.directory / name
        try:
            article = parse_article(path.read_text(encoding="utf-8"), path)
        except (ArticleError, OSError, UnicodeDecodeError) as exc:
            logger.error("article %s not loaded: %s", name, exc)
            self.errors[name] = str(exc)
            return previous
        self.errors.pop(name, None)
        return article
