"""The hybrid's last word: lexical evidence overrides an intent classifier that is unsure, and a few kinds of
message that are never reports (device commands, shopping lists, translations, a car's or a phone's faults,
neighbours' conduct, do-it-yourself and buying advice, general-knowledge questions) whatever it says."""
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
    if guarded in TICKET_INTENTS and lexicon.matches("leisure_ticket", text):
        guarded = OUT_OF_SCOPE  # train tickets, hotel bookings or takeaway orders are never repair tickets
    if guarded == intent or ranking is None:
        return guarded, confidence
    return guarded, float(ranking.get(guarded, 0.0))


def never_a_report(text: str, lexicon: Lexicon, found: Extraction) -> bool:
    """A shopping list, a translation, a car's or a phone's own fault, neighbours' conduct, or advice (how to fix
    it oneself, what to buy, how a thing works) unless the owner also asks for a repair or names a danger now."""
    if lexicon.matches("not_a_report", text) or lexicon.matches("personal_device", text):
        return True
    asks = lexicon.matches("report_request", text) or found.urgency == "urgent"
    return lexicon.matches("advice_question", text) and not asks


def _guard(intent: str, confidence: float, text: str, lexicon: Lexicon, found: Extraction) -> str:
    cues = lexicon.intent_cues(text)
    problem = found.problem
    command = lexicon.matches("device_command", text.strip())
    fixture = found.category is not None and found.category_confidence >= NAMED_DEVICE
    never = never_a_report(text, lexicon, found)
    if intent == OUT_OF_SCOPE:
        return _out_of_scope(confidence, text, lexicon, found, problem, command or never, fixture)
    if intent == REPORT:
        return OUT_OF_SCOPE if never else _report(confidence, text, lexicon, found, problem, command, fixture)
    if lexicon.matches("not_a_report", text) or (intent not in cues and (never or command)):
        return OUT_OF_SCOPE  # "translate thank you into French" thanks nobody; "turn everything off" chases nothing
    if intent in TICKET_INTENTS and intent not in cues and problem and fixture and not (command or never):
        return REPORT  # "the heating is off again, we have a baby": a problem with a fixture, no word of a ticket
    if confidence >= UNSURE_BELOW:
        return intent
    ticket = _one_ticket_cue(intent, cues)
    if ticket == intent and problem and fixture and not (command or never):
        return REPORT  # an unsure "status question" that names a fixture and its problem ("aircon smells musty")
    if ticket == intent and intent in ANSWER_INTENTS and found.polarity is None:
        return OUT_OF_SCOPE  # an unsure "yes"/"no" that reads as neither ("define photosynthesis", "good night")
    return ticket


def _out_of_scope(confidence: float, text: str, lexicon: Lexicon, found: Extraction, problem: bool, excluded: bool,
                  fixture: bool) -> str:
    """A named fixture with a problem word ("mould on the bathroom wall") is a report however sure the classifier
    was; unsure, a named fixture alone ("楼道有老鼠")
    or a hinted one with a problem word is too. A command, a general question or a message that is never a report
    ("the air con in my car") stays out of scope, and so does one naming a phone or a car, unless it names a danger."""
    unsure = confidence < UNSURE_BELOW
    stays = _one_ticket_cue(OUT_OF_SCOPE, lexicon.intent_cues(text)) if unsure else OUT_OF_SCOPE
    if excluded or lexicon.matches("general_question", text.strip()):
        return stays
    if lexicon.personal_first(text) and found.urgency != "urgent":
        return stays  # "我的车打不着火"; but e-bikes blocking the fire exit so nobody gets through are a danger
    if fixture and problem:
        return REPORT
    hinted = found.category is not None and found.category_confidence >= NAMED_CATEGORY
    return REPORT if unsure and (fixture or (hinted and problem)) else stays


def _report(confidence: float, text: str, lexicon: Lexicon, found: Extraction, problem: bool, command: bool,
            fixture: bool) -> str:
    """Without a problem word or danger sign, a device command ("lock the balcony door") or a general-knowledge
    question ("when was the first escalator built") is never a report, and a message naming nothing repairable
    is one only when the classifier is very sure; a phone, car or kettle problem naming no fixture and no danger is
    not the building's."""
    if not problem and (command or lexicon.matches("general_question", text.strip())):
        return OUT_OF_SCOPE
    if found.category is None and confidence < NOTHING_NAMED_SURE and (not problem or found.urgency != "urgent"):
        return OUT_OF_SCOPE  # "help me fix the grammar in this email": a problem word, but nothing of the estate
    if lexicon.personal_first(text) and not fixture and found.urgency != "urgent":
        return OUT_OF_SCOPE  # "my fridge hums", "热水壶烧水有异响": the owner's own things, no fixture of the estate
    if confidence >= UNSURE_BELOW:
        return REPORT
    ticket = _one_ticket_cue(REPORT, lexicon.intent_cues(text))
    return REPORT if found.category is not None and found.category_confidence >= NAMED_CATEGORY else ticket


def _one_ticket_cue(intent: str, cues: list) -> str:
    """An unsure answer gives way to the one ticket intent the wording names ("how's ticket 33 going",
    "nobody came"); two of them, or none, and the classifier's answer stands."""
    ticket_cues = [c for c in cues if c in TICKET_INTENTS]
    return ticket_cues[0] if len(ticket_cues) == 1 else intent
