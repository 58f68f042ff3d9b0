"""Category scoring over lexicon hits: which repair category the things a message names point to.

Standard library only (it runs inside Rasa on 3.10 and in the rules parser on 3.11). The lexicon finds the hits
(nlu/lexicon.py); this module decides between them: a part belongs to the thing it is part of ("the light on the
cooker hood" is the hood's, "游泳池的水泵" the pool's), each thing counts once however often it is repeated, and
named things outrank symptoms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Dict, Iterable, List, Optional, Tuple

# hazard: a danger that decides the category; source: where the trouble comes from decides it (water from the
# flat above is plumbing whatever it drips through); specific: a thing that outweighs the generic fixture it sits
# in or acts on (a fob beats the door it opens, a sprinkler the pipe it hangs on, cockroaches the drain they climb
# out of); device: names the thing; cue: hints at it; neutral: consumed so it counts for nothing.
# surface: a wall, ceiling or floor, named but outweighed by the device on it ("a wire hanging from the ceiling");
# exposed: an electrical thing water reaches ("水漏到配电箱上"), named but outweighed by a named source of the water
# ("the boiler is leaking next to the socket" is the boiler's).
TIER_WEIGHTS = {"hazard": 4.0, "source": 4.0, "specific": 2.5, "device": 2.0, "surface": 1.5, "exposed": 1.5, "cue": 1.0,
                "neutral": 0.0}
NAMED_ABOVE = TIER_WEIGHTS["cue"]  # anything weightier than a symptom cue names the thing
MAX_CATEGORY_CONFIDENCE = 0.95
CUE_ONLY_DIVISOR = 1.5  # a lone hint ("漏水", "leaking") gives 0.67: a guess the bot may confirm
# Structure (stairs, walls, railings) has parts of its own trades: the light on the stairs is an electrician's.
NEVER_OWNS = frozenset({"civil"})

# How a part attaches to its owner. Chinese: owner, then 的/上的/里的 (or nothing), then the part ("油烟机的灯",
# "信箱锁"). English: owner then part ("cooker hood light", "escalator's handrail"), or part, a preposition and
# the owner with at most one word between ("the light on the cooker hood", "the bleed valve on my radiator").
_OWNER_THEN_PART = re.compile(r"(?:的|上的|上面的|里的|里面的|内的|上|里|里面|那个|的那个|上那个|里那个)?|\s*(?:'s|s')?\s*")
_PART_THEN_OWNER = re.compile(
    r"\s+(?:on|of|in|inside|for|at|from|under|behind)\s+(?:(?:the|my|our|a|an|this|that|their|his|her)\s+)?(?:[a-z]+\s+)?")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    weight: float
    category: str
    term: Optional[str] = None  # the lookup term; None for a phrase regex


def attach_parts(hits: List[Hit], text: str, parts: Iterable[str], places: Iterable[str] = ()) -> List[Hit]:
    """Each part named next to an owner of another trade counts for the owner; a part that took an owner's
    category passes it on to the part right after it ("油烟机的照明灯": the 灯 of the hood's 照明). A place
    owns nothing: the bulb in the bin room is still a bulb."""
    part_terms, place_terms = set(parts), set(places)
    ordered = sorted(hits, key=lambda h: h.start)
    result = list(ordered)
    for i, part in enumerate(ordered):
        if part.term not in part_terms:
            continue
        owner = _owner_of(part, [h for h in result[:i] if h.term not in place_terms],
                          [h for h in result[i + 1:] if h.term not in place_terms], text)
        if owner is not None and owner.category != part.category:
            result[i] = replace(part, category=owner.category)
    return result


def _owner_of(part: Hit, before: List[Hit], after: List[Hit], text: str) -> Optional[Hit]:
    owners = lambda hs: [h for h in hs if h.weight >= TIER_WEIGHTS["device"] and h.category not in NEVER_OWNS]
    for owner in reversed(owners(before)):
        if owner.end <= part.start and _OWNER_THEN_PART.fullmatch(text[owner.end:part.start]):
            return owner
    for owner in owners(after):
        if part.end <= owner.start and _PART_THEN_OWNER.fullmatch(text[part.end:owner.start]):
            return owner
    return None


def rank(hits: List[Hit]) -> Tuple[Optional[str], float]:
    """The category with the most named evidence (hazards, sources, specific things, devices, surfaces), then
    the most evidence of any kind, then the one named first; a pile of symptoms never outvotes a named thing,
    and a thing named twice ("灯…黄灯") counts once."""
    named: Dict[str, float] = {}
    total: Dict[str, float] = {}
    first_seen: Dict[str, int] = {}
    seen = set()
    for hit in sorted(hits, key=lambda h: h.start):
        if not hit.weight or (hit.term is not None and (hit.category, hit.term) in seen):
            continue
        seen.add((hit.category, hit.term))
        total[hit.category] = total.get(hit.category, 0.0) + hit.weight
        named[hit.category] = named.get(hit.category, 0.0) + (hit.weight if hit.weight > NAMED_ABOVE else 0.0)
        first_seen.setdefault(hit.category, hit.start)
    if not total:
        return None, 0.0
    best = max(total, key=lambda c: (named[c], total[c], -first_seen[c]))
    share = total[best] / sum(total.values())
    strength = min(1.0, total[best] / CUE_ONLY_DIVISOR)
    return best, round(min(MAX_CATEGORY_CONFIDENCE, share * strength), 3)
