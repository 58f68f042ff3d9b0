"""A ticket's draft without the owner in it, and the review that keeps them out until it is published."""
from __future__ import annotations

from dataclasses import dataclass

from domain.people import Person
from domain.redaction import copied_run, name_in, phone_in, redact, room_in
from domain.self_help import (LANGUAGES, PLACEHOLDER, TITLE_PLACEHOLDER, ArticleText, DraftVersion, Problem, Safety,
                              as_steps, missing_parts, safety_change)
from domain.ticket import Ticket
from domain.values import Category, Language, detect_language

TITLE_LENGTH = 40


@dataclass(frozen=True)
class OwnerFacts:
    """What would identify the ticket's owner if it reached the public text."""

    name: str = ""
    phone: str = ""
    rooms: tuple[str, ...] = ()
    description: str = ""

    @classmethod
    def of(cls, ticket: Ticket, owner: Person | None) -> "OwnerFacts":
        rooms = {ticket.location.room} | {home.room for home in (owner.homes if owner else [])}
        return cls(name=owner.name if owner else "", phone=(owner.phone or "") if owner else "",
                   rooms=tuple(sorted(r for r in rooms if r)), description=ticket.description)


def text_from_ticket(notes: str, category: Category, *, names: tuple[str, ...] = (),
                     rooms: tuple[str, ...] = (), phones: tuple[str, ...] = ()) -> ArticleText:
    """The public text a draft starts from: the technician's notes, redacted, as steps in their language and a
    title from their first line; the other language is left to staff. The owner's words are never used."""
    clean = redact(notes, names=names, rooms=rooms, phones=phones)
    lang = detect_language(clean, Language.ZH).value
    title, body = dict(TITLE_PLACEHOLDER), dict(PLACEHOLDER)
    first = " ".join((clean.splitlines() or [""])[0].split())
    if first:
        title[lang] = first if len(first) <= TITLE_LENGTH else first[:TITLE_LENGTH - 1] + "…"
        body[lang] = as_steps(clean)
    return ArticleText(category=category, safety=Safety.CAUTION, title=title,
                       phrasings={code: () for code in LANGUAGES}, body=body)


def owner_traces(text: ArticleText, owner: OwnerFacts) -> list[Problem]:
    """Each public field that still holds the owner's name, phone, room number or 8+ characters of their words."""
    problems = []
    for field, value in text.public_fields():
        checks = (("owner_name", name_in(value, owner.name)), ("owner_phone", phone_in(value, owner.phone)),
                  *(("owner_room", room_in(value, room)) for room in owner.rooms),
                  ("owner_words", copied_run(value, owner.description)))
        problems += [Problem(kind, field, found) for kind, found in checks if found]
    return problems


def review(draft: DraftVersion, before: ArticleText | None, owner: OwnerFacts | None) -> list[Problem]:
    """Everything to change before `draft` may be published over `before` (the text owners see now, or the
    draft's first version): missing text, traces of the ticket's owner, and an unreviewed change of safety."""
    problems = missing_parts(draft.text)
    if owner is not None:
        problems += owner_traces(draft.text, owner)
    change = safety_change(before, draft.text)
    if change and draft.reviewed_at is None:
        problems.append(Problem("safety_unreviewed", "safety", f"{change[0].value} → {change[1].value}"))
    return problems
