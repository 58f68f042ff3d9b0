"""What the dialog asks the bot to do next; the bot turns each into a message and its buttons."""
from __future__ import annotations

from dataclasses import dataclass

from domain.reporting.draft import Step, Suggestion
from domain.values import Location


@dataclass(frozen=True, kw_only=True)
class Outcome:
    # A danger article's safety steps ("open the windows, do not switch anything on") go out before
    # anything else is asked, the moment the problem is known to be dangerous.
    safety: Suggestion | None = None

    @property
    def files_now(self) -> bool:
        return isinstance(self, SubmitNow)


@dataclass(frozen=True, kw_only=True)
class AskDescription(Outcome):
    pass


@dataclass(frozen=True, kw_only=True)
class AskPlace(Outcome):
    homes: tuple[Location, ...] = ()
    again: bool = False                   # the last answer named no place
    typed_only: bool = False              # they said it is not at home: ask them to type it
    unknown_building: str | None = None   # the estate has no such building


@dataclass(frozen=True, kw_only=True)
class AskBuilding(Outcome):
    area: str
    offers: tuple[Location, ...] = ()     # the owner's own building (and unit) first
    again: bool = False


@dataclass(frozen=True, kw_only=True)
class AskUnit(Outcome):
    building: str
    units: tuple[str, ...]
    again: bool = False


@dataclass(frozen=True, kw_only=True)
class AskRoom(Outcome):
    """Which flat of the building; or the whole building, or not known."""

    building: str
    again: bool = False


@dataclass(frozen=True, kw_only=True)
class AskCategory(Outcome):
    again: bool = False


@dataclass(frozen=True, kw_only=True)
class AskPriority(Outcome):
    again: bool = False


@dataclass(frozen=True, kw_only=True)
class AskNewText(Outcome):
    pass


@dataclass(frozen=True, kw_only=True)
class ShowEdit(Outcome):
    pass


@dataclass(frozen=True, kw_only=True)
class Confirm(Outcome):
    """The summary card, with the self-help article folded in when there is one to try."""

    suggestion: Suggestion | None = None
    seen: bool = False  # the owner has read the article's steps already: the card need not repeat them


@dataclass(frozen=True, kw_only=True)
class SubmitNow(Outcome):
    pass


@dataclass(frozen=True, kw_only=True)
class PhotoAdded(Outcome):
    count: int
    step: Step


@dataclass(frozen=True, kw_only=True)
class Deflected(Outcome):
    article_id: str | None  # the article that helped


@dataclass(frozen=True, kw_only=True)
class Cancelled(Outcome):
    text: str
