"""Staff knowledge-base commands: /kbstats, /kbdraft <ticket> | show <article> | list, /kbedit, /kbpublish."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Awaitable

from telegram import Update
from telegram.ext import ContextTypes

from bot.common import Who, parse_ticket_id, reply
from bot.services import BotServices, services
from bot.staff import staff_only
from domain.self_help import LANGUAGES, DraftRefused, Edit, Safety
from domain.values import Language
from knowledge_base.curation import (Preview, draft_from_ticket, edit_article, pending_drafts, preview_draft,
                                     publish_draft)

LONGEST = 4000  # Telegram takes 4096 characters a message


async def kbstats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/kbstats: how often a suggestion settled the problem, by article, category and building."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc = services(context)
    sections = []
    for by in ("category", "building", "article_id"):
        counts = await svc.call(svc.kb_outcomes.counts, by)
        groups: dict[str, dict[str, int]] = defaultdict(dict)
        for (group, outcome), n in counts.items():
            groups[group][outcome] = n
        lines = []
        for group, c in sorted(groups.items()):
            decided = c.get("deflected", 0) + c.get("needed_repair", 0)
            rate = f"{100 * c.get('deflected', 0) / decided:.0f}%" if decided else "—"
            lines.append(svc.t(me.language, "kb.stats_line", group=group, shown=c.get("shown", 0),
                               fixed=c.get("deflected", 0), rate=rate))
        sections.append(svc.t(me.language, f"kb.stats_by_{by}") + "\n" + ("\n".join(lines) or "—"))
    await reply(update, svc.t(me.language, "kb.stats") + "\n\n" + "\n\n".join(sections))


async def kbdraft(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/kbdraft <ticket>: a draft from a completed ticket; /kbdraft show <article>: preview; /kbdraft list."""
    me, svc, kb = await _curator(update, context)
    if me is None:
        return
    args, person = list(context.args or []), me.person.id  # type: ignore[union-attr]
    if len(args) == 2 and args[0].lower() == "show":
        preview = await _attempt(update, svc, me, svc.run(preview_draft, kb.drafts, kb, svc.clock, person, args[1]))
        if preview is not None:
            await reply(update, preview_text(svc, me.language, preview)[:LONGEST])
    elif args == ["list"]:
        drafts = await svc.run(pending_drafts, kb.drafts, person)
        lines = [svc.t(me.language, "kb.pending_line", id=v.article_id, revision=v.revision,
                       title=v.text.title.get(me.language.value, "")) for v in drafts]
        await reply(update, "\n".join([svc.t(me.language, "kb.pending"), *lines]) if lines
                    else svc.t(me.language, "kb.no_pending"))
    elif len(args) == 1 and (ticket_id := parse_ticket_id(args[0])) is not None:
        draft = await _attempt(update, svc, me, svc.run(draft_from_ticket, kb.drafts, kb, svc.clock, person, ticket_id))
        if draft is not None:
            await reply(update, svc.t(me.language, "kb.drafted", id=draft.article_id))
    else:
        await reply(update, svc.t(me.language, "usage.kbdraft"))


async def kbedit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/kbedit <id> zh|en title|steps|phrasings <text; text> — or /kbedit <id> safety|category <value>."""
    me, svc, kb = await _curator(update, context)
    if me is None:
        return
    args = list(context.args or [])
    edit = parse_edit(args[1:]) if len(args) >= 3 else None
    if edit is None:
        await reply(update, svc.t(me.language, "usage.kbedit"))
        return
    saved = await _attempt(update, svc, me, svc.run(edit_article, kb.drafts, kb, svc.clock,
                                                    me.person.id, args[0], edit))  # type: ignore[union-attr]
    if saved is None:
        return
    v = saved.version
    text = svc.t(me.language, "kb.opened" if saved.opened else "kb.edited", id=v.article_id, revision=v.revision)
    if saved.safety_change:
        text += "\n" + svc.t(me.language, "kb.edit_safety", id=v.article_id, **_levels(svc, me.language,
                                                                                      saved.safety_change))
    await reply(update, text)


async def kbpublish(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/kbpublish <article id>: owners start seeing the draft, unless something must change first."""
    me, svc, kb = await _curator(update, context)
    if me is None:
        return
    args = list(context.args or [])
    if len(args) != 1:
        await reply(update, svc.t(me.language, "usage.kbpublish"))
        return
    published = await _attempt(update, svc, me, svc.run(publish_draft, kb.drafts, kb, svc.clock,
                                                        me.person.id, args[0]))  # type: ignore[union-attr]
    if published is None:
        return
    v = published.version
    text = svc.t(me.language, "kb.published", id=v.article_id, revision=v.revision)
    if published.safety_change:
        text += "\n" + svc.t(me.language, "kb.published_safety", **_levels(svc, me.language, published.safety_change))
    await reply(update, text)


