"""Articles: one Markdown file each, YAML front matter plus zh and en steps, parsed and validated."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import yaml

from domain.self_help import LANGUAGES, STEP, Safety  # Safety is a domain rule; re-exported for the articles' users
from domain.values import Category

SECTION_HEADINGS = {"zh": "## 中文", "en": "## English"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)


class Status(str, Enum):
    PUBLISHED = "published"
    DRAFT = "draft"


class ArticleError(ValueError):
    """An article file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Article:
    id: str
    category: Category
    title: dict[str, str]
    phrasings: dict[str, tuple[str, ...]]
    safety: Safety
    status: Status
    body: dict[str, str]
    source_ticket: int | None = None
    path: Path | None = field(default=None, compare=False)

    @property
    def is_published(self) -> bool:
        return self.status is Status.PUBLISHED

    @property
    def is_danger(self) -> bool:
        return self.safety is Safety.DANGER

    def title_for(self, language: str) -> str:
        """The title in that language, falling back to the other one."""
        return self.title.get(_lang(language)) or next(t for t in self.title.values() if t)

    def text_for(self, language: str) -> str:
        """The whole body section (Markdown) in that language, falling back to the other one."""
        return self.body.get(_lang(language)) or next((b for b in self.body.values() if b), "")

    def steps_for(self, language: str) -> list[str]:
        """The numbered or bulleted steps in that language, Markdown emphasis kept."""
        return [m.group(1).strip() for line in self.text_for(language).splitlines() if (m := STEP.match(line))]

    def search_texts(self) -> list[str]:
        """What retrieval matches a query against: titles and alternative phrasings, both languages."""
        texts = [self.title[lang] for lang in LANGUAGES if self.title.get(lang)]
        for lang in LANGUAGES:
            texts.extend(self.phrasings.get(lang, ()))
        return texts

    def lexical_text(self) -> str:
        """Titles, phrasings and steps: BM25 may match any word a resident could use."""
        return "\n".join([*self.search_texts(), *self.body.values()])

    def content_hash(self) -> str:
        return hashlib.sha256("\n".join(self.search_texts()).encode("utf-8")).hexdigest()[:16]


def _lang(language: object) -> str:
    code = str(getattr(language, "value", language) or "").lower()
    return "zh" if code.startswith("zh") else "en"


def parse_article(text: str, path: Path | None = None) -> Article:
    """Parse and validate one article file; raise ArticleError naming what is wrong."""
    where = path.name if path else "article"
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise ArticleError(f"{where}: missing '---' front matter")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ArticleError(f"{where}: front matter is not valid YAML: {exc}") from exc
    try:
        article = _build(meta, _sections(match.group(2)), path)
    except (KeyError, TypeError, ValueError) as exc:
        raise ArticleError(f"{where}: {exc}") from exc
    if path is not None and path.stem != article.id:
        raise ArticleError(f"{where}: id {article.id!r} does not match the file name")
    return article


def _build(meta: dict, body: dict[str, str], path: Path | None) -> Article:
    article_id = str(meta["id"])
    if not ID_PATTERN.match(article_id):
        raise ValueError(f"id {article_id!r} must be lowercase words joined by '-'")
    title = {lang: str(meta["title"][lang]).strip() for lang in LANGUAGES}
    phrasings = {lang: tuple(str(p).strip() for p in (meta.get("phrasings") or {}).get(lang) or ())
                 for lang in LANGUAGES}
    for lang in LANGUAGES:
        if not title[lang]:
            raise ValueError(f"title.{lang} is empty")
        if not body.get(lang, "").strip():
            raise ValueError(f"body has no '{SECTION_HEADINGS[lang]}' section")
    ticket = meta.get("source_ticket")
    return Article(
        id=article_id, category=Category(meta["category"]), title=title, phrasings=phrasings,
        safety=Safety(meta["safety"]), status=Status(meta.get("status", "published")), body=body,
        source_ticket=int(ticket) if ticket is not None else None, path=path,
    )


def _sections(body: str) -> dict[str, str]:
    sections: dict[str, list[str]] = {}
    current: str | None = None
    heading_to_lang = {h: lang for lang, h in SECTION_HEADINGS.items()}
    for line in body.splitlines():
        if line.startswith("## "):
            current = heading_to_lang.get(line.strip())
            continue
        if current:
            sections.setdefault(current, []).append(line)
    return {lang: "\n".join(lines).strip() for lang, lines in sections.items()}


def render_article(article: Article) -> str:
    """The file text for an article: front matter, then the zh and en sections."""
    meta: dict = {"id": article.id, "category": article.category.value, "safety": article.safety.value,
                  "status": article.status.value}
    if article.source_ticket is not None:
        meta["source_ticket"] = article.source_ticket
    meta["title"] = dict(article.title)
    meta["phrasings"] = {lang: list(p) for lang, p in article.phrasings.items()}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    sections = "\n\n".join(f"{SECTION_HEADINGS[lang]}\n\n{article.body.get(lang, '').strip()}" for lang in LANGUAGES)
    return f"---\n{front}---\n\n{sections}\n"


def load_articles(directory: Path) -> dict[str, Article]:
    """Every article in the folder, drafts included, by id."""
    return {a.id: a for a in (parse_article(p.read_text(encoding="utf-8"), p) for p in sorted(directory.glob("*.md")))}
