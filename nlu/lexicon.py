"""The bilingual repair lexicon: category, urgency, area and intent cues from Rasa lookup tables and regexes.

Standard library only (PyYAML is imported lazily by from_yaml), so the Rasa component on 3.10 and the
rules parser on 3.11 apply the very same tables from nlu/data/train/lexicon.yml.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from nlu.normalize import clean

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "train" / "lexicon.yml"
TIER_WEIGHTS = {"hazard": 3.0, "device": 2.0, "cue": 1.0, "neutral": 0.0}
MAX_CATEGORY_CONFIDENCE = 0.95
CUE_ONLY_DIVISOR = 1.5  # a lone hint ("漏水", "leaking") gives 0.67: a guess the bot may confirm


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
        self._term_re = _alternation(list(self._terms))
        self._fuzzy_words = sorted(t for t, (w, c) in self._terms.items()
                                   if c and w >= TIER_WEIGHTS["device"] and re.fullmatch(r"[a-z]{5,}", t))
        self._areas = {t.lower(): False for t in self.lookups.get("area_private", [])}
        self._areas.update({t.lower(): True for t in self.lookups.get("area_common", [])})
        self._area_re = _alternation(list(self._areas))
        self._compiled = {name: [re.compile(p) for p in pats] for name, pats in self.regexes.items()}

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
        """The category with the most lexical weight; ties go to the one named first."""
        scores: Dict[str, float] = {}
        first_seen: Dict[str, int] = {}
        lowered = clean(text).lower()
        hits = [(m.start(), _base_form(m.group(), self._terms)) for m in self._term_re.finditer(lowered)]
        if not any(self._terms[term][0] >= TIER_WEIGHTS["device"] for _, term in hits):
            hits += self._fuzzy_hits(lowered)
        for start, term in hits:
            weight, category = self._terms[term]
            if category and weight:
                scores[category] = scores.get(category, 0.0) + weight
                first_seen.setdefault(category, start)
        if not scores:
            return None, 0.0
        best = max(scores, key=lambda c: (scores[c], -first_seen[c]))
        share = scores[best] / sum(scores.values())
        strength = min(1.0, scores[best] / CUE_ONLY_DIVISOR)
        return best, round(min(MAX_CATEGORY_CONFIDENCE, share * strength), 3)

    def _fuzzy_hits(self, lowered: str) -> List[Tuple[int, str]]:
        """Misspelt English words ('elevater', 'toliet') matched to the closest lexicon word, strict cutoff."""
        hits = []
        for m in re.finditer(r"[a-z]{5,}", lowered):
            close = difflib.get_close_matches(m.group(), self._fuzzy_words, n=1, cutoff=0.85)
            if close and close[0][0] == m.group()[0] and close[0] != m.group():
                hits.append((m.start(), close[0]))
        return hits

    def urgency(self, text: str) -> str:
        """Life-safety first (it beats 'not urgent'), then what the owner says, then cosmetic problems."""
        cleaned = unicodedata.normalize("NFKC", text)
        if self.matches("urgency_safety", cleaned):
            return "urgent"
        if self.matches("urgency_low", cleaned):
            return "low"
        if self.matches("urgency_explicit", cleaned):
            return "urgent"
        if self.matches("urgency_cosmetic", cleaned):
            return "low"
        return "normal"

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
