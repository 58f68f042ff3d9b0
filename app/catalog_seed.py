"""Seed the parts catalog and labour rates from app/catalog.yml; what the database has already is kept."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from domain.billing.catalog import LabourRate, Part
from domain.billing.money import parse_yuan
from domain.ports import UnitOfWork
from domain.values import Category

CATALOG = Path(__file__).resolve().parent / "catalog.yml"


def read_catalog(path: Path = CATALOG) -> tuple[list[Part], list[LabourRate]]:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    parts = [Part(str(p["code"]).upper(), p["zh"], p["en"], p["unit_zh"], p["unit_en"], parse_yuan(str(p["price"])),
                  int(p.get("stock", 0)), p.get("low_at"), tuple(Category(c) for c in p.get("categories", ())))
             for p in raw.get("parts", [])]
    rates = [LabourRate(Category(c), parse_yuan(str(r.get("callout", "0"))), parse_yuan(str(r.get("hourly", "0"))))
             for c, r in (raw.get("labour") or {}).items()]
    return parts, rates


def seed_catalog(uow: UnitOfWork, path: Path = CATALOG) -> int:
    """Add the file's parts and rates the database does not have yet; returns how many were added."""
    parts, rates = read_catalog(path)
    added = 0
    with uow:
        for part in parts:
            if uow.catalog.part(part.code) is None:
                uow.catalog.put_part(part)
                added += 1
        for rate in rates:
            if uow.catalog.rate(rate.category) is None:
                uow.catalog.put_rate(rate)
                added += 1
        uow.commit()
    return added
