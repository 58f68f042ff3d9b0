"""Self-help articles as drafts: their text, every saved version, edits, and who may curate them."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from domain.errors import DomainError, PermissionDenied
from domain.people import Person
from domain.values import Category

LANGUAGES = ("zh", "en")
PLACEHOLDER = {"zh": "（待补充中文步骤）", "en": "(English steps to be written)"}
TITLE_PLACEHOLDER = {"zh": "（待补充中文标题）", "en": "(English title to be written)"}
STEP = re.compile(r"^\s*(?:\d+[.)、]|[-*])\s+(.*)$")


class Safety(str, Enum):
    SAFE = "safe"
    CAUTION = "caution"  # say what not to touch
    DANGER = "danger"  # never offered as a fix to try, only as safety steps while we send someone


@dataclass(frozen=True)
class ArticleText:
    """What an article says and how it is offered; everything but the category and safety is public."""

    category: Category
    safety: Safety
    title: dict[str, str]
    phrasings: dict[str, tuple[str, ...]]
    body: dict[str, str]  # Markdown per language: numbered steps

    def public_fields(self) -> list[tuple[str, str]]:
        """(field, text) for every text owners may read, named as /kbedit names them ("zh title")."""
        fields = []
        for lang in LANGUAGES:
            fields.append((f"{lang} title", self.title.get(lang, "")))
            fields.append((f"{lang} steps", self.body.get(lang, "")))
            fields += [(f"{lang} phrasings {n}", p) for n, p in enumerate(self.phrasings.get(lang, ()), start=1)]
        return fields


class DraftAction(str, Enum):
    CREATED = "created"  # from a completed ticket
    OPENED = "opened"  # a new draft of a published article, with its first edit
    EDITED = "edited"


@dataclass(frozen=True)
class DraftVersion:
    """One saved version of an article. Versions are never changed, only stamped reviewed and published."""

    article_id: str
    revision: int  # 1, 2, 3... per article, across all its drafts
    action: DraftAction
    text: ArticleText
    made_by: int | None
    made_at: datetime
    source_ticket: int | None = None
    based_on: int | None = None  # the published revision this draft started from; None: new, or the shipped file
    staff_note: str = ""  # the owner's own words: for staff only, never published
    reviewed_by: int | None = None
    reviewed_at: datetime | None = None
    published_by: int | None = None
    published_at: datetime | None = None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class DraftRefused(DomainError):
    """A draft cannot be made, changed or published; `reason` says why and `facts` what to show."""

    code = "kb_refused"
    REASONS = ("needs_completed", "exists", "no_article", "bad_id", "no_draft", "needs_language", "bad_value",
               "empty", "conflict", "problems")

    def __init__(self, reason: str, problems: tuple["Problem", ...] = (), **facts: object) -> None:
        super().__init__(f"{reason}: {facts} {problems}".strip(), reason=reason, **facts)
        self.reason = reason
        self.problems = problems


class StaleDraft(DraftRefused):
    """Someone else saved or published this draft at the same moment; re-read and try again."""

    def __init__(self, article_id: str) -> None:
        super().__init__("conflict", id=article_id)


@dataclass(frozen=True)
class Problem:
    """One thing to change before publishing: `kind` (see PROBLEMS), the field, and what was found there."""

    kind: str
    field: str = ""
    found: str = ""


PROBLEMS = ("missing_title", "missing_steps", "owner_name", "owner_phone", "owner_room", "owner_words",
            "safety_unreviewed")


@dataclass(frozen=True)
class Edit:
    """One change staff make from chat: a title, steps or phrasings in one language, or the safety or category."""

    field: str  # title | steps | phrasings | safety | category
    value: str | tuple[str, ...]
    language: str | None = None


def authorize_curator(actor: Person) -> None:
    """Only active staff (and admins) make, edit, preview and publish self-help articles."""
    if not (actor.active and actor.is_staff):
        raise PermissionDenied(f"{actor.role.value} may not curate self-help articles", action="curate")


def apply_edit(text: ArticleText, edit: Edit) -> ArticleText:
    """The article text with one edit applied; DraftRefused says what was wrong with the edit."""
    if edit.field == "safety":
        return replace(text, safety=_enum(Safety, edit.value, "safety"))
    if edit.field == "category":
        return replace(text, category=_enum(Category, edit.value, "category"))
    if edit.language not in LANGUAGES:
        raise DraftRefused("needs_language")
    lines = (edit.value,) if isinstance(edit.value, str) else edit.value
    lines = tuple(line.strip() for line in lines if line.strip())
    if not lines:
        raise DraftRefused("empty", field=edit.field)
    if edit.field == "title":
        return replace(text, title={**text.title, edit.language: " ".join(lines)})
    if edit.field == "steps":
        return replace(text, body={**text.body, edit.language: as_steps("\n".join(lines))})
    if edit.field == "phrasings":
        return replace(text, phrasings={**text.phrasings, edit.language: lines})
    raise DraftRefused("bad_value", field="field", value=edit.field,
                       allowed="title, steps, phrasings, safety, category")


def _enum(kind: type[Enum], value: object, field: str) -> Enum:  # type: ignore[type-arg]
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        raise DraftRefused("bad_value", field=field, value=value,
                           allowed=", ".join(str(m.value) for m in kind)) from None


def as_steps(notes: str) -> str:
    """Notes, one per line (numbered or not), as the numbered steps articles are written in."""
    lines = [re.sub(r"^\s*(?:\d+[.)、]|[-*])\s*", "", line).strip() for line in notes.splitlines()]
    return "\n".join(f"{n}. {line}" for n, line in enumerate((x for x in lines if x), start=1))


def steps_of(body: str) -> list[str]:
    return [m.group(1).strip() for line in body.splitlines() if (m := STEP.match(line))]


def missing_parts(text: ArticleText) -> list[Problem]:
    """The titles and steps still empty or placeholders, in both languages."""
    problems = [Problem("missing_title", f"{lang} title") for lang in LANGUAGES
                if text.title.get(lang, "").strip() in ("", TITLE_PLACEHOLDER[lang])]
    problems += [Problem("missing_steps", f"{lang} steps") for lang in LANGUAGES
                 if not [s for s in steps_of(text.body.get(lang, "")) if s != PLACEHOLDER[lang]]]
    return problems


def safety_change(before: ArticleText | None, after: ArticleText) -> tuple[Safety, Safety] | None:
    """(old, new) when the draft changes how the article is offered; None when it does not."""
    if before is None or before.safety is after.safety:
        return None
    return before.safety, after.safety


def changed_fields(before: ArticleText | None, after: ArticleText) -> list[str]:
    """The fields `after` changes, named as /kbedit names them; every field of a new article."""
    old = dict(before.public_fields()) if before else {}
    fields = [f for f, value in after.public_fields() if old.get(f) != value]
    fields += [f for f in old if f not in dict(after.public_fields())]
    fields += [name for name in ("category", "safety")
               if before is None or getattr(before, name) is not getattr(after, name)]
    return fields
