"""How speech-to-text mishears a location, read back where it safely can: only next to a building/unit/flat word.

Written from the voice bench's `tune` transcripts (bench/voice_bench.py --split tune) and the cases issue #11
names: whisper puts commas between a location word and its number ("building, 6 unit, 2 flat, 502"), splits a
room number ("flat 12, 0, 3", "flat 6.02"), writes "units" and "Block, be flat"; in Chinese it writes 号楼 as
号农/号能, 单元 as 单远/单原/单圆, 二 as 耳/尔, 零 as 林 in a room (单元三林一), B座 as 必作, 七栋 as 启动
(啟動, Simplified by speech). Each rewrite needs its location neighbour, so text that is not about a place is
left alone ("send someone to flat 5", "一单原价", "空调启动不了").
Standard library only, like nlu.normalize (this runs inside Rasa's components too).
"""
from __future__ import annotations

import re

_PLACE_EN = r"building|bldg|block|blk|tower|unit|flat|apt|apartment"  # not "room": "living room, 2 days ago"
_WORD_EN = (r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
            r"sixteen|seventeen|eighteen|nineteen|twenty|free|tree|for|fore|to|too|won|ate)\b")
# "building, 6 unit", "units, 1, flat", "flat, 502.": the punctuation (and a plural) between a place word and its
# number, when that number ends at the next place word or a pause ("the unit, 2 days ago" keeps its comma).
_PUNCTUATED = re.compile(r"\b(%s)s?\s*[,.]?\s*(?=(?:\d[\d.\-]*|%s(?:[\s-]+%s)*)\s*(?:[,.;]|$|(?:%s)\b))"
                         % (_PLACE_EN, _WORD_EN, _WORD_EN, _PLACE_EN), re.I)
_BLOCK_B = re.compile(r"\b(block|blk)\s*[,.]?\s*(?:bee|be|beef|b)\b\s*[,.]?(?=\s*(?:flat|room|apt|unit|\d))", re.I)
# "flat 12, 0, 3", "flat 12, 03", "flat 6.02", "flat 3-01": one room number said in pieces (3 or 4 digits in all).
_ROOM_PIECES = re.compile(r"\b(flat|apt|apartment)\s+(\d{1,2})((?:\s*[,.\-]\s*\d{1,2}){1,2})(?![\d.,]*\d)"
                          r"(?!\s*(?:days?|hours?|min|minutes?|weeks?|years?|am\b|pm\b|%|percent|people|times))", re.I)

_NUM_ZH = "0-9零一二两三四五六七八九十"
_UNIT_AHEAD = r"(?=\s*[%s耳尔]{1,3}\s*单元)" % _NUM_ZH
_DANYUAN = re.compile(r"([%s耳尔])\s*[单丹][元远原圆园](?=\s*(?:[0-9零一二三四五六七八九]|的|楼道|门|[,，。 ]|$))" % _NUM_ZH)
_HAOLOU = re.compile(r"号\s*[,，]?\s*[楼农能罗龙搂喽诺漏落]" + _UNIT_AHEAD)
_HAOLOU_HUG = re.compile(r"([%s])号搂(?=\s*(?:[%s]|$|[,，。]))" % (_NUM_ZH, _NUM_ZH))  # not 3号搂着 (hugging)
_ER = re.compile(r"(号楼|栋|座)\s*[耳尔](?=单元)")
_QIDONG = re.compile(r"(?:啟動|启动|起栋|起动|起冻|七动|七冻)" + _UNIT_AHEAD)
# 三零一 heard as 三林一, 五零二 as 五灵二: 零's homophones inside a room number said right after 单元.
_ROOM_ZERO = re.compile(r"(?<=单元)([一二三四五六七八九零]{1,2})[林灵铃]([一二三四五六七八九零]{1,2})(?![一二三四五六七八九零十])")
_BZUO = re.compile(r"(?<![A-Za-z])(?:必|闭|币|逼)\s*[作座坐](?=\s*\d{3,4}(?!\d)(?!\s*[个次元块]))")


def heard_words(text: str) -> str:
    """Before numerals become digits: the place word joined to its number, Chinese homophones in a place."""
    text = _BLOCK_B.sub(lambda m: f"{m.group(1)} B ", text)
    text = _PUNCTUATED.sub(lambda m: m.group(1) + " ", text)
    text = _DANYUAN.sub(r"\1单元", text)
    text = _HAOLOU.sub("号楼", text)
    text = _HAOLOU_HUG.sub(r"\1号楼", text)
    text = _ER.sub(r"\1二", text)
    text = _QIDONG.sub("七栋", text)
    text = _ROOM_ZERO.sub(r"\1零\2", text)
    return _BZUO.sub("B座", text)


def heard_digits(text: str) -> str:
    """After numerals became digits: a room number said in pieces after flat/room, joined when 3-4 digits long."""
    def join(m: re.Match[str]) -> str:
        digits = m.group(2) + re.sub(r"\D", "", m.group(3))
        return f"{m.group(1)} {digits}" if 3 <= len(digits) <= 4 else m.group()

    return _ROOM_PIECES.sub(join, text)