def parse_edit(args: list[str]) -> Edit | None:
    """['zh', 'steps', 'a;', 'b'] -> Edit('steps', ('a', 'b'), 'zh'); ['safety', 'danger'] -> Edit('safety', ...)."""
    if args[0].lower() in ("safety", "category"):
        return Edit(args[0].lower(), " ".join(args[1:]).strip()) if len(args) >= 2 else None
    if args[0].lower() not in LANGUAGES or len(args) < 3 or args[1].lower() not in ("title", "steps", "phrasings"):
        return None
    text = " ".join(args[2:]).strip()
    field = args[1].lower()
    value: str | tuple[str, ...] = text if field == "title" else tuple(
        p.strip() for p in text.replace("；", ";").split(";") if p.strip())
    return Edit(field, value, args[0].lower())


def preview_text(svc: BotServices, language: Language, preview: Preview) -> str:
    """The draft as staff review it: what it says in both languages, what changes, and what stops publishing."""
    v, t, lang = preview.version, preview.version.text, language
    when = v.made_at.astimezone(svc.tz).strftime("%Y-%m-%d %H:%M")
    lines = [svc.t(lang, "kb.preview", id=v.article_id, revision=v.revision, who=preview.made_by, when=when,
                   action=svc.t(lang, f"kb.action.{v.action.value}"))]
    if v.source_ticket is not None:
        lines.append(svc.t(lang, "kb.preview_source", ticket=v.source_ticket))
    lines.append(svc.t(lang, "kb.preview_meta", category=svc.t(lang, f"cat.{t.category.value}"),
                       safety=svc.t(lang, f"kb.level.{t.safety.value}")))
    if preview.safety_change:
        old, new = preview.safety_change
        lines.append(svc.t(lang, "kb.preview_safety", **_levels(svc, lang, preview.safety_change)))
        if Safety.DANGER in (old, new):
            lines.append(svc.t(lang, "kb.preview_danger" if new is Safety.DANGER else "kb.preview_undanger"))
    lines.append(svc.t(lang, "kb.preview_changed", fields=", ".join(preview.changed) or "—") if preview.replaces
                 else svc.t(lang, "kb.preview_new"))
    for code in LANGUAGES:
        lines.append("\n" + svc.t(lang, f"kb.preview_{code}", title=t.title.get(code, ""),
                                  steps=t.body.get(code, ""), phrasings="; ".join(t.phrasings.get(code, ())) or "—"))
    if v.staff_note:
        lines.append("\n" + svc.t(lang, "kb.preview_note", note=v.staff_note))
    lines.append("\n" + (problems_text(svc, lang, v.article_id, preview.problems, "kb.preview_problems")
                         if preview.problems else svc.t(lang, "kb.preview_ready", id=v.article_id)))
    return "\n".join(lines)


def problems_text(svc: BotServices, language: Language, article_id: str, problems: Any, header: str) -> str:
    bullets = [svc.t(language, f"kb.problem.{p.kind}", field=p.field, found=p.found, id=article_id) for p in problems]
    return "\n".join([svc.t(language, header, id=article_id), *bullets])


async def _curator(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[Who | None, BotServices, Any]:
    """Staff with a knowledge base that keeps drafts; anyone else is told why not and gets (None, ...)."""
    svc, me = services(context), await staff_only(update, context)
    if me is not None and (svc.kb is None or getattr(svc.kb, "drafts", None) is None):
        await reply(update, svc.t(me.language, "kb.unavailable"))
        me = None
    return me, svc, svc.kb


async def _attempt(update: Update, svc: BotServices, me: Who, call: Awaitable[Any]) -> Any:
    """The use case's result, or None after telling staff what to change when it refused."""
    try:
        return await call
    except DraftRefused as refused:
        if refused.reason == "problems":
            text = problems_text(svc, me.language, str(refused.facts["id"]), refused.problems, "kb.refused.problems")
        else:
            text = svc.t(me.language, f"kb.refused.{refused.reason}", **refused.facts)
        await reply(update, text[:LONGEST])
        return None


def _levels(svc: BotServices, language: Language, change: tuple[Safety, Safety]) -> dict[str, str]:
    old, new = change
    return {"old": svc.t(language, f"kb.level.{old.value}"), "new": svc.t(language, f"kb.level.{new.value}")}


COMMANDS = {"kbstats": kbstats, "kbdraft": kbdraft, "kbedit": kbedit, "kbpublish": kbpublish}
