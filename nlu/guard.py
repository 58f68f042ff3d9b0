"""The hybrid's last word: lexical evidence overrides an intent classifier that is unsure."""
from __future__ import annotations

from typing import Tuple

from nlu.extract import Extraction
from nlu.lexicon import Lexicon

UNSURE_BELOW = 0.6
NAMED_CATEGORY = 0.6  # the same bar as nlu.parse.CATEGORY_SURE (not imported: this runs inside Rasa too)
TICKET_INTENTS = ("check_status", "urge", "cancel_request")
NAMED_DEVICE = 0.9  # a named device or fixture (0.95), not a lone symptom word (0.67)


def guard_intent(intent: str, confidence: float, text: str, lexicon: Lexicon, found: Extraction) -> Tuple[str, float]:
    """An unsure 'out_of_scope' naming a repairable thing is a report; an unsure 'report' that is a device
    command ("lock the balcony door") without a problem word is out of scope. Otherwise confident answers stand,
    save one: 'out_of_scope' for a named fixture with a problem word ("mould on the bathroom wall") is a report
    whatever the classifier's confidence; a phone, car or laptop is no fixture, so those stay out of scope."""
    command = lexicon.matches("device_command", text.strip())
    if (intent == "out_of_scope" and not command and not lexicon.matches("personal_item", text) and found.category is not None
            and found.category_confidence >= NAMED_DEVICE and "report_problem" in lexicon.intent_cues(text)):
        return "report_problem", confidence
    if confidence >= UNSURE_BELOW:
        return intent, confidence
    named = found.category is not None and found.category_confidence >= NAMED_CATEGORY
    if intent == "out_of_scope" and named and not command:
        return "report_problem", confidence
    cues = lexicon.intent_cues(text)
    if intent in TICKET_INTENTS and lexicon.matches("leisure_ticket", text):
        return "out_of_scope", confidence  # train, cinema or parking tickets are not repair tickets
    if intent == "report_problem" and command and "report_problem" not in cues:
        return "out_of_scope", confidence
    # An unsure answer gives way to the one ticket intent the wording names ("how's ticket 33 going",
    # "nobody came"); two of them, or none, and the classifier's answer stands.
    ticket_cues = [c for c in cues if c in TICKET_INTENTS]
    if len(ticket_cues) == 1 and intent != ticket_cues[0] and not (intent == "report_problem" and named):
        return ticket_cues[0], confidence
    return intent, confidence
