"""The deterministic rules parser: the degraded mode when Rasa is down, and the fast fake for unit tests."""
from __future__ import annotations

import unicodedata
from typing import Optional, Tuple

from nlu.extract import Extraction, extract
from nlu.lexicon import Lexicon
from nlu.normalize import detect_language
from nlu.parse import CATEGORY_SURE, Parse, assemble

FIRST_MATCH_INTENTS = ("cancel_request", "urge", "check_status")
SMALL_TALK_INTENTS = ("thank", "greet", "affirm", "deny")
RULES_CONFIDENCE = 0.8


def rules_intent(text: str, lexicon: Lexicon, found: Extraction) -> Tuple[str, float]:
    """Intent from the lexicon's cue patterns; a report needs a problem word or a located, named thing."""
    cues = lexicon.intent_cues(text)
    for intent in FIRST_MATCH_INTENTS:
        if intent in cues:
            return intent, RULES_CONFIDENCE
    located = any((found.building, found.room, found.area, found.hash_number))
    named = found.category is not None and found.category_confidence >= CATEGORY_SURE
    command = lexicon.matches("device_command", text.strip())
    if "report_problem" in cues or (named and not command and (located or found.urgency != "normal")):
        return "report_problem", RULES_CONFIDENCE
    for intent in SMALL_TALK_INTENTS:
        if intent in cues:
            return intent, RULES_CONFIDENCE
    return "out_of_scope", 0.5


class RulesParser:
    """parse(text) -> Parse with engine 'rules'; no I/O, no model, microseconds per message."""

    engine = "rules"

    def __init__(self, lexicon: Optional[Lexicon] = None, default_language: str = "zh") -> None:
        self.lexicon = lexicon or Lexicon.from_yaml()
        self.default_language = default_language

    def parse(self, text: str) -> Parse:
        text = unicodedata.normalize("NFC", text or "")
        found = extract(text, self.lexicon)
        intent, confidence = rules_intent(text, self.lexicon, found)
        language = detect_language(text, self.default_language)
        return assemble(text, intent, confidence, language, found, self.engine)

    async def aparse(self, text: str) -> Parse:
        return self.parse(text)
