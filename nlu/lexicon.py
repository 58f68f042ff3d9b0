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
# hazard: a danger that decides the category; source: where the trouble comes from decides it (water from the
# flat above is plumbing whatever it drips through); specific: a thing that outweighs the generic fixture it sits
# in or acts on (a fob beats the door it opens, a sprinkler the pipe it hangs on, cockroaches the drain they climb
# out of); device: names the thing; cue: hints at it; neutral: consumed so it counts for nothing.
# surface: a wall, ceiling or floor, named but outweighed by the device on it ("a wire hanging from the ceiling").
TIER_WEIGHTS = {"hazard": 3.0, "source": 3.0, "specific": 2.5, "device": 2.0, "surface": 1.5, "cue": 1.0, "neutral": 0.0}
NAMED_ABOVE = TIER_WEIGHTS["cue"]  # anything weightier than a symptom cue names the thing
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
        """The category with the most named evidence (hazards, sources, specific things, devices, surfaces), then
        the most evidence of any kind, then the one named first; a pile of symptoms never outvotes a named thing."""
        named: Dict[str, float] = {}
        total: Dict[str, float] = {}
        first_seen: Dict[str, int] = {}
        for start, weight, category in self._category_hits(clean(text).lower()):
            total[category] = total.get(category, 0.0) + weight
            named[category] = named.get(category, 0.0) + (weight if weight > NAMED_ABOVE else 0.0)
            first_seen.setdefault(category, start)
        if not total:
            return None, 0.0
        best = max(total, key=lambda c: (named[c], total[c], -first_seen[c]))
        share = total[best] / sum(total.values())
        strength = min(1.0, total[best] / CUE_ONLY_DIVISOR)
        return best, round(min(MAX_CATEGORY_CONFIDENCE, share * strength), 3)

    def _category_hits(self, lowered: str) -> List[Tuple[int, float, str]]:
        """(start, weight, category) for every cue; a regex cue (a phrase such as 'leak from the flat above')
        consumes the lookup words inside it, as a longer lookup term consumes a shorter one."""
        hits: List[Tuple[int, float, str]] = []
        spans: List[Tuple[int, int]] = []
        for name, patterns in self._category_regexes:
            weight, category = TIER_WEIGHTS[name.partition("_")[0]], name.partition("_")[2]
            for match in (m for p in patterns for m in p.finditer(lowered) if m.end() > m.start()):
                hits.append((match.start(), weight, category))
                spans.append(match.span())
        terms = [(m.start(), m.end(), _base_form(m.group(), self._terms)) for m in self._term_re.finditer(lowered)]
        terms = [t for t in terms if not any(t[0] < end and start < t[1] for start, end in spans)]
        if not spans and not any(self._terms[term][0] >= TIER_WEIGHTS["device"] for _, _, term in terms):
            terms += [(start, start, term) for start, term in self._fuzzy_hits(lowered)]
        hits += [(start, self._terms[term][0], self._terms[term][1]) for start, _, term in terms
                 if self._terms[term][1] and self._terms[term][0]]
        return hits

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
        if self.matches("urgency_cosmetic", cleaned) and not self.matches("urgency_active", cleaned):
            return "low"  # a stain that is still dripping is a leak, not a blemish
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
