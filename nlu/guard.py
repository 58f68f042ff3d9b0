"""The hybrid's last word: lexical evidence overrides an intent classifier that is unsure, and a few kinds of
message that are never reports (device commands, general-knowledge questions) whatever it says."""
from __future__ import annotations

from typing import Mapping, Optional, Tuple

from nlu.extract import Extraction
from nlu.lexicon import Lexicon

UNSURE_BELOW = 0.6
NAMED_CATEGORY = 0.6  # the same bar as nlu.parse.CATEGORY_SURE (not imported: this runs inside Rasa too)
TICKET_INTENTS = ("check_status", "urge", "cancel_request")
ANSWER_INTENTS = ("affirm", "deny")
NAMED_DEVICE = 0.9  # a named device or fixture (0.95), not a lone symptom word (0.67)
# A report that names no category and no problem is out of scope unless the classifier is at least this sure:
# every report in the dev sets names a category, most off-topic requests the classifier mistakes do not.
NOTHING_NAMED_SURE = 0.9
REPORT, OUT_OF_SCOPE = "report_problem", "out_of_scope"


def guard_intent(intent: str, confidence: float, text: str, lexicon: Lexicon, found: Extraction,
                 ranking: Optional[Mapping[str, float]] = None) -> Tuple[str, float]:
    """The guarded intent and its confidence: the classifier's own probability for it (from `ranking`, when
    given), so an overruled answer stays visibly unsure and the bot can ask before it acts on it."""
    guarded = _guard(intent, confidence, text, lexicon, found)
    if guarded == intent or ranking is None:
        return guarded, confidence
    return guarded, float(ranking.get(guarded, 0.0))


def _guard(intent: str, confidence: float, text: str, lexicon: Lexicon, found: Extraction) -> str:
    cues = lexicon.intent_cues(text)
    problem = found.problem
    command = lexicon.matches("device_command", text.strip())
    fixture = found.category is not None and found.category_confidence >= NAMED_DEVICE
    if intent == OUT_OF_SCOPE:
        return _out_of_scope(confidence, text, lexicon, found, problem, command, fixture)
    if intent == REPORT:
        return _report(confidence, text, lexicon, found, problem, command, fixture)
    if intent in TICKET_INTENTS and lexicon.matches("leisure_ticket", text):
        return OUT_OF_SCOPE  # train, cinema or parking tickets are never repair tickets, however sure
    if confidence >= UNSURE_BELOW:
        return intent
    ticket = _one_ticket_cue(intent, cues)
    if ticket == intent and problem and fixture and not command:
        return REPORT  # an unsure "status question" that names a fixture and its problem ("aircon smells musty")
    if ticket == intent and intent in ANSWER_INTENTS and found.polarity is None:
        return OUT_OF_SCOPE  # an unsure "yes"/"no" that reads as neither ("define photosynthesis", "good night")
    return ticket


def _out_of_scope(confidence: float, text: str, lexicon: Lexicon, found: Extraction, problem: bool, command: bool,
                  fixture: bool) -> str:
    """A named fixture with a problem word ("mould on the bathroom wall") is a report however sure the classifier
    was; unsure, a named fixture alone ("楼道有老鼠") or a hinted one with a problem word is too. A phone, car or
    laptop is no fixture, and a command ("lock the front door") or a general question ("how do fire alarms
    detect smoke") no report."""
    if command or lexicon.matches("personal_item", text) or lexicon.matches("general_question", text.strip()):
        return _one_ticket_cue(OUT_OF_SCOPE, lexicon.intent_cues(text)) if confidence < UNSURE_BELOW else OUT_OF_SCOPE
    if fixture and problem:
        return REPORT
    hinted = found.category is not None and found.category_confidence >= NAMED_CATEGORY
    if confidence < UNSURE_BELOW and (fixture or (hinted and problem)):
        return REPORT
    return _one_ticket_cue(OUT_OF_SCOPE, lexicon.intent_cues(text)) if confidence < UNSURE_BELOW else OUT_OF_SCOPE


def _report(confidence: float, text: str, lexicon: Lexicon, found: Extraction, problem: bool, command: bool,
            fixture: bool) -> str:
    """Without a problem word or danger sign, a device command ("lock the balcony door") or a general-knowledge
    question ("when was the first escalator built") is never a report, and a message naming nothing repairable
    is one only when the classifier is very sure; unsure, a phone or car problem is not the building's."""
    if not problem and (command or lexicon.matches("general_question", text.strip())):
        return OUT_OF_SCOPE
    if not problem and found.category is None and confidence < NOTHING_NAMED_SURE:
        return OUT_OF_SCOPE
    if confidence >= UNSURE_BELOW:
        return REPORT
    if lexicon.matches("personal_item", text) and not fixture:
        return OUT_OF_SCOPE
    ticket = _one_ticket_cue(REPORT, lexicon.intent_cues(text))
    return REPORT if found.category is not None and found.category_confidence >= NAMED_CATEGORY else ticket


def _one_ticket_cue(intent: str, cues: list) -> str:
    """An unsure answer gives way to the one ticket intent the wording names ("how's ticket 33 going",
    "nobody came"); two of them, or none, and the classifier's answer stands."""
    ticket_cues = [c for c in cues if c in TICKET_INTENTS]
    return ticket_cues[0] if len(ticket_cues) == 1 else intent
