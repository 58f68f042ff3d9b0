"""The deterministic rules parser: the degraded mode when Rasa is down, and the fast fake for unit tests."""
from __future__ import annotations

import unicodedata
from typing import Optional, Tuple

from nlu.extract import Extraction, extract
from nlu.guard import NAMED_DEVICE, never_a_report
from nlu.lexicon import Lexicon
from nlu.normalize import detect_language
from nlu.parse import CATEGORY_SURE, Parse, assemble

FIRST_MATCH_INTENTS = ("cancel_request", "urge", "check_status")
SMALL_TALK_INTENTS = ("thank", "greet", "affirm", "deny")
RULES_CONFIDENCE = 0.8
RULES_UNSURE = 0.55  # weak evidence for a report: below any sensible "ask first" threshold (docs/benchmarks.md)


def rules_intent(text: str, lexicon: Lexicon, found: Extraction) -> Tuple[str, float]:
    """Intent from the lexicon's cue patterns; a report is surer with a problem word and a named thing."""
    cues = lexicon.intent_cues(text)
    for intent in FIRST_MATCH_INTENTS:
        if intent in cues:
            return intent, RULES_CONFIDENCE
    evidence = _report_evidence(text, lexicon, found, cues)
    if evidence:
        return "report_problem", evidence
    for intent in SMALL_TALK_INTENTS:
        if intent in cues:
            return intent, RULES_CONFIDENCE
    return "out_of_scope", 0.5


def _report_evidence(text: str, lexicon: Lexicon, found: Extraction, cues: list) -> float:
    """RULES_CONFIDENCE for a problem word with a category or an explicit request ("报修", "send a plumber");
    RULES_UNSURE for a named fixture without a problem word, or a hinted one that is located or urgent; 0 for
    anything else, and always for a command without a problem, a general question, a phone, car or laptop (unless
    a danger is named), and what is never a report (nlu.guard.never_a_report: shopping lists, translations, advice)."""
    problem = found.problem
    stripped = text.strip()
    if never_a_report(text, lexicon, found) or (lexicon.matches("general_question", stripped) and not problem):
        return 0.0
    if lexicon.personal_first(text) and found.urgency != "urgent":
        return 0.0
    if lexicon.matches("device_command", stripped) and not problem:
        return 0.0
    if problem and (found.category is not None or lexicon.matches("report_request", text)):
        return RULES_CONFIDENCE
    fixture = found.category is not None and found.category_confidence >= NAMED_DEVICE
    located = any((found.building, found.room, found.area, found.hash_number))
    named = found.category is not None and found.category_confidence >= CATEGORY_SURE
    if (fixture and not lexicon.matches("question", stripped)) or (named and (located or found.urgency != "normal")):
        return RULES_UNSURE
    return RULES_CONFIDENCE if lexicon.matches("report_request", text) and not lexicon.matches("question", stripped) else 0.0


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
