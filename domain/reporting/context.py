"""What the dialog knows besides the draft: the estate and the owner's homes."""
from __future__ import annotations

from dataclasses import dataclass

from domain.estate import Estate
from domain.values import Location


@dataclass(frozen=True)
class Context:
    estate: Estate
    homes: tuple[Location, ...] = ()
