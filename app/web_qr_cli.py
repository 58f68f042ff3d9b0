"""`python -m app web-qr --building 3`: one-time web invites for every registered home of a building, as a PDF
of QR codes to print (one page per home). The invites are made by the domain use case, as /invite makes them."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from app.bootstrap import build_core
from app.config import Config, load_secrets, sandbox_database_url
from app.web_wiring import web_settings
from bot.i18n import Catalogs
from domain.errors import DomainError
from domain.people import Role
from domain.usecases.registration import create_invite
from domain.values import Language, Location


def add_parser(tools: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    qr = tools.add_parser("web-qr", help="a PDF of one-time web-chat QR codes for every registered home of a building")
    qr.add_argument("--building", required=True, help="the building's id in config.yml (e.g. 3)")
    qr.add_argument("--out", "-o", help="PDF to write (default: web-qr-building-<id>.pdf)")
    qr.add_argument("--as", dest="actor", type=int, help="the staff member's chat id who issues them (default: the "
                                                           "first active manager or administrator)")
    qr.add_argument("--days", type=int, default=30, help="how long the printed codes stay usable (default 30)")
    qr.add_argument("--sandbox", action="store_true", help="the sandbox's database instead of DATABASE_URL")


def homes_of(core: object, building: str) -> list[Location]:
    """The building's homes in the owner register and those of registered owners, each once, in door order."""
    with core.uow() as uow:  # type: ignore[attr-defined]
        homes = {e.home for e in uow.register.all(core.estate.id)}  # type: ignore[attr-defined]
        homes |= {h for p in uow.people.find(role=Role.OWNER, estate_id=core.estate.id) for h in p.homes}  # type: ignore[attr-defined]
    mine = [h for h in homes if h.building == building and h.room and not h.area]
    return sorted(mine, key=lambda h: (h.unit or "", h.room.zfill(6)))  # type: ignore[union-attr]


def _actor(core: object, chat_id: int | None) -> int:
    with core.uow() as uow:  # type: ignore[attr-defined]
        if chat_id is not None:
            person = uow.people.by_chat_id(chat_id)
            return person.id if person else -1
        staff = [p for role in (Role.ADMIN, Role.STAFF) for p in uow.people.find(role=role, estate_id=core.estate.id)  # type: ignore[attr-defined]
                 if p.active and (p.role is Role.ADMIN or (p.staff_role and p.staff_role.value == "manager"))]
    return staff[0].id if staff else -1


def run_web_qr(config: Config, args: argparse.Namespace) -> int:
    from web.qr_sheet import QrLabel, qr_pdf

    building = next((b for b in config.estate.buildings if b.id == args.building), None)
    if building is None:
        print(f"no building {args.building!r} in config.yml", file=sys.stderr)
        return 2
    core = build_core(config, sandbox_database_url(config) if args.sandbox else load_secrets().database_url)
    try:
        homes, actor, t = homes_of(core, building.id), _actor(core, args.actor), Catalogs()
        if not homes:
            print(f"building {building.id} has no registered homes (import the owner register first)", file=sys.stderr)
            return 2
        settings, tz = web_settings(config.web), ZoneInfo(config.timezone)
        policies = replace(core.policies, invite_ttl=timedelta(days=max(args.days, 1)))  # paper lasts longer
        labels = []
        for home in homes:
            invite = create_invite(core.uow(), core.clock, policies, actor, Role.OWNER, home=home)
            until = invite.expires_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            place = " ".join([building.name, *([f"{home.unit}单元"] if home.unit else []), home.room or ""])
            labels.append(QrLabel(settings.invite_url(invite.code), config.estate.name, place,
                                  f"{t.text(Language.ZH, 'web.qr_label')} / {t.text(Language.EN, 'web.qr_label')}",
                                  f"有效期至 / valid until {until} · 一户一码，只能用一次 / one use"))
    except DomainError as error:
        print(f"could not make the invites: {error} (pass --as the chat id of a staff member)", file=sys.stderr)
        return 2
    finally:
        core.close()
    out = args.out or f"web-qr-building-{building.id}.pdf"
    with open(out, "wb") as pdf:
        pdf.write(qr_pdf(labels))
    print(f"{len(labels)} QR codes for {building.name} written to {out}", file=sys.stderr)
    return 0
