"""The typed result every caller gets, whichever engine answered."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional, Protocol

from domain.values import Category, Intent, Language, Location, Polarity, Priority
from nlu.extract import Extraction
from nlu.polarity import answer_polarity

CATEGORY_SURE = 0.6  # below this (or with no category) the bot offers category buttons instead of assuming
# Below this, a report_problem parse is unsure: ask "Is this a repair request?" first (never for an urgent one).
# On the dev sets it lets no off-topic message through as a report while asking about ~7% of real reports
# (docs/benchmarks.md, NLU section, has the measured trade-off; 0.6 asks about ~3% and lets ~0.4% through).
REPORT_SURE = 0.8
STATUS_INTENTS = frozenset({"check_status", "urge", "cancel_request"})


@dataclass(frozen=True)
class Parse:
    text: str
    intent: Intent
    confidence: float
    language: Language
    location: Location
    category: Category | None
    category_confidence: float
    urgency: Priority
    ticket_ref: int | None
    engine: str
    polarity: Optional[Polarity] = None  # how the text reads as an answer to a yes/no question, if it is one

    def to_dict(self) -> dict:
        loc = self.location
        return {
            "text": self.text, "intent": self.intent.value, "confidence": round(self.confidence, 4),
            "language": self.language.value,
            "location": {"building": loc.building, "unit": loc.unit, "room": loc.room, "area": loc.area},
            "category": self.category.value if self.category else None,
            "category_confidence": round(self.category_confidence, 3),
            "urgency": self.urgency.value, "ticket_ref": self.ticket_ref, "engine": self.engine,
            "polarity": self.polarity.value if self.polarity else None,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _enum_or(enum, value, default):
    """An engine's value as our enum; anything unknown (a stray entity text) is the default, never a crash."""
    try:
        return enum(value) if value is not None else default
    except ValueError:
        return default


def assemble(text: str, intent: str, confidence: float, language: str, found: Extraction, engine: str) -> Parse:
    """One Parse from an intent and an Extraction; '#N' is a ticket in a status question, else a room. The
    polarity is the lexicon's reading of an answer, else the affirm/deny intent's unless a problem is named."""
    room, ticket = found.room, found.ticket_ref
    if found.hash_number:
        if intent in STATUS_INTENTS or (len(found.hash_number) < 3 and ticket is None):
            ticket = ticket if ticket is not None else int("".join(c for c in found.hash_number if c.isdigit()))
        elif room is None:
            room = found.hash_number
    try:
        parsed_intent = Intent(intent)
    except ValueError:
        parsed_intent = Intent.OUT_OF_SCOPE
    return Parse(
        text=text, intent=parsed_intent, confidence=float(confidence), language=Language(language),
        location=Location(building=found.building, unit=found.unit, room=room, area=found.area,
                          common_area=found.common_area),
        category=_enum_or(Category, found.category, None),
        category_confidence=float(found.category_confidence), urgency=_enum_or(Priority, found.urgency, Priority.NORMAL),
        ticket_ref=ticket, engine=engine,
        polarity=_enum_or(Polarity, answer_polarity(found.polarity, parsed_intent.value,
                                                    found.problem or found.category is not None), None),
    )


class NluParser(Protocol):
    """The port the bot depends on: RulesParser alone in unit tests, Rasa with rules fallback in production."""

    def parse(self, text: str) -> Parse: ...

    async def aparse(self, text: str) -> Parse: ...
