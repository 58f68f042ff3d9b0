"""The words a voice note is likely to hold, as a decoding prompt: the estate's names and the repair vocabulary."""
from __future__ import annotations

import re
from typing import Iterable

# Words residents use in reports, in the written form the NLU reads best. No house numbers of our own:
# a trial prompt with "3栋2单元" in it made the model write 3栋 into a note that never said it.
VOCABULARY = {
    "zh": "报修：号楼、栋、单元、室、厨房、卫生间、阳台、客厅、卧室、水管漏水、下水道堵了、马桶、热水器、"
          "空调不制冷、暖气、停电、跳闸、插座、灯不亮、燃气、门锁、窗户、电梯、楼道、车库、墙面渗水。",
    "en": "Repair request: building, block, unit, flat, kitchen, bathroom, balcony, bedroom, leaking pipe, "
          "blocked drain, toilet, water heater, air conditioner, heating, power cut, socket, light, gas, "
          "door lock, window, lift, elevator, stairwell, car park.",
}
# The same bias written as one thing a resident would say (issue #11: try a sentence rather than a word list,
# which base copied into Chinese transcripts). The numbered one names a place no clip has and the estate lacks
# (13号楼, 3单元, 406): if the model ever copies it, the bench's fields show it as a wrong building.
SENTENCES = {
    "numbered": {"zh": "您好，我是业主，住13号楼3单元406室，卫生间水管漏水了。",
                 "en": "Hello, I live in building 13 unit 3 flat 406, and the bathroom pipe is leaking."},
    "plain": {"zh": "您好，我是业主，家里卫生间的水管漏水了，麻烦派师傅上门修一下。",
              "en": "Hello, I am a resident, the bathroom pipe in my flat is leaking, please send someone to fix it."},
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def prompts(building_names: Iterable[str] = (), estate_name: str = "", with_names: bool = True,
            sentence: Iterable[str] = ()) -> dict[str, str]:
    """One prompt per language: the estate's own names in that language's script (if asked), then the words;
    or, for the languages in `sentence`, the numbered sentence (SENTENCES), which the voice bench chose on tune."""
    said = set(sentence)
    names = list(building_names) if with_names else []
    estate = {"zh": "".join(w for w in estate_name.split() if _CJK.search(w)),
              "en": " ".join(w for w in estate_name.split() if not _CJK.search(w))}
    lead = {"zh": "，".join(filter(None, [estate["zh"], *(n for n in names if _CJK.search(n))])) + "。",
            "en": ", ".join(filter(None, [estate["en"], *(n for n in names if not _CJK.search(n) and not n.isdigit())]))
            + ". "}
    return {lang: SENTENCES["numbered"][lang] if lang in said else (lead[lang] if len(lead[lang]) > 2 else "") + text
            for lang, text in VOCABULARY.items()}
