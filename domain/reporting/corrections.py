"""Telling a correction ("不是3栋，是5栋", "actually it's urgent") from new detail about the problem."""
from __future__ import annotations

import re

from domain.reporting.answers import Cue, Reading
from domain.values import Intent, Location

# Replies that are about the conversation, not the problem: never appended to the description.
NOT_DETAIL = frozenset({Intent.GREET, Intent.THANK, Intent.AFFIRM, Intent.DENY, Intent.CHECK_STATUS, Intent.URGE,
                        Intent.CANCEL_REQUEST})
SHORT_CHARACTERS = 12  # "5栋", "水管的问题", "plumbing", "not urgent": a field value, not a sentence
SHORT_WORDS = 4


def is_short(text: str) -> bool:
    letters = re.sub(r"[\s\W_]+", "", text)
    words = re.findall(r"[A-Za-z]+", text)
    return len(letters) <= SHORT_CHARACTERS or (bool(words) and len(words) <= SHORT_WORDS)


def is_new_detail(reading: Reading) -> bool:
    """Only words that say more about the problem belong in the ticket's description."""
    if reading.polarity is not None or reading.cues & {Cue.CORRECTION, Cue.SUBMIT, Cue.SOLVED, Cue.CANCEL}:
        return False
    if reading.intent in NOT_DETAIL:
        return False
    if reading.carries_a_field and is_short(reading.text):
        return False
    return bool(reading.text.strip())


def corrected_place(old: Location, said: Location) -> Location:
    """The parts of the place the correction names replace the old ones; the rest stay ("是5栋" keeps 2-1801)."""
    building = said.building or old.building
    if said.common_area:
        unit = said.unit or (old.unit if building == old.building else None)
        return Location(building, unit, None, said.area, True)
    if not (said.building or said.unit or said.room):
        return Location(old.building, old.unit, old.room, said.area, old.common_area)  # another room of it
    if old.common_area and not said.room:
        return Location(building, said.unit or old.unit, None, old.area, True)
    return Location(building, said.unit or old.unit, said.room or old.room, said.area or _private(old), False)


def _private(location: Location) -> str | None:
    return None if location.common_area else location.area
