"""Text normalizers shared by both engines: numerals, fillers, language, building/unit/room forms, ticket refs.

Standard library only: this module runs on Python 3.11 (rules parser) and on 3.10 inside Rasa's custom
components, so both engines read locations the same way. No library covers Chinese + spoken-English
estate addresses ("九号楼二单元四零二", "block nine flat four oh two", "3-2-1801"), hence hand-written.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, Iterable, Optional

from domain.values import CJK, Language, detect_language as _detect_language  # standard library only, like this module
from nlu.heard import heard_digits, heard_words

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "洞": 0, "一": 1, "幺": 1, "壹": 1, "二": 2, "两": 2, "贰": 2,
              "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
              "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_RUN = re.compile("[%s%s]+" % ("".join(_CN_DIGITS), "".join(_CN_UNITS)))

_EN_DIGITS = {"zero": 0, "oh": 0, "o": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
              "six": 6, "seven": 7, "eight": 8, "nine": 9}
_EN_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
             "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}
_EN_SCALES = {"hundred": 100, "thousand": 1000}
_EN_WORD = "|".join(sorted([*_EN_DIGITS, *_EN_TEENS, *_EN_TENS, *_EN_SCALES, "double", "triple"], key=len, reverse=True))
_EN_RUN = re.compile(r"\b(?:%s)(?:(?:[\s-]+|\s+and\s+)(?:%s))*\b" % (_EN_WORD, _EN_WORD), re.IGNORECASE)

_ZH_FILLERS = re.compile(r"嗯+|呃+|额+|唔+|那个|就是说|就是|然后呢|这个这个|啊+(?=[\s，,])")
_EN_FILLERS = re.compile(r"\b(?:um+|uh+|er+m?|hmm+|ah+|you know|i mean|like)\b[,]?", re.IGNORECASE)


def clean(text: str) -> str:
    """NFKC (full-width to ASCII), drop fillers, and join the spaces that speech-to-text puts inside Chinese."""
    text = unicodedata.normalize("NFKC", text)
    text = _ZH_FILLERS.sub(" ", text)
    text = _EN_FILLERS.sub(" ", text)
    text = re.sub(r"[，。、；！？!?;,]+", lambda m: " , ", text)
    text = re.sub(r"(?<=[%s0-9])\s+(?=[%s])|(?<=[%s])\s+(?=[0-9])" % (CJK, CJK, CJK), "", text)
    text = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def chinese_number(run: str) -> str:
    """'四零二' -> '402' (read digit by digit); '一千八百零一' -> '1801', '十二' -> '12' (positional)."""
    if not any(ch in _CN_UNITS for ch in run):
        return "".join(str(_CN_DIGITS[ch]) for ch in run)
    total, current = 0, 0
    for ch in run:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
    return str(total + current)


def english_number(run: str) -> Optional[str]:
    """'four oh two' -> '402', 'eighteen oh one' -> '1801', 'four hundred and two' -> '402'."""
    words = [w for w in re.split(r"[\s-]+", run.lower()) if w and w != "and"]
    while words and words[0] in ("oh", "o"):
        words.pop(0)
    if not words or all(w in ("double", "triple") for w in words):
        return None
    if any(w in _EN_SCALES for w in words):
        total, current = 0, 0
        for w in words:
            if w in _EN_SCALES:
                total += (current or 1) * _EN_SCALES[w]
                current = 0
            else:
                current += _EN_DIGITS.get(w, _EN_TEENS.get(w, _EN_TENS.get(w, 0)))
        return str(total + current)
    digits, repeat, i = "", 1, 0
    while i < len(words):
        w = words[i]
        if w in ("double", "triple"):
            repeat = 2 if w == "double" else 3
        elif w in _EN_DIGITS:
            digits += str(_EN_DIGITS[w]) * repeat
            repeat = 1
        elif w in _EN_TEENS:
            digits += str(_EN_TEENS[w])
        elif w in _EN_TENS:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if nxt in _EN_DIGITS and nxt not in ("oh", "o", "zero", "nil"):
                digits += str(_EN_TENS[w] + _EN_DIGITS[nxt])
                i += 1
            else:
                digits += str(_EN_TENS[w])
        i += 1
    return digits or None


# Speech-to-text mishears numbers ("building free unit ..."); only between a location word and the next one
# (or a pause) is it undone: "the unit to check" and "a flat for my mother" keep their words.
_ASR_HOMOPHONES = re.compile(
    r"\b(building|bldg|block|blk|tower|flat|room|apt|apartment|unit)\s+(free|tree|for|fore|to|too|won|ate)\b"
    r"(?=\s*(?:[,.;]|$|(?:building|bldg|block|blk|tower|flat|room|apt|apartment|unit)\b))", re.I)
_HOMOPHONE_DIGIT = {"free": "three", "tree": "three", "for": "four", "fore": "four", "to": "two", "too": "two",
                    "won": "one", "ate": "eight"}


def numerals_to_digits(text: str) -> str:
    """Rewrite Chinese and spelled-out English numbers as ASCII digits (a copy used for location parsing)."""
    text = _ASR_HOMOPHONES.sub(lambda m: f"{m.group(1)} {_HOMOPHONE_DIGIT[m.group(2).lower()]}", text)
    text = _CN_RUN.sub(lambda m: chinese_number(m.group()), text)
    return _EN_RUN.sub(lambda m: english_number(m.group()) or m.group(), text)


def detect_language(text: str, default: str = "zh") -> str:
    """The project's one language detector (domain.values.detect_language), as the code the engines use."""
    return _detect_language(text, Language(default)).value


