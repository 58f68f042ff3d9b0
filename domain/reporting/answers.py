"""What the owner said or tapped, as the dialog understands it."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from domain.reporting.draft import Photo
from domain.values import Category, Intent, Location, Polarity, Priority


class Cue(str, Enum):
    """Dialog words the NLU adapter found in a free-text answer (nlu/data/answers.yml)."""

    SUBMIT = "submit"          # 提交, 还是要修, still need a repair
    SOLVED = "solved"          # 修好了, 解决了, that fixed it
    CANCEL = "cancel"          # 不报了, 算了, cancel
    UNSURE = "unsure"          # 不知道, 不清楚, not sure
    HOME = "home"              # 我家, 在家里, my flat
    CORRECTION = "correction"  # 其实, 应该是, 改成, actually, I meant


@dataclass(frozen=True)
class Reading:
    """One free-text message as the NLU read it, in domain terms."""

    text: str
    location: Location = field(default_factory=Location)
    category: Category | None = None
    category_sure: bool = False
    priority: Priority = Priority.NORMAL
    polarity: Polarity | None = None
    cues: frozenset[Cue] = frozenset()
    intent: Intent = Intent.OUT_OF_SCOPE
    confidence: float = 0.0
    ticket_ref: int | None = None  # "#12", "工单12": a ticket the message is about

    @property
    def names_place(self) -> bool:
        loc = self.location
        return bool(loc.building or loc.room or loc.area)

    @property
    def states_priority(self) -> bool:
        """Only 'urgent' and 'not urgent' are ever said; normal is what silence means."""
        return self.priority is not Priority.NORMAL

    @property
    def names_category(self) -> bool:
        return self.category is not None and self.category_sure

    @property
    def is_yes(self) -> bool:
        return self.polarity is Polarity.YES

    @property
    def is_no(self) -> bool:
        return self.polarity is Polarity.NO

    @property
    def carries_a_field(self) -> bool:
        return self.names_place or self.names_category or self.states_priority

    @property
    def about_the_problem(self) -> bool:
        """New detail about what is wrong, rather than an answer to a question."""
        return self.intent is Intent.REPORT_PROBLEM and not self.cues & {Cue.SUBMIT, Cue.SOLVED, Cue.CANCEL}


class Field(str, Enum):
    PLACE = "place"
    CATEGORY = "category"
    PRIORITY = "priority"
    TEXT = "text"


@dataclass(frozen=True)
class Said:
    reading: Reading


@dataclass(frozen=True)
class ChoseHome:
    index: int


@dataclass(frozen=True)
class ChoseBuilding:
    """A building button at "which building?"; unit None when the button names none."""

    building: str
    unit: str | None = None


@dataclass(frozen=True)
class ChoseUnit:
    unit: str


@dataclass(frozen=True)
class NotSure:
    """"I don't know" to which building or which unit: filed without it rather than asked forever."""


@dataclass(frozen=True)
class ChoseOther:
    """Somewhere else: the owner will type it."""


@dataclass(frozen=True)
class ChoseCategory:
    category: Category


@dataclass(frozen=True)
class ChosePriority:
    priority: Priority


@dataclass(frozen=True)
class Submit:
    pass


@dataclass(frozen=True)
class Solved:
    """The self-help suggestion fixed it."""


@dataclass(frozen=True)
class Edit:
    field: Field | None = None  # None: show what can be changed


@dataclass(frozen=True)
class Cancel:
    pass


@dataclass(frozen=True)
class AddPhoto:
    photo: Photo
    caption: Reading | None = None


Answer = (Said | ChoseHome | ChoseBuilding | ChoseUnit | NotSure | ChoseOther | ChoseCategory | ChosePriority | Submit
          | Solved | Edit | Cancel | AddPhoto)
