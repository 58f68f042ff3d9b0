"""Curating self-help from chat, staff only: draft from a ticket, edit, preview, publish. Use cases take their ports."""
from __future__ import annotations

from dataclasses import dataclass, replace

from domain.authorization import VIEW, authorize
from domain.lifecycle import Status
from domain.people import Person
from domain.ports import Clock, UnitOfWork
from domain.self_help import (ArticleText, DraftAction, DraftRefused, DraftVersion, Edit, Problem, Safety,
                              apply_edit, authorize_curator, changed_fields, safety_change)
from domain.self_help_review import OwnerFacts, review, text_from_ticket
from domain.usecases.common import load_actor, load_ticket
from knowledge_base.articles import ID_PATTERN
from knowledge_base.drafts import text_of
from knowledge_base.ports import ArticleSource, DraftStore

DONE = frozenset({Status.AWAITING_CONFIRMATION, Status.COMPLETED, Status.CLOSED})


@dataclass(frozen=True)
class Saved:
    version: DraftVersion
    opened: bool  # a new draft of a published article: owners still see the published one
    safety_change: tuple[Safety, Safety] | None


@dataclass(frozen=True)
class Preview:
    version: DraftVersion
    made_by: str
    replaces: bool  # owners see a published version of this article now
    changed: tuple[str, ...]  # fields that differ from what owners see now (all of them for a new article)
    safety_change: tuple[Safety, Safety] | None
    problems: tuple[Problem, ...]  # what stops publishing; empty when it may be published


@dataclass(frozen=True)
class Published:
    version: DraftVersion
    safety_change: tuple[Safety, Safety] | None


def ticket_article_id(ticket_id: int) -> str:
    return f"ticket-{int(ticket_id)}"


def draft_from_ticket(uow: UnitOfWork, drafts: DraftStore, articles: ArticleSource, clock: Clock, actor_id: int,
                      ticket_id: int) -> DraftVersion:
    """A first draft from a completed ticket: the technician's notes without places, phones or names; the
    owner's description only in the staff-only note."""
    with uow:
        actor = _curator(uow, actor_id)
        ticket = load_ticket(uow, ticket_id)
        authorize(actor, VIEW, ticket)
        people = [uow.people.get(i) for i in (ticket.owner_id, ticket.technician_id) if i is not None]
    if ticket.completion is None or not ticket.completion.notes.strip() or ticket.status not in DONE:
        raise DraftRefused("needs_completed", ticket_id=ticket_id)
    article_id = ticket_article_id(ticket_id)
    if drafts.history(article_id) or articles.shipped(article_id) is not None:
        raise DraftRefused("exists", id=article_id)
    owner = OwnerFacts.of(ticket, people[0] if people else None)
    text = text_from_ticket(ticket.completion.notes, ticket.category, names=tuple(p.name for p in people if p),
                            rooms=owner.rooms, phones=(owner.phone,))
    return drafts.add(DraftVersion(article_id, 1, DraftAction.CREATED, text, actor.id, clock.now(),
                                   source_ticket=ticket.id, staff_note=ticket.description))


def edit_article(uow: UnitOfWork, drafts: DraftStore, articles: ArticleSource, clock: Clock, actor_id: int,
                 article_id: str, edit: Edit) -> Saved:
    """Change a draft; a published article (shipped or from chat) is never changed in place: the edit opens a
    new draft of it, and owners see the published text until a staff member publishes the draft."""
    history = drafts.history(_checked(article_id))
    latest = history[-1] if history else None
    live, live_revision, live_ticket = _live(history, articles, article_id)
    with uow:
        actor = _curator(uow, actor_id)
        _source(uow, actor, latest.source_ticket if latest else live_ticket)
    if latest is not None and not latest.is_published:
        base, action = latest, DraftAction.EDITED
        version = replace(base, revision=latest.revision + 1, action=action, text=apply_edit(base.text, edit),
                          made_by=actor.id, made_at=clock.now(), reviewed_by=None, reviewed_at=None)
    elif live is not None:
        note = latest.staff_note if latest else ""
        version = DraftVersion(article_id, (latest.revision if latest else 0) + 1, DraftAction.OPENED,
                               apply_edit(live, edit), actor.id, clock.now(), source_ticket=live_ticket,
                               based_on=live_revision, staff_note=note)
    else:
        raise DraftRefused("no_article", id=article_id)
    drafts.add(version)
    return Saved(version, version.action is DraftAction.OPENED, safety_change(_before(history, live), version.text))


