"""The tap bench's message set and what the owner means: intents, places as residents type them, matching."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "bench" / "data" / "first_messages.tsv"


@dataclass(frozen=True)
class Place:
    """Building, unit, room, area; None where there is none (a common area has no room)."""

    building: str | None = None
    unit: str | None = None
    room: str | None = None
    area: str | None = None


@dataclass(frozen=True)
class Persona:
    user_id: int
    language: str
    home: Place


# The demo owners (sandbox.demo_personas and app/demo.py): one home each.
PERSONAS = {1001: Persona(1001, "zh", Place("3", "2", "1801")),
            1002: Persona(1002, "en", Place("B", None, "1208")),
            1003: Persona(1003, "zh", Place("7", "1", "903"))}


@dataclass(frozen=True)
class Case:
    """One first message and what its owner means by it."""

    number: int
    owner: Persona
    text: str
    place: Place
    category: str
    urgency: str

    @property
    def urgent(self) -> bool:
        return self.urgency == "urgent"

    @property
    def at_home(self) -> bool:
        return self.place.room is not None and self.place == self.owner.home


def load_cases(path: Path = MESSAGES) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    none = lambda value: None if value.strip() in ("-", "") else value.strip()  # noqa: E731
    return [Case(i, PERSONAS[int(r["owner"])], r["text"], Place(none(r["building"]), none(r["unit"]),
                 none(r["room"]), none(r["area"])), r["category"], r["urgency"]) for i, r in enumerate(rows, 1)]


def names_full_place(case: Case) -> bool:
    """Whether the words alone state the intended place: its building, unit (if meant), and room or area.

    Read from the text with fixed patterns, never through the NLU under test.
    """
    text, p = case.text.lower(), case.place
    b = re.escape((p.building or "").lower())
    building = re.search(rf"(?<![0-9a-z]){b}\s*(?:号楼|号|栋|幢|座)|(?:block|building|tower|bldg)\s*{b}(?![0-9a-z])"
                         rf"|(?<![0-9a-z]){b}-[0-9]", text)
    unit = p.unit is None or re.search(rf"(?<![0-9]){p.unit}\s*单元|unit\s*{p.unit}(?![0-9])|(?<![0-9a-z]){b}-{p.unit}-",
                                       text)
    where = re.search(rf"(?<![0-9]){p.room}(?![0-9])", text) if p.room else (p.area or "").lower() in text
    return bool(p.building and building and unit and where)


# --- what a resident types -----------------------------------------------------------------------------------

def _building_words(building: str, language: str) -> str:
    if language == "zh":
        return f"{building}座" if building.isalpha() else f"{building}栋"
    return f"Tower {building}" if building.isalpha() else f"Block {building}"


def typed_place(place: Place, language: str) -> str:
    """"5栋1单元302", "3栋楼道", "Block 4 unit 1 flat 402", "Tower B corridor"."""
    words = _building_words(place.building or "", language)
    if place.unit:
        words += f"{place.unit}单元" if language == "zh" else f" unit {place.unit}"
    if place.room:
        return words + (place.room if language == "zh" else f" flat {place.room}")
    return words + (place.area or "") if language == "zh" else f"{words} {place.area or ''}".strip()


def typed_building(place: Place, language: str) -> str:
    words = _building_words(place.building or "", language)
    if place.unit:
        words += f"{place.unit}单元" if language == "zh" else f" unit {place.unit}"
    return words


def typed_unit(unit: str, language: str) -> str:
    return f"{unit}单元" if language == "zh" else f"unit {unit}"


def typed_place_correction(place: Place, language: str) -> str:
    """The confirm hint's own form: "不是3栋，是5栋" / "it's block 5", with the whole place."""
    return ("是" if language == "zh" else "it's ") + typed_place(place, language)


def typed_category_correction(label: str, language: str) -> str:
    """"是给排水问题" / "it's Plumbing": the category as the card and its buttons name it."""
    return f"是{label}问题" if language == "zh" else f"it's {label}"


# --- comparing a place with the intent ---------------------------------------------------------------------

def _squash(text: str | None) -> str:
    return re.sub(r"\s+", "", (text or "").lower())


def place_matches(intent: Place, got: Place) -> bool:
    """Same building; the unit when one is meant; the flat, or a common area named alike (either contains the other)."""
    if _squash(got.building) != _squash(intent.building):
        return False
    if intent.unit and got.unit != intent.unit:
        return False
    if intent.room:
        return got.room == intent.room
    want, have = _squash(intent.area), _squash(got.area)
    return got.room is None and bool(have) and (want in have or have in want)


def parse_card_place(shown: str, units: dict[str, tuple[str, ...]]) -> Place:
    """A card's place ("3-2-1801 厨房", "B-1208", "3 楼道", "—") read back with the estate's buildings and units."""
    shown = shown.strip()
    if shown in ("", "—", "-"):
        return Place()
    first, _, rest = shown.partition(" ")
    if not re.fullmatch(r"[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*", first):
        return Place(area=shown)
    parts, area = first.split("-"), rest.strip() or None
    if len(parts) == 3:
        return Place(parts[0], parts[1], parts[2], area)
    if len(parts) == 2:
        if parts[1] in units.get(parts[0], ()):
            return Place(parts[0], parts[1], None, area)
        return Place(parts[0], None, parts[1], area)
    if parts[0] in units:
        return Place(parts[0], None, None, area)
    return Place(None, None, parts[0], area)
