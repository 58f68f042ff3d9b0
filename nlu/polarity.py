"""How a free-text answer to a yes/no question reads ("是的", "ok" yes; "不是", "nope" no), from the lexicon.

Standard library only: it runs inside Rasa (3.10) and in the rules parser (3.11), as nlu/lexicon.py does.
"""
from __future__ import annotations

import unicodedata
from typing import Optional

from nlu.lexicon import Lexicon

YES, NO = "yes", "no"
ANSWER_INTENTS = {"affirm": YES, "deny": NO}


def read_polarity(text: str, lexicon: Lexicon) -> Optional[str]:
    """YES or NO when the message is an answer or starts with one ("不是，是5栋", "yes please"), else None.

    The answer_yes / answer_no regexes are anchored at the start and want a separator after a bare 不, 没 or
    "no", so a problem that starts with a negation ("不热", "没有热水", "no hot water", "not working") is no answer.
    """
    cleaned = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not cleaned:
        return None
    if lexicon.matches("answer_no", cleaned):
        return NO
    if lexicon.matches("answer_yes", cleaned):
        return YES
    return None


def answer_polarity(read: Optional[str], intent: str, names_a_problem: bool) -> Optional[str]:
    """The lexicon's reading, else the affirm/deny intent's ("uh huh", "no way"), never for a message naming a
    problem: an intent classifier may call "no hot water" a deny, the lexicon never does."""
    if read is not None or names_a_problem:
        return read
    return ANSWER_INTENTS.get(intent)
