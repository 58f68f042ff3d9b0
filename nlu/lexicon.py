"""The bilingual repair lexicon: category, urgency, area and intent cues from Rasa lookup tables and regexes.

Standard library only (PyYAML is imported lazily by from_yaml), so the Rasa component on 3.10 and the
rules parser on 3.11 apply the very same tables from nlu/data/train/lexicon.yml.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from nlu.category import NAMED_ABOVE, TIER_WEIGHTS, Hit, attach_parts, rank
from nlu.normalize import clean

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "train" / "lexicon.yml"


def _term_pattern(term: str) -> str:
    escaped = re.escape(term.lower())
    if re.search(r"[a-z]", term.lower()):
        # Latin words match whole words, plurals included ("pipes", "lights").
        return r"(?<![a-z])%s(?:s|es)?(?![a-z])" % escaped
    return escaped


def _alternation(terms: Sequence[str]) -> "re.Pattern[str]":
    ordered = sorted(set(terms), key=len, reverse=True)
    return re.compile("|".join(_term_pattern(t) for t in ordered) or r"(?!x)x")


def _base_form(found: str, table: Mapping[str, object]) -> str:
    for candidate in (found, found[:-1], found[:-2]):
        if candidate in table:
            return candidate
    return found


class Lexicon:
    """Greedy longest-match over the lexicon; all answers are deterministic."""

    def __init__(self, lookups: Mapping[str, Sequence[str]], regexes: Mapping[str, Sequence[str]]) -> None:
        self.lookups = {name: list(items) for name, items in lookups.items()}
        self.regexes = {name: list(items) for name, items in regexes.items()}
        self._terms: Dict[str, Tuple[float, Optional[str]]] = {}
        for name, items in self.lookups.items():
            tier, _, category = name.partition("_")
            if tier in TIER_WEIGHTS:
                for term in items:
                    self._terms.setdefault(term.lower(), (TIER_WEIGHTS[tier], category or None))
        # A part ("按钮", "button", "lid") counts for the thing it belongs to; one with no trade of its own
        # counts for nothing when it belongs to nothing named.
        self._parts = {t.lower() for t in self.lookups.get("part", [])}
        for term in self._parts:
            self._terms.setdefault(term, (TIER_WEIGHTS["device"], None))
        self._term_re = _alternation(list(self._terms))
        self._fuzzy_words = sorted(t for t, (w, c) in self._terms.items()
                                   if c and w >= TIER_WEIGHTS["device"] and re.fullmatch(r"[a-z]{5,}", t))
        self._areas = {t.lower(): False for t in self.lookups.get("area_private", [])}
        self._areas.update({t.lower(): True for t in self.lookups.get("area_common", [])})
        self._area_re = _alternation(list(self._areas))
        self._compiled = {name: [re.compile(p) for p in pats] for name, pats in self.regexes.items()}
        categories = {category for _, category in self._terms.values() if category}
        self._category_regexes = [(name, pats) for name, pats in self._compiled.items()
                                  if name.partition("_")[0] in TIER_WEIGHTS and name.partition("_")[2] in categories]

    @classmethod
    def from_yaml(cls, path: Path = LEXICON_FILE) -> "Lexicon":
        import yaml  # both virtualenvs have PyYAML; kept lazy so this module stays importable anywhere

        lookups: Dict[str, List[str]] = {}
        regexes: Dict[str, List[str]] = {}
        for entry in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["nlu"]:
            kind = "lookup" if "lookup" in entry else "regex" if "regex" in entry else None
            if kind is None:
                continue
            items = [line.strip()[2:] for line in entry["examples"].splitlines() if line.strip().startswith("- ")]
            (lookups if kind == "lookup" else regexes).setdefault(entry[kind], []).extend(items)
        return cls(lookups, regexes)

    def matches(self, name: str, text: str) -> bool:
        return any(p.search(text) for p in self._compiled.get(name, []))

    def category(self, text: str) -> Tuple[Optional[str], float]:
        """The category of the main problem (nlu/category.py ranks the evidence). What the owner says is fine
        ("卫生间灯没问题") is no evidence; after a self-correction ("no sorry, …") the rest decides, and before
        a second problem ("另外", "also … while you're here") the first part does, when it names anything."""
        lowered = self._mask("category_fine", clean(text).lower())
        correction = self._first("correction", lowered)
        if correction is not None:
            fixed = rank(self._category_hits(lowered[correction.end():]))
            if fixed[0] is not None:
                return fixed
        marker = self._first("secondary_clause", lowered)
        if marker is not None:
            main = rank(self._category_hits(lowered[:marker.start()]))
            if main[0] is not None:
                return main
        return rank(self._category_hits(lowered))

    def personal_first(self, text: str) -> bool:
        """A phone, a car or a kettle is named before any fixture of the estate: the owner's own thing is the
        subject ("我的车打不着火"), not a bystander ("the breaker trips when I turn on the kettle")."""
        lowered = clean(text).lower()
        personal = [m.start() for p in self._compiled.get("personal_item", []) for m in p.finditer(lowered)]
        named = [h.start for h in self._category_hits(lowered) if h.weight > NAMED_ABOVE]
        return bool(personal) and (not named or min(personal) < min(named))

    def _first(self, name: str, text: str) -> Optional["re.Match[str]"]:
        found = [m for p in self._compiled.get(name, []) for m in p.finditer(text) if m.start() > 0]
        return min(found, key=lambda m: m.start()) if found else None

    def _category_hits(self, lowered: str) -> List[Hit]:
        """Every cue; a regex cue (a phrase such as 'leak from the flat above') consumes the lookup words inside
        it, as a longer lookup term consumes a shorter one; parts then count for the thing they belong to."""
        hits: List[Hit] = []
        spans: List[Tuple[int, int]] = []
        for name, patterns in self._category_regexes:
            weight, category = TIER_WEIGHTS[name.partition("_")[0]], name.partition("_")[2]
            for match in (m for p in patterns for m in p.finditer(lowered) if m.end() > m.start()):
                hits.append(Hit(match.start(), match.end(), weight, category))
                spans.append(match.span())
        terms = [(m.start(), m.end(), _base_form(m.group(), self._terms)) for m in self._term_re.finditer(lowered)]
        terms = [t for t in terms if not any(t[0] < end and start < t[1] for start, end in spans)]
        if not spans and not any(self._terms[t][0] >= TIER_WEIGHTS["device"] and self._terms[t][1] for _, _, t in terms):
            terms += self._fuzzy_hits(lowered)
        hits += [Hit(start, end, self._terms[term][0], self._terms[term][1], term) for start, end, term in terms
                 if self._terms[term][0] and (self._terms[term][1] or term in self._parts)]
        places = [m.span() for p in self._compiled.get("category_place", []) for m in p.finditer(lowered)]
        hits = [replace(h, weight=min(h.weight, NAMED_ABOVE)) if any(a <= h.start and h.end <= b for a, b in places)
                else h for h in hits]  # "mailboxes by the unit door": the door only says where
        return [hit for hit in attach_parts(hits, lowered, self._parts, self._areas) if hit.category]

    def _fuzzy_hits(self, lowered: str) -> List[Tuple[int, int, str]]:
        """Misspelt English words ('elevater', 'toliet') matched to the closest lexicon word, strict cutoff."""
        hits = []
        for m in re.finditer(r"[a-z]{5,}", lowered):
            close = difflib.get_close_matches(m.group(), self._fuzzy_words, n=1, cutoff=0.85)
            if close and close[0][0] == m.group()[0] and close[0] != m.group():
                hits.append((m.start(), m.end(), close[0]))
        return hits

    def urgency(self, text: str) -> str:
        """Life-safety first (it beats 'not urgent'), then what the owner says, then cosmetic problems. What did
        not happen or is only feared ("没有着火", "what if someone gets stuck", "in the last power cut") is
        masked first, so it neither raises nor lowers the urgency."""
        cleaned = self._mask("urgency_not_now", unicodedata.normalize("NFKC", text))
        if self.matches("urgency_safety", cleaned):
            return "urgent"
        if self.matches("urgency_low", cleaned):
            return "low"
        if self.matches("urgency_explicit", cleaned):
            return "urgent"
        main = cleaned[:marker.start()] if (marker := self._first("secondary_clause", cleaned.lower())) else cleaned
        if self.matches("urgency_cosmetic", main) and not self.matches("urgency_active", cleaned):
            return "low"  # a stain that is still dripping is a leak, not a blemish; a small crack besides is no reason
        return "normal"

    def danger(self, text: str) -> bool:
        """A danger sign that is happening now (the same reading as urgency's first step)."""
        return self.matches("urgency_safety", self._mask("urgency_not_now", unicodedata.normalize("NFKC", text)))

    def _mask(self, name: str, text: str) -> str:
        for pattern in self._compiled.get(name, []):
            text = pattern.sub(lambda m: " " * len(m.group()), text)
        return text

    def area(self, text: str) -> Tuple[Optional[str], bool]:
        """The first place named, as written, and whether it is a common area of the estate."""
        cleaned = clean(text)
        hits = [(m.start(), -len(m.group()), m.group(), True)
                for p in self._compiled.get("area_common", []) for m in p.finditer(cleaned)]
        for m in self._area_re.finditer(cleaned.lower()):
            written = cleaned[m.start():m.end()]
            hits.append((m.start(), -len(written), written, self._areas[_base_form(m.group(), self._areas)]))
        if not hits:
            return None, False
        _, _, written, common = min(hits)
        return written, common

    def intent_cues(self, text: str) -> List[str]:
        """Names of the intents whose cue patterns occur in the text, in lexicon order."""
        cleaned = unicodedata.normalize("NFKC", text).strip()
        return [name[len("intent_"):] for name in self._compiled
                if name.startswith("intent_") and self.matches(name, cleaned)]
