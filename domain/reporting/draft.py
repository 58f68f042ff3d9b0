"""The report being written: a typed draft, the step it waits on, and its storable form."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from domain.ticket import AttachmentKind
from domain.values import Category, Location, Priority


class Step(str, Enum):
    """What the draft is waiting for; the bot's last question."""

    DESCRIBE = "describe"   # what is wrong
    PLACE = "place"         # where
    BUILDING = "building"   # which building a common area is in
    UNIT = "unit"           # which unit of that building
    ROOM = "room"           # which flat of that building
    CATEGORY = "category"   # what kind of problem
    CONFIRM = "confirm"     # the summary card (with any self-help suggestion) is showing
    EDIT = "edit"           # the owner asked to change something: which field?
    PRIORITY = "priority"   # how urgent (changing it)
    REWORD = "reword"       # a new description (changing it)
    SUBMIT = "submit"       # the owner said file it


@dataclass(frozen=True)
class Photo:
    file_id: str
    kind: AttachmentKind = AttachmentKind.PHOTO


@dataclass(frozen=True)
class Suggestion:
    """A knowledge-base article that matched the draft; danger articles are safety steps, never a fix to try."""

    article_id: str
    danger: bool = False


def new_key() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Draft:
    text: str = ""
    location: Location = field(default_factory=Location)
    category: Category | None = None
    priority: Priority = Priority.NORMAL
    photos: tuple[Photo, ...] = ()
    step: Step = Step.DESCRIBE
    suggestion: Suggestion | None = None
    looked_up: bool = False          # the knowledge base was asked (once per category)
    shown: bool = False              # the suggestion went out: safety steps, or the tip on the card
    misses: int = 0                  # answers to the current question that did not answer it
    home_declined: bool = False      # "不是" to "is it at your home?": ask them to type it
    unsure: frozenset[str] = frozenset()  # parts of the place the owner does not know: building, unit, room
    key: str = field(default_factory=new_key)  # one ticket per draft, however often "submit" arrives

    def but(self, **changes: Any) -> "Draft":
        return replace(self, **changes)

    @property
    def has_place(self) -> bool:
        loc = self.location
        return bool(loc.building or loc.room or (loc.common_area and loc.area))

    def with_detail(self, words: str) -> "Draft":
        """More about the problem, kept word for word."""
        words = words.strip()
        if not words or words in self.text:
            return self
        return self.but(text=f"{self.text}\n{words}".strip())


def to_data(draft: Draft) -> dict[str, Any]:
    """A JSON-safe dict for the chat-state store."""
    loc = draft.location
    return {
        "text": draft.text, "step": draft.step.value, "priority": draft.priority.value,
        "category": draft.category.value if draft.category else None,
        "location": {"building": loc.building, "unit": loc.unit, "room": loc.room, "area": loc.area,
                     "common_area": loc.common_area},
        "photos": [[p.file_id, p.kind.value] for p in draft.photos],
        "suggestion": [draft.suggestion.article_id, draft.suggestion.danger] if draft.suggestion else None,
        "looked_up": draft.looked_up, "shown": draft.shown, "misses": draft.misses,
        "home_declined": draft.home_declined, "unsure": sorted(draft.unsure), "key": draft.key,
    }


def from_data(data: dict[str, Any]) -> Draft:
    """The inverse of to_data; unknown or missing keys fall back to a fresh draft's values."""
    loc = data.get("location") or {}
    suggestion = data.get("suggestion")
    return Draft(
        text=str(data.get("text") or ""),
        location=Location(loc.get("building"), loc.get("unit"), loc.get("room"), loc.get("area"),
                          bool(loc.get("common_area"))),
        category=Category(data["category"]) if data.get("category") else None,
        priority=Priority(data.get("priority") or Priority.NORMAL.value),
        photos=tuple(Photo(f, AttachmentKind(k)) for f, k in data.get("photos") or []),
        step=Step(data.get("step") or Step.DESCRIBE.value),
        suggestion=Suggestion(suggestion[0], bool(suggestion[1])) if suggestion else None,
        looked_up=bool(data.get("looked_up")), shown=bool(data.get("shown")),
        misses=int(data.get("misses") or 0), home_declined=bool(data.get("home_declined")),
        unsure=frozenset(str(part) for part in data.get("unsure") or ()),
        key=str(data.get("key") or new_key()),
    )
