"""Staff knowledge-base commands: /kbstats (deflection), /kbdraft <ticket>, /kbpublish <article>."""
from __future__ import annotations

from collections import defaultdict

from telegram import Update
from telegram.ext import ContextTypes

from bot.common import reply, ticket_arg
from bot.services import services
from bot.staff import staff_only
from domain.lifecycle import Status
from domain.usecases.queries import view_ticket


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
    """/kbdraft <ticket id>: a draft article from a completed ticket's problem and fix notes."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc = services(context)
    ticket_id = await ticket_arg(update, context, me, "kbdraft")
    if ticket_id is None or svc.kb is None:
        if svc.kb is None:
            await reply(update, svc.t(me.language, "kb.unavailable"))
        return
    t = (await svc.run(view_ticket, me.person.id, ticket_id)).ticket  # type: ignore[union-attr]
    if t.completion is None or t.status not in (Status.COMPLETED, Status.CLOSED, Status.AWAITING_CONFIRMATION):
        await reply(update, svc.t(me.language, "kb.draft_needs_completed", id=ticket_id))
        return
    try:
        article_id = await svc.call(svc.kb.drafts.create_draft, t.description, t.category, t.completion.notes, t.id)
    except ValueError as error:  # DraftError: e.g. a draft for this ticket exists already
        await reply(update, svc.t(me.language, "kb.draft_failed", reason=str(error)))
        return
    await reply(update, svc.t(me.language, "kb.drafted", id=article_id))


async def kbpublish(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/kbpublish <article id>: owners start seeing the article in suggestions."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc = services(context)
    article_id = (context.args or [""])[0].strip()
    if not article_id or svc.kb is None:
        await reply(update, svc.t(me.language, "usage.kbpublish" if svc.kb else "kb.unavailable"))
        return
    try:
        await svc.call(svc.kb.publish, article_id)
    except (KeyError, ValueError) as error:
        await reply(update, svc.t(me.language, "kb.draft_failed", reason=str(error)))
        return
    await reply(update, svc.t(me.language, "kb.published", id=article_id))


async def kbedit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/kbedit <id> zh|en title|steps|phrasings <text; text> — or /kbedit <id> safety|category <value>."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc, args = services(context), list(context.args or [])
    if svc.kb is None or len(args) < 3:
        await reply(update, svc.t(me.language, "usage.kbedit" if svc.kb else "kb.unavailable"))
        return
    article_id, changes = args[0], _edit_fields(args[1:])
    if changes is None:
        await reply(update, svc.t(me.language, "usage.kbedit"))
        return
    try:
        await svc.call(svc.kb.drafts.update_draft, article_id, **changes)
    except (KeyError, ValueError) as error:  # DraftError or an unknown safety/category value
        await reply(update, svc.t(me.language, "kb.draft_failed", reason=str(error)))
        return
    await reply(update, svc.t(me.language, "kb.edited", id=article_id))


def _edit_fields(args: list[str]) -> dict[str, object] | None:
    if args[0] in ("safety", "category"):
        return {args[0]: args[1]}
    if args[0] not in ("zh", "en") or len(args) < 3 or args[1] not in ("title", "steps", "phrasings"):
        return None
    text = " ".join(args[2:]).strip()
    value: object = text if args[1] == "title" else [part.strip() for part in text.replace("；", ";").split(";")
                                                     if part.strip()]
    return {"language": args[0], args[1]: value}


COMMANDS = {"kbstats": kbstats, "kbdraft": kbdraft, "kbedit": kbedit, "kbpublish": kbpublish}