@dataclass(frozen=True)
class Address:
    """What the text says about where: never filled from anything but the text itself."""

    building: Optional[str] = None
    unit: Optional[str] = None
    room: Optional[str] = None
    ticket_ref: Optional[int] = None
    hash_number: Optional[str] = None  # '#2304' is a room in a report and a ticket in a status question


_B = r"(\d{1,3}|[A-Za-z](?![A-Za-z]))"
_ROOM = r"(\d{1,4}[A-Za-z]?)(?![A-Za-z\d])"
_PATTERNS = {
    "shorthand3": re.compile(r"(?<![A-Za-z0-9\-.:/])(\d{1,2}|[A-Za-z])-(\d{1,2})-(\d{3,4}[A-Za-z]?)(?![A-Za-z0-9\-.:/])"),
    "shorthand2": re.compile(r"(?<![A-Za-z0-9\-.:/])(\d{1,2}|[A-Za-z])-(\d{3,4}[A-Za-z]?)(?![A-Za-z0-9\-.:/])"),
    "ticket": re.compile(r"(?:工单|单号|报修单|维修单|订单|ticket|request|order|job|case|ref)\s*(?:号|no\.?|number)?\s*[:：#]?\s*#?(\d{1,6})(?!\d)", re.I),
    "building_zh": re.compile(r"第?%s\s*(?:号楼|号栋|栋楼|号座|栋|幢|座|号院)" % _B),
    "building_en": re.compile(r"\b(?:building|bldg\.?|block|blk\.?|tower|twr\.?)\s*(?:no\.?\s*)?#?\s*%s" % _B, re.I),
    "unit_zh": re.compile(r"(\d{1,2})\s*号?\s*单元"),
    "unit_en": re.compile(r"\b(?:unit|entrance)\s*#?\s*(\d{1,4}[A-Za-z]?)(?![A-Za-z\d])", re.I),
    "room_marked_en": re.compile(r"\b(?:flat|apt\.?|apartment|room|rm\.?|suite|house\s+no\.?)\s*#?\s*%s" % _ROOM, re.I),
    "room_marked_zh": re.compile(r"(?:房间|房号|门牌)?(\d{1,4}[A-Za-z]?)\s*(?:室|号房|房间|户)"),
    "hash": re.compile(r"#\s*(\d{1,6}[A-Za-z]?)(?![A-Za-z\d])"),
    "floor": re.compile(r"(\d{1,3})\s*(?:楼|层)(?!栋)|\b(?:floor|level)\s*\d{1,3}\b|\b\d{1,3}(?:st|nd|rd|th)\s+floor\b", re.I),
    "bare_room": re.compile(
        r"(?<![A-Za-z0-9#\-.:/])(\d{3,4}[A-Za-z]?)(?![\d\-.:/%])"
        r"(?!\s*(?:元|块|分|秒|年|月|日|号楼|栋|度|平|米|个|次|小时|天|周|斤|毫|公|人|w\b|k\b|mm|cm|ml|yuan|rmb|dollars?|"
        r"days?|hours?|hrs?|min|minutes?|weeks?|years?|times|degrees?|people|sq|square|am\b|pm\b|kg|km))", re.I),
}


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def extract_address(text: str) -> Address:
    """Building, unit, room and ticket reference as written; absent parts stay None."""
    prepared = heard_digits(numerals_to_digits(heard_words(clean(text))))  # nlu.heard: speech's mishearings
    found: Dict[str, str] = {}

    def take(kind: str, names: Iterable[str]) -> None:
        nonlocal prepared
        for m in _PATTERNS[kind].finditer(prepared):
            for name, value in zip(names, m.groups()):
                if value and name and name not in found:
                    found[name] = value.upper()
            prepared = _mask(prepared, m.start(), m.end())

    take("ticket", ["ticket"])
    take("shorthand3", ["building", "unit", "room"])
    take("shorthand2", ["building", "room"])
    take("building_zh", ["building"])
    take("building_en", ["building"])
    take("unit_zh", ["unit"])
    take("room_marked_en", ["room"])
    take("room_marked_zh", ["room"])
    take("hash", ["hash"])
    en_units = [m for m in _PATTERNS["unit_en"].finditer(prepared)]
    for m in en_units:
        # In English "unit 602" is the flat; only next to an explicit flat/room is it a 单元.
        name = "unit" if "room" in found else "room"
        found.setdefault(name, m.group(1).upper())
        prepared = _mask(prepared, m.start(), m.end())
    take("floor", [""])
    if "room" not in found and "hash" not in found:
        take("bare_room", ["room"])
    ticket = found.get("ticket")
    return Address(
        building=found.get("building"), unit=found.get("unit"), room=found.get("room"),
        ticket_ref=int(ticket) if ticket else None, hash_number=found.get("hash"),
    )