def preview_draft(uow: UnitOfWork, drafts: DraftStore, articles: ArticleSource, clock: Clock, actor_id: int,
                  article_id: str) -> Preview:
    """The pending draft as it would be published, what it changes and what still stops it; marks it reviewed."""
    history = drafts.history(_checked(article_id))
    draft = _pending(history, articles, article_id)
    with uow:
        actor = _curator(uow, actor_id)
        owner = _source(uow, actor, draft.source_ticket)
        author = uow.people.get(draft.made_by) if draft.made_by is not None else None
    now = clock.now()
    drafts.mark_reviewed(article_id, draft.revision, actor.id, now)
    draft = replace(draft, reviewed_by=actor.id, reviewed_at=now)
    live = _live(history, articles, article_id)[0]
    before = _before(history, live)
    return Preview(draft, author.name if author else "—", live is not None, tuple(changed_fields(live, draft.text)),
                   safety_change(before, draft.text), tuple(review(draft, before, owner)))


def publish_draft(uow: UnitOfWork, drafts: DraftStore, articles: ArticleSource, clock: Clock, actor_id: int,
                  article_id: str) -> Published:
    """Publish the pending draft, unless something must change first (DraftRefused 'problems' lists it all)."""
    history = drafts.history(_checked(article_id))
    draft = _pending(history, articles, article_id)
    with uow:
        actor = _curator(uow, actor_id)
        owner = _source(uow, actor, draft.source_ticket)
    before = _before(history, _live(history, articles, article_id)[0])
    problems = review(draft, before, owner)
    if problems:
        raise DraftRefused("problems", problems=tuple(problems), id=article_id)
    now = clock.now()
    drafts.mark_published(article_id, draft.revision, actor.id, now)
    articles.reload()
    return Published(replace(draft, published_by=actor.id, published_at=now), safety_change(before, draft.text))


def pending_drafts(uow: UnitOfWork, drafts: DraftStore, actor_id: int) -> list[DraftVersion]:
    """Every draft waiting to be published, newest version each."""
    with uow:
        _curator(uow, actor_id)
    return drafts.pending()


def _curator(uow: UnitOfWork, actor_id: int) -> Person:
    actor = load_actor(uow, actor_id)
    authorize_curator(actor)
    return actor


def _checked(article_id: str) -> str:
    if not ID_PATTERN.match(article_id or "") or len(article_id) > 100:
        raise DraftRefused("bad_id", id=(article_id or "")[:40])
    return article_id


def _live(history: list[DraftVersion], articles: ArticleSource,
          article_id: str) -> tuple[ArticleText | None, int | None, int | None]:
    """What owners see now: (text, published revision or None for the shipped file, source ticket)."""
    published = [v for v in history if v.is_published]
    if published:
        return published[-1].text, published[-1].revision, published[-1].source_ticket
    shipped = articles.shipped(article_id)
    return (text_of(shipped), None, shipped.source_ticket) if shipped is not None else (None, None, None)


def _before(history: list[DraftVersion], live: ArticleText | None) -> ArticleText | None:
    """What a safety change is measured against: the live text, or a new article's first version."""
    return live if live is not None else (history[0].text if history else None)


def _pending(history: list[DraftVersion], articles: ArticleSource, article_id: str) -> DraftVersion:
    if history and not history[-1].is_published:
        return history[-1]
    known = bool(history) or articles.shipped(article_id) is not None
    raise DraftRefused("no_draft" if known else "no_article", id=article_id)


def _source(uow: UnitOfWork, actor: Person, ticket_id: int | None) -> OwnerFacts | None:
    """The owner of the ticket a draft came from, once the actor may see that ticket (staff of its estate)."""
    ticket = uow.tickets.get(ticket_id) if ticket_id is not None else None
    if ticket is None:
        return None
    authorize(actor, VIEW, ticket)
    return OwnerFacts.of(ticket, uow.people.get(ticket.owner_id))
