"""The simulated owner: reads only what the bot sends, answers as the intent says, and counts every tap.

It taps the button that fits the intent; where no button fits it types, as a resident would, but only when
the bot's message says typing is possible (otherwise it taps "somewhere else" / "another building" first).
At a summary card it checks place and category; a mismatch is corrected by typing when the card invites it,
else through Edit -> field -> choose.
"""
from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.tap_chat import OwnerChat, Transcript, as_sent, callbacks, filed_ticket
from bench.tap_data import (Case, Place, parse_card_place, place_matches, typed_building, typed_category_correction,
                            typed_place, typed_place_correction, typed_unit)
from sandbox.client import SandboxMessage

MAX_STEPS = 8
TYPE_PLACE = ("输入地点", "输入其他地点", "告诉我地点", "type the place", "type another place", "tell me the place")
TYPE_BUILDING = ("输入楼号", "type the building", "or type it")
ASK_UNIT = ("哪个单元", "which unit")
SAY_CORRECTION = ("直接说", "直接告诉我", "just say it", "just tell me")
PLACE_LINE = re.compile(r"📍\s*(?:地点|Place)\s*[:：]\s*(.*)")
CATEGORY_LINE = re.compile(r"🔧\s*(?:类别|Category)\s*[:：]\s*(.*)")
PLACE_BUTTONS = ("r:home:", "r:other", "r:bld:", "r:bld_other", "r:unit:", "r:unsure")
ASKED_FOR_PLACE = {"r:other", "r:bld_other", "r:edit:place"}  # the owner's own request for a place question


@dataclass(frozen=True)
class Estate:
    """What a resident knows: the buildings and their units, and the category labels in both languages."""

    units: dict[str, tuple[str, ...]]
    labels: dict[str, str]                  # label -> category
    names: dict[tuple[str, str], str]       # (category, language) -> label


@dataclass
class Result:
    case: Case
    transcript: Transcript
    taps: int = 0
    ticket: int | None = None
    dead_end: str | None = None
    place_questions: list[str] = field(default_factory=list)  # "place", "building", "unit": asked unprompted
    category_questions: int = 0
    corrections: int = 0           # card mismatches the owner had to fix
    actions: list[str] = field(default_factory=list)


def _has(message: SandboxMessage, *needles: str) -> bool:
    text = message.content.lower()
    return any(n.lower() in text for n in needles)


def is_place_question(message: SandboxMessage) -> bool:
    data = callbacks(message)
    if any(d.startswith(PLACE_BUTTONS) for d in data):
        return True
    return not data and _has(message, *TYPE_PLACE, *TYPE_BUILDING, *ASK_UNIT)


def _part_asked(messages: list[SandboxMessage]) -> str:
    data = [d for m in messages for d in callbacks(m)]
    if any(d.startswith("r:unit:") for d in data) or any(_has(m, *ASK_UNIT) for m in messages if not callbacks(m)):
        return "unit"
    if any(d.startswith("r:bld") for d in data) or any(_has(m, *TYPE_BUILDING) for m in messages):
        return "building"
    return "place"


