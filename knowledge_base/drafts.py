"""Knowledge captured from closed tickets: draft articles as files, edited by staff, then published."""
from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from domain.values import Category, Language, detect_language
from knowledge_base.articles import LANGUAGES, Article, Safety, Status, parse_article, render_article

PLACEHOLDER = {"zh": "（待补充中文步骤）", "en": "(English steps to be written)"}


class DraftError(ValueError):
    """A draft cannot be created, edited or published; the message says why."""


class Drafts:
    """Draft articles in the articles folder (status: draft). Search never returns them."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @staticmethod
    def draft_id(ticket_id: int) -> str:
        return f"ticket-{int(ticket_id)}"

    def create_draft(self, problem_text: str, category: Category | str, fix_notes: str, ticket_id: int,
                     *, safety: Safety | str = Safety.CAUTION) -> str:
        """Write a draft from a completed ticket; returns its article id (ticket-<id>)."""
        problem, notes = problem_text.strip(), fix_notes.strip()
        if not problem or not notes:
            raise DraftError("a draft needs the problem text and the technician's fix notes")
        article_id = self.draft_id(ticket_id)
        if self._path(article_id).exists():
            raise DraftError(f"article {article_id} already exists")
        lang = detect_language(problem + notes, Language.EN).value
        title = {code: PLACEHOLDER[code] for code in LANGUAGES}
        title[lang] = _shorten(problem)
        body = {code: PLACEHOLDER[code] for code in LANGUAGES}
        body[lang] = _as_steps(notes)
        article = Article(
            id=article_id, category=Category(category), title=title,
            phrasings={code: ((problem,) if code == lang else ()) for code in LANGUAGES},
            safety=Safety(safety), status=Status.DRAFT, body=body, source_ticket=int(ticket_id),
        )
        self._write(article)
        return article_id

    def update_draft(self, article_id: str, *, language: str | None = None, title: str | None = None,
                     steps: Sequence[str] | None = None, phrasings: Sequence[str] | None = None,
                     safety: Safety | str | None = None, category: Category | str | None = None) -> Article:
        """Staff edits from chat: a title, steps or phrasings in one language, or the safety or category."""
        article = self.get(article_id)
        if (title or steps or phrasings) and language not in LANGUAGES:
            raise DraftError("say which language (zh or en) the text is in")
        if title:
            article = replace(article, title={**article.title, language: title.strip()})
        if steps:
            article = replace(article, body={**article.body, language: _as_steps("\n".join(steps))})
        if phrasings:
            article = replace(article, phrasings={**article.phrasings, language: tuple(p.strip() for p in phrasings)})
        if safety:
            article = replace(article, safety=Safety(safety))
        if category:
            article = replace(article, category=Category(category))
        self._write(article)
        return article

    def publish(self, article_id: str) -> Article:
        """Mark a complete draft published; DraftError lists what is still missing."""
        article = self.get(article_id)
        missing = [f"title.{c}" for c in LANGUAGES if article.title[c] in ("", PLACEHOLDER[c])]
        missing += [f"steps.{c}" for c in LANGUAGES if article.body.get(c, "").strip() in ("", PLACEHOLDER[c])]
        if missing:
            raise DraftError(f"{article_id} cannot be published yet; missing: {', '.join(missing)}")
        published = replace(article, status=Status.PUBLISHED)
        self._write(published)
        return published

    def get(self, article_id: str) -> Article:
        path = self._path(article_id)
        if not path.exists():
            raise DraftError(f"no article {article_id}")
        return parse_article(path.read_text(encoding="utf-8"), path)

    def list_drafts(self) -> list[Article]:
        articles = (parse_article(p.read_text(encoding="utf-8"), p) for p in sorted(self.directory.glob("*.md")))
        return [a for a in articles if a.status is Status.DRAFT]

    def _path(self, article_id: str) -> Path:
        if not re.fullmatch(r"[a-z0-9-]+", article_id):
            raise DraftError(f"not an article id: {article_id!r}")
        return self.directory / f"{article_id}.md"

    def _write(self, article: Article) -> None:
        path = self._path(article.id)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(render_article(article), encoding="utf-8")
        os.replace(temporary, path)  # the search side never reads a half-written file


def _shorten(text: str, limit: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _as_steps(notes: str) -> str:
    lines = [re.sub(r"^\s*(?:\d+[.)、]|[-*])\s*", "", line).strip() for line in notes.splitlines()]
    return "\n".join(f"{n}. {line}" for n, line in enumerate((x for x in lines if x), start=1))
