"""The hybrid's last word: lexical evidence overrides an intent classifier that is unsure."""
from __future__ import annotations

from typing import Tuple

from nlu.extract import Extraction
from nlu.lexicon import Lexicon

UNSURE_BELOW = 0.6
NAMED_CATEGORY = 0.6  # the same bar as nlu.parse.CATEGORY_SURE (not imported: this runs inside Rasa too)


def guard_intent(intent: str, confidence: float, text: str, lexicon: Lexicon, found: Extraction) -> Tuple[str, float]:
    """An unsure 'out_of_scope' naming a repairable thing is a report; an unsure 'report' that is a device
    command ("lock the balcony door") without a problem word is out of scope. Confident answers stand."""
    if confidence >= UNSURE_BELOW:
        return intent, confidence
    command = lexicon.matches("device_command", text.strip())
    named = found.category is not None and found.category_confidence >= NAMED_CATEGORY
    if intent == "out_of_scope" and named and not command:
        return "report_problem", confidence
    if intent == "report_problem" and command and "report_problem" not in lexicon.intent_cues(text):
        return "out_of_scope", confidence
    return intent, confidence
