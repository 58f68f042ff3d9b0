"""Everything but the intent, read deterministically from the text; the same code runs inside Rasa and in the rules parser."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional

from nlu.lexicon import Lexicon
from nlu.normalize import extract_address
from nlu.polarity import read_polarity

EXTRACTOR_FIELDS = ("building", "unit", "room", "area", "common_area", "category", "category_confidence",
                    "urgency", "ticket_ref", "hash_number", "polarity", "problem")


@dataclass(frozen=True)
class Extraction:
    building: Optional[str] = None
    unit: Optional[str] = None
    room: Optional[str] = None
    area: Optional[str] = None
    common_area: bool = False
    category: Optional[str] = None
    category_confidence: float = 0.0
    urgency: str = "normal"
    ticket_ref: Optional[int] = None
    hash_number: Optional[str] = None
    polarity: Optional[str] = None  # "yes" / "no" when the text reads as an answer to a yes/no question
    problem: bool = False  # a problem word or a danger sign ("not working", "漏水", "sparks"): no mere answer


def extract(text: str, lexicon: Lexicon) -> Extraction:
    address = extract_address(text)
    area, common = lexicon.area(text)
    category, confidence = lexicon.category(text)
    return Extraction(
        building=address.building, unit=address.unit, room=address.room, area=area, common_area=common,
        category=category, category_confidence=confidence, urgency=lexicon.urgency(text),
        ticket_ref=address.ticket_ref, hash_number=address.hash_number, polarity=read_polarity(text, lexicon),
        problem=names_a_problem(text, lexicon),
    )


def names_a_problem(text: str, lexicon: Lexicon) -> bool:
    return "report_problem" in lexicon.intent_cues(text) or lexicon.danger(text)


def to_entities(extraction: Extraction) -> List[Dict[str, Any]]:
    """Rasa entity dicts (what /model/parse returns); absent values are left out."""
    entities = []
    for name, value in asdict(extraction).items():
        if value is None or value is False or name == "category_confidence":
            continue
        entity: Dict[str, Any] = {"entity": name, "value": value}
        if name == "category":
            entity["confidence_entity"] = extraction.category_confidence
        entities.append(entity)
    return entities


def from_entities(entities: List[Dict[str, Any]]) -> Extraction:
    """Read back what to_entities wrote; entities from other extractors (e.g. DIET) fill only gaps."""
    values: Dict[str, Any] = {}
    for entity in entities:
        name = entity.get("entity")
        if name in EXTRACTOR_FIELDS and name not in values:
            values[name] = entity.get("value")
            if name == "category":
                values["category_confidence"] = float(entity.get("confidence_entity") or 0.0)
    if values.get("ticket_ref") is not None:
        digits = "".join(ch for ch in str(values["ticket_ref"]) if ch.isdigit())  # another extractor may say '#31'
        values["ticket_ref"] = int(digits) if digits else None
    values["common_area"] = bool(values.get("common_area"))
    values["problem"] = bool(values.get("problem"))
    values.setdefault("urgency", "normal")
    return Extraction(**{k: v for k, v in values.items() if k in EXTRACTOR_FIELDS})
