"""Printing QR codes for a building: one usable one-time web invite per registered home, one PDF page each."""
from __future__ import annotations

import argparse
import re
from datetime import timedelta

from app.bootstrap import build_core
from app.config import load_config
from app.web_qr_cli import homes_of, run_web_qr
from domain.values import Location
from web.qr import qr_png


def test_the_building_pdf_has_a_page_and_a_fresh_invite_for_each_registered_home(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "sandbox.db"
    monkeypatch.setenv("SANDBOX_DATABASE_URL", f"sqlite:///{db}")
    config = load_config()
    core = build_core(config, f"sqlite:///{db}")  # the demo homes and register
    homes = homes_of(core, "7")
    assert homes and all(h.building == "7" for h in homes)
    before = core.clock.now()
    core.close()
    out = tmp_path / "b7.pdf"
    args = argparse.Namespace(building="7", out=str(out), actor=None, days=30, sandbox=True)
    assert run_web_qr(config, args) == 0
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(homes)
    core = build_core(config, f"sqlite:///{db}")
    with core.uow() as uow:
        invites = [i for home in homes for i in _invites_for(uow, home)]
    core.close()
    assert len(invites) == len(homes)
    assert all(i.used_at is None and i.expires_at - before > timedelta(days=29) for i in invites)


def test_an_unknown_building_is_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SANDBOX_DATABASE_URL", f"sqlite:///{tmp_path}/s.db")
    args = argparse.Namespace(building="99", out=str(tmp_path / "x.pdf"), actor=None, days=30, sandbox=True)
    assert run_web_qr(load_config(), args) == 2 and not (tmp_path / "x.pdf").exists()


def test_a_qr_image_is_a_png_that_grows_with_the_link() -> None:
    short, long = qr_png("https://a.example/web/i/x"), qr_png("https://a.example/web/i/" + "x" * 200)
    assert short[:8] == b"\x89PNG\r\n\x1a\n" and len(long) > len(short)


def _invites_for(uow, home: Location):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from storage.models import InviteRow

    rows = uow.session.scalars(select(InviteRow)).all()
    return [uow.invites.get(r.code) for r in rows if r.role == "owner" and (r.home or {}).get("room") == home.room
            and (r.home or {}).get("building") == home.building]
