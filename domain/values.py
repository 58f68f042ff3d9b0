"""Value objects shared by every layer: priority, category, location, language."""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

# Han characters: the unified block, extension A and the compatibility block. The one definition every
# part uses, so a message is never Chinese to the NLU and English to the knowledge base.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{CJK}]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


class Priority(str, Enum):
    URGENT = "urgent"
    NORMAL = "normal"
    LOW = "low"


class Category(str, Enum):
    PLUMBING = "plumbing"
    ELECTRICAL = "electrical"
    HVAC = "hvac"
    ELEVATOR = "elevator"
    DOORS_WINDOWS = "doors_windows"
    CIVIL = "civil"
    FIRE_SAFETY = "fire_safety"
    GAS = "gas"
    ACCESS_SECURITY = "access_security"
    OTHER = "other"


class Intent(str, Enum):
    """What a message is for, as the NLU reads it."""

    REPORT_PROBLEM = "report_problem"
    CHECK_STATUS = "check_status"
    URGE = "urge"
    CANCEL_REQUEST = "cancel_request"
    GREET = "greet"
    THANK = "thank"
    AFFIRM = "affirm"
    DENY = "deny"
    OUT_OF_SCOPE = "out_of_scope"


class Polarity(str, Enum):
    """How a free-text answer to a yes/no question reads: "是的", "ok" are YES; "不是", "no" are NO."""

    YES = "yes"
    NO = "no"


class Language(str, Enum):
    ZH = "zh"
    EN = "en"

    @classmethod
    def from_code(cls, code: str | None) -> "Language":
        """Map a Telegram language_code such as 'zh-hans' or 'en-GB' to one we serve."""
        if code and code.lower().startswith("zh"):
            return cls.ZH
        return cls.EN


def detect_language(text: str, default: Language = Language.ZH) -> Language:
    """Chinese when Han characters are at least as many as Latin words ('3栋的lift坏了' is zh); `default` for
    text with neither (digits, emoji)."""
    han, latin = len(_HAN.findall(text)), len(_LATIN_WORD.findall(text))
    if han == 0 and latin == 0:
        return default
    return Language.ZH if han >= latin else Language.EN


# The longest each part may be: what the storage columns hold, checked before anything is written.
LOCATION_LIMITS = {"building": 32, "unit": 32, "room": 32, "area": 200}
MAX_NAME = 100


@dataclass(frozen=True)
class Location:
    """Where the problem is. Every part is optional; a home has building and room at least."""

    building: str | None = None
    unit: str | None = None
    room: str | None = None
    area: str | None = None
    common_area: bool = False

    def too_long(self) -> str | None:
        """The first part longer than its limit, or None."""
        return next((part for part, limit in LOCATION_LIMITS.items() if len(getattr(self, part) or "") > limit), None)

    @property
    def is_empty(self) -> bool:
        return not (self.building or self.unit or self.room or self.area)

    def short(self) -> str:
        """The estate shorthand people use: 3-2-1801, B-1208, or the area alone."""
        parts = [p for p in (self.building, self.unit, self.room) if p]
        text = "-".join(parts)
        if self.area:
            text = f"{text} {self.area}".strip()
        return text


def display_number(ticket_id: int) -> str:
    """Tickets show as #<id> everywhere."""
    return f"#{ticket_id}"
