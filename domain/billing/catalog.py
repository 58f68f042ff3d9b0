"""The parts catalog and the labour rates, as staff keep them."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from domain.values import Category


@dataclass(frozen=True)
class Part:
    """A part in stock: bilingual name and unit, unit price in fen, units on the shelf."""

    code: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    price_fen: int
    stock: int
    low_at: int | None = None  # alert when stock falls to this; None: the estate's default threshold
    categories: tuple[Category, ...] = ()  # offered first at /done for these kinds of repair

    def matches(self, words: str) -> bool:
        """Every word of `words` is in the code or one of the names (case-insensitive)."""
        hay = f"{self.code} {self.name_zh} {self.name_en}".lower()
        return all(w in hay for w in words.lower().split())


class RateKind(str, Enum):
    HOURLY = "hourly"
    CALLOUT = "callout"


@dataclass(frozen=True)
class LabourRate:
    """What labour costs for one category: a flat call-out fee and/or an hourly rate, in fen."""

    category: Category
    callout_fen: int = 0
    hourly_fen: int = 0


def search(parts: list[Part], words: str, limit: int = 8) -> list[Part]:
    """Parts whose code or names hold every word; the exact code first."""
    words = words.strip()
    exact = [p for p in parts if p.code.lower() == words.lower()]
    return (exact + [p for p in parts if p not in exact and p.matches(words)])[:limit]
