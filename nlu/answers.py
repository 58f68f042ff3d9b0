"""A Parse as the report dialog reads an answer: fields, yes/no, and the dialog's own cue words."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Tuple

from domain.reporting.answers import Cue, Reading
from nlu.extract import extract
from nlu.lexicon import Lexicon
from nlu.parse import CATEGORY_SURE, Parse
from domain.values import Category, Intent, Location, Polarity, Priority

CUES_FILE = Path(__file__).resolve().parent / "data" / "dialog" / "cues.yml"
# "不是3栋，是5栋", "not block 3, it's 5": the place after the turn is the one meant.
_TURN = re.compile(r"(?:不是|不在|不对)[^，,。]*[，,。\s]*(?:而)?(?:是|在)(?P<tail>.+)$"
                   r"|(?i:\bnot\b[^,]*,?\s*(?:but\s+)?(?:it'?s\s+|in\s+|at\s+)?(?P<tail_en>.+)$)")


def load_cues(path: Path = CUES_FILE) -> Dict[Cue, List["re.Pattern[str]"]]:
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {Cue(name): [re.compile(p, re.IGNORECASE) for p in patterns] for name, patterns in raw.items()
            if name != "categories"}


def load_category_names(path: Path = CUES_FILE) -> List[Tuple[str, Category]]:
    """(name, category), longest name first, from the cue file's `categories` table."""
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8")).get("categories") or {}
    names = [(str(name).lower(), Category(value)) for value, words in raw.items() for name in words]
    return sorted(names, key=lambda pair: -len(pair[0]))


class AnswerReader:
    """reading(parse) -> Reading; no I/O beyond loading its tables once."""

    def __init__(self, lexicon: Lexicon | None = None, cues: Dict[Cue, List["re.Pattern[str]"]] | None = None) -> None:
        self.lexicon = lexicon or Lexicon.from_yaml()
        self.cues = cues if cues is not None else load_cues()
        self.category_names = load_category_names()

    def cues_in(self, text: str) -> frozenset[Cue]:
        cleaned = unicodedata.normalize("NFKC", text).strip()
        return frozenset(cue for cue, patterns in self.cues.items() if any(p.search(cleaned) for p in patterns))

    def reading(self, parse: Parse) -> Reading:
        reading = Reading(
            text=parse.text, location=parse.location, category=parse.category,
            category_sure=parse.category is not None and parse.category_confidence >= CATEGORY_SURE,
            priority=parse.urgency, polarity=_polarity(parse), cues=self.cues_in(parse.text),
            intent=parse.intent, confidence=parse.confidence, ticket_ref=parse.ticket_ref,
        )
        return self._named_category(self._after_the_turn(reading))

    def _named_category(self, reading: Reading) -> Reading:
        """A category's own name, as the bot's buttons show it ("是土建问题"), is that category."""
        lowered = unicodedata.normalize("NFKC", reading.text).lower()
        for name, category in self.category_names:
            if re.search(r"(?<![a-z])%s(?![a-z])" % re.escape(name), lowered):
                return replace(reading, category=category, category_sure=True)
        return reading

    def _after_the_turn(self, reading: Reading) -> Reading:
        """In "不是3栋，是5栋" the first building named is the wrong one: read the fields after the turn."""
        turn = _TURN.search(unicodedata.normalize("NFKC", reading.text))
        if not turn:
            return reading
        tail = (turn.group("tail") or turn.group("tail_en") or "").strip()
        found = extract(tail, self.lexicon)
        place = Location(found.building, found.unit, found.room, found.area, found.common_area)
        changes: dict = {}
        if not place.is_empty:
            changes["location"] = place
        if found.category is not None:
            changes.update(category=Category(found.category),
                           category_sure=found.category_confidence >= CATEGORY_SURE)
        if found.urgency != Priority.NORMAL.value:
            changes["priority"] = Priority(found.urgency)
        return replace(reading, **changes) if changes else reading


def _polarity(parse: Parse) -> Polarity | None:
    """The NLU's reading of a yes/no answer; its affirm/deny intents where an engine gives no polarity."""
    given = getattr(parse, "polarity", None)
    if given is not None:
        return Polarity(given)
    return {Intent.AFFIRM: Polarity.YES, Intent.DENY: Polarity.NO}.get(parse.intent)
