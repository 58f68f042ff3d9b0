"""Personal details kept out of text every owner may read: places, phone numbers, names, copied words."""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from typing import Iterable

from domain.values import CJK

# The commonest Chinese surnames: a surname followed by an honorific (王师傅, 李女士) is a person.
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_ZH_NAME = re.compile(f"[{SURNAMES}](?:[{CJK}]?(?:先生|女士|小姐)|(?:师傅|阿姨|老师|经理|大爷|大妈|太太))")
_EN_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam)\.?\s+[A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+)?")
_PHONES = (
    re.compile(r"(?:电话|手机|tel|phone|mobile)[\s:：.]*\+?\d[\d\s-]{4,}\d", re.I),  # with its label
    re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)"),  # mainland mobiles, 138-0000-0001 too
    re.compile(r"(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)"),  # landlines with an area code
    re.compile(r"\+\d[\d\s-]{6,}\d"),  # anything international
)
_PLACES = (
    re.compile(r"(?<![A-Za-z0-9-])[A-Za-z\d]{1,3}-(?:\d{1,2}-)?\d{3,4}(?![A-Za-z0-9-])"),  # 3-2-1801, B-1208
    # 3栋2单元1801室, B座1208, 5号楼: a building or unit, and the room number that follows it
    re.compile(r"(?:[A-Za-z\d]+[ \t]*(?:号楼|栋|幢|座|单元|区)[ \t]*)+(?:\d{2,4}(?:室|号|房|户)?)?"),
    re.compile(r"\d+[ \t]*(?:室|户|号房|层|楼)"),  # 1801室, 18层
    re.compile(r"\b(?:building|bldg|block|blk|tower|unit|room|rm|flat|apt|apartment|suite|floor|fl)\.?[ \t]*"
               r"(?:no\.?[ \t]*)?#?(?:\d+[A-Za-z]?|(?-i:[A-Z]))\b", re.I),  # Building 3, Flat 12B, Block B
    re.compile(r"\b\d+(?:st|nd|rd|th)[ \t]+floor\b", re.I),
    re.compile(r"#\d{3,4}\b"),
)
_PUNCT = "，。、；：,.;:"
_GAP = "\x00"  # where something was taken out; _tidy closes the gap
_CLOSED = f"[{CJK}\\s，。、；：（）(]"  # after these (or before these and ,.;:) a gap closes to nothing
COPIED_RUN = 8  # this many characters in a row taken from the owner's description count as their words


def redact(text: str, *, names: Iterable[str] = (), rooms: Iterable[str] = (), phones: Iterable[str] = ()) -> str:
    """`text` without building/unit/room numbers, phone numbers or people's names (the given ones and any
    written as 王师傅, 李女士, Mr Smith), tidied so no empty punctuation is left behind."""
    text = _PHONES[0].sub(_GAP, text)  # a labelled number first, so its label goes with it
    for phone in phones:
        text = _phone_pattern(phone).sub(_GAP, text) if len(_digits(phone)) >= 7 else text
    for pattern in (*_PHONES[1:], *_PLACES, _ZH_NAME, _EN_NAME):
        text = pattern.sub(_GAP, text)
    for name in sorted((n for n in names if n and n.strip()), key=len, reverse=True):
        for part in _name_parts(name):
            text = _word_pattern(part).sub(_GAP, text)
    for room in rooms:
        if room and len(room) >= 3:
            text = _word_pattern(room).sub(_GAP, text)
    return _tidy(text)


def name_in(text: str, name: str | None) -> str | None:
    """The owner's name, or a part of it (a Latin first or last name), as it appears in `text`."""
    for part in _name_parts(name or ""):
        if match := _word_pattern(part).search(text):
            return match.group(0)
    return None


def phone_in(text: str, phone: str | None) -> str | None:
    """The phone number as written in `text`, whatever spaces, dashes or +86 surround it."""
    if len(_digits(phone or "")) < 7:
        return None
    match = _phone_pattern(phone or "").search(text)
    return match.group(0).strip() if match else None


def room_in(text: str, room: str | None) -> str | None:
    """A room or flat number standing on its own in `text` (1801 in 3-2-1801 or 1801室, not in 18010)."""
    if not room or len(room) < 3:  # 1- and 2-character rooms would match every step number
        return None
    match = _word_pattern(room).search(text)
    return match.group(0) if match else None


def copied_run(text: str, source: str | None, at_least: int = COPIED_RUN) -> str | None:
    """The longest run of `at_least` or more characters `text` shares with `source`, ignoring case, spaces
    and punctuation, as `text` writes it; None when they share no run that long."""
    (a, where), (b, _) = _significant(text), _significant(source or "")
    if len(a) < at_least or len(b) < at_least:
        return None
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    if match.size < at_least:
        return None
    return text[where[match.a]:where[match.a + match.size - 1] + 1]


def _name_parts(name: str) -> list[str]:
    """A Chinese name whole; a Latin name whole and each part of three letters or more."""
    name = " ".join(name.split())
    if not name:
        return []
    latin = [p for p in re.split(r"[\s.·-]+", name) if len(p) >= 3 and p.isascii()]
    return [name] + [p for p in latin if p != name]


def _word_pattern(word: str) -> re.Pattern[str]:
    """`word` not inside a longer number or Latin word; Chinese text has no word boundaries to respect."""
    return re.compile(rf"(?<![0-9A-Za-z]){re.escape(word)}(?![0-9A-Za-z])", re.I)


def _phone_pattern(phone: str) -> re.Pattern[str]:
    digits = _digits(phone)
    digits = digits[2:] if len(digits) == 13 and digits.startswith("86") else digits
    spaced = r"[\s-]?".join(re.escape(d) for d in digits)
    return re.compile(rf"(?<!\d)(?:\+?86[\s-]?)?{spaced}(?!\d)")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _significant(text: str) -> tuple[str, list[int]]:
    """Letters, digits and Chinese characters, case-folded, with where each one stands in `text`."""
    chars, where = [], []
    for i, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).casefold():
            if folded.isalnum():
                chars.append(folded)
                where.append(i)
    return "".join(chars), where


def _tidy(text: str) -> str:
    """Close each gap: nothing between Chinese characters, one space between words; no doubled punctuation."""
    def close(match: re.Match[str]) -> str:
        before, after = text[match.start() - 1:match.start()], text[match.end():match.end() + 1]
        if not before or not after or re.match(_CLOSED, before) or re.match(f"{_CLOSED}|[{_PUNCT})）]", after):
            return ""
        return " "

    text = re.sub(rf"[ \t]*{_GAP}[{_GAP} \t]*", close, text)
    text = re.sub(r"[（(]\s*[）)]", "", text)
    text = re.sub(rf"[ \t]+([{_PUNCT}])", r"\1", text)
    text = re.sub(rf"(?:[{_PUNCT}][ \t]*)+([{_PUNCT}])", r"\1", text)  # "in, ." -> "in."
    return "\n".join(line.strip().lstrip(_PUNCT).strip() for line in text.splitlines()).strip()