class Owner:
    def __init__(self, chat: OwnerChat, case: Case, estate: Estate) -> None:
        self.chat, self.case, self.estate = chat, case, estate
        self.result = Result(case, chat.transcript)
        self.typed: set[str] = set()       # fields already corrected by typing
        self.last_action = ""

    @property
    def lang(self) -> str:
        return self.case.owner.language

    async def report(self) -> tuple[Result, list[SandboxMessage]]:
        """Send the first message, then answer until a ticket is filed, at most MAX_STEPS answers."""
        messages = await self.chat.say(self.case.text)
        for step in range(MAX_STEPS + 1):
            self._count_questions(messages)
            ticket = next((t for m in messages if (t := filed_ticket(m)) is not None), None)
            if ticket is not None:
                self.result.ticket = ticket
                break
            if step == MAX_STEPS:
                self.result.dead_end = f"not filed after {MAX_STEPS} answers"
                break
            act = self.decide(messages)
            if act is None:
                last = messages[-1].content.replace("\n", " ")[:120] if messages else "(no answer)"
                self.result.dead_end = f"nothing to answer: {last}"
                break
            self.result.taps += 1
            messages = await act()
        return self.result, messages

    def _count_questions(self, messages: list[SandboxMessage]) -> None:
        """At most one of each per turn ("no such building" and the place question are one question)."""
        if self.last_action not in ASKED_FOR_PLACE and any(map(is_place_question, messages)):
            self.result.place_questions.append(_part_asked(messages))
        asks_category = any(d.startswith("r:cat:") for m in messages for d in callbacks(m))
        if asks_category and self.last_action != "r:edit:category":
            self.result.category_questions += 1

    # --- choosing an answer -----------------------------------------------------------------------------

    def decide(self, messages: list[SandboxMessage]) -> Callable[[], Awaitable[list[SandboxMessage]]] | None:
        """The answer to the newest message the owner can answer, or None when there is none."""
        for message in reversed(messages):
            act = self._answer(message, callbacks(message))
            if act is not None:
                return act
        return None

    def _answer(self, m: SandboxMessage, data: list[str]) -> Callable[[], Awaitable[list[SandboxMessage]]] | None:
        intent = self.case.place
        if "r:submit" in data:
            return self._at_card(m, data)
        if any(d.startswith("r:edit:") for d in data):
            return self._fix(m, data, self._wrong_field(m))
        if any(d.startswith("r:home:") for d in data):
            return self._home(m, data)
        if any(d.startswith("r:cat:") for d in data):
            wanted = f"r:cat:{self.case.category}"
            return self._tap(m, wanted) if wanted in data else None
        if "r:kb:repair" in data:
            return self._tap(m, "r:kb:repair")
        if any(d.startswith("r:bld") for d in data):
            return self._building(m, data)
        if any(d.startswith("r:unit:") for d in data) or "r:unsure" in data:
            if intent.unit and f"r:unit:{intent.unit}" in data:
                return self._tap(m, f"r:unit:{intent.unit}")
            if intent.unit is None and "r:unsure" in data:
                return self._tap(m, "r:unsure")
            return self._type(typed_unit(intent.unit, self.lang)) if intent.unit else None
        for yes in ("i:report", "r:start", "r:other"):
            if yes in data:
                return self._tap(m, yes)
        if data:
            return None
        if _has(m, *TYPE_PLACE):
            return self._type(typed_place(intent, self.lang))
        if _has(m, *TYPE_BUILDING):
            return self._type(typed_building(intent, self.lang))
        if _has(m, *ASK_UNIT) and intent.unit:
            return self._type(typed_unit(intent.unit, self.lang))
        return None

    def _wrong_field(self, m: SandboxMessage) -> str | None:
        """'place' or 'category' when the card shows something else than the owner means; None when right."""
        place, category = PLACE_LINE.search(m.content), CATEGORY_LINE.search(m.content)
        if place is None or not place_matches(self.case.place, parse_card_place(place.group(1), self.estate.units)):
            return "place"
        if category is None or self.estate.labels.get(category.group(1).strip()) != self.case.category:
            return "category"
        return None

    def _at_card(self, m: SandboxMessage, data: list[str]):  # type: ignore[no-untyped-def]
        wrong = self._wrong_field(m)
        if wrong is None:
            return self._tap(m, "r:submit")
        self.result.corrections += 1
        return self._fix(m, data, wrong)

    def _fix(self, m: SandboxMessage, data: list[str], wrong: str | None):  # type: ignore[no-untyped-def]
        """Correct one field: by typing when the message invites it (once per field), else through Edit."""
        if wrong is None:
            return None
        if _has(m, *SAY_CORRECTION) and wrong not in self.typed:
            self.typed.add(wrong)
            if wrong == "place":
                return self._type(typed_place_correction(self.case.place, self.lang))
            label = self.estate.names[(self.case.category, self.lang)]
            return self._type(typed_category_correction(label, self.lang))
        for choice in (f"r:edit:{wrong}", "r:edit"):
            if choice in data:
                return self._tap(m, choice)
        return None

    def _home(self, m: SandboxMessage, data: list[str]):  # type: ignore[no-untyped-def]
        home = self.case.owner.home
        if place_matches(self.case.place, home):
            for button in m.buttons:
                if button.get("callback_data", "").startswith("r:home:") and _short(home) in button.get("text", ""):
                    return self._tap(m, button["callback_data"])
        if _has(m, *TYPE_PLACE):
            return self._type(typed_place(self.case.place, self.lang))
        return self._tap(m, "r:other") if "r:other" in data else None

    def _building(self, m: SandboxMessage, data: list[str]):  # type: ignore[no-untyped-def]
        intent = self.case.place
        for d in data:
            parts = d.split(":")
            if len(parts) == 4 and parts[1] == "bld" and parts[2].upper() == (intent.building or "").upper() \
                    and (not parts[3] or intent.unit is None or parts[3] == intent.unit):
                return self._tap(m, d)
        if _has(m, *TYPE_BUILDING) or "r:bld_other" not in data:
            return self._type(typed_building(intent, self.lang))
        return self._tap(m, "r:bld_other")

    # --- acting ---------------------------------------------------------------------------------------------

    def _tap(self, m: SandboxMessage, data: str):  # type: ignore[no-untyped-def]
        async def act() -> list[SandboxMessage]:
            self.last_action = data
            self.result.actions.append(data)
            return await self.chat.tap(m, as_sent(m, data))
        return act

    def _type(self, text: str):  # type: ignore[no-untyped-def]
        async def act() -> list[SandboxMessage]:
            self.last_action = "type"
            self.result.actions.append(f"type:{text}")
            return await self.chat.say(text)
        return act


def _short(place: Place) -> str:
    return "-".join(p for p in (place.building, place.unit, place.room) if p)
